package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.CantorNet;
import atlas.net.Network;
import atlas.net.SkipUnrolling;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Skip and no-skip forms of one function give one partition. */
class SkipUnrollingTest {

    @Test
    void unrolledNetComputesTheSameFunction() {
        Random rnd = new Random(2);
        for (long seed = 1; seed <= 4; seed++) {
            Network skip = TropicalFormTest.skipNet(seed, Activation.RELU), plain = SkipUnrolling.unroll(skip);
            for (var l : plain.layers()) assertThat(l.skips()).isEmpty();
            for (int s = 0; s < 200; s++) {
                double[] x = {rnd.nextGaussian() * 3, rnd.nextGaussian() * 3};
                assertThat(plain.forward(x)[0]).isCloseTo(skip.forward(x)[0], within(1e-12));
            }
        }
    }

    @Test
    void skipAndNoSkipFormsGiveOnePartition() {
        for (long seed = 1; seed <= 4; seed++) {
            Network skip = TropicalFormTest.skipNet(seed, Activation.RELU), plain = SkipUnrolling.unroll(skip);
            Rectangle box = new Rectangle(-3, 3, -3, 3);
            PlanePartition a = PlanePartitioner.compute(skip, box), b = PlanePartitioner.compute(plain, box);
            assertThat(b.count()).isEqualTo(a.count());
            assertThat(b.totalArea()).isCloseTo(a.totalArea(), within(1e-9));
            for (LinearRegion r : a.regions()) {
                double[] c = r.interiorPoint();
                LinearRegion other = b.locate(c[0], c[1]);
                assertThat(other).isNotNull();
                assertThat(other.area()).isCloseTo(r.area(), within(1e-9));
                assertThat(other.map().distance(r.map())).isLessThan(1e-9);
            }
        }
    }

    @Test
    void skipsFromTheInputAreRefused() {
        assertThatThrownBy(() -> SkipUnrolling.unroll(CantorNet.of(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from the input");
    }
}
