package atlas.geometry;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ExactLpSolver} against a brute-force exact reference: a bounded program's optimum is attained at a vertex,
 * so solving every n x n subsystem of the rows exactly (Gaussian elimination in fractions), keeping the feasible
 * solutions and taking the best gives the exact optimum, and none feasible means infeasible. Rows on a coarse
 * dyadic grid inside a box, so that degenerate vertices (more than n rows through a point), duplicate rows and
 * empty or flat feasible sets are common.
 */
class ExactLpSolverTest {

    /** The brute-force optimum of a bounded program, or null when infeasible. */
    static Rational bruteForce(LinearProgram lp) {
        int n = lp.vars(), m = lp.rows();
        Rational best = null;
        int[] pick = new int[n];
        for (int i = 0; i < n; i++) pick[i] = i;
        while (true) {
            Rational[] x = solve(lp, pick);
            if (x != null && feasible(lp, x)) {
                Rational v = Rational.ZERO;
                for (int k = 0; k < n; k++) v = v.add(Rational.of(lp.objective()[k]).multiply(x[k]));
                if (best == null || v.compareTo(best) > 0) best = v;
            }
            int i = n - 1;
            while (i >= 0 && pick[i] == m - n + i) i--;
            if (i < 0) return best;
            pick[i]++;
            for (int j = i + 1; j < n; j++) pick[j] = pick[j - 1] + 1;
        }
    }

