package atlas.regions;

import atlas.geometry.ExactLpSolver;
import atlas.geometry.HPolytope;
import atlas.geometry.LpResult;
import atlas.geometry.Rational;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ExactRegionEnumerator} (certified n-D enumeration) against exact references: in 2-D the polygon-splitting
 * {@link ExactPlaneReference}; in 3-D a brute force over every sign vector (a pattern is a region iff its polytope
 * has interior, decided by an exact LP, with identically-zero units off). Nets on coarse dyadic grids, so that
 * cuts coincide, pass through common points and vanish identically.
 */
class ExactRegionEnumeratorTest {

    static Set<String> enumerated(Network net, HPolytope box) {
        ExactRegionEnumerator.Result r = new ExactRegionEnumerator(net, box).run();
        assertThat(r.complete()).isTrue();
        Set<String> s = new HashSet<>();
        for (ActivationPattern p : r.patterns()) s.add(p.toBitString());
        assertThat(s).as("no pattern twice").hasSize(r.count());
        return s;
    }

    @Property(tries = 25)
    void equalsThePlaneReferenceIn2D(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                     @ForAll @IntRange(min = 1, max = 2) int depth) {
        Network net = ExactModePropertiesTest.dyadicNet(seed, depth, 3);
        ExactPlaneReference ref = new ExactPlaneReference(net, -1, 1, -1, 1);
        Set<String> want = new HashSet<>();
        for (ExactPlaneReference.Cell c : ref.cells) want.add(c.pattern());
        assertThat(enumerated(net, HPolytope.cube(2, -1, 1))).isEqualTo(want);
    }

    /**
     * point --exact ({@link ExactRegionEnumerator#regionAt}): at the vertex average of every reference cell, the
     * pattern is the cell's and the facets lead exactly to the cells the reference finds adjacent (edges of
     * positive length in common).
     */
    @Property(tries = 10)
    void pointFacetsEqualThePlaneReferenceAdjacency(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Network net = ExactModePropertiesTest.dyadicNet(seed, 2, 3);
        ExactPlaneReference ref = new ExactPlaneReference(net, -1, 1, -1, 1);
        Set<String> adjacency = ref.adjacency();
        ExactRegionEnumerator en = new ExactRegionEnumerator(net, HPolytope.cube(2, -1, 1));
        for (ExactPlaneReference.Cell c : ref.cells) {
            ExactPlaneReference.Q sx = ExactPlaneReference.Q.ZERO, sy = ExactPlaneReference.Q.ZERO;
            for (ExactPlaneReference.Point p : c.polygon()) { sx = sx.add(p.x()); sy = sy.add(p.y()); }
            ExactPlaneReference.Q n = ExactPlaneReference.Q.of(c.polygon().size());
            double[] x = {sx.div(n).toDouble(), sy.div(n).toDouble()};
            ExactRegionEnumerator.PointRegion r = en.regionAt(x);
            assertThat(r.pattern().toBitString()).isEqualTo(c.pattern());
            assertThat(r.fullDimensional()).isTrue();
            Set<String> got = new HashSet<>(), want = new HashSet<>();
            for (ExactRegionEnumerator.ExactFacet f : r.facets()) got.add(ExactPlaneReference.pair(c.pattern(), f.neighbour().toBitString()));
            for (String pair : adjacency) if (pair.startsWith(c.pattern() + "|") || pair.endsWith("|" + c.pattern())) want.add(pair);
            assertThat(got).as("neighbours of %s", c.pattern()).isEqualTo(want);
        }
    }

    static Network dyadicNet3(long seed, int depth) {
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        int prev = 3;
        for (int i = 0; i <= depth; i++) {
            int units = i < depth ? 1 + rnd.nextInt(4) : 1;
            double[] w = new double[units * prev], b = new double[units];
            for (int k = 0; k < w.length; k++) w[k] = (rnd.nextInt(5) - 2) / 2.0;
            for (int k = 0; k < units; k++) b[k] = (rnd.nextInt(5) - 2) / 4.0;
            Activation act = i < depth ? (rnd.nextInt(4) == 0 ? Activation.LEAKY_RELU : Activation.RELU) : Activation.IDENTITY;
            layers.add(new DenseLayer(prev, units, w, b, act, 0.5));
            prev = units;
        }
        return new Network(3, layers);
    }

