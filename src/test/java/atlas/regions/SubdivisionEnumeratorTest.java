package atlas.regions;

import atlas.error.BadInputException;
import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;
import atlas.measure.LinearPieces;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The edge-subdivision engine against independent truths: the LP engine's regions (same patterns, and in 2-D and
 * 3-D the same volumes), the network itself at each region's vertex centroid, the box's volume, the count of a
 * hyperplane arrangement in general position, and the symmetry of the facet adjacency.
 */
class SubdivisionEnumeratorTest {

    /** Regions by pattern; fails on a pattern found twice. */
    private static Map<ActivationPattern, RegionPolytope> byPattern(RegionSet set) {
        Map<ActivationPattern, RegionPolytope> m = new HashMap<>();
        for (RegionPolytope r : set.regions()) assertThat(m.put(r.pattern(), r)).as("pattern found twice").isNull();
        return m;
    }

    /** Both engines on one net and box: the same patterns (and volumes where the LP engine has them). */
    private static RegionSet assertSameAsLpEngine(Network net, HPolytope box) {
        RegionSet sub = SubdivisionEnumerator.enumerate(net, box);
        RegionSet lp = RegionEnumerator.enumerate(net, box);
        assertThat(lp.complete()).as(lp.summary()).isTrue();
        assertThat(sub.complete()).as(sub.summary() + " volume sum " + sub.volumeSum()).isTrue();
        Map<ActivationPattern, RegionPolytope> a = byPattern(sub), b = byPattern(lp);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        assertThat(sub.count()).isEqualTo(lp.count());
        if (box.dim() <= 3) {
            double vol = box.boxVolume();
            for (var e : b.entrySet())
                assertThat(a.get(e.getKey()).volume()).isCloseTo(e.getValue().volume(), within(1e-9 * vol));
        }
        assertCellsAreRegions(net, sub);
        return sub;
    }

    /** Volumes sum to the box's; each vertex centroid has the region's pattern; the map is the network's there. */
    private static void assertCellsAreRegions(Network net, RegionSet set) {
        double vol = set.domain().boxVolume();
        assertThat(set.volumeSum()).isCloseTo(vol, within(1e-9 * vol));
        for (RegionPolytope r : set.regions()) {
            double[] c = r.centre();
            assertThat(ActivationPattern.of(net.trace(c).activeBits(net))).as("pattern at the centroid of region %d", r.id())
                    .isEqualTo(r.pattern());
            assertThat(r.volume()).isPositive();
            assertThat(r.inradius()).isPositive();
            double[] y = net.forward(c), z = r.output().apply(c);
            for (int o = 0; o < y.length; o++) assertThat(z[o]).isCloseTo(y[o], within(1e-9 * (1 + Math.abs(y[o]))));
            AffineMap rows = LocalAffine.of(net, r.pattern()).preActivations();
            for (Facet f : r.facets()) { // facet rows hold the region: the centroid is strictly inside each
                double s = f.offset();
                for (int k = 0; k < c.length; k++) s -= f.normal()[k] * c[k];
                assertThat(s).isPositive();
                if (f.domainBoundary()) continue;
                // the normal (fitted from the facet's vertices) is the unit's composed gradient, pointing out
                int u = f.units()[0];
                double norm = 0;
                for (int k = 0; k < c.length; k++) norm += rows.coefficient(u, k) * rows.coefficient(u, k);
                norm = Math.sqrt(norm) * (r.pattern().get(u) ? -1 : 1);
                for (int k = 0; k < c.length; k++) assertThat(f.normal()[k]).isCloseTo(rows.coefficient(u, k) / norm, within(1e-8));
                RegionPolytope n = set.region(f.neighbourId());
                assertThat(n.facets().stream().filter(g -> g.neighbourId() == r.id()).count()).isEqualTo(1);
                assertThat(f.units()).isNotEmpty();
                for (int x : r.pattern().differingUnits(n.pattern())) assertThat(x).isGreaterThanOrEqualTo(f.units()[0]);
                assertThat(n.pattern().get(f.units()[0])).isNotEqualTo(r.pattern().get(f.units()[0]));
            }
        }
    }

    @Test
    void twoDimensionsMatchTheLpEngine() {
        for (long seed = 1; seed <= 3; seed++)
            assertSameAsLpEngine(RandomNets.random(seed, 2, new int[]{8, 8, 6}, 1, Activation.RELU, 0, false), HPolytope.cube(2, -1.5, 1.5));
    }

