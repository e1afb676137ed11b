package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exact mode's plain stage ({@link PlainStage}): where it makes the partition, the partition is the double-double
 * stage's (count, patterns, neighbours; areas to rounding); on weights of a coarse dyadic grid it resolves its few
 * ties exactly itself, and equals the exact reference; with a threshold of 0 undecided values it hands such a net to
 * the double-double stage, which makes the same partition; its layer step's bound contains the exact value.
 */
class PlainStageTest {
    private static final Rectangle BOX = new Rectangle(-1, 1, -1, 1);

    private static PlanePartitioner exact(Network net, Rectangle box, boolean plain, int maxUndecided) {
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.EXACT).plainStage(plain, maxUndecided);
        pp.getResult();
        pp.checkInvariants();
        return pp;
    }

    /** Same count, ids, patterns and neighbour lists; areas within {@code areaTol} relative. */
    private static void assertSamePartition(PlanePartition a, PlanePartition b, double areaTol) {
        assertThat(b.count()).isEqualTo(a.count());
        for (int f = 0; f < a.count(); f++) {
            LinearRegion x = a.regions().get(f), y = b.regions().get(f);
            assertThat(y.pattern().toBitString()).isEqualTo(x.pattern().toBitString());
            assertThat(y.neighbours()).isEqualTo(x.neighbours());
            assertThat(y.area()).isCloseTo(x.area(), org.assertj.core.data.Offset.offset(areaTol * Math.abs(x.area()) + 1e-18));
        }
    }

    @Test
    void shallowGenericNetsAreMadeByThePlainStageAsByTheDoubleDoubleStage() {
        int seed = 0;
        for (Activation act : new Activation[]{Activation.RELU, Activation.LEAKY_RELU}) {
            for (int depth = 1; depth <= 4; depth++, seed++) {
                Network net = Networks.kaiming(seed, 2, Networks.uniform(8 + 2 * depth, depth), 1, act, 0.05, 0.1);
                PlanePartitioner plain = exact(net, new Rectangle(-2, 3, -1, 1), true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED);
                PlanePartitioner dd = exact(net, new Rectangle(-2, 3, -1, 1), false, 0);
                assertThat(plain.exactStage()).isEqualTo("plain");
                assertThat(plain.exactResolutions()).isZero();
                assertThat(dd.exactStage()).isEqualTo("double-double");
                assertSamePartition(dd.getResult(), plain.getResult(), 1e-9);
            }
        }
    }

    /** The first dyadic-grid net (ExactModePropertiesTest's) from {@code seed} on whose ties the plain stage calls exact arithmetic. */
    private static Network dyadicNetWithTies(long seed) {
        for (long s = seed; ; s++) {
            Network net = ExactModePropertiesTest.dyadicNet(s, 3, 5);
            PlanePartitioner pp = exact(net, BOX, true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED);
            if (pp.exactStage().equals("plain") && pp.exactResolutions() > 0) return net;
        }
    }

    @Test
    void thePlainStageResolvesDyadicTiesExactly() {
        for (long seed : new long[]{1, 1000, 20000}) {
            Network net = dyadicNetWithTies(seed);
            PlanePartitioner plain = exact(net, BOX, true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED);
            assertThat(plain.exactStage()).isEqualTo("plain");
            assertThat(plain.plainAbandonedAt()).isZero();
            assertThat(plain.exactResolutions()).isPositive();
            ExactModeTest.assertMatchesReference(net, BOX, plain.getResult());
            assertSamePartition(exact(net, BOX, false, 0).getResult(), plain.getResult(), 1e-9);
        }
    }

    @Test
    void aThresholdOfZeroHandsTheNetToTheDoubleDoubleStage() {
        Network net = dyadicNetWithTies(7);
        PlanePartitioner pp = exact(net, BOX, true, 0);
        assertThat(pp.exactStage()).isEqualTo("double-double");
        assertThat(pp.plainAbandonedAt()).isBetween(1, net.depth());
        assertThat(pp.abandonedResolutions()).as("given up before resolving anything").isZero();
        ExactModeTest.assertMatchesReference(net, BOX, pp.getResult());
        assertSamePartition(exact(net, BOX, false, 0).getResult(), pp.getResult(), 0);
    }

    @Test
    void deepNetsGiveThePlainStageUp() {
        Network net = Networks.kaiming(3, 2, Networks.uniform(16, 24), 1, Activation.LEAKY_RELU, 0.01, 0.1);
        PlanePartitioner pp = exact(net, Rectangle.UNIT, true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED);
        assertThat(pp.exactStage()).isEqualTo("double-double");
        assertThat(pp.plainAbandonedAt()).isBetween(2, net.depth());
        assertThat(pp.abandonedVertices()).isPositive();
        assertSamePartition(exact(net, Rectangle.UNIT, false, 0).getResult(), pp.getResult(), 0);
    }

    /**
     * Strips of a tiled exact partition may be made by different stages (here the left strip by the plain stage, the
     * right one, where two dozen lines meet in one dyadic point, by the double-double stage after the plain stage
     * gave up): their border vertices then differ in the last bits, and the glue must still give the partition of
     * one strip (the same count, patterns and neighbour counts).
     */
    @Test
    void stripsMadeByDifferentStagesGlueIntoTheOneStripPartition() {
        Random r = new Random(1);
        int concurrent = 24, n = concurrent + 140;
        double[] w = new double[2 * n], b = new double[n];
        for (int k = 0; k < n; k++) {
            if (k < concurrent) { // through (0.5, 0.25) exactly: dyadic weights, a bias exact in double
                w[2 * k] = (r.nextInt(64) - 32) / 16.0;
                w[2 * k + 1] = (r.nextInt(63) + 1) / 16.0;
                b[k] = -(0.5 * w[2 * k] + 0.25 * w[2 * k + 1]);
            } else {
                w[2 * k] = r.nextGaussian();
                w[2 * k + 1] = r.nextGaussian();
                b[k] = 0.5 * r.nextGaussian();
            }
        }
        double[] w2 = new double[4 * n];
        for (int k = 0; k < w2.length; k++) w2[k] = 0.1 * r.nextGaussian();
        Network net = new Network(2, java.util.List.of(new atlas.net.DenseLayer(2, n, w, b, Activation.RELU, 0),
                new atlas.net.DenseLayer(n, 4, w2, new double[]{0.1, 0, -0.1, 0.2}, Activation.RELU, 0),
                new atlas.net.DenseLayer(4, 1, new double[]{1, 1, 1, 1}, new double[1], Activation.IDENTITY, 0)));
        Rectangle box = new Rectangle(-1, 1, -1, 1);
        assertThat(exact(net, new Rectangle(-1, 0, -1, 1), true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED).exactStage()).isEqualTo("plain");
        assertThat(exact(net, new Rectangle(0, 1, -1, 1), true, KernelParameters.PLAIN_STAGE_MAX_UNDECIDED).exactStage()).isEqualTo("double-double");
        PlanePartition one = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), box, Tolerance.EXACT, 1, i -> { });
        PlanePartition two = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), box, Tolerance.EXACT, 2, i -> { });
        assertThat(two.count()).isEqualTo(one.count());
        java.util.Map<ActivationPattern, Integer> neighbours = new java.util.HashMap<>();
        for (LinearRegion g : one.regions()) neighbours.put(g.pattern(), g.neighbours().length);
        for (LinearRegion g : two.regions()) assertThat(g.neighbours().length).as("neighbours of %s", g.pattern()).isEqualTo(neighbours.get(g.pattern()));
    }

    /** A progress bar never steps back: a cut made again after the plain stage gave up reports each layer once. */
    @Test
    void theLayerListenerHearsOfEachLayerOnceWhenThePlainStageGivesUp() {
        Network net = Networks.kaiming(3, 2, Networks.uniform(16, 24), 1, Activation.LEAKY_RELU, 0.01, 0.1);
        java.util.List<Integer> heard = new java.util.ArrayList<>();
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.EXACT).setLayerListener(heard::add);
        pp.getResult();
        assertThat(pp.plainAbandonedAt()).isPositive();
        assertThat(heard).isEqualTo(java.util.stream.IntStream.rangeClosed(1, net.depth()).boxed().toList());
    }

    /**
     * The layer step's value and bound against exact decimal arithmetic: random layers and inputs (with bounds, exact
     * zeros, sums that cancel, values near the subnormal range); every unit's exact value at the exact inputs (any
     * inputs within their bounds: the bound's extreme corners are tried) lies within the bound, and a unit the step
     * calls decided has the sign of its value.
     */
    @Test
    void theStepsBoundHolds() { // and the plain loops' step gives the vector step's values and bounds
        Random rnd = new Random(9);
        int cancelled = 0, undecided = 0;
        for (int trial = 0; trial < 150; trial++) {
            int in = 1 + rnd.nextInt(40), units = 1 + rnd.nextInt(40);
            Network net = Networks.kaiming(trial, 2, new int[]{in, units}, 1, Activation.RELU, 0, 0.1);
            DoubleDoubleStage.Layer l = DoubleDoubleStage.Layer.of(net, 2);
            PlainStage.Prepared prep = new PlainStage.Prepared(l);
            int terms = l.terms(), padded = l.padded();
            double scale = trial % 15 == 0 ? 1e-300 : Math.pow(10, rnd.nextInt(9) - 4);
            for (int rep = 0; rep < 4; rep++) {
                double[] x = new double[terms], e = new double[terms];
                for (int k = 0; k < terms; k++) {
                    int kind = rnd.nextInt(8);
                    if (kind == 0) continue; // exactly 0 with bound 0: left out
                    x[k] = rnd.nextGaussian() * scale;
                    e[k] = kind == 1 ? 0 : Math.abs(x[k]) * Math.pow(2, -40 - rnd.nextInt(30));
                }
                int cu = rnd.nextInt(units), last = terms - 1;
                if (rep % 2 == 1 && x[last] != 0 && l.coef()[last * padded + cu] != 0) { // unit cu (nearly) cancels
                    double rest = l.bias()[cu];
                    for (int k = 0; k < last; k++) rest += l.coef()[k * padded + cu] * x[k];
                    x[last] = -rest / l.coef()[last * padded + cu];
                    cancelled++;
                }
                int[] ks = new int[terms];
                int nt = 0;
                double xmax = 0, emax = 0;
                for (int k = 0; k < terms; k++) {
                    if (x[k] == 0 && e[k] == 0) continue;
                    ks[nt++] = k;
                    xmax = Math.max(xmax, Math.abs(x[k]));
                    emax = Math.max(emax, e[k]);
                }
                double[] z = new double[padded], err = new double[padded];
                int open = PlainStage.step(prep, nt, ks, x, e, PlainStage.inputWeight(prep.gamma, xmax, emax), z, err);
                // the plain loops' step: the same values and bounds, bit for bit
                double[] z2 = new double[padded], err2 = new double[padded];
                int open2 = PlainStage.step(prep, nt, ks, x, e, PlainStage.inputWeight(prep.gamma, xmax, emax), z2, err2, false);
                assertThat(open2).as("trial %d: undecided in plain loops", trial).isEqualTo(open);
                for (int u = 0; u < units; u++) {
                    assertThat(Double.doubleToRawLongBits(z2[u])).as("trial %d unit %d value", trial, u).isEqualTo(Double.doubleToRawLongBits(z[u]));
                    assertThat(Double.doubleToRawLongBits(err2[u])).as("trial %d unit %d bound", trial, u).isEqualTo(Double.doubleToRawLongBits(err[u]));
                }
                int count = 0;
                for (int u = 0; u < units; u++) {
                    boolean decided = Math.abs(z[u]) > err[u];
                    count += decided ? 0 : 1;
                    // the exact value at the inputs, and at the two corners of the input box that move it most
                    for (int corner = -1; corner <= 1; corner++) {
                        BigDecimal s = new BigDecimal(l.bias()[u]);
                        for (int k = 0; k < terms; k++) {
                            double w = l.coef()[k * padded + u];
                            BigDecimal xi = new BigDecimal(x[k]).add(new BigDecimal(e[k]).multiply(BigDecimal.valueOf(corner * Math.signum(w))));
                            s = s.add(new BigDecimal(w).multiply(xi));
                        }
                        BigDecimal diff = new BigDecimal(z[u]).subtract(s).abs();
                        assertThat(diff.compareTo(new BigDecimal(err[u]))).as("trial %d unit %d corner %d", trial, u, corner).isLessThanOrEqualTo(0);
                        if (decided) assertThat(s.signum()).isEqualTo((int) Math.signum(z[u]));
                    }
                }
                assertThat(open).isEqualTo(count);
                undecided += count;
            }
        }
        assertThat(cancelled).isPositive();
        assertThat(undecided).as("some cancelled sums are undecided").isPositive();
    }

    /** The activation folded into the gather equals the activation in place, and both refuse an uncertified sign. */
    @Test
    void theGatheredActivationEqualsTheActivationInPlace() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int terms = 1 + rnd.nextInt(40);
            boolean relu = rnd.nextBoolean();
            double leak = relu ? 0 : 0.01 + rnd.nextDouble() * 0.2;
            double[] z = new double[terms + 3], e = new double[terms + 3];
            for (int k = 0; k < terms; k++) {
                int kind = rnd.nextInt(6);
                if (kind == 0) continue;
                z[k + 3] = rnd.nextGaussian();
                e[k + 3] = kind == 1 ? 0 : Math.abs(z[k + 3]) * 1e-12;
            }
            boolean spoil = trial % 10 == 0;
            if (spoil) e[3 + rnd.nextInt(terms)] = 10; // an uncertified sign
            int[] ks = new int[PlainStage.indexLength(terms)];
            double[] x = new double[terms], xe = new double[terms], max = new double[2];
            int nt = PlainStage.gatherActivated(z, e, 3, terms, false, relu, leak, ks, x, xe, max);
            double[] h = z.clone(), he = e.clone();
            boolean ok = PlainStage.activate(h, he, 3, 3 + terms, relu, leak);
            assertThat(ok).isEqualTo(!spoil);
            if (spoil) {
                assertThat(nt).isEqualTo(-1);
                continue;
            }
            int expected = 0;
            double xmax = 0, emax = 0;
            for (int k = 0; k < terms; k++) {
                assertThat(x[k]).isEqualTo(h[k + 3]);
                assertThat(xe[k]).isEqualTo(he[k + 3]);
                xmax = Math.max(xmax, Math.abs(h[k + 3]));
                emax = Math.max(emax, he[k + 3]);
                if (h[k + 3] != 0 || he[k + 3] != 0) assertThat(ks[expected++]).isEqualTo(k);
            }
            assertThat(nt).isEqualTo(expected);
            assertThat(max).isEqualTo(new double[]{xmax, emax});
            assertThat(Arrays.stream(ks, 0, nt).allMatch(k -> k < terms)).isTrue();
        }
    }
}