    /** Every sign vector whose region has interior in the box [-1, 1]^3 (exact LP per vector). */
    static Set<String> bruteForce(Network net) {
        int n = net.cuttingUnits();
        Set<String> out = new HashSet<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            boolean[] on = new boolean[n];
            for (int k = 0; k < n; k++) on[k] = (mask >> k & 1) != 0;
            // affine forms of h through the masked layers: {g_0, g_1, g_2, c}
            Rational[][] h = new Rational[3][];
            for (int k = 0; k < 3; k++) {
                h[k] = new Rational[]{Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.ZERO};
                h[k][k] = Rational.ONE;
            }
            List<Rational[]> rows = new ArrayList<>(); // s (g.x + c) >= t  as  {-s g, 1 | s c}
            boolean ok = true;
            int bit = 0;
            for (int i = 1; i <= net.depth() && ok; i++) {
                DenseLayer l = net.layer(i);
                Rational[][] next = new Rational[l.units()][];
                for (int u = 0; u < l.units(); u++) {
                    Rational[] z = {Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.of(l.bias()[u])};
                    for (int k = 0; k < l.inputSize(); k++)
                        for (int j = 0; j < 4; j++) z[j] = z[j].add(h[k][j].multiply(Rational.of(l.weight(u, k))));
                    if (l.activation().cuts()) {
                        boolean b = on[bit++];
                        boolean flat = z[0].signum() == 0 && z[1].signum() == 0 && z[2].signum() == 0;
                        if (flat && (b ? z[3].signum() <= 0 : z[3].signum() > 0)) ok = false;
                        if (!flat) {
                            Rational s = b ? Rational.ONE : Rational.ONE.negate();
                            rows.add(new Rational[]{z[0].multiply(s).negate(), z[1].multiply(s).negate(), z[2].multiply(s).negate(),
                                    Rational.ONE, z[3].multiply(s)});
                        }
                        if (!b) {
                            Rational f = l.activation() == Activation.LEAKY_RELU ? Rational.of(l.leak()) : Rational.ZERO;
                            for (int j = 0; j < 4; j++) z[j] = z[j].multiply(f);
                        }
                    }
                    next[u] = z;
                }
                h = next;
            }
            if (!ok) continue;
            for (int k = 0; k < 3; k++) { // the box: x_k + t <= 1, -x_k + t <= 1
                Rational[] p = {Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.ONE, Rational.ONE};
                p[k] = Rational.ONE;
                rows.add(p);
                Rational[] q = {Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.ONE, Rational.ONE};
                q[k] = Rational.ONE.negate();
                rows.add(q);
            }
            rows.add(new Rational[]{Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.ONE, Rational.ONE}); // t <= 1
            int m = rows.size();
            Rational[] a = new Rational[m * 4], b = new Rational[m];
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows.get(i), 0, a, i * 4, 4);
                b[i] = rows.get(i)[4];
            }
            ExactLpSolver.Exact e = ExactLpSolver.DEFAULT.solveExact(4, m, a, b,
                    new Rational[]{Rational.ZERO, Rational.ZERO, Rational.ZERO, Rational.ONE});
            if (e.status() == LpResult.Status.OPTIMAL && e.value().signum() > 0) {
                StringBuilder sb = new StringBuilder();
                for (boolean x : on) sb.append(x ? '1' : '0');
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Property(tries = 12)
    void equalsTheBruteForceIn3D(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                 @ForAll @IntRange(min = 1, max = 2) int depth) {
        Network net = dyadicNet3(seed, depth);
        assertThat(enumerated(net, HPolytope.cube(3, -1, 1))).isEqualTo(bruteForce(net));
    }

    /** Six planes through one point of the cube, exactly (dyadic): the central arrangement's count, certified. */
    @Test
    void planesThroughOnePointIn3D() {
        double[][] normals = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
        double[] w = new double[18], b = new double[6];
        for (int k = 0; k < 6; k++) {
            double s = 0;
            for (int j = 0; j < 3; j++) { w[k * 3 + j] = normals[k][j]; s += normals[k][j] * 0.25; }
            b[k] = -s; // through (1/4, 1/4, 1/4)
        }
        Network net = new Network(3, List.of(new DenseLayer(3, 6, w, b, Activation.RELU, 0),
                new DenseLayer(6, 1, new double[6], new double[1], Activation.IDENTITY, 0)));
        assertThat(enumerated(net, HPolytope.cube(3, -1, 1))).isEqualTo(bruteForce(net));
    }
}
