package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RegionIndexTest {

    @Test
    void predictionEqualsTheForwardPass() {
        for (long seed = 1; seed <= 3; seed++) {
            Network net = Networks.kaiming(seed, 2, new int[]{16, 16, 16}, 3, Activation.LEAKY_RELU, 0.01, 0.1);
            Rectangle box = new Rectangle(-1, 2, -0.5, 1);
            PlanePartition part = PlanePartitioner.compute(net, box);
            for (double cpr : new double[]{0.25, 2, 8}) {
                RegionIndex index = new RegionIndex(part, cpr);
                assertThat(index.outputs()).isEqualTo(3);
                Random rnd = new Random(seed);
                double[] out = new double[3];
                for (int i = 0; i < 3000; i++) {
                    double s = box.xmin() + rnd.nextDouble() * box.width(), t = box.ymin() + rnd.nextDouble() * box.height();
                    assertThat(index.predict(s, t, out)).isTrue();
                    double[] want = net.forward(new double[]{s, t});
                    for (int o = 0; o < 3; o++) assertThat(out[o]).isCloseTo(want[o], within(1e-9 * (1 + Math.abs(want[o]))));
                    LinearRegion r = part.regions().get(index.locate(s, t));
                    assertThat(r.contains(s, t, 1e-9)).isTrue();
                }
                // domain corners and edges are inside, points beyond are not
                assertThat(index.predict(box.xmin(), box.ymin(), out)).isTrue();
                assertThat(index.predict(box.xmax(), box.ymax(), out)).isTrue();
                assertThat(index.predict(box.xmax() + 0.01, 0, out)).isFalse();
                assertThat(index.locate(0, box.ymin() - 1)).isEqualTo(-1);
            }
        }
    }

    @Test
    void locatedRegionsCarryThePointsPattern() {
        Network net = Networks.kaiming(9, 2, new int[]{12, 12}, 1, Activation.RELU, 0, 0.05);
        PlanePartition part = PlanePartitioner.compute(net, Rectangle.UNIT);
        RegionIndex index = new RegionIndex(part, 2);
        for (LinearRegion r : part.regions()) {
            double[] c = r.interiorPoint();
            assertThat(index.locate(c[0], c[1])).isEqualTo(r.id());
        }
    }
}
