package atlas.regions;

import atlas.TestTolerances;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link LocalAffine}: with the pattern of a point fixed, every cutting unit's pre-activation and every output is
 * the network's own value at that point (and at points with the same pattern), and the H-representation rows hold
 * with the right signs there.
 */
class LocalAffineTest {

    @ParameterizedTest(name = "{0} inputs, seed {1}, {2}, skips {3}")
    @CsvSource({"2,1,RELU,false", "5,2,LEAKY_RELU,true", "784,3,RELU,true", "1,4,LEAKY_RELU,false"})
    void composedMapsEqualTheNetworkWhereThePatternHolds(int inputDim, long seed, Activation act, boolean skips) {
        Network net = RandomNets.random(seed, inputDim, Networks.uniform(12, 3), 4, act, 0.1, skips);
        Random rnd = new Random(seed);
        for (int k = 0; k < (inputDim > 100 ? 6 : 30); k++) {
            double[] x = SegmentPartitionerTest.randomPoint(rnd, inputDim, -1, 1);
            Network.Trace tr = net.trace(x);
            ActivationPattern p = ActivationPattern.of(tr.activeBits(net));
            LocalAffine la = LocalAffine.of(net, p);
            double[] y = net.forward(x), m = la.output().apply(x);
            for (int o = 0; o < y.length; o++) assertThat(m[o]).isCloseTo(y[o], within(TestTolerances.MAP * (1 + Math.abs(y[o]))));
            double[] z = la.preActivations().apply(x);
            int bit = 0;
            for (int i = 1; i <= net.depth(); i++) {
                if (!net.layer(i).activation().cuts()) continue;
                for (double v : tr.preActivations()[i]) {
                    assertThat(z[bit]).isCloseTo(v, within(TestTolerances.MAP * (1 + Math.abs(v))));
                    assertThat(z[bit] > 0).as("row %d holds with the pattern's sign", bit).isEqualTo(p.get(bit));
                    bit++;
                }
            }
            assertThat(bit).isEqualTo(net.cuttingUnits());
        }
    }
}
