package atlas.geometry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


/**
 * An exact LP solver: {@code max c.x s.t. A x <= b} solved in rational arithmetic on the exact values of the
 * given doubles (every double is a dyadic rational), so OPTIMAL / INFEASIBLE / UNBOUNDED and the optimum are
 * those of exact arithmetic, with no tolerance at all. Stateless and thread-safe.
 *
 * <p>Float first, then a certificate: the program is solved in doubles ({@link DualSimplexLpSolver}) and only
 * the rows tight at the float optimum (the working set W) go into the exact simplex; its exact optimum x over W is
 * then checked exactly against every other row. A relaxation's optimum that satisfies every row is the
 * program's optimum, and an infeasible relaxation makes the program infeasible, so the answer is exact whatever
 * the float solver said; rows found violated join W and the exact simplex runs again (a few rounds, then every
 * row). On region programs W is the dim + 1 rows of the float optimal vertex, instead of hundreds.
 *
 * <p>The exact simplex: two-phase primal simplex on a dense tableau ({@code x = x+ - x-}, one slack per row, an
 * artificial per row with {@code b < 0}) with Bland's rule, which cannot cycle on degenerate programs. Each
 * tableau row is kept as integers (BigInteger), the row's common denominator cleared and the row divided by the
 * gcd of its entries after each pivot (fraction-free elimination: a row is an equation, so any positive multiple
 * of it is the same row). Invariant: the basic variable's entry in its row is positive, and the basic value is
 * the row's right-hand side divided by it.
 */
public final class ExactLpSolver implements LpSolver {
    public static final ExactLpSolver DEFAULT = new ExactLpSolver();

