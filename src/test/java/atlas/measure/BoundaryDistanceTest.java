package atlas.measure;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import atlas.regions.ActivationPattern;
import atlas.regions.AffineMap;
import atlas.regions.LocalAffine;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BoundaryDistanceTest {

    static double[] gaussian(Random r, int n, double s) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) x[k] = s * r.nextGaussian();
        return x;
    }

    /** min over rows of |z_k(x)| / ||a_k|| from the region's own H-representation (LocalAffine). */
    static double facetDistance(Network net, double[] x, int[] argmin) {
        ActivationPattern pat = ActivationPattern.of(net.trace(x).activeBits(net));
        AffineMap rows = LocalAffine.of(net, pat).preActivations();
        double[] zx = rows.apply(x);
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < rows.outputs(); k++) {
            double sq = 0;
            for (int c = 0; c < rows.inputs(); c++) sq += rows.coefficient(k, c) * rows.coefficient(k, c);
            if (sq == 0) continue;
            double d = Math.abs(zx[k]) / Math.sqrt(sq);
            if (d < best) { best = d; argmin[0] = k; }
        }
        return best;
    }

    @Test
    void oneUnitIsThePointToHyperplaneDistance() {
        // z = 3x - 4y + 1: distance of (1, 2) is |3 - 8 + 1| / 5
        Network net = new Network(2, List.of(
                new DenseLayer(2, 1, new double[]{3, -4}, new double[]{1}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[]{0}, Activation.IDENTITY, 0)));
        assertThat(BoundaryDistance.of(net, new double[]{1, 2})).isCloseTo(4.0 / 5.0, within(1e-15));
    }

    @Test
    void deadNetworkHasNoBoundaryNearby() {
        // the second layer's only input unit is off at x, so its gradient is 0; the first unit is far
        Network net = new Network(1, List.of(
                new DenseLayer(1, 1, new double[]{1}, new double[]{-10}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[]{1}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[]{0}, Activation.IDENTITY, 0)));
        BoundaryDistance bd = new BoundaryDistance(net);
        assertThat(bd.distance(new double[]{2})).isCloseTo(8, within(1e-12));
        assertThat(bd.nearestUnit()).isEqualTo(0);
        assertThat(bd.hiddenUnits()).isEqualTo(2);
    }

    @Test
    void equalsTheFacetDistanceOfTheRegionOn784InputNets() {
        Random r = new Random(11);
        for (int trial = 0; trial < 3; trial++) {
            Network net = Networks.kaiming(100 + trial, 784, new int[]{12, 10, 8}, 10, Activation.RELU, 0, 0);
            net = withBiases(net, r, 0.1);
            BoundaryDistance bd = new BoundaryDistance(net);
            for (int p = 0; p < 10; p++) {
                double[] x = gaussian(r, 784, 0.5);
                int[] arg = new int[1];
                double exact = facetDistance(net, x, arg);
                double d = bd.distance(x);
                assertThat(d).isCloseTo(exact, within(1e-10 * exact));
                assertThat(bd.nearestUnit()).isEqualTo(arg[0]);
            }
        }
    }

    @Test
    void theBallOfThatRadiusHoldsNoBoundaryAndTheNearestFacetIsReachedJustBeyond() {
        // an independent truth from the 1-D kernel: segments of length 0.999 d from x cross nothing; the segment
        // towards the nearest hyperplane's foot crosses a boundary at distance d
        Random r = new Random(5);
        Network net = withBiases(Networks.kaiming(7, 784, new int[]{16, 16}, 10, Activation.RELU, 0, 0), r, 0.2);
        BoundaryDistance bd = new BoundaryDistance(net);
        for (int p = 0; p < 5; p++) {
            double[] x = gaussian(r, 784, 0.3);
            double d = bd.distance(x);
            int k = bd.nearestUnit();
            ActivationPattern pat = ActivationPattern.of(net.trace(x).activeBits(net));
            AffineMap rows = LocalAffine.of(net, pat).preActivations();
            double[] a = new double[784];
            double na = 0;
            for (int c = 0; c < 784; c++) { a[c] = rows.coefficient(k, c); na += a[c] * a[c]; }
            na = Math.sqrt(na);
            double s = rows.apply(x)[k] > 0 ? -1 : 1; // towards the hyperplane
            double[] toward = new double[784];
            for (int c = 0; c < 784; c++) toward[c] = x[c] + s * a[c] / na * d * 1.01;
            SegmentPartition seg = SegmentPartitioner.compute(net, x, toward);
            assertThat(seg.count()).isGreaterThanOrEqualTo(2);
            assertThat(seg.breakpoints()[0] * 1.01 * d).isCloseTo(d, within(1e-7 * d));
            for (int dir = 0; dir < 20; dir++) {
                double[] w = gaussian(r, 784, 1);
                double nw = 0;
                for (double v : w) nw += v * v;
                nw = Math.sqrt(nw);
                double[] y = new double[784];
                for (int c = 0; c < 784; c++) y[c] = x[c] + w[c] / nw * d * 0.999;
                assertThat(SegmentPartitioner.compute(net, x, y).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void leakyUnitsAndSkipConnectionsFollowTheJacobian() {
        Random r = new Random(3);
        int n = 20;
        double[] w1 = gaussian(r, 6 * n, 0.4), w2 = gaussian(r, 6 * 6, 0.5), w3 = gaussian(r, 2 * 6, 0.5);
        double[] skipFromInput = gaussian(r, 6 * n, 0.2);
        Network net = new Network(n, List.of(
                new DenseLayer(n, 6, w1, gaussian(r, 6, 0.3), Activation.LEAKY_RELU, 0.1),
                new DenseLayer(6, 6, w2, gaussian(r, 6, 0.3), Activation.RELU, 0,
                        List.of(new Skip(0, skipFromInput, n), Skip.identity(1))),
                new DenseLayer(6, 2, w3, new double[2], Activation.IDENTITY, 0)));
        BoundaryDistance bd = new BoundaryDistance(net);
        for (int p = 0; p < 50; p++) {
            double[] x = gaussian(r, n, 1);
            double exact = facetDistance(net, x, new int[1]);
            assertThat(bd.distance(x)).isCloseTo(exact, within(1e-10 * Math.max(1, exact)));
        }
    }

    /** The same net with biases N(0, s^2), so that the origin is not on every hyperplane. */
    static Network withBiases(Network net, Random r, double s) {
        java.util.ArrayList<DenseLayer> ls = new java.util.ArrayList<>();
        for (DenseLayer l : net.layers()) ls.add(l.withParameters(l.weights(), gaussian(r, l.units(), s), l.skips()));
        return new Network(net.inputDim(), ls);
    }
}
