package atlas.geometry;


/**
 * An exact LP solver: {@code max c.x s.t. A x <= b} solved in rational arithmetic on the exact values of the
 * given doubles (every double is a dyadic rational), so OPTIMAL / INFEASIBLE / UNBOUNDED and the optimum are
 * those of exact arithmetic, with no tolerance at all. Two-phase primal simplex on a dense tableau
 * ({@code x = x+ - x-}, one slack per row, an artificial per row with {@code b < 0}) with Bland's rule, which
 * cannot cycle on degenerate programs. Slow (BigInteger fractions, O(m (2n + m)) per pivot): meant for the
 * few programs whose float answer is within tolerance of a decision (certified mode), for tests, and as
 * {@code --lp exact}. Stateless and thread-safe.
 */
public final class ExactLpSolver implements LpSolver {
    public static final ExactLpSolver DEFAULT = new ExactLpSolver();

    private ExactLpSolver() {}

    @Override
    public String name() { return "exact"; }

    /**
     * The exact answer.
     *
     * @param status OPTIMAL, INFEASIBLE or UNBOUNDED (exactly)
     * @param x      an optimal vertex when OPTIMAL, else null
     * @param value  the optimum when OPTIMAL, else null
     */
    public record Exact(LpResult.Status status, Rational[] x, Rational value) {}

    @Override
    public LpResult solve(LinearProgram lp) {
        Exact e = solveExact(lp);
        if (e.status() == LpResult.Status.INFEASIBLE) return LpResult.infeasible();
        if (e.status() == LpResult.Status.UNBOUNDED) return LpResult.unbounded();
        double[] x = new double[lp.vars()];
        for (int k = 0; k < x.length; k++) x[k] = e.x()[k].toDouble();
        return new LpResult(LpResult.Status.OPTIMAL, x, e.value().toDouble());
    }

    /** Solves {@code lp} exactly. */
    public Exact solveExact(LinearProgram lp) {
        int n = lp.vars(), m = lp.rows();
        Rational[] a = new Rational[m * n], b = new Rational[m], c = new Rational[n];
        for (int k = 0; k < a.length; k++) a[k] = Rational.of(lp.a()[k]);
        for (int i = 0; i < m; i++) b[i] = Rational.of(lp.b()[i]);
        for (int k = 0; k < n; k++) c[k] = Rational.of(lp.objective()[k]);
        return solveExact(n, m, a, b, c);
    }

    /**
     * Solves {@code max c.x s.t. A x <= b} with rational data (A row-major, m x n; not modified): for programs whose
     * coefficients are themselves exact results (a region's rows composed through the layers).
     */
    public Exact solveExact(int n, int m, Rational[] A, Rational[] B, Rational[] C) {
        int structural = 2 * n;
        int artificial = 0;
        for (int i = 0; i < m; i++) if (B[i].signum() < 0) artificial++;
        int cols = structural + m + artificial; // then the right-hand side
        Rational[][] t = new Rational[m][cols + 1];
        int[] basis = new int[m];
        int a = 0;
        for (int i = 0; i < m; i++) {
            boolean flip = B[i].signum() < 0;
            Rational sgn = flip ? Rational.ONE.negate() : Rational.ONE;
            for (int j = 0; j <= cols; j++) t[i][j] = Rational.ZERO;
            for (int k = 0; k < n; k++) {
                Rational v = A[i * n + k].multiply(sgn);
                t[i][k] = v;
                t[i][n + k] = v.negate();
            }
            t[i][structural + i] = sgn;
            t[i][cols] = B[i].multiply(sgn);
            if (flip) {
                t[i][structural + m + a] = Rational.ONE;
                basis[i] = structural + m + a;
                a++;
            } else {
                basis[i] = structural + i;
            }
        }
        boolean[] allowed = new boolean[cols];
        java.util.Arrays.fill(allowed, true);
        if (artificial > 0) {
            // phase 1: maximise -(sum of artificials)
            Rational[] cost = new Rational[cols];
            for (int j = 0; j < cols; j++) cost[j] = j >= structural + m ? Rational.ONE.negate() : Rational.ZERO;
            Rational[] obj = objectiveRow(t, basis, cost, cols);
            if (!simplex(t, basis, obj, cols, allowed)) throw new IllegalStateException("phase 1 of a bounded program is unbounded");
            if (obj[cols].signum() != 0) return new Exact(LpResult.Status.INFEASIBLE, null, null); // optimum -sum < 0
            // drive artificials at level 0 out of the basis (or leave them: their rows are then redundant)
            for (int i = 0; i < m; i++) {
                if (basis[i] < structural + m) continue;
                for (int j = 0; j < structural + m; j++) {
                    if (t[i][j].signum() != 0) { pivot(t, basis, null, i, j, cols); break; }
                }
            }
            for (int j = structural + m; j < cols; j++) allowed[j] = false;
        }
        Rational[] cost = new Rational[cols];
        for (int j = 0; j < cols; j++) cost[j] = Rational.ZERO;
        for (int k = 0; k < n; k++) {
            cost[k] = C[k];
            cost[n + k] = cost[k].negate();
        }
        Rational[] obj = objectiveRow(t, basis, cost, cols);
        if (!simplex(t, basis, obj, cols, allowed)) return new Exact(LpResult.Status.UNBOUNDED, null, null);
        Rational[] y = new Rational[cols];
        java.util.Arrays.fill(y, Rational.ZERO);
        for (int i = 0; i < m; i++) y[basis[i]] = t[i][cols];
        Rational[] x = new Rational[n];
        for (int k = 0; k < n; k++) x[k] = y[k].subtract(y[n + k]);
        return new Exact(LpResult.Status.OPTIMAL, x, obj[cols].negate());
    }