    @Test
    void threeDimensionsMatchTheLpEngineReluLeakyAndSkips() {
        assertSameAsLpEngine(RandomNets.random(4, 3, new int[]{8, 8}, 1, Activation.RELU, 0, false), HPolytope.cube(3, -1, 1));
        assertSameAsLpEngine(RandomNets.random(5, 3, new int[]{7, 6, 5}, 2, Activation.LEAKY_RELU, 0.1, false),
                HPolytope.box(new double[]{-1, -0.5, -2}, new double[]{1, 1.5, 0}));
        assertSameAsLpEngine(RandomNets.withSkipsEverywhere(6, 3, new int[]{6, 6, 6}, 1, Activation.RELU, 0), HPolytope.cube(3, -1, 1));
        assertSameAsLpEngine(RandomNets.random(7, 3, new int[]{6, 6, 6}, 1, Activation.LEAKY_RELU, 0.2, true), HPolytope.cube(3, -1, 1));
    }

    @Test
    void fourDimensionsMatchTheLpEngine() {
        assertSameAsLpEngine(RandomNets.random(8, 4, new int[]{6, 5}, 2, Activation.RELU, 0, false), HPolytope.cube(4, -1, 1));
        assertSameAsLpEngine(RandomNets.random(9, 4, new int[]{5, 5}, 1, Activation.LEAKY_RELU, 0.1, true), HPolytope.cube(4, -1, 1));
    }

    @Test
    void oneLayerInGeneralPositionGivesTheArrangementCount() {
        // n hyperplanes in general position in R^d with every vertex of the arrangement inside the box:
        // sum_{i <= d} C(n, i) regions (Zaslavsky / Buck)
        int[][] cases = {{3, 12}, {3, 7}, {2, 9}, {4, 7}};
        for (int[] cs : cases) {
            int d = cs[0], n = cs[1];
            Random rnd = new Random(31 + n);
            double[] w = new double[n * d], bias = new double[n];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian();
            for (int k = 0; k < n; k++) bias[k] = 0.5 * rnd.nextGaussian();
            Network net = new Network(d, List.of(new DenseLayer(d, n, w, bias, Activation.RELU, 0),
                    new DenseLayer(n, 1, RegionEnumeratorTest.ones(n), new double[1], Activation.IDENTITY, 0)));
            double reach = RegionEnumeratorTest.maxVertexNorm(w, bias, d, n) * 1.5 + 1;
            RegionSet set = SubdivisionEnumerator.enumerate(net, HPolytope.cube(d, -reach, reach));
            long expected = 0;
            for (int i = 0; i <= d; i++) expected += RegionEnumeratorTest.binomial(n, i);
            assertThat(set.count()).as("d=%d n=%d", d, n).isEqualTo((int) expected);
            assertThat(set.complete()).isTrue();
            assertCellsAreRegions(net, set);
        }
    }

    @Test
    void linearPiecesMatchTheLpEngine() {
        Network net = RandomNets.random(12, 3, new int[]{6, 6}, 1, Activation.RELU, 0, false);
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet sub = SubdivisionEnumerator.enumerate(net, box), lp = RegionEnumerator.enumerate(net, box);
        assertThat(LinearPieces.of(sub, Tolerance.DEFAULT).pieces()).isEqualTo(LinearPieces.of(lp, Tolerance.DEFAULT).pieces());
    }

    @Test
    void cutsThroughVerticesAndAlongBoxFacesAreSnapped() {
        // unit 1 passes through the box corner (1,1,1) and unit 2 through the origin, where unit 3 also passes;
        // unit 4 lies on the box face x = 1: degenerate cuts must neither duplicate nor lose a region
        double[] w = {1, 1, 1, 1, -1, 0, 0, 1, -1, 1, 0, 0};
        double[] b = {-3, 0, 0, -1};
        Network net = new Network(3, List.of(new DenseLayer(3, 4, w, b, Activation.RELU, 0),
                new DenseLayer(4, 1, RegionEnumeratorTest.ones(4), new double[1], Activation.IDENTITY, 0)));
        RegionSet sub = assertSameAsLpEngine(net, HPolytope.cube(3, -1, 1));
        assertThat(sub.count()).isEqualTo(4); // x = y and y = z through the cube: 4 pieces
    }