    /** Rounds of "solve over W, add the violated rows" before the exact simplex takes every row. */
    private static final int WORKING_SET_ROUNDS = 4;

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
        BigInteger[][] rows = new BigInteger[m][];
        for (int i = 0; i < m; i++) rows[i] = integerRow(A, B[i], i * n, n);
        BigInteger[] cost = integerRow(C, null, 0, n); // a positive multiple of c: same argmax
        int[] order = floatOrder(n, m, A, B, C);
        if (order != null) {
            boolean[] inW = new boolean[m];
            int w = 0;
            for (int i : order) { inW[i] = true; w++; }
            for (int round = 0; round < WORKING_SET_ROUNDS && w < m; round++) {
                int[] ws = new int[w];
                for (int i = 0, j = 0; i < m; i++) if (inW[i]) ws[j++] = i;
                Solution s = simplex(n, rows, ws, cost);
                if (s.status == LpResult.Status.INFEASIBLE) return new Exact(LpResult.Status.INFEASIBLE, null, null);
                if (s.status == LpResult.Status.UNBOUNDED) break; // W too small to bound the objective: take every row
                int added = 0;
                for (int i = 0; i < m; i++) {
                    if (inW[i] || satisfies(rows[i], s.num, s.den, n)) continue;
                    inW[i] = true;
                    added++;
                }
                if (added == 0) return exact(s, C, n);
                w += added;
            }
        }
        int[] all = new int[m];
        for (int i = 0; i < m; i++) all[i] = i;
        Solution s = simplex(n, rows, all, cost);
        if (s.status != LpResult.Status.OPTIMAL) return new Exact(s.status, null, null);
        return exact(s, C, n);
    }

    private static Exact exact(Solution s, Rational[] C, int n) {
        Rational[] x = new Rational[n];
        Rational v = Rational.ZERO;
        for (int k = 0; k < n; k++) {
            x[k] = new Rational(s.num[k], s.den);
            v = v.add(C[k].multiply(x[k]));
        }
        return new Exact(LpResult.Status.OPTIMAL, x, v);
    }

    /** Whether {@code a.x <= b} for the row {a | b} (integers) at x = num / den (den > 0), exactly. */
    private static boolean satisfies(BigInteger[] row, BigInteger[] num, BigInteger den, int n) {
        BigInteger s = BigInteger.ZERO;
        for (int k = 0; k < n; k++) if (row[k].signum() != 0 && num[k].signum() != 0) s = s.add(row[k].multiply(num[k]));
        return s.compareTo(row[n].multiply(den)) <= 0;
    }

    /**
     * The rows tight at the float optimum, most tight first (at least n + 1 of them, or all): the first working set.
     * Null when the float solver gives no optimum (the exact simplex then takes every row at once).
     */
    private static int[] floatOrder(int n, int m, Rational[] A, Rational[] B, Rational[] C) {
        if (m <= n + 1) return null;
        double[] a = new double[m * n], b = new double[m], c = new double[n];
        for (int k = 0; k < a.length; k++) a[k] = approx(A[k]);
        for (int i = 0; i < m; i++) b[i] = approx(B[i]);
        for (int k = 0; k < n; k++) c[k] = approx(C[k]);
        LpResult f;
        try {
            f = DualSimplexLpSolver.DEFAULT.solve(new LinearProgram(n, m, a, b, c));
        } catch (RuntimeException e) {
            return null; // a program the float solver rejects (magnitudes beyond double): exact simplex on every row
        }
        if (!f.isOptimal()) return null;
        double[] x = f.x();
        double[] slack = new double[m];
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            double s = b[i], scale = Math.abs(b[i]);
            for (int k = 0; k < n; k++) {
                s -= a[i * n + k] * x[k];
                scale += Math.abs(a[i * n + k] * x[k]);
            }
            slack[i] = s / Math.max(scale, Double.MIN_NORMAL);
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(slack[p], slack[q]));
        List<Integer> w = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            // the float optimum's tight rows (relative slack at the float LP's own tolerance), at least n + 1 rows
            if (j > n && slack[idx[j]] > Tolerance.LP_EPS) break;
            w.add(idx[j]);
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A double near q (only a guess for the float solver: the exact stages never use it). */
    private static double approx(Rational q) {
        double v = q.num().doubleValue() / q.den().doubleValue();
        return Double.isFinite(v) ? v : q.toDouble();
    }

    /** The row {@code {a_0..a_{n-1} | b}} (b null: no last entry) times the lcm of its denominators: integers. */
    private static BigInteger[] integerRow(Rational[] a, Rational b, int off, int n) {
        BigInteger l = BigInteger.ONE;
        for (int k = 0; k < n; k++) l = lcm(l, a[off + k].den());
        if (b != null) l = lcm(l, b.den());
        BigInteger[] r = new BigInteger[b == null ? n : n + 1];
        for (int k = 0; k < n; k++) r[k] = a[off + k].num().multiply(l.divide(a[off + k].den()));
        if (b != null) r[n] = b.num().multiply(l.divide(b.den()));
        return r;
    }

    private static BigInteger lcm(BigInteger p, BigInteger q) {
        if (p.equals(q) || q.equals(BigInteger.ONE)) return p;
        if (p.equals(BigInteger.ONE)) return q;
        return p.divide(p.gcd(q)).multiply(q);
    }

    /** The exact simplex's answer: x = num / den when OPTIMAL. */
    private record Solution(LpResult.Status status, BigInteger[] num, BigInteger den) {}

    /** The exact simplex over the rows {@code ws} of {@code rows} (integer rows {a | b}). */
    private static Solution simplex(int n, BigInteger[][] rows, int[] ws, BigInteger[] c) {
        int m = ws.length;
        int structural = 2 * n;
        int artificial = 0;
        for (int i : ws) if (rows[i][n].signum() < 0) artificial++;
        int cols = structural + m + artificial; // then the right-hand side
        BigInteger[][] t = new BigInteger[m][cols + 1];
        int[] basis = new int[m];
        int a = 0;
        for (int r = 0; r < m; r++) {
            BigInteger[] src = rows[ws[r]];
            boolean flip = src[n].signum() < 0;
            Arrays.fill(t[r], BigInteger.ZERO);
            for (int k = 0; k < n; k++) {
                BigInteger v = flip ? src[k].negate() : src[k];
                t[r][k] = v;
                t[r][n + k] = v.negate();
            }
            // a slack scaled by any positive constant is still a slack: coefficient +-1
            t[r][structural + r] = flip ? BigInteger.ONE.negate() : BigInteger.ONE;
            t[r][cols] = flip ? src[n].negate() : src[n];
            if (flip) {
                t[r][structural + m + a] = BigInteger.ONE;
                basis[r] = structural + m + a;
                a++;
            } else {
                basis[r] = structural + r;
            }
            reduce(t[r]);
        }
        boolean[] allowed = new boolean[cols];
        Arrays.fill(allowed, true);
        if (artificial > 0) {
            // phase 1: maximise -(sum of artificials); with the artificials basic at coefficient 1 the reduced costs
            // are cost + (sum of their rows), where the row's basic entry is 1 times the gcd taken out by reduce
            BigInteger[] cost = new BigInteger[cols];
            for (int j = 0; j < cols; j++) cost[j] = j >= structural + m ? BigInteger.ONE.negate() : BigInteger.ZERO;
            BigInteger[] obj = objectiveRow(t, basis, cost, cols);
            if (!iterate(t, basis, obj, cols, allowed)) throw new IllegalStateException("phase 1 of a bounded program is unbounded");
            if (obj[cols].signum() != 0) return new Solution(LpResult.Status.INFEASIBLE, null, null); // optimum -sum < 0
            // drive artificials at level 0 out of the basis (or leave them: their rows are then redundant)
            for (int r = 0; r < m; r++) {
                if (basis[r] < structural + m) continue;
                for (int j = 0; j < structural + m; j++) {
                    if (t[r][j].signum() != 0) { pivot(t, basis, null, r, j, cols); break; }
                }
            }
            for (int j = structural + m; j < cols; j++) allowed[j] = false;
        }
        BigInteger[] cost = new BigInteger[cols];
        Arrays.fill(cost, BigInteger.ZERO);
        for (int k = 0; k < n; k++) {
            cost[k] = c[k];
            cost[n + k] = c[k].negate();
        }
        BigInteger[] obj = objectiveRow(t, basis, cost, cols);
        if (!iterate(t, basis, obj, cols, allowed)) return new Solution(LpResult.Status.UNBOUNDED, null, null);
        // x_k = y_k - y_{n+k}, y_basic = rhs / basic entry: over one common denominator
        BigInteger den = BigInteger.ONE;
        for (int r = 0; r < m; r++) if (basis[r] < structural && t[r][cols].signum() != 0) den = lcm(den, t[r][basis[r]]);
        BigInteger[] num = new BigInteger[n];
        Arrays.fill(num, BigInteger.ZERO);
        for (int r = 0; r < m; r++) {
            int j = basis[r];
            if (j >= structural || t[r][cols].signum() == 0) continue;
            BigInteger v = t[r][cols].multiply(den.divide(t[r][j]));
            if (j < n) num[j] = num[j].add(v);
            else num[j - n] = num[j - n].subtract(v);
        }
        return new Solution(LpResult.Status.OPTIMAL, num, den);
    }

    /**
     * The reduced-cost row {@code cost - c_B B^-1 A} (with {@code -c_B B^-1 b} last), times a positive integer:
     * only its signs are used.
     */
    private static BigInteger[] objectiveRow(BigInteger[][] t, int[] basis, BigInteger[] cost, int cols) {
        // obj = s (true row) with s > 0; row r is d (B^-1 A)_r with d = its basic entry > 0, so clearing row r's
        // basic cost gives obj <- d obj - s cost_b row_r and s <- s d (then obj and s divided by their common gcd)
        BigInteger[] obj = new BigInteger[cols + 2];
        System.arraycopy(cost, 0, obj, 0, cols);
        obj[cols] = BigInteger.ZERO;
        obj[cols + 1] = BigInteger.ONE; // s
        for (int r = 0; r < t.length; r++) {
            BigInteger cb = cost[basis[r]];
            if (cb.signum() == 0) continue;
            BigInteger d = t[r][basis[r]], f = cb.multiply(obj[cols + 1]);
            for (int j = 0; j <= cols; j++) obj[j] = obj[j].multiply(d).subtract(f.multiply(t[r][j]));
            obj[cols + 1] = obj[cols + 1].multiply(d);
            reduce(obj);
        }
        return Arrays.copyOf(obj, cols + 1);
    }

    /** Bland's rule to optimality; false when unbounded. */
    private static boolean iterate(BigInteger[][] t, int[] basis, BigInteger[] obj, int cols, boolean[] allowed) {
        while (true) {
            int enter = -1;
            for (int j = 0; j < cols && enter < 0; j++) if (allowed[j] && obj[j].signum() > 0) enter = j;
            if (enter < 0) return true;
            int leave = -1;
            for (int r = 0; r < t.length; r++) {
                if (t[r][enter].signum() <= 0) continue;
                if (leave < 0) { leave = r; continue; }
                // rhs_r / t_r,e  vs  rhs_l / t_l,e, both denominators positive
                int c = t[r][cols].multiply(t[leave][enter]).compareTo(t[leave][cols].multiply(t[r][enter]));
                if (c < 0 || (c == 0 && basis[r] < basis[leave])) leave = r;
            }
            if (leave < 0) return false;
            pivot(t, basis, obj, leave, enter, cols);
        }
    }

    /** Pivot on (r, c): every other row (and obj) gets p row - row_c row_r, p > 0, so its basic entry stays positive. */
    private static void pivot(BigInteger[][] t, int[] basis, BigInteger[] obj, int r, int c, int cols) {
        if (t[r][c].signum() < 0) for (int j = 0; j <= cols; j++) t[r][j] = t[r][j].negate(); // an equation: rhs is 0 here
        BigInteger p = t[r][c];
        for (int i = 0; i < t.length; i++) {
            if (i == r || t[i][c].signum() == 0) continue;
            eliminate(t[i], t[r], p, cols, c);
        }
        if (obj != null && obj[c].signum() != 0) eliminate(obj, t[r], p, cols, c);
        basis[r] = c;
    }

    private static void eliminate(BigInteger[] row, BigInteger[] pivotRow, BigInteger p, int cols, int c) {
        BigInteger f = row[c];
        for (int j = 0; j <= cols; j++) {
            BigInteger v = row[j].signum() == 0 ? BigInteger.ZERO : row[j].multiply(p);
            if (pivotRow[j].signum() != 0) v = v.subtract(f.multiply(pivotRow[j]));
            row[j] = v;
        }
        reduce(row);
    }

    /** Divides a row by the gcd of its entries (a positive factor: same equation, same signs). */
    private static void reduce(BigInteger[] row) {
        BigInteger g = BigInteger.ZERO;
        for (BigInteger v : row) {
            if (v.signum() == 0) continue;
            g = g.gcd(v);
            if (g.equals(BigInteger.ONE)) return;
        }
        if (g.signum() == 0) return;
        for (int j = 0; j < row.length; j++) if (row[j].signum() != 0) row[j] = row[j].divide(g);
    }
}
