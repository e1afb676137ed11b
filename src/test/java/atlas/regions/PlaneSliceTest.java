package atlas.regions;

import atlas.TestTolerances;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The plane through three points (Hanin and Rolnick): centred on their circumcentre, orthogonal axes of length
 * 1.25 times the circumradius, so the three points lie on the circle of radius 0.8 in plane coordinates; and the
 * restricted network equals the network on the plane.
 */
class PlaneSliceTest {

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }

    @ParameterizedTest(name = "dimension {0}, seed {1}")
    @CsvSource({"2,1", "3,2", "10,3", "784,4"})
    void throughThreePointsIsCentredOnTheCircumcentreWithOrthogonalAxes(int dim, long seed) {
        Random rnd = new Random(seed);
        double[][] p = new double[3][];
        for (int k = 0; k < 3; k++) p[k] = SegmentPartitionerTest.randomPoint(rnd, dim, 0, 1);
        PlaneSlice slice = PlaneSlice.throughPoints(p[0], p[1], p[2]);
        double[] c = slice.origin(), u1 = slice.u1(), u2 = slice.u2();
        double[] r = new double[3];
        for (int k = 0; k < 3; k++) {
            double[] d = new double[dim];
            for (int j = 0; j < dim; j++) d[j] = p[k][j] - c[j];
            r[k] = Math.sqrt(dot(d, d));
            // the point lies in the plane: its residual after projection is zero
            double s = dot(d, u1) / dot(u1, u1), t = dot(d, u2) / dot(u2, u2);
            double[] back = slice.toInput(s, t);
            for (int j = 0; j < dim; j++) assertThat(back[j]).isCloseTo(p[k][j], within(TestTolerances.POSITION));
            assertThat(Math.hypot(s, t)).as("plane radius of point %d", k).isCloseTo(0.8, within(TestTolerances.POSITION));
        }
        assertThat(r[1]).isCloseTo(r[0], within(TestTolerances.POSITION * r[0]));
        assertThat(r[2]).isCloseTo(r[0], within(TestTolerances.POSITION * r[0]));
        assertThat(dot(u1, u2)).isCloseTo(0, within(TestTolerances.POSITION * dot(u1, u1)));
        assertThat(Math.sqrt(dot(u1, u1))).isCloseTo(1.25 * r[0], within(TestTolerances.POSITION * r[0]));
        assertThat(Math.sqrt(dot(u2, u2))).isCloseTo(1.25 * r[0], within(TestTolerances.POSITION * r[0]));
    }

    @Test
    void collinearOrCoincidentPointsAreRejected() {
        assertThatThrownBy(() -> PlaneSlice.throughPoints(new double[]{0, 0}, new double[]{1, 1}, new double[]{2, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("collinear");
        assertThatThrownBy(() -> PlaneSlice.throughPoints(new double[]{0, 0}, new double[]{0, 0}, new double[]{1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlaneSlice.of(new double[]{0, 0, 0}, new double[]{1, 2, 3}, new double[]{2, 4, 6}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallel");
    }

    @ParameterizedTest(name = "seed {0}, skips {1}")
    @CsvSource({"1,false", "2,true", "3,true"})
    void theRestrictedNetworkEqualsTheNetworkOnThePlane(long seed, boolean skips) {
        Network net = RandomNets.random(seed, 20, Networks.uniform(8, 3), 3, Activation.LEAKY_RELU, 0.1, skips);
        Random rnd = new Random(seed);
        PlaneSlice slice = PlaneSlice.of(SegmentPartitionerTest.randomPoint(rnd, 20, -1, 1),
                SegmentPartitionerTest.randomPoint(rnd, 20, -1, 1), SegmentPartitionerTest.randomPoint(rnd, 20, -1, 1));
        Network r = slice.restrict(net);
        assertThat(r.inputDim()).isEqualTo(2);
        assertThat(r.cuttingUnits()).isEqualTo(net.cuttingUnits());
        for (int k = 0; k < 100; k++) {
            double s = 4 * rnd.nextDouble() - 2, t = 4 * rnd.nextDouble() - 2;
            double[] x = slice.toInput(s, t);
            double[] y = net.forward(x), yr = r.forward(new double[]{s, t});
            for (int o = 0; o < y.length; o++) assertThat(yr[o]).isCloseTo(y[o], within(TestTolerances.MAP * (1 + Math.abs(y[o]))));
        }
    }
}
