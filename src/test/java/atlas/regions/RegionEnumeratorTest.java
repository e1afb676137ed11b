package atlas.regions;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RegionEnumeratorTest {

    static final double AREA_TOL = 1e-9;

    private static void assertMatchesPlane(Network net, Rectangle rect) {
        PlanePartition plane = PlanePartitioner.compute(net, rect);
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.box(new double[]{rect.xmin(), rect.ymin()}, new double[]{rect.xmax(), rect.ymax()}));
        assertThat(set.complete()).as(set.summary()).isTrue();
        Map<ActivationPattern, Double> planeAreas = new HashMap<>();
        for (LinearRegion r : plane.regions()) planeAreas.merge(r.pattern(), r.area(), Double::sum);
        Map<ActivationPattern, Double> areas = new HashMap<>();
        for (RegionPolytope r : set.regions()) areas.put(r.pattern(), r.volume());
        assertThat(areas.keySet()).isEqualTo(planeAreas.keySet());
        for (var e : areas.entrySet())
            assertThat(e.getValue()).isCloseTo(planeAreas.get(e.getKey()), within(AREA_TOL * rect.area()));
        assertThat(set.volumeSum()).isCloseTo(rect.area(), within(AREA_TOL * rect.area()));
    }

    @Test
    void twoDimensionsEqualsPlanePartitionerOnSeededNets() {
        for (long seed = 1; seed <= 4; seed++) {
            Network net = Networks.kaiming(seed, 2, new int[]{8, 8, 6}, 1, Activation.RELU, 0, 0.1);
            assertMatchesPlane(net, new Rectangle(-1.5, 1.5, -1, 2));
        }
    }

    @Test
    void twoDimensionsEqualsPlanePartitionerWithLeakyReluAndSkips() {
        Network base = Networks.kaiming(7, 2, new int[]{6, 6}, 1, Activation.LEAKY_RELU, 0.1, 0.05);
        Random rnd = new Random(3);
        double[] p = new double[6 * 2];
        for (int k = 0; k < p.length; k++) p[k] = rnd.nextGaussian();
        DenseLayer l2 = base.layer(2);
        DenseLayer withSkip = new DenseLayer(l2.inputSize(), l2.units(), l2.weights(), l2.bias(), l2.activation(), l2.leak(),
                List.of(new Skip(0, p, 2)));
        // an identity skip from layer 1 (6 units) into a 6-unit output layer
        Network net = new Network(2, List.of(base.layer(1), withSkip,
                new DenseLayer(6, 6, identityish(6, rnd), new double[6], Activation.IDENTITY, 0, List.of(Skip.identity(1)))));
        assertMatchesPlane(net, new Rectangle(-2, 2, -2, 2));
    }

    private static double[] gaussians(int n, Random rnd) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = rnd.nextGaussian();
        return w;
    }

    private static double[] identityish(int n, Random rnd) {
        double[] w = new double[n * n];
        for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian();
        return w;
    }

    @Test
    void oneLayerInGeneralPositionGivesTheArrangementCount() {
        // n hyperplanes in general position in R^d, all vertices inside the box: sum_{i<=d} C(n, i) regions
        int[][] cases = {{2, 7}, {3, 6}, {4, 6}};
        for (int[] c : cases) {
            int d = c[0], n = c[1];
            Random rnd = new Random(11 + d);
            double[] w = new double[n * d];
            double[] bias = new double[n];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian();
            for (int k = 0; k < n; k++) bias[k] = 0.5 * rnd.nextGaussian();
            Network net = new Network(d, List.of(new DenseLayer(d, n, w, bias, Activation.RELU, 0),
                    new DenseLayer(n, 1, ones(n), new double[1], Activation.IDENTITY, 0)));
            double reach = maxVertexNorm(w, bias, d, n) * 1.5 + 1;
            RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(d, -reach, reach));
            assertThat(set.complete()).as(set.summary()).isTrue();
            long expected = 0;
            for (int i = 0; i <= d; i++) expected += binomial(n, i);
            assertThat(set.count()).as("d=%d n=%d", d, n).isEqualTo(expected);
        }
    }

    static double[] ones(int n) {
        double[] o = new double[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    /** The largest norm of a vertex of the arrangement (every d-subset of hyperplanes). */
    static double maxVertexNorm(double[] w, double[] b, int d, int n) {
        double max = 0;
        int[] idx = new int[d];
        for (int i = 0; i < d; i++) idx[i] = i;
        while (true) {
            double[][] m = new double[d][d + 1];
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < d; k++) m[r][k] = w[idx[r] * d + k];
                m[r][d] = -b[idx[r]];
            }
            double[] x = gauss(m, d);
            if (x != null) {
                double s = 0;
                for (double v : x) s += v * v;
                max = Math.max(max, Math.sqrt(s));
            }
            int i = d - 1;
            while (i >= 0 && idx[i] == n - d + i) i--;
            if (i < 0) break;
            idx[i]++;
            for (int j = i + 1; j < d; j++) idx[j] = idx[j - 1] + 1;
        }
        return max;
    }

    static double[] gauss(double[][] m, int d) {
        for (int c = 0; c < d; c++) {
            int p = c;
            for (int r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            if (Math.abs(m[c][c]) < 1e-12) return null;
            for (int r = 0; r < d; r++) {
                if (r == c) continue;
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= d; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[] x = new double[d];
        for (int r = 0; r < d; r++) x[r] = m[r][d] / m[r][r];
        return x;
    }

    @Test
    void threeDimensionsContainsEverySampledPattern() {
        Network net = Networks.kaiming(5, 3, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet set = RegionEnumerator.enumerate(net, box);
        assertThat(set.complete()).as(set.summary()).isTrue();
        Set<ActivationPattern> found = new HashSet<>();
        for (RegionPolytope r : set.regions()) found.add(r.pattern());
        int g = 24;
        Set<ActivationPattern> sampled = new HashSet<>();
        for (int i = 0; i <= g; i++)
            for (int j = 0; j <= g; j++)
                for (int k = 0; k <= g; k++) {
                    double[] x = {-1 + 2.0 * i / g + 1e-7 * j, -1 + 2.0 * j / g + 1.3e-7 * k, -1 + 2.0 * k / g + 0.7e-7 * i};
                    for (int t = 0; t < 3; t++) x[t] = Math.max(-1, Math.min(1, x[t]));
                    sampled.add(ActivationPattern.of(net.trace(x).activeBits(net)));
                }
        assertThat(found).containsAll(sampled);
        assertThat(set.volumeSum()).isCloseTo(8.0, within(1e-8));
    }

    @Test
    void adjacencyIsSymmetricAndNeighboursDifferOnlyInTheFacetUnits() {
        Network net = Networks.kaiming(9, 3, new int[]{6, 6}, 2, Activation.RELU, 0, 0.1);
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(3, -1, 1));
        assertThat(set.complete()).isTrue();
        for (RegionPolytope r : set.regions()) {
            for (Facet f : r.facets()) {
                if (f.domainBoundary()) continue;
                RegionPolytope n = set.region(f.neighbourId());
                assertThat(n.facets().stream().anyMatch(g -> g.neighbourId() == r.id())).isTrue();
            }
        }
    }

    @Test
    void affineMapEqualsTheNetworkAtTheCentre() {
        Network net = Networks.kaiming(13, 4, new int[]{6, 5}, 2, Activation.LEAKY_RELU, 0.2, 0.1);
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(4, -1, 1));
        assertThat(set.complete()).isTrue();
        for (RegionPolytope r : set.regions()) {
            double[] y = net.forward(r.centre());
            double[] z = r.output().apply(r.centre());
            for (int o = 0; o < y.length; o++) assertThat(z[o]).isCloseTo(y[o], within(1e-9 * (1 + Math.abs(y[o]))));
            assertThat(ActivationPattern.of(net.trace(r.centre()).activeBits(net))).isEqualTo(r.pattern());
            assertThat(r.inradius()).isPositive();
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        Network net = Networks.kaiming(2, 3, new int[]{7, 7}, 1, Activation.RELU, 0, 0.1);
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet one = new RegionEnumerator(net, box, Tolerance.DEFAULT).setThreads(1).getResult();
        RegionSet two = new RegionEnumerator(net, box, Tolerance.DEFAULT).setThreads(3).getResult();
        assertThat(two.count()).isEqualTo(one.count());
        for (int i = 0; i < one.count(); i++) assertThat(two.region(i).pattern()).isEqualTo(one.region(i).pattern());
    }

    @Test
    void maxRegionsGivesALabelledPartialResult() {
        Network net = Networks.kaiming(2, 3, new int[]{7, 7}, 1, Activation.RELU, 0, 0.1);
        RegionSet set = new RegionEnumerator(net, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT).setMaxRegions(5).getResult();
        assertThat(set.count()).isEqualTo(5);
        assertThat(set.complete()).isFalse();
        assertThat(set.stop()).isEqualTo(RegionSet.Stop.MAX_REGIONS);
        assertThat(set.pending()).isPositive();
    }

    @Test
    void degenerateNetsParallelCoincidentZeroRowsAndDeadUnits() {
        // units: x, x (coincident), 2x - 1 (parallel), -x (coincident, opposite), 0 (zero row, bias 0),
        // zero row with positive bias, y, and a dead unit (always negative on the box)
        double[] w = {1, 0, 1, 0, 2, 0, -1, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        double[] b = {0, 0, -1, 0, 0, 0.5, 0.25, -10};
        Network net = new Network(2, List.of(new DenseLayer(2, 8, w, b, Activation.RELU, 0),
                new DenseLayer(8, 3, new double[]{1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0},
                        new double[]{0, 0.1, -0.2}, Activation.RELU, 0),
                new DenseLayer(3, 1, new double[]{1, 1, 1}, new double[1], Activation.IDENTITY, 0)));
        assertMatchesPlane(net, new Rectangle(-1, 1, -1, 1));
        // the same cuts in 3-D (a third input the net ignores): the regions are prisms over the 2-D ones
        RegionSet set3 = RegionEnumerator.enumerate(net3(net), HPolytope.cube(3, -1, 1));
        RegionSet set2 = RegionEnumerator.enumerate(net, HPolytope.cube(2, -1, 1));
        assertThat(set3.complete()).isTrue();
        assertThat(set3.count()).isEqualTo(set2.count());
        assertThat(set3.volumeSum()).isCloseTo(8, within(1e-8));
    }

    /** The same net on three inputs, ignoring the third. */
    private static Network net3(Network net) {
        DenseLayer l = net.layer(1);
        double[] w = new double[l.units() * 3];
        for (int u = 0; u < l.units(); u++) { w[3 * u] = l.weight(u, 0); w[3 * u + 1] = l.weight(u, 1); }
        List<DenseLayer> layers = new java.util.ArrayList<>(net.layers());
        layers.set(0, new DenseLayer(3, l.units(), w, l.bias(), l.activation(), l.leak()));
        return new Network(3, layers);
    }

    @Test
    void polytopeDomainVolumesSumToTheDomain() {
        // the triangle x >= 0, y >= 0, x + y <= 1
        HPolytope tri = new HPolytope(2, 3, new double[]{-1, 0, 0, -1, 1, 1}, new double[]{0, 0, 1});
        Network net = Networks.kaiming(4, 2, new int[]{6, 6}, 1, Activation.RELU, 0, 0.1);
        RegionSet set = RegionEnumerator.enumerate(net, tri);
        assertThat(set.complete()).as(set.summary()).isTrue();
        assertThat(set.volumeSum()).isCloseTo(0.5, within(1e-10));
    }

    @Test
    void hipparchusAndTheDualSimplexFindTheSameRegions() {
        Network net = Networks.kaiming(8, 3, new int[]{6, 6}, 1, Activation.RELU, 0, 0.1);
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet a = new RegionEnumerator(net, box, Tolerance.DEFAULT).setSolver(atlas.geometry.HipparchusLpSolver.DEFAULT).getResult();
        RegionSet b = new RegionEnumerator(net, box, Tolerance.DEFAULT).setSolver(atlas.geometry.DualSimplexLpSolver.DEFAULT).getResult();
        assertThat(a.complete()).isTrue();
        assertThat(b.complete()).isTrue();
        Set<ActivationPattern> pa = new HashSet<>(), pb = new HashSet<>();
        for (RegionPolytope r : a.regions()) pa.add(r.pattern());
        for (RegionPolytope r : b.regions()) pb.add(r.pattern());
        assertThat(pa).isEqualTo(pb);
        for (int i = 0; i < a.count(); i++) {
            assertThat(b.region(i).volume()).isCloseTo(a.region(i).volume(), within(1e-10));
            assertThat(b.region(i).facetCount()).isEqualTo(a.region(i).facetCount());
        }
    }

    @Test
    void leakyReluWithSkipsInThreeDimensions() {
        Random rnd = new Random(12);
        Network base = Networks.kaiming(12, 3, new int[]{6, 6}, 1, Activation.LEAKY_RELU, 0.05, 0.1);
        double[] p = new double[6 * 3];
        for (int k = 0; k < p.length; k++) p[k] = rnd.nextGaussian();
        DenseLayer l2 = base.layer(2);
        Network net = new Network(3, List.of(base.layer(1),
                new DenseLayer(6, 6, l2.weights(), l2.bias(), l2.activation(), l2.leak(), List.of(new Skip(0, p, 3))),
                new DenseLayer(6, 2, gaussians(12, rnd), new double[2], Activation.IDENTITY, 0, List.of(new Skip(1, gaussians(12, rnd), 6)))));
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(3, -1.5, 1.5));
        assertThat(set.complete()).as(set.summary()).isTrue();
        assertThat(set.volumeSum()).isCloseTo(27, within(1e-8));
        Set<ActivationPattern> found = new HashSet<>();
        for (RegionPolytope r : set.regions()) found.add(r.pattern());
        for (int s = 0; s < 4000; s++) {
            double[] x = {-1.5 + 3 * rnd.nextDouble(), -1.5 + 3 * rnd.nextDouble(), -1.5 + 3 * rnd.nextDouble()};
            assertThat(found).contains(ActivationPattern.of(net.trace(x).activeBits(net)));
        }
        for (RegionPolytope r : set.regions()) {
            double[] y = net.forward(r.centre()), z = r.output().apply(r.centre());
            for (int o = 0; o < y.length; o++) assertThat(z[o]).isCloseTo(y[o], within(1e-9 * (1 + Math.abs(y[o]))));
        }
    }

    @Test
    void timeLimitAndInterruptionGiveLabelledPartialResults() {
        Network net = Networks.kaiming(2, 3, new int[]{7, 7}, 1, Activation.RELU, 0, 0.1);
        RegionSet timed = new RegionEnumerator(net, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT).setTimeLimit(1e-9).getResult();
        assertThat(timed.complete()).isFalse();
        assertThat(timed.stop()).isEqualTo(RegionSet.Stop.TIME_LIMIT);
        Thread.currentThread().interrupt();
        try {
            RegionSet cut = new RegionEnumerator(net, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT).getResult();
            assertThat(cut.complete()).isFalse();
            assertThat(cut.stop()).isEqualTo(RegionSet.Stop.INTERRUPTED);
        } finally {
            Thread.interrupted(); // clear the flag for the next test
        }
    }

    @Test
    void aDomainOnOneSideOfEveryHyperplaneIsOneRegion() {
        Network net = Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-5, -5});
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(2, -1, 1));
        assertThat(set.count()).isEqualTo(1);
        assertThat(set.complete()).isTrue();
        assertThat(set.region(0).facetCount()).isEqualTo(4);
        assertThat(set.region(0).interiorFacetCount()).isZero();
    }

    @Test
    void deeperUnitsCoincidingWithFirstLayerHyperplanes() {
        // u1 = relu(x), u2 = relu(y); v1 = relu(u1) (its zero set is x = 0 where u1 is on, identically zero elsewhere),
        // v2 = relu(u1 - u2). In [-1,1]^3: the quadrant x, y > 0 is cut by x = y, the others are whole: 5 regions.
        Network net = new Network(3, List.of(
                new DenseLayer(3, 2, new double[]{1, 0, 0, 0, 1, 0}, new double[2], Activation.RELU, 0),
                new DenseLayer(2, 2, new double[]{1, 0, 1, -1}, new double[2], Activation.RELU, 0),
                new DenseLayer(2, 1, new double[]{1, 1}, new double[1], Activation.IDENTITY, 0)));
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(3, -1, 1));
        assertThat(set.complete()).as(set.summary()).isTrue();
        assertThat(set.count()).isEqualTo(5);
        assertThat(set.volumeSum()).isCloseTo(8, within(1e-12));
        // the region x > 0 > y: its facet x = 0 is the hyperplane of u1, v1 and v2 at once
        RegionPolytope r = set.regions().stream().filter(g -> g.pattern().toBitString().equals("1011")).findFirst().orElseThrow();
        Facet xZero = r.facets().stream().filter(f -> !f.domainBoundary() && f.normal()[0] < -0.99).findFirst().orElseThrow();
        assertThat(xZero.units()).containsExactly(0, 2, 3);
        // across it: x < 0 > y, where every unit is off (v1, v2 identically zero count as off)
        assertThat(set.region(xZero.neighbourId()).pattern().toBitString()).isEqualTo("0000");
        for (RegionPolytope g : set.regions())
            assertThat(g.volume()).isCloseTo(g.pattern().toBitString().startsWith("11") ? 1 : 2, within(1e-12));
    }
}