    @Test
    void stopsAreLabelledPartialAndBadInputIsRefused() {
        Network net = RandomNets.random(3, 3, new int[]{8, 8}, 1, Activation.RELU, 0, false);
        RegionSet s = new SubdivisionEnumerator(net, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT).setMaxRegions(5).getResult();
        assertThat(s.complete()).isFalse();
        assertThat(s.stop()).isEqualTo(RegionSet.Stop.MAX_REGIONS);
        assertThatThrownBy(() -> new SubdivisionEnumerator(net, HPolytope.cube(3, -1, 1), Tolerance.EXACT))
                .isInstanceOf(BadInputException.class).hasMessageContaining("exact");
        HPolytope simplex = new HPolytope(3, 4, new double[]{-1, 0, 0, 0, -1, 0, 0, 0, -1, 1, 1, 1}, new double[]{0, 0, 0, 1});
        assertThatThrownBy(() -> new SubdivisionEnumerator(net, simplex, Tolerance.DEFAULT))
                .isInstanceOf(BadInputException.class).hasMessageContaining("box");
        int big = SubdivisionEnumerator.MAX_DIM + 1;
        Network wide = RandomNets.random(3, big, new int[]{2}, 1, Activation.RELU, 0, false);
        assertThatThrownBy(() -> new SubdivisionEnumerator(wide, HPolytope.cube(big, -1, 1), Tolerance.DEFAULT))
                .isInstanceOf(BadInputException.class).hasMessageContaining("inputs");
    }

