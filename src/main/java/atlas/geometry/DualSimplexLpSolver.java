package atlas.geometry;

import atlas.error.NumericalException;

/**
 * A small dense simplex for the LPs of region computations, which have few variables (the input dimension, plus
 * one) and tens to hundreds of constraints. It solves the <em>dual</em> of {@code max c.x s.t. A x <= b}:
 * {@code min b.l s.t. A^T l = c, l >= 0}, a standard-form program with only {@code n} equality rows, on an
 * {@code (n + 1) x (m + n + 1)} tableau (two-phase, artificial variables kept so that the optimal primal point is
 * read off as the simplex multipliers {@code x = c_B^T B^-1}, corrected for rows whose sign was flipped). Each
 * pivot costs O(n m) instead of the O(m^2) of a tableau on the primal; measured about 10x faster than
 * {@link HipparchusLpSolver} on these programs (see docs/enumeration.md), with which it is cross-checked by tests.
 *
 * <p>Outcomes: dual infeasible means the primal is unbounded or infeasible (told apart by one more LP,
 * {@code max -t s.t. A x - t <= b, -t <= 1}, which is always feasible and bounded); dual unbounded means the
 * primal is infeasible.
 *
 * <p>Tolerances ({@code eps}, default 1e-11, absolute): pivot elements, reduced costs and the phase-1 residual are
 * compared with it. Rows should be scaled to unit norm and coordinates centred, as {@link Chebyshev} and
 * {@link Facets} do, so that all tableau entries are of order one. Pivoting: Dantzig's rule with the ratio test's
 * ties broken by the largest pivot; after {@code 20 (m + n)} pivots it restarts with Bland's rule, which cannot
 * cycle. Stateless and thread-safe.
 */
public final class DualSimplexLpSolver implements LpSolver {

    /** eps = {@link Tolerance#LP_EPS}. */
    public static final DualSimplexLpSolver DEFAULT = new DualSimplexLpSolver(Tolerance.LP_EPS);

    private final double eps;

    public DualSimplexLpSolver(double eps) {
        if (!(eps > 0 && eps < 1e-3)) throw new IllegalArgumentException("LP eps must be in (0, 1e-3): " + eps);
        this.eps = eps;
    }

    @Override
    public String name() { return "dual-simplex"; }

    @Override
    public LpResult solve(LinearProgram lp) {
        LpResult r = solveDual(lp, false);
        if (r == null) r = solveDual(lp, true);
        if (r == null) throw new NumericalException("the simplex did not converge (Bland's rule exceeded its iteration cap)");
        if (r.status() == LpResult.Status.UNBOUNDED && !primalFeasible(lp)) return LpResult.infeasible();
        return r;
    }