    /** The reduced-cost row {@code cost - c_B B^-1 A} with {@code -c_B B^-1 b} in the last entry. */
    private static Rational[] objectiveRow(Rational[][] t, int[] basis, Rational[] cost, int cols) {
        Rational[] obj = new Rational[cols + 1];
        System.arraycopy(cost, 0, obj, 0, cols);
        obj[cols] = Rational.ZERO;
        for (int i = 0; i < t.length; i++) {
            Rational cb = cost[basis[i]];
            if (cb.signum() == 0) continue;
            for (int j = 0; j <= cols; j++) if (t[i][j].signum() != 0) obj[j] = obj[j].subtract(cb.multiply(t[i][j]));
        }
        return obj;
    }

    /** Bland's rule to optimality; false when unbounded. */
    private static boolean simplex(Rational[][] t, int[] basis, Rational[] obj, int cols, boolean[] allowed) {
        while (true) {
            int enter = -1;
            for (int j = 0; j < cols && enter < 0; j++) if (allowed[j] && obj[j].signum() > 0) enter = j;
            if (enter < 0) return true;
            int leave = -1;
            Rational best = null;
            for (int i = 0; i < t.length; i++) {
                if (t[i][enter].signum() <= 0) continue;
                Rational ratio = t[i][cols].divide(t[i][enter]);
                int c = best == null ? -1 : ratio.compareTo(best);
                if (best == null || c < 0 || (c == 0 && basis[i] < basis[leave])) { best = ratio; leave = i; }
            }
            if (leave < 0) return false;
            pivot(t, basis, obj, leave, enter, cols);
        }
    }

    private static void pivot(Rational[][] t, int[] basis, Rational[] obj, int r, int c, int cols) {
        Rational p = t[r][c];
        for (int j = 0; j <= cols; j++) if (t[r][j].signum() != 0) t[r][j] = t[r][j].divide(p);
        for (int i = 0; i < t.length; i++) {
            if (i == r || t[i][c].signum() == 0) continue;
            eliminate(t[i], t[r], t[i][c], cols);
        }
        if (obj != null && obj[c].signum() != 0) eliminate(obj, t[r], obj[c], cols);
        basis[r] = c;
    }

    private static void eliminate(Rational[] row, Rational[] pivotRow, Rational f, int cols) {
        for (int j = 0; j <= cols; j++) if (pivotRow[j].signum() != 0) row[j] = row[j].subtract(f.multiply(pivotRow[j]));
    }

}
