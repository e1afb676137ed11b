package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The partition does not depend on how the plane or the domain is described: a sub-rectangle gets the regions
 * of the whole domain clipped to it, and an affine reparametrisation of the plane (shifted origin, scaled,
 * flipped and swapped axes) gets the same patterns with areas scaled by the Jacobian and maps composed.
 */
class SliceInvarianceTest {

    /** Sutherland-Hodgman: a convex polygon (x0,y0,x1,y1,...) clipped to a rectangle; returns its area. */
    static double clippedArea(double[] xy, Rectangle r) {
        double[] poly = xy;
        double[][] planes = {{1, 0, -r.xmin()}, {-1, 0, r.xmax()}, {0, 1, -r.ymin()}, {0, -1, r.ymax()}}; // a x + b y + c >= 0
        for (double[] pl : planes) {
            int n = poly.length / 2;
            if (n == 0) return 0;
            double[] out = new double[4 * n + 4];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int q = (k + 1) % n;
                double px = poly[2 * k], py = poly[2 * k + 1], qx = poly[2 * q], qy = poly[2 * q + 1];
                double fp = pl[0] * px + pl[1] * py + pl[2], fq = pl[0] * qx + pl[1] * qy + pl[2];
                if (fp >= 0) { out[m++] = px; out[m++] = py; }
                if ((fp >= 0) != (fq >= 0)) {
                    double t = fp / (fp - fq);
                    out[m++] = px + t * (qx - px);
                    out[m++] = py + t * (qy - py);
                }
            }
            poly = java.util.Arrays.copyOf(out, m);
        }
        double a = 0;
        int n = poly.length / 2;
        for (int k = 0; k < n; k++) {
            int q = (k + 1) % n;
            a += poly[2 * k] * poly[2 * q + 1] - poly[2 * q] * poly[2 * k + 1];
        }
        return a / 2;
    }

    @ParameterizedTest(name = "seed {0}, [{1}]x{2} {3}")
    @CsvSource({"1,10,2,RELU", "2,16,3,LEAKY_RELU", "3,30,1,RELU", "4,6,5,LEAKY_RELU"})
    void aSubRectangleGetsTheRegionsOfTheWholeDomainClippedToIt(long seed, int width, int depth, Activation act) {
        Network net = RandomNets.random(seed, 2, Networks.uniform(width, depth), 1, act, 0.05, seed % 2 == 0);
        PlanePartition whole = PlanePartitioner.compute(net, Rectangle.centred(1));
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 5; trial++) {
            double x0 = -1 + 1.5 * rnd.nextDouble(), y0 = -1 + 1.5 * rnd.nextDouble();
            Rectangle sub = new Rectangle(x0, x0 + (1 - x0) * (0.05 + 0.95 * rnd.nextDouble()), y0, y0 + (1 - y0) * (0.05 + 0.95 * rnd.nextDouble()));
            PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), sub, Tolerance.DEFAULT);
            PlanePartition part = pp.getResult();
            RegionChecks.assertAll(net, pp);
            double tol = TestTolerances.AREA * sub.area() * 10;
            Map<ActivationPattern, Double> clipped = new HashMap<>();
            for (LinearRegion r : whole.regions()) {
                double a = clippedArea(r.vertices(), sub);
                if (a > 0) clipped.put(r.pattern(), a);
            }
            for (LinearRegion r : part.regions()) {
                Double a = clipped.get(r.pattern());
                if (a == null) fail("region %d of %s has pattern %s, which no region of the whole domain has there", r.id(), sub, r.pattern());
                assertThat(r.area()).isCloseTo(a, within(tol));
            }
            Map<ActivationPattern, LinearRegion> byPattern = RegionChecks.byPattern(part);
            clipped.forEach((pattern, a) -> {
                if (a > tol && !byPattern.containsKey(pattern)) fail("pattern %s covers %s of %s but is missing there", pattern, a, sub);
            });
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} inputs")
    @CsvSource({"11,2", "12,2", "13,784", "14,784"})
    void anAffineReparametrisationOfThePlaneGivesTheSameRegions(long seed, int inputDim) {
        Network net = RandomNets.random(seed, inputDim, Networks.uniform(12, 3), 2, Activation.LEAKY_RELU, 0.1, true);
        Random rnd = new Random(seed);
        double[] o = SegmentPartitionerTest.randomPoint(rnd, inputDim, 0, 1);
        double[] u1 = SegmentPartitionerTest.randomPoint(rnd, inputDim, -1, 1), u2 = SegmentPartitionerTest.randomPoint(rnd, inputDim, -1, 1);
        double scale = inputDim == 2 ? 1 : 0.1;
        for (int k = 0; k < inputDim; k++) { u1[k] *= scale; u2[k] *= scale; }
        Rectangle domain = Rectangle.centred(1);
        PlanePartition a = new PlanePartitioner(net, PlaneSlice.of(o, u1, u2), domain, Tolerance.DEFAULT).getResult();

        // x = o + s u1 + t u2 with s = 0.25 + 2 t', t = -s'  <=>  x = (o + 0.25 u1) + s' (-u2) + t' (2 u1)
        double[] o2 = new double[inputDim], v1 = new double[inputDim], v2 = new double[inputDim];
        for (int k = 0; k < inputDim; k++) { o2[k] = o[k] + 0.25 * u1[k]; v1[k] = -u2[k]; v2[k] = 2 * u1[k]; }
        Rectangle domain2 = new Rectangle(-1, 1, (-1 - 0.25) / 2, (1 - 0.25) / 2);
        PlanePartitioner ppb = new PlanePartitioner(net, PlaneSlice.of(o2, v1, v2), domain2, Tolerance.DEFAULT);
        PlanePartition b = ppb.getResult();
        RegionChecks.assertAll(net, ppb);

        assertThat(b.count()).isEqualTo(a.count());
        Map<ActivationPattern, LinearRegion> byPattern = RegionChecks.byPattern(a);
        for (LinearRegion r : b.regions()) {
            LinearRegion q = byPattern.get(r.pattern());
            assertThat(q).as("pattern %s", r.pattern()).isNotNull();
            assertThat(r.area() * 2).isCloseTo(q.area(), within(TestTolerances.AREA * domain.area()));
            // maps composed: b(s', t') = a(0.25 + 2 t', -s')
            double[] c = r.interiorPoint();
            double[] yb = r.map().apply(c[0], c[1]), ya = q.map().apply(0.25 + 2 * c[1], -c[0]);
            for (int k = 0; k < ya.length; k++) assertThat(yb[k]).isCloseTo(ya[k], within(TestTolerances.MAP * (1 + Math.abs(ya[k]))));
        }
    }

    @ParameterizedTest(name = "seed {0}, {1}, layer i scaled by {2}^i")
    @CsvSource({"21,RELU,1e-6", "22,LEAKY_RELU,1e6", "23,RELU,1e3", "24,LEAKY_RELU,1e-3"})
    void scalingTheLayersByPositiveFactorsChangesNoRegion(long seed, Activation act, double factor) {
        // act(g z) = g act(z) for g > 0: with h_i scaled by g_i = factor^i (weights from layer j into layer i
        // multiplied by g_i / g_j, biases by g_i), every pre-activation keeps its sign, so the regions are the same
        Network net = RandomNets.random(seed, 2, Networks.uniform(10, 3), 1, act, 0.1, true);
        int depth = net.depth();
        double[] g = new double[depth + 1];
        for (int i = 0; i <= depth; i++) g[i] = i == depth ? 1 : Math.pow(factor, i);
        java.util.List<atlas.net.DenseLayer> layers = new java.util.ArrayList<>();
        for (int i = 1; i <= depth; i++) {
            atlas.net.DenseLayer l = net.layer(i);
            double[] w = l.weights().clone(), b = l.bias().clone();
            for (int k = 0; k < w.length; k++) w[k] *= g[i] / g[i - 1];
            for (int k = 0; k < b.length; k++) b[k] *= g[i];
            java.util.List<atlas.net.Skip> skips = new java.util.ArrayList<>();
            for (atlas.net.Skip s : l.skips()) {
                int cols = net.size(s.from());
                double[] p = new double[l.units() * cols];
                for (int r = 0; r < l.units(); r++)
                    for (int c = 0; c < cols; c++) p[r * cols + c] = s.weight(r, c) * g[i] / g[s.from()];
                skips.add(new atlas.net.Skip(s.from(), p, cols));
            }
            layers.add(l.withParameters(w, b, skips));
        }
        Network scaled = new Network(2, layers);
        PlanePartition a = PlanePartitioner.compute(net, Rectangle.centred(1));
        PlanePartitioner ppb = new PlanePartitioner(scaled, PlaneSlice.inputPlane(), Rectangle.centred(1), Tolerance.DEFAULT);
        PlanePartition b = ppb.getResult();
        RegionChecks.assertAll(scaled, ppb);
        assertThat(b.count()).isEqualTo(a.count());
        Map<ActivationPattern, LinearRegion> byPattern = RegionChecks.byPattern(a);
        for (LinearRegion r : b.regions()) {
            LinearRegion q = byPattern.get(r.pattern());
            assertThat(q).as("pattern %s", r.pattern()).isNotNull();
            assertThat(r.area()).isCloseTo(q.area(), within(TestTolerances.AREA * 4));
        }
    }
}