    /** Is {@code A x <= b} feasible? By {@code max -t s.t. A x - t <= b, -t <= 1}: feasible iff t* <= eps. */
    private boolean primalFeasible(LinearProgram lp) {
        int n = lp.vars(), m = lp.rows();
        int v = n + 1;
        double[] a = new double[(m + 1) * v];
        double[] b = new double[m + 1];
        for (int i = 0; i < m; i++) {
            System.arraycopy(lp.a(), i * n, a, i * v, n);
            a[i * v + n] = -1;
            b[i] = lp.b()[i];
        }
        a[m * v + n] = -1;
        b[m] = 1;
        double[] c = new double[v];
        c[n] = -1;
        LinearProgram aux = new LinearProgram(v, m + 1, a, b, c);
        LpResult r = solveDual(aux, false);
        if (r == null) r = solveDual(aux, true);
        if (r == null || !r.isOptimal()) return true; // cannot happen; do not claim infeasibility
        return -r.value() <= eps * (1 + maxAbs(lp.b()));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /**
     * The two-phase simplex on the dual; null when the iteration cap was hit.
     */
    private LpResult solveDual(LinearProgram lp, boolean bland) {
        final int n = lp.vars(), m = lp.rows();
        final int cols = m + n + 1;      // lambda_0..m-1, artificial_0..n-1, rhs
        final int rhs = m + n;
        final double[] t = new double[(n + 1) * cols]; // rows 0..n-1 constraints, row n objective (reduced costs)
        final int[] basis = new int[n];
        final double[] sign = new double[n];
        final double[] A = lp.a(), b = lp.b(), c = lp.objective();
        for (int k = 0; k < n; k++) {
            sign[k] = c[k] < 0 ? -1 : 1;
            int row = k * cols;
            for (int i = 0; i < m; i++) t[row + i] = sign[k] * A[i * n + k];
            t[row + m + k] = 1;
            t[row + rhs] = sign[k] * c[k];
            basis[k] = m + k;
        }
        // phase 1: minimise the sum of artificials; reduced costs r_j = -sum_k t[k][j] for the lambda columns
        int obj = n * cols;
        for (int j = 0; j < cols; j++) {
            if (j >= m && j < rhs) continue;
            double s = 0;
            for (int k = 0; k < n; k++) s += t[k * cols + j];
            t[obj + j] = -s; // t[obj + rhs] = -(sum of artificials)
        }
        int cap = 20 * (m + n) + 50;
        int status = iterate(t, basis, n, m, cols, bland, cap);
        if (status == CAP) return null;
        if (-t[obj + rhs] > eps * (1 + maxAbs(c))) return LpResult.unbounded(); // dual infeasible (primal checked by caller)
        // drive artificials out of the basis where possible
        for (int k = 0; k < n; k++) {
            if (basis[k] < m) continue;
            int row = k * cols;
            int best = -1;
            double bestAbs = eps;
            for (int j = 0; j < m; j++) {
                double v = Math.abs(t[row + j]);
                if (v > bestAbs) { bestAbs = v; best = j; }
            }
            if (best >= 0) pivot(t, basis, n, cols, k, best);
            // else: a redundant equality row (A^T has rank < n); the artificial stays basic at level zero
        }
        // phase 2 costs: b_i for lambda_i, 0 for artificials
        for (int j = 0; j < cols; j++) {
            double s = j < m ? b[j] : 0;
            for (int k = 0; k < n; k++) {
                int bj = basis[k];
                double cb = bj < m ? b[bj] : 0;
                s -= cb * t[k * cols + j];
            }
            t[obj + j] = s; // at rhs: -(objective value)
        }
        // invariant: t[obj + j] is the reduced cost of column j; artificials never re-enter
        status = iterate(t, basis, n, m, cols, bland, cap);
        if (status == CAP) return null;
        if (status == UNBOUNDED) return LpResult.infeasible(); // dual unbounded: the primal is infeasible
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            double y = 0;
            for (int i = 0; i < n; i++) {
                int bi = basis[i];
                double cb = bi < m ? b[bi] : 0;
                y += cb * t[i * cols + m + k];
            }
            x[k] = sign[k] * y;
        }
        double value = 0;
        for (int k = 0; k < n; k++) value += c[k] * x[k];
        return new LpResult(LpResult.Status.OPTIMAL, x, value);
    }

    private static final int OPTIMAL = 0, UNBOUNDED = 1, CAP = 2;

    /** Simplex iterations over the lambda columns (0..m-1) until optimal, unbounded or the cap. */
    private int iterate(double[] t, int[] basis, int n, int m, int cols, boolean bland, int cap) {
        int obj = n * cols, rhs = cols - 1;
        for (int it = 0; it < cap; it++) {
            int enter = -1;
            double most = -eps;
            for (int j = 0; j < m; j++) {
                double r = t[obj + j];
                if (r < most) {
                    enter = j;
                    if (bland) break;
                    most = r;
                }
            }
            if (enter < 0) return OPTIMAL;
            int leave = -1;
            double bestRatio = Double.POSITIVE_INFINITY, bestPivot = 0;
            for (int k = 0; k < n; k++) {
                double p = t[k * cols + enter];
                if (p <= eps) continue;
                double ratio = Math.max(0, t[k * cols + rhs]) / p;
                boolean better;
                if (leave < 0) better = true;
                else if (ratio < bestRatio - eps) better = true;
                else if (ratio <= bestRatio + eps)
                    better = bland ? basis[k] < basis[leave] : p > bestPivot;
                else better = false;
                if (better) { leave = k; bestRatio = Math.min(ratio, bestRatio); bestPivot = p; }
            }
            if (leave < 0) return UNBOUNDED;
            pivot(t, basis, n, cols, leave, enter);
        }
        return CAP;
    }

    private static void pivot(double[] t, int[] basis, int n, int cols, int row, int col) {
        int pr = row * cols;
        double p = t[pr + col];
        for (int j = 0; j < cols; j++) t[pr + j] /= p;
        t[pr + col] = 1;
        for (int k = 0; k <= n; k++) {
            if (k == row) continue;
            int kr = k * cols;
            double f = t[kr + col];
            if (f == 0) continue;
            for (int j = 0; j < cols; j++) t[kr + j] -= f * t[pr + j];
            t[kr + col] = 0;
        }
        basis[row] = col;
    }
}
