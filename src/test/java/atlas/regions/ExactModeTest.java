package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ExactPlaneReference.Q;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certified exact mode ({@link Tolerance#EXACT}) of the plane kernel against exact truths: the line-arrangement
 * formula computed in rational arithmetic, and {@link ExactPlaneReference} (counts, patterns, adjacency).
 */
class ExactModeTest {

    static PlanePartition exact(Network net, Rectangle box) {
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.EXACT);
        PlanePartition p = pp.getResult();
        pp.checkInvariants();
        return p;
    }

    /** Asserts count, the set of patterns, adjacency (as pattern pairs) and areas equal the exact reference's. */
    static void assertMatchesReference(Network net, Rectangle box, PlanePartition p) {
        ExactPlaneReference ref = new ExactPlaneReference(net, box.xmin(), box.xmax(), box.ymin(), box.ymax());
        assertThat(p.count()).as("region count").isEqualTo(ref.count());
        assertThat(p.declinedCuts()).isZero();
        assertThat(p.anomalies()).isZero();
        Set<String> patterns = new HashSet<>();
        for (LinearRegion r : p.regions()) patterns.add(r.pattern().toBitString());
        Set<String> refPatterns = new HashSet<>();
        for (ExactPlaneReference.Cell c : ref.cells) refPatterns.add(c.pattern());
        assertThat(patterns).as("patterns").isEqualTo(refPatterns);
        Set<String> adj = new HashSet<>();
        for (LinearRegion r : p.regions())
            for (int g : r.neighbours()) adj.add(ExactPlaneReference.pair(r.pattern().toBitString(), p.regions().get(g).pattern().toBitString()));
        assertThat(adj).as("adjacency").isEqualTo(ref.adjacency());
        java.util.Map<String, Double> area = new java.util.HashMap<>();
        for (ExactPlaneReference.Cell c : ref.cells) area.put(c.pattern(), c.area().toDouble());
        double slack = 1e-9 * box.area();
        for (LinearRegion r : p.regions())
            assertThat(r.area()).as("area of %s", r.pattern()).isCloseTo(area.get(r.pattern().toBitString()), org.assertj.core.api.Assertions.within(slack));
    }

    /**
     * n lines through a small disc around the origin of a huge box: every pair crosses inside, so in general
     * position the arrangement has 1 + n + n(n-1)/2 cells; the crossings are so close together that some cells are
     * below the default minimum area (the default declines those cuts).
     */
    static Network pencil(int n, double spread, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            double th = rnd.nextDouble() * Math.PI;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = spread * (2 * rnd.nextDouble() - 1);
        }
        return Networks.lines(a, b, c);
    }

    /** The number of crossings strictly inside the box, and whether the lines are in general position, exactly. */
    static int[] crossingsInside(Network net, Rectangle box) {
        DenseLayer l = net.layer(1);
        int n = l.units();
        int inside = 0, degenerate = 0;
        Set<String> points = new HashSet<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Q ai = Q.of(l.weight(i, 0)), bi = Q.of(l.weight(i, 1)), ci = Q.of(l.bias()[i]);
                Q aj = Q.of(l.weight(j, 0)), bj = Q.of(l.weight(j, 1)), cj = Q.of(l.bias()[j]);
                Q det = ai.mul(bj).sub(aj.mul(bi));
                if (det.signum() == 0) { degenerate++; continue; }
                Q x = bi.mul(cj).sub(bj.mul(ci)).div(det), y = ci.mul(aj).sub(cj.mul(ai)).div(det);
                boolean in = x.sub(Q.of(box.xmin())).signum() > 0 && Q.of(box.xmax()).sub(x).signum() > 0
                        && y.sub(Q.of(box.ymin())).signum() > 0 && Q.of(box.ymax()).sub(y).signum() > 0;
                if (in) {
                    inside++;
                    if (!points.add(x + "," + y)) degenerate++;
                }
            }
        }
        return new int[]{inside, degenerate};
    }

    @Test
    void fortyLinesOnAHugeBoxMake1PlusNPlusNChoose2CellsInExactMode() {
        Rectangle box = new Rectangle(-1e5, 1e5, -1e5, 1e5);
        Network net = pencil(40, 1e-3, 7);
        int[] ci = crossingsInside(net, box);
        assertThat(ci[1]).as("general position (exact)").isZero();
        assertThat(ci[0]).isEqualTo(40 * 39 / 2);
        PlanePartition p = exact(net, box);
        assertThat(p.count()).isEqualTo(1 + 40 + 780);
        assertThat(p.declinedCuts()).isZero();
        // the default tolerance merges some of these cells (and says so)
        PlanePartition d = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.DEFAULT).getResult();
        assertThat(d.declinedCuts()).isPositive();
        assertThat(d.count()).isLessThan(821);
    }

    /**
     * Nine lines meant to pass through (1/3, 1/3): after rounding their weights to float64 they do not. The exact
     * reference says what the given weights make; exact mode agrees, the default tolerance merges.
     */
    @Test
    void nineLinesConcurrentOnlyBeforeRoundingMatchTheExactReference() {
        int n = 9;
        double px = 1.0 / 3, py = 1.0 / 3;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            double th = Math.PI * (k + 0.5) / n;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = -(a[k] * px + b[k] * py);
        }
        Network net = Networks.lines(a, b, c);
        PlanePartition p = exact(net, Rectangle.UNIT);
        assertMatchesReference(net, Rectangle.UNIT, p);
        PlanePartition d = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT).getResult();
        assertThat(d.count()).as("the default tolerance merges the near-concurrent crossings").isLessThan(p.count());
    }

    /**
     * A deep generic net (2 -> [12]x30, leaky ReLU): a bound started from 2^-53 outgrew values of 1e-3 in the late
     * layers, so the plain stage gives up and the partition is made again by the double-double stage, whose filter
     * (started from about 2^-100) decides every sign: no exact resolution there, and in general position the
     * certified answer equals the default tolerance's (same count and patterns). The bounds hold at the last-made
     * vertices (the longest chains of crossings): their values of the last layer and their coordinates differ from
     * the exact ones (exact decimal arithmetic) by at most the bound.
     */
    @Test
    void deepNetsAreDecidedByTheDoubleDoubleFilter() {
        Network net = Networks.kaiming(1, 2, Networks.uniform(12, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.EXACT);
        PlanePartition p = pp.getResult();
        pp.checkInvariants();
        assertThat(pp.plainAbandonedAt()).as("the plain stage gave up").isBetween(2, net.depth());
        assertThat(pp.exactStage()).isEqualTo("double-double");
        assertThat(pp.exactResolutions() - pp.abandonedResolutions()).isZero();
        PlanePartition d = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT).getResult();
        assertThat(d.declinedCuts()).isZero();
        assertThat(p.count()).isEqualTo(d.count());
        Set<String> pe = new HashSet<>(), pd = new HashSet<>();
        for (LinearRegion r : p.regions()) pe.add(r.pattern().toBitString());
        for (LinearRegion r : d.regions()) pd.add(r.pattern().toBitString());
        assertThat(pe).isEqualTo(pd);
        VertexTable vt = pp.vertexTable();
        int checked = 0;
        for (int v = vt.size - 1; v >= 0 && checked < 6; v -= 7) {
            checked++;
            for (double r : vt.boundRatios(v, net.layer(net.depth()), true))
                assertThat(r).as("vertex %d: |dd - exact| / bound", v).isLessThanOrEqualTo(1.0);
        }
    }

    /** Lines through one exactly representable point (dyadic weights): truly concurrent, 2n cells. */
    @Test
    void exactlyConcurrentLinesMakeTwoNCells() {
        int n = 7;
        double[] a = new double[n], b = new double[n], c = new double[n];
        int[][] dirs = {{1, 0}, {0, 1}, {1, 1}, {1, -1}, {1, 2}, {2, 1}, {1, -2}};
        for (int k = 0; k < n; k++) {
            a[k] = dirs[k][0];
            b[k] = dirs[k][1];
            c[k] = -(a[k] * 0.25 + b[k] * 0.5);
        }
        Network net = Networks.lines(a, b, c);
        PlanePartition p = exact(net, Rectangle.UNIT);
        assertThat(p.count()).isEqualTo(2 * n);
        assertMatchesReference(net, Rectangle.UNIT, p);
    }

    /**
     * Nested sawtooths in x and y (two tent maps composed three times, side by side) whose breakpoints
     * coincide with the domain's edges and with each other: an 8 x 8 grid of cells, every one certified.
     */
    @Test
    void nestedSawtoothsWithCoincidingBreakpoints() {
        int k = 3;
        List<DenseLayer> layers = new java.util.ArrayList<>();
        layers.add(new DenseLayer(2, 4, new double[]{2, 0, 4, 0, 0, 2, 0, 4}, new double[]{0, -2, 0, -2}, Activation.RELU, 0));
        for (int i = 1; i < k; i++)
            layers.add(new DenseLayer(4, 4, new double[]{2, -2, 0, 0, 4, -4, 0, 0, 0, 0, 2, -2, 0, 0, 4, -4},
                    new double[]{0, -2, 0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(4, 1, new double[]{1, -1, 1, -1}, new double[]{0}, Activation.IDENTITY, 0));
        Network net = new Network(2, layers);
        PlanePartition p = exact(net, Rectangle.UNIT);
        assertThat(p.count()).isEqualTo(64);
        assertMatchesReference(net, Rectangle.UNIT, p);
    }

    /**
     * Segment kernel in exact mode: the k-fold tent map has exactly 2^k pieces on [0, 1], its breakpoints j/2^k
     * land exactly on earlier ones and on the segment's ends; a second, shallower sawtooth side by side (its
     * breakpoints a subset) adds none.
     */
    @Test
    void nestedSawtoothOnASegmentHasExactly2PowKPiecesInExactMode() {
        for (int k = 1; k <= 8; k++) {
            SegmentPartition s = new SegmentPartitioner(Networks.sawtooth(k), new double[]{0}, new double[]{1}, Tolerance.EXACT).getResult();
            assertThat(s.count()).as("k = %d", k).isEqualTo(1 << k);
            assertThat(s.declinedCuts()).isZero();
            double[] bp = s.breakpoints(); // interior breakpoints
            assertThat(bp).hasSize((1 << k) - 1);
            for (int j = 0; j < bp.length; j++) assertThat(bp[j]).isEqualTo((j + 1) / (double) (1 << k));
        }
        // T^3 and T^2 side by side: 8 pieces
        List<DenseLayer> layers = new java.util.ArrayList<>();
        layers.add(new DenseLayer(1, 4, new double[]{2, 4, 2, 4}, new double[]{0, -2, 0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(4, 4, new double[]{2, -2, 0, 0, 4, -4, 0, 0, 0, 0, 2, -2, 0, 0, 4, -4}, new double[]{0, -2, 0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(4, 2, new double[]{2, -2, 0, 0, 4, -4, 0, 0}, new double[]{0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.IDENTITY, 0));
        SegmentPartition s = new SegmentPartitioner(new Network(1, layers), new double[]{0}, new double[]{1}, Tolerance.EXACT).getResult();
        assertThat(s.count()).isEqualTo(8);
    }
}
