package atlas.measure;

import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.RandomNets;
import atlas.regions.RegionEnumerator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local complexity against closed forms: n hyperplanes through one point x0 of R^d in general position cut a small
 * cube around x0 into C(n, d) = 2 (C(n-1,0) + ... + C(n-1,d-1)) regions (a central arrangement: 2n in the plane,
 * n(n-1)+2 in 3-D), and a generic plane through x0 meets them in n lines through one point (2n regions). Also
 * against an independent algorithm (n-D enumeration in 2-D) and dense sampling.
 */
class LocalComplexityTest {

    /** One ReLU layer of n units whose hyperplanes all pass through x0, random normals, a linear output. */
    private static Network central(double[] x0, int n, long seed) {
        Random rnd = new Random(seed);
        int d = x0.length;
        double[] w = new double[n * d], b = new double[n];
        for (int k = 0; k < n; k++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                w[k * d + j] = rnd.nextGaussian();
                dot += w[k * d + j] * x0[j];
            }
            b[k] = -dot;
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1);
        return new Network(d, List.of(new DenseLayer(d, n, w, b, Activation.RELU, 0),
                new DenseLayer(n, 1, out, new double[1], Activation.IDENTITY, 0)));
    }

    @Test
    void linesThroughAPointCutASmallSquareIntoTwiceTheirNumber() {
        double[] x0 = {0.4, 0.6};
        for (int n = 1; n <= 9; n += 4) {
            Network net = central(x0, n, n);
            LocalComplexity.Result r = LocalComplexity.measure(net, new double[]{0.4, 0.6, 0.9, 0.1},
                    LocalComplexity.Options.forInputs(2, 1e-3));
            assertEquals(2 * n, r.counts()[0], "n = " + n);
        }
    }

    @Test
    void planesThroughAPointInThreeDimensions() {
        double[] x0 = {0.2, -0.1, 0.5};
        int n = 5;
        Network net = central(x0, n, 3);
        LocalComplexity.Result r = LocalComplexity.measure(net, x0, LocalComplexity.Options.forInputs(3, 1e-2));
        assertEquals(LocalComplexity.Mode.BOX, r.options().mode());
        assertEquals(n * (n - 1) + 2, r.counts()[0]);
        assertEquals(0, r.incomplete());
        // far from x0 (every hyperplane at distance > r): one region
        double[] far = {x0[0] + 1, x0[1] + 1, x0[2] + 1};
        boolean clear = true;
        for (int k = 0; k < n; k++) {
            double z = net.layer(1).bias()[k], norm1 = 0;
            for (int j = 0; j < 3; j++) {
                z += net.layer(1).weight(k, j) * far[j];
                norm1 += Math.abs(net.layer(1).weight(k, j));
            }
            clear &= Math.abs(z) > 1e-2 * norm1; // no hyperplane meets the cube (|z| > r times the l1 norm)
        }
        if (clear) assertEquals(1, LocalComplexity.measure(net, far, LocalComplexity.Options.forInputs(3, 1e-2)).counts()[0]);
    }

    @Test
    void aPlaneThroughTheCentreOfAHighDimensionalArrangementMeetsTwiceTheHyperplanes() {
        double[] x0 = new double[12];
        for (int k = 0; k < 12; k++) x0[k] = 0.05 * k;
        int n = 7;
        Network net = central(x0, n, 4);
        LocalComplexity.Options o = LocalComplexity.Options.forInputs(12, 1e-3);
        assertEquals(LocalComplexity.Mode.PLANES, o.mode());
        o = new LocalComplexity.Options(o.radius(), o.mode(), 3, 7, o.maxRegions(), o.tolerance());
        assertEquals(2 * n, LocalComplexity.measure(net, x0, o).counts()[0], 1e-12);
    }

    @Test
    void theSquareCountAgreesWithEnumerationAndContainsEverySampledPattern() {
        Network net = RandomNets.random(21, 2, new int[]{10, 10}, 1, Activation.LEAKY_RELU, 0.01, false);
        Random rnd = new Random(5);
        double r = 0.05;
        for (int t = 0; t < 5; t++) {
            double[] x = {rnd.nextDouble(), rnd.nextDouble()};
            long exact = LocalComplexity.countInBox(net, x, r, 100_000, Tolerance.DEFAULT);
            int enumerated = new RegionEnumerator(net, HPolytope.box(new double[]{x[0] - r, x[1] - r}, new double[]{x[0] + r, x[1] + r}),
                    Tolerance.DEFAULT).setThreads(1).getResult().count();
            assertEquals(enumerated, exact, "at " + x[0] + "," + x[1]);
            Set<String> seen = new HashSet<>();
            int g = 120;
            for (int i = 0; i < g; i++) for (int j = 0; j < g; j++) {
                double[] p = {x[0] - r + 2 * r * (i + 0.5) / g, x[1] - r + 2 * r * (j + 0.5) / g};
                seen.add(java.util.Arrays.toString(net.trace(p).activeBits(net)));
            }
            assertTrue(seen.size() <= exact, seen.size() + " sampled patterns, " + exact + " exact regions");
            assertTrue(seen.size() >= exact / 2, "a dense grid finds most regions: " + seen.size() + " of " + exact);
        }
    }
}
