package atlas.geometry;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LpTest {
    static final LpSolver SOLVER = LpSolver.defaultSolver();
    static final LpSolver[] SOLVERS = {HipparchusLpSolver.DEFAULT, DualSimplexLpSolver.DEFAULT};

    @Test
    void bothSolversAgreeOnRandomPrograms() {
        Random rnd = new Random(17);
        int optimal = 0, infeasible = 0, unbounded = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(7), m = rnd.nextInt(40);
            double[] a = new double[m * n], b = new double[m], c = new double[n];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
            for (int i = 0; i < m; i++) b[i] = trial % 3 == 0 ? rnd.nextGaussian() : 0.1 + rnd.nextDouble();
            for (int k = 0; k < n; k++) c[k] = rnd.nextGaussian();
            if (trial % 7 == 0 && m > 3) { // degenerate: many rows through one vertex and duplicates
                for (int i = 0; i < m; i++) b[i] = 0;
                System.arraycopy(a, 0, a, n, n);
            }
            LinearProgram lp = new LinearProgram(n, m, a, b, c);
            LpResult h = HipparchusLpSolver.DEFAULT.solve(lp);
            LpResult d = DualSimplexLpSolver.DEFAULT.solve(lp);
            assertThat(d.status()).as("trial %d", trial).isEqualTo(h.status());
            switch (h.status()) {
                case OPTIMAL -> {
                    optimal++;
                    assertThat(d.value()).as("trial %d", trial).isCloseTo(h.value(), within(1e-7 * (1 + Math.abs(h.value()))));
                    assertThat(lp.maxViolation(d.x())).as("trial %d", trial).isLessThan(1e-8);
                }
                case INFEASIBLE -> infeasible++;
                case UNBOUNDED -> unbounded++;
            }
        }
        assertThat(optimal).isPositive();
        assertThat(infeasible).isPositive();
        assertThat(unbounded).isPositive();
    }

    @Test
    void smallProgramByHand() {
        for (LpSolver solver : SOLVERS) smallProgramByHand(solver);
    }

    private static void smallProgramByHand(LpSolver solver) {
        // max x + y s.t. x <= 2, y <= 3, x + 2y <= 6: optimum at (2, 2), value 4
        LinearProgram lp = new LinearProgram(2, 3, new double[]{1, 0, 0, 1, 1, 2}, new double[]{2, 3, 6}, new double[]{1, 1});
        LpResult r = solver.solve(lp);
        assertThat(r.status()).isEqualTo(LpResult.Status.OPTIMAL);
        assertThat(r.value()).isCloseTo(4, within(1e-12));
        assertThat(r.x()).containsExactly(new double[]{2, 2}, within(1e-12));
    }

    @Test
    void freeVariablesMayBeNegative() {
        for (LpSolver solver : SOLVERS) freeVariablesMayBeNegative(solver);
    }

    private static void freeVariablesMayBeNegative(LpSolver solver) {
        // max -x s.t. -x <= 5, i.e. x >= -5: the optimum is x = -5, value 5
        LinearProgram lp = new LinearProgram(1, 1, new double[]{-1}, new double[]{5}, new double[]{-1});
        LpResult r = solver.solve(lp);
        assertThat(r.value()).isCloseTo(5, within(1e-12));
        assertThat(r.x()[0]).isCloseTo(-5, within(1e-12));
    }

    @Test
    void infeasibleAndUnbounded() {
        for (LpSolver solver : SOLVERS) infeasibleAndUnbounded(solver);
    }

    private static void infeasibleAndUnbounded(LpSolver SOLVER) {
        LinearProgram infeasible = new LinearProgram(1, 2, new double[]{1, -1}, new double[]{-1, -1}, new double[]{1}); // x <= -1, x >= 1
        assertThat(SOLVER.solve(infeasible).status()).isEqualTo(LpResult.Status.INFEASIBLE);
        LinearProgram unbounded = new LinearProgram(2, 1, new double[]{1, 0}, new double[]{1}, new double[]{0, 1});
        assertThat(SOLVER.solve(unbounded).status()).isEqualTo(LpResult.Status.UNBOUNDED);
    }

    @Test
    void chebyshevBallOfBoxAndTriangle() {
        ChebyshevBall b = Chebyshev.of(HPolytope.box(new double[]{0, 0, 0}, new double[]{4, 2, 6}), new double[]{10, 10, 10}, SOLVER);
        assertThat(b.radius()).isCloseTo(1, within(1e-10));
        assertThat(b.centre()[1]).isCloseTo(1, within(1e-10));
        // right triangle with legs 3 and 4 (hypotenuse 5): inradius (3 + 4 - 5) / 2 = 1, centre (1, 1)
        HPolytope tri = new HPolytope(2, 3, new double[]{-1, 0, 0, -1, 4, 3}, new double[]{0, 0, 12});
        ChebyshevBall t = Chebyshev.of(tri, new double[]{0, 0}, SOLVER);
        assertThat(t.radius()).isCloseTo(1, within(1e-10));
        assertThat(t.centre()).containsExactly(new double[]{1, 1}, within(1e-10));
        // empty: x <= -1 and x >= 1 -> negative radius
        HPolytope empty = new HPolytope(1, 2, new double[]{1, -1}, new double[]{-1, -1});
        assertThat(Chebyshev.of(empty, new double[]{0}, SOLVER).radius()).isNegative();
        // unbounded: a half-plane
        HPolytope half = new HPolytope(2, 1, new double[]{1, 0}, new double[]{0});
        assertThat(Chebyshev.of(half, new double[]{0, 0}, SOLVER).isUnbounded()).isTrue();
        assertThat(Chebyshev.of(half, new double[]{0, 0}, SOLVER, 7).radius()).isCloseTo(7, within(1e-10));
    }

    @Test
    void rowScalingMakesTheRadiusADistance() {
        // the same square written with rows scaled by 1e6 and 1e-6
        HPolytope sq = new HPolytope(2, 4, new double[]{1e6, 0, -1e-6, 0, 0, 1e6, 0, -1e-6}, new double[]{1e6, 1e-6, 1e6, 1e-6});
        assertThat(Chebyshev.of(sq, new double[]{0.3, 0.2}, SOLVER).radius()).isCloseTo(1, within(1e-10));
    }

    @Test
    void facetsOfACubeWithRedundantAndDuplicateRows() {
        // [-1,1]^3, plus a duplicate of x <= 1, plus redundant x + y + z <= 5 and x <= 3
        double s = 1 / Math.sqrt(3);
        double[] a = {1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 1, 0, 0, s, s, s, 1, 0, 0};
        double[] b = {1, 1, 1, 1, 1, 1, 1, 5 * s, 3};
        Facets.Result r = Facets.find(3, 9, a, b, new double[3], 1, 4, SOLVER, Tolerance.DEFAULT);
        assertThat(r.facets()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(r.groupOf()).containsExactly(0, 1, 2, 3, 4, 5, 0, -1, -1);
        for (int f = 0; f < r.count(); f++) {
            double[] q = r.point(f);
            int row = r.facetRow(f);
            double on = -b[row];
            for (int k = 0; k < 3; k++) on += a[row * 3 + k] * q[k];
            assertThat(on).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void facetsFoundByLpWhenRayShootingCannotDecide() {
        // a long thin triangle seen from an off-centre point, with many nearly parallel redundant rows
        Random rnd = new Random(4);
        int extra = 40;
        int m = 3 + extra;
        double[] a = new double[2 * m], b = new double[m];
        double[][] tri = {{0, -1, 0}, {-1, 0, 0}, {1, 8, 8}}; // y >= 0, x >= 0, x + 8y <= 8
        for (int i = 0; i < 3; i++) {
            double n = Math.hypot(tri[i][0], tri[i][1]);
            a[2 * i] = tri[i][0] / n;
            a[2 * i + 1] = tri[i][1] / n;
            b[i] = tri[i][2] / n;
        }
        for (int i = 3; i < m; i++) { // x + e y <= e + e' with e in [8, 9]: redundant, nearly parallel to the hypotenuse
            double ex = 8 + rnd.nextDouble(), n = Math.hypot(1, ex);
            a[2 * i] = 1 / n;
            a[2 * i + 1] = ex / n;
            b[i] = (ex + 0.01 + 0.5 * rnd.nextDouble()) / n; // holds at the vertices (0,0), (8,0), (0,1)
        }
        ChebyshevBall ball = Chebyshev.of(new HPolytope(2, m, a, b), new double[]{1, 0.1}, SOLVER);
        Facets.Result r = Facets.find(2, m, a, b, ball.centre(), ball.radius(), 10, SOLVER, Tolerance.DEFAULT);
        assertThat(r.facets()).containsExactly(0, 1, 2);
        assertThat(r.lps()).isPositive();
    }

    @Test
    void smallPolytopeVolumes() {
        // the unit simplex in 3-D: volume 1/6, 4 vertices
        double s = 1 / Math.sqrt(3);
        double[] a = {-1, 0, 0, 0, -1, 0, 0, 0, -1, s, s, s};
        double[] b = {0, 0, 0, s};
        SmallPolytopes.Shape sh = SmallPolytopes.of(3, 4, a, b, new double[]{0.2, 0.2, 0.2}, 2, Tolerance.DEFAULT);
        assertThat(sh.vertexCount()).isEqualTo(4);
        assertThat(sh.volume()).isCloseTo(1.0 / 6, within(1e-12));
        // a hexagon's area
        double[] ha = new double[12], hb = new double[6];
        for (int k = 0; k < 6; k++) { ha[2 * k] = Math.cos(k * Math.PI / 3); ha[2 * k + 1] = Math.sin(k * Math.PI / 3); hb[k] = 1; }
        SmallPolytopes.Shape hex = SmallPolytopes.of(2, 6, ha, hb, new double[2], 3, Tolerance.DEFAULT);
        assertThat(hex.vertexCount()).isEqualTo(6);
        assertThat(hex.volume()).isCloseTo(2 * Math.sqrt(3), within(1e-12));
    }

    @Test
    void randomChebyshevRadiiAgreeWithSampling() {
        // the Chebyshev ball lies inside (its centre's slack to every row is at least the radius, with equality somewhere)
        Random rnd = new Random(9);
        for (int t = 0; t < 30; t++) {
            int d = 2 + rnd.nextInt(5), m = d + 1 + rnd.nextInt(20);
            double[] a = new double[m * d], b = new double[m];
            for (int i = 0; i < m; i++) {
                double n = 0;
                for (int k = 0; k < d; k++) { a[i * d + k] = rnd.nextGaussian(); n += a[i * d + k] * a[i * d + k]; }
                n = Math.sqrt(n);
                for (int k = 0; k < d; k++) a[i * d + k] /= n;
                b[i] = 0.1 + rnd.nextDouble();
            }
            HPolytope p = new HPolytope(d, m, a, b);
            ChebyshevBall ball = Chebyshev.of(p, new double[d], SOLVER, 100);
            double minSlack = Double.POSITIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                double sl = b[i];
                for (int k = 0; k < d; k++) sl -= a[i * d + k] * ball.centre()[k];
                minSlack = Math.min(minSlack, sl);
            }
            assertThat(minSlack).isCloseTo(ball.radius(), within(1e-9));
            assertThat(ball.radius()).isGreaterThanOrEqualTo(0.1 - 1e-12); // the origin has slack >= 0.1
        }
    }

    @Test
    void facetsAgreeWithThePolygonOnRandomPolygons() {
        // oracle: clip a square by every row; a row is a facet iff the polygon has an edge of positive length on it
        Random rnd = new Random(23);
        for (LpSolver solver : SOLVERS) {
            for (int trial = 0; trial < 200; trial++) {
                int m = 7 + rnd.nextInt(30);
                double[] a = new double[2 * m], b = new double[m];
                for (int i = 0; i < 4; i++) { // the box [-3, 3]^2 keeps it bounded
                    a[2 * i + i / 2] = i % 2 == 0 ? 1 : -1;
                    b[i] = 3;
                }
                for (int i = 4; i < m; i++) {
                    double ang = rnd.nextDouble() * 2 * Math.PI;
                    a[2 * i] = Math.cos(ang);
                    a[2 * i + 1] = Math.sin(ang);
                    b[i] = 0.2 + rnd.nextDouble();
                }
                HPolytope p = new HPolytope(2, m, a, b);
                ChebyshevBall ball = Chebyshev.of(p, new double[2], solver, 10);
                Facets.Result r = Facets.find(2, m, a, b, ball.centre(), ball.radius(), 10, solver, Tolerance.DEFAULT);
                SmallPolytopes.Shape poly = SmallPolytopes.of(2, m, a, b, ball.centre(), 10, Tolerance.DEFAULT);
                double[] v = poly.vertices();
                for (int i = 0; i < m; i++) {
                    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < v.length / 2; k++) {
                        double s = a[2 * i] * v[2 * k] + a[2 * i + 1] * v[2 * k + 1] - b[i];
                        if (Math.abs(s) > 1e-9) continue;
                        double along = -a[2 * i + 1] * v[2 * k] + a[2 * i] * v[2 * k + 1];
                        lo = Math.min(lo, along);
                        hi = Math.max(hi, along);
                    }
                    double edge = hi - lo;
                    if (edge > 1e-6) assertThat(r.group(i)).as("trial %d row %d edge %g", trial, i, edge).isEqualTo(i);
                    if (!(edge > 1e-12)) assertThat(r.group(i)).as("trial %d row %d edge %g", trial, i, edge).isEqualTo(-1);
                }
            }
        }
    }
}
