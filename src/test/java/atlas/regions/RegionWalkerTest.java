package atlas.regions;

import atlas.geometry.HPolytope;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RegionWalkerTest {

    @Test
    void predictionEqualsTheForwardPassIn3D() {
        Network net = Networks.kaiming(4, 3, new int[]{6, 6}, 2, Activation.RELU, 0, 0.1);
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(3, -1, 1));
        assertThat(set.complete()).isTrue();
        double[] lo = {-1, -1, -1}, hi = {1, 1, 1};
        for (int g : new int[]{1, 4}) {
            RegionWalker w = new RegionWalker(set, net, lo, hi, g, 1e-12);
            Random rnd = new Random(g);
            double[] out = new double[2];
            for (int i = 0; i < 2000; i++) {
                double[] x = {rnd.nextDouble() * 2 - 1, rnd.nextDouble() * 2 - 1, rnd.nextDouble() * 2 - 1};
                assertThat(w.predict(x, out)).isTrue();
                double[] want = net.forward(x);
                for (int o = 0; o < 2; o++) assertThat(out[o]).isCloseTo(want[o], within(1e-9 * (1 + Math.abs(want[o]))));
                assertThat(set.regions().get(w.locate(x)).contains(x, 1e-9)).isTrue();
            }
            assertThat(w.predict(new double[]{1.5, 0, 0}, out)).isFalse();
        }
    }
}