    /**
     * The cuts' parallel phases (from 256 cells here, far below the default, on a 3 -> [12]x3 net of some thousand
     * regions and a leaky 4-input net) give the complex and the records of one thread, bit for bit, with two and
     * three threads.
     */
    @Test
    void threadsGiveIdenticalCellsAndRecords() {
        Network[] nets = {RandomNets.random(21, 3, new int[]{12, 12, 12}, 1, Activation.RELU, 0, false),
                RandomNets.random(22, 4, new int[]{9, 9}, 2, Activation.LEAKY_RELU, 0.1, false)};
        for (Network net : nets) {
            HPolytope box = HPolytope.cube(net.inputDim(), -1, 1);
            SubdivisionEnumerator one = new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).setThreads(1);
            SubdivisionEnumerator.Cells ref = one.getCells();
            String records = records(one.getResult());
            assertThat(ref.count()).as("enough cells for the parallel phases").isGreaterThan(2000);
            for (int threads = 2; threads <= 3; threads++) {
                SubdivisionEnumerator many = new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).setThreads(threads).parallelFrom(256, 32);
                SubdivisionEnumerator.Cells cells = many.getCells();
                assertThat(cells.count()).isEqualTo(ref.count());
                assertThat(cells.vertices()).isEqualTo(ref.vertices());
                assertThat(cells.patternWords()).isEqualTo(ref.patternWords());
                assertThat(cells.cellStart()).isEqualTo(ref.cellStart());
                assertThat(cells.cellVertices()).isEqualTo(ref.cellVertices());
                assertThat(cells.coords()).isEqualTo(ref.coords());
                assertThat(cells.outputs()).isEqualTo(ref.outputs());
                assertThat(records(many.getResult())).as("records with %d threads", threads).isEqualTo(records);
            }
        }
    }

    /**
     * The regions' output maps are made at the first call that needs one: asked for by four threads at once, or
     * first through {@link LinearPieces} (which reads them from the store's arrays), every record is the same as
     * with one thread asking region by region.
     */
    @Test
    void outputMapsMadeOnFirstUseAreTheSameHoweverAskedFor() throws Exception {
        Network net = RandomNets.random(23, 3, new int[]{10, 10}, 2, Activation.LEAKY_RELU, 0.1, false);
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet one = new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).setThreads(1).getResult();
        String ref = records(one);
        RegionSet set = new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).setThreads(2).getResult();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<AffineMap>> maps = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int r = t * (set.count() / 4);
                maps.add(pool.submit(() -> { go.await(); return set.region(r).output(); }));
            }
            go.countDown();
            for (int t = 0; t < 4; t++)
                assertThat(maps.get(t).get().matrix()).isEqualTo(one.region(t * (set.count() / 4)).output().matrix());
        } finally {
            pool.shutdownNow();
        }
        assertThat(records(set)).isEqualTo(ref);
        RegionSet viaPieces = new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).setThreads(2).getResult();
        assertThat(LinearPieces.of(viaPieces, Tolerance.DEFAULT).pieceOf()).isEqualTo(LinearPieces.of(one, Tolerance.DEFAULT).pieceOf());
        assertThat(records(viaPieces)).isEqualTo(ref);
    }

    /**
     * The records order a 3-D facet's vertices by diamond angle instead of atan2 where neighbours are more than
     * {@link KernelParameters#ANGLE_ORDER_GAP} apart: there atan2 must order them the same way, strictly (random
     * directions at all scales, and pairs of directions from 1e-9 down to 1e-17 apart, on both sides of atan2's
     * cut); and the key is NaN (atan2 decides) on the cut, at the origin and at non-finite values.
     */
    @Test
    void diamondAnglesOrderAsAtan2WhereTheyAreApart() {
        Random rnd = new Random(7);
        int decided = 0;
        for (int k = 0; k < 200_000; k++) {
            double scale = Math.pow(10, rnd.nextInt(600) - 300);
            double a = (rnd.nextDouble() * 2 - 1) * Math.PI;
            double b = rnd.nextBoolean() ? (rnd.nextDouble() * 2 - 1) * Math.PI : a + (rnd.nextDouble() - 0.5) * Math.pow(10, -9 - rnd.nextInt(9));
            if (rnd.nextInt(8) == 0) { a = Math.PI - Math.abs(a - Math.rint(a)) * 1e-10; b = -b; } // near the cut
            double xa = scale * Math.cos(a), ya = scale * Math.sin(a), xb = scale * Math.cos(b), yb = scale * Math.sin(b);
            if (rnd.nextInt(16) == 0) ya = rnd.nextBoolean() ? 0.0 : -0.0; // on the cut (x < 0) or the positive axis
            double ka = SubdivisionEnumerator.diamondAngle(xa, ya), kb = SubdivisionEnumerator.diamondAngle(xb, yb);
            if (!(Math.abs(kb - ka) > KernelParameters.ANGLE_ORDER_GAP)) continue;
            decided++;
            assertThat(Math.signum(Math.atan2(yb, xb) - Math.atan2(ya, xa))).as("%s,%s vs %s,%s", xa, ya, xb, yb).isEqualTo(Math.signum(kb - ka));
        }
        assertThat(decided).isGreaterThan(100_000);
        for (double[] p : new double[][]{{0, 0}, {-0.0, 0}, {Double.POSITIVE_INFINITY, 1}, {1, Double.NaN}, {Double.MAX_VALUE, Double.MAX_VALUE}})
            assertThat(SubdivisionEnumerator.diamondAngle(p[0], p[1])).as("%s,%s", p[0], p[1]).isNaN();
        // atan2's cut: +pi and -pi by the zero's sign
        assertThat(SubdivisionEnumerator.diamondAngle(-1, 0.0)).isEqualTo(2);
        assertThat(SubdivisionEnumerator.diamondAngle(-1, -0.0)).isEqualTo(-2);
        assertThat(SubdivisionEnumerator.diamondAngle(1, -0.0)).isEqualTo(0);
        assertThat(SubdivisionEnumerator.diamondAngle(-1, 1e-300)).isLessThanOrEqualTo(2).isGreaterThan(1.5);
        assertThat(SubdivisionEnumerator.diamondAngle(-1, -1e-300)).isGreaterThanOrEqualTo(-2).isLessThan(-1.5);
    }

    /** Every field of every region record, doubles as their bits. */
    private static String records(RegionSet set) {
        StringBuilder sb = new StringBuilder().append(set.count()).append(set.complete()).append(set.thinFacets())
                .append(set.unresolvedFacets()).append(Double.doubleToLongBits(set.volumeSum())).append('\n');
        for (RegionPolytope r : set.regions()) {
            sb.append(r.id()).append(' ').append(r.pattern()).append(' ').append(bits(r.vertices())).append(bits(r.centre()))
                    .append(Double.doubleToLongBits(r.volume())).append(' ').append(Double.doubleToLongBits(r.inradius()))
                    .append(java.util.Arrays.toString(r.rowUnit())).append(bits(r.output().matrix()))
                    .append(bits(r.output().offset()));
            for (Facet f : r.facets())
                sb.append(" [").append(java.util.Arrays.toString(f.units())).append(f.domainBoundary()).append(bits(f.normal()))
                        .append(Double.doubleToLongBits(f.offset())).append(bits(f.point())).append(f.neighbourId())
                        .append(f.thin()).append(']');
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String bits(double[] x) {
        StringBuilder sb = new StringBuilder("(");
        for (double v : x) sb.append(Long.toHexString(Double.doubleToLongBits(v))).append(',');
        return sb.append(')').toString();
    }
}
