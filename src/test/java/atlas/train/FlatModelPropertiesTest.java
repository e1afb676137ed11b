package atlas.train;

import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Properties of the flat form over random shapes. */
class FlatModelPropertiesTest {
    @Property(tries = 60)
    void shapeFormatParsesBack(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 40) Integer> widths) {
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
        assertThat(ShapeSpec.parse(ShapeSpec.format(w))).containsExactly(w);
    }

    @Property(tries = 40)
    void blockForwardEqualsNetworkForwardAndParametersRoundTrip(@ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 13) Integer> widths,
                                                               @ForAll @IntRange(min = 1, max = 3) int outputs,
                                                               @ForAll @IntRange(min = 1, max = 37) int points,
                                                               @ForAll long seed) {
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
        Network net = Networks.kaiming(seed, 2, w, outputs, Activation.LEAKY_RELU, 0.01, 0.1);
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        assertThat(m.toNetwork(p)).isEqualTo(net);
        Random r = new Random(seed);
        double[] x = new double[2 * points];
        for (int k = 0; k < x.length; k++) x[k] = r.nextDouble();
        double[] out = new double[points * outputs];
        m.newWorkspace(points).predict(p, x, points, out);
        for (int b = 0; b < points; b++) {
            double[] y = net.forward(new double[]{x[2 * b], x[2 * b + 1]});
            for (int o = 0; o < outputs; o++) assertThat(out[b * outputs + o]).isCloseTo(y[o], within(1e-9 * (1 + Math.abs(y[o]))));
        }
    }
}