    /** The solution of rows {@code pick} as equalities, or null when singular. */
    static Rational[] solve(LinearProgram lp, int[] pick) {
        int n = lp.vars();
        Rational[][] g = new Rational[n][n + 1];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) g[r][k] = Rational.of(lp.a(pick[r], k));
            g[r][n] = Rational.of(lp.b()[pick[r]]);
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            while (p < n && g[p][c].signum() == 0) p++;
            if (p == n) return null;
            Rational[] tmp = g[p]; g[p] = g[c]; g[c] = tmp;
            for (int r = 0; r < n; r++) {
                if (r == c || g[r][c].signum() == 0) continue;
                Rational f = g[r][c].divide(g[c][c]);
                for (int k = c; k <= n; k++) g[r][k] = g[r][k].subtract(f.multiply(g[c][k]));
            }
        }
        Rational[] x = new Rational[n];
        for (int r = 0; r < n; r++) x[r] = g[r][n].divide(g[r][r]);
        return x;
    }

    static boolean feasible(LinearProgram lp, Rational[] x) {
        for (int i = 0; i < lp.rows(); i++) {
            Rational s = Rational.ZERO;
            for (int k = 0; k < lp.vars(); k++) s = s.add(Rational.of(lp.a(i, k)).multiply(x[k]));
            if (s.compareTo(Rational.of(lp.b()[i])) > 0) return false;
        }
        return true;
    }

    /** Random rows with entries in {-2, -1.5, ..., 2}, right-hand sides multiples of 1/4, plus the box [-2, 2]^n. */
    static LinearProgram dyadicProgram(long seed, int n, int rows) {
        Random rnd = new Random(seed);
        int m = rows + 2 * n;
        double[] a = new double[m * n], b = new double[m], c = new double[n];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < n; k++) a[i * n + k] = (rnd.nextInt(9) - 4) / 2.0;
            b[i] = (rnd.nextInt(13) - 6) / 4.0;
            if (i > 0 && rnd.nextInt(5) == 0) { // a duplicate or an opposite of an earlier row: flat or empty sets
                int j = rnd.nextInt(i);
                double s = rnd.nextBoolean() ? 1 : -1;
                for (int k = 0; k < n; k++) a[i * n + k] = s * a[j * n + k];
                b[i] = s > 0 ? b[j] : -b[j];
            }
        }
        for (int k = 0; k < n; k++) {
            a[(rows + 2 * k) * n + k] = 1;
            b[rows + 2 * k] = 2;
            a[(rows + 2 * k + 1) * n + k] = -1;
            b[rows + 2 * k + 1] = 2;
            c[k] = (rnd.nextInt(9) - 4) / 2.0;
        }
        return new LinearProgram(n, m, a, b, c);
    }

    @Property(tries = 150)
    void exactSolverEqualsBruteForceOnDyadicPrograms(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                    @ForAll @IntRange(min = 2, max = 3) int n,
                                                    @ForAll @IntRange(min = 0, max = 7) int rows) {
        LinearProgram lp = dyadicProgram(seed, n, rows);
        Rational ref = bruteForce(lp);
        ExactLpSolver.Exact e = ExactLpSolver.DEFAULT.solveExact(lp);
        if (ref == null) {
            assertThat(e.status()).isEqualTo(LpResult.Status.INFEASIBLE);
        } else {
            assertThat(e.status()).isEqualTo(LpResult.Status.OPTIMAL);
            assertThat(e.value()).isEqualTo(ref);
            assertThat(feasible(lp, e.x())).as("the optimal point is feasible, exactly").isTrue();
            Rational v = Rational.ZERO;
            for (int k = 0; k < n; k++) v = v.add(Rational.of(lp.objective()[k]).multiply(e.x()[k]));
            assertThat(v).isEqualTo(ref);
        }
    }

    /** A region a float LP cannot tell from empty: the strip 0 <= x - y <= 2^-60 has positive width, exactly. */
    @Test
    void aStripNarrowerThanAnyFloatToleranceIsFeasibleWithPositiveWidth() {
        double w = 0x1p-60;
        // max t s.t. -(x - y) + t <= 0, (x - y) + t <= w, box [-1, 1]^2
        LinearProgram lp = new LinearProgram(3, 6,
                new double[]{-1, 1, 1, 1, -1, 1, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0},
                new double[]{0, w, 1, 1, 1, 1}, new double[]{0, 0, 1});
        ExactLpSolver.Exact e = ExactLpSolver.DEFAULT.solveExact(lp);
        assertThat(e.status()).isEqualTo(LpResult.Status.OPTIMAL);
        assertThat(e.value()).isEqualTo(Rational.of(w / 2));
        // and the same with width 0: the optimum is exactly 0 (a line, no interior)
        LinearProgram flat = new LinearProgram(3, 6,
                new double[]{-1, 1, 1, 1, -1, 1, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0},
                new double[]{0, 0, 1, 1, 1, 1}, new double[]{0, 0, 1});
        assertThat(ExactLpSolver.DEFAULT.solveExact(flat).value()).isEqualTo(Rational.ZERO);
    }

    @Test
    void agreesWithTheFloatSolverOnGenericProgramsIncludingUnboundedAndInfeasible() {
        Random rnd = new Random(5);
        int[] seen = new int[3];
        for (int trial = 0; trial < 60; trial++) {
            int n = 1 + rnd.nextInt(3), m = rnd.nextInt(8);
            double[] a = new double[m * n], b = new double[m], c = new double[n];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
            for (int i = 0; i < m; i++) b[i] = trial % 3 == 0 ? rnd.nextGaussian() : 0.1 + rnd.nextDouble();
            for (int k = 0; k < n; k++) c[k] = rnd.nextGaussian();
            LinearProgram lp = new LinearProgram(n, m, a, b, c);
            LpResult f = DualSimplexLpSolver.DEFAULT.solve(lp), e = ExactLpSolver.DEFAULT.solve(lp);
            assertThat(e.status()).as("trial %d", trial).isEqualTo(f.status());
            seen[e.status().ordinal()]++;
            if (f.isOptimal()) assertThat(e.value()).isCloseTo(f.value(), within(1e-7 * (1 + Math.abs(f.value()))));
        }
        for (int k : seen) assertThat(k).as("optimal, infeasible and unbounded all occur").isPositive();
    }
}
