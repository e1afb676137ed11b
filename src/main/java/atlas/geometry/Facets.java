package atlas.geometry;

import java.util.Arrays;

/**
 * The non-redundant inequalities (facets) of a full-dimensional polyhedron {@code {x : a_i . x <= b_i}} whose rows
 * have unit norm, with a point in the relative interior of every facet.
 *
 * <p>Algorithm, cheapest certificate first (each step only looks at rows the earlier ones left undecided):
 * <ol>
 *   <li><b>Duplicates.</b> Rows with the same unit normal (to {@code mergeEps}) and the same slack at the centre
 *       (to the distance tolerance) are one hyperplane; the first is its representative.</li>
 *   <li><b>Ray shooting (no LP).</b> From the centre {@code c}, walk along each row's normal {@code a_i}; if
 *       hyperplane i is hit strictly before every other hyperplane, the hit point {@code c + s_i a_i} lies on
 *       hyperplane i and strictly inside all the others: row i is a facet and that point is in its relative
 *       interior.</li>
 *   <li><b>Bounding box (2 dim LPs).</b> When more than {@code 2 dim} rows remain, the polyhedron's bounding box
 *       is computed; a row whose hyperplane misses the box by more than the tolerance is redundant.</li>
 *   <li><b>One LP per remaining row.</b> Maximise {@code a_i . x} over the other rows and
 *       {@code a_i . x <= b_i + r}: row i is a facet iff the optimum exceeds {@code b_i} by more than the
 *       tolerance. The segment from {@code c} to the optimum crosses hyperplane i in the facet's relative
 *       interior (c is strictly inside every row, the optimum satisfies the others).</li>
 * </ol>
 *
 * <p>Tolerance: distances below {@code tol.sideEps() * lengthScale} count as zero, where {@code lengthScale} is
 * the caller's size of the problem (the domain's diameter, or 1); facets through which the polyhedron extends by
 * less than that are reported redundant. All LPs run in coordinates centred at {@code c}, on unit rows.
 * Cost: O(m^2 dim) for steps 1-2 plus at most 2 dim + m LPs with at most m + 1 constraints.
 */
public final class Facets {
    private Facets() {}

    /**
     * Facets of a polyhedron.
     *
     * @param facets  representative rows that are facets, ascending
     * @param groupOf for each row: the representative facet row it belongs to (itself for a representative), or
     *                -1 when the row is redundant
     * @param points  for each facet (parallel to {@code facets}): a point in its relative interior
     * @param lps     the number of LPs solved
     */
    public record Result(int[] facets, int[] groupOf, double[][] points, int lps) {
        public Result {
            facets = facets.clone();
            groupOf = groupOf.clone();
            points = points.clone();
        }
        @Override public int[] facets() { return facets.clone(); }
        @Override public int[] groupOf() { return groupOf.clone(); }
        /** The facet point of facet number {@code f} (not a row index), not copied: do not modify. */
        public double[] point(int f) { return points[f]; }
        public int count() { return facets.length; }
        public int facetRow(int f) { return facets[f]; }
        public int group(int row) { return groupOf[row]; }
    }

    /**
     * @param dim         the dimension
     * @param rows        the number of rows
     * @param a           unit rows, row-major rows x dim. Not modified.
     * @param b           right-hand sides. Not modified.
     * @param centre      a point strictly inside every row (the Chebyshev centre). Not modified.
     * @param radius      the inradius (&gt; 0): every row has slack &gt;= radius at the centre
     * @param lengthScale the size of the problem, for the tolerance
     * @param solver      the LP solver
     * @param tol         the tolerance policy
     */
    public static Result find(int dim, int rows, double[] a, double[] b, double[] centre, double radius,
                              double lengthScale, LpSolver solver, Tolerance tol) {
        double eps = tol.sideEps() * lengthScale;
        double[] s = new double[rows];
        for (int i = 0; i < rows; i++) {
            double v = b[i];
            for (int k = 0; k < dim; k++) v -= a[i * dim + k] * centre[k];
            s[i] = v; // invariant: s[i] >= radius - rounding > 0, the distance from c to hyperplane i
        }
        // rows sorted by slack: a row can only be a duplicate of, or block the ray to, rows of about its slack or less
        Integer[] boxed = new Integer[rows];
        for (int i = 0; i < rows; i++) boxed[i] = i;
        Arrays.sort(boxed, (x, y) -> Double.compare(s[x], s[y]));
        int[] order = new int[rows], pos = new int[rows];
        for (int t = 0; t < rows; t++) { order[t] = boxed[t]; pos[boxed[t]] = t; }
        int[] group = new int[rows];
        Arrays.fill(group, Integer.MIN_VALUE); // undecided
        // 1. duplicates: same unit normal and the same slack
        for (int i = 0; i < rows; i++) {
            if (group[i] != Integer.MIN_VALUE) continue;
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int t = pos[i] + dir; t >= 0 && t < rows && Math.abs(s[order[t]] - s[i]) <= eps; t += dir) {
                    int j = order[t];
                    if (j <= i || group[j] != Integer.MIN_VALUE) continue;
                    boolean same = true;
                    for (int k = 0; k < dim && same; k++) same = Math.abs(a[i * dim + k] - a[j * dim + k]) <= tol.mergeEps();
                    if (same) group[j] = -2 - i; // duplicate of i
                }
            }
        }
        boolean[] facet = new boolean[rows];
        boolean[] redundant = new boolean[rows];
        double[][] point = new double[rows][];
        // 2. ray shooting along each representative's normal; hyperplane j is hit at t = s[j] / (a_j . a_i) >= s[j],
        //    so only rows with s[j] <= s[i] + eps can be hit first
        for (int i = 0; i < rows; i++) {
            if (group[i] != Integer.MIN_VALUE) continue;
            double ti = s[i];
            boolean first = true;
            for (int t = 0; t < rows && first && s[order[t]] <= ti + eps; t++) {
                int j = order[t];
                if (j == i || group[j] == -2 - i) continue;
                double dot = 0;
                for (int k = 0; k < dim; k++) dot += a[j * dim + k] * a[i * dim + k];
                if (dot <= 0) continue;
                // hyperplane j is hit at t = s[j] / dot; i must come first by more than the tolerance
                if (s[j] - dot * ti <= eps) first = false;
            }
            if (first) {
                facet[i] = true;
                double[] q = new double[dim];
                for (int k = 0; k < dim; k++) q[k] = centre[k] + ti * a[i * dim + k];
                point[i] = q;
            }
        }
        int lps = 0;
        int undecided = 0;
        for (int i = 0; i < rows; i++) if (group[i] == Integer.MIN_VALUE && !facet[i]) undecided++;
        // 3. bounding box
        if (undecided > 2 * dim) {
            double[] lo = new double[dim], hi = new double[dim];
            boolean ok = true;
            for (int k = 0; k < dim && ok; k++) {
                for (int sign = -1; sign <= 1 && ok; sign += 2) {
                    LpResult r = solveOver(dim, rows, a, s, group, redundant, -1, k, sign, Double.NaN, solver);
                    lps++;
                    if (!r.isOptimal()) { ok = false; break; }
                    double v = r.x()[k];
                    if (sign < 0) lo[k] = v; else hi[k] = v;
                }
            }
            if (ok) {
                for (int i = 0; i < rows; i++) {
                    if (group[i] != Integer.MIN_VALUE || facet[i]) continue;
                    double max = 0;
                    for (int k = 0; k < dim; k++) {
                        double ak = a[i * dim + k];
                        max += Math.max(ak * lo[k], ak * hi[k]);
                    }
                    if (max < s[i] - eps) redundant[i] = true;
                }
            }
        }
        // 4. one LP per remaining row
        for (int i = 0; i < rows; i++) {
            if (group[i] != Integer.MIN_VALUE || facet[i] || redundant[i]) continue;
            LpResult r = solveOver(dim, rows, a, s, group, redundant, i, -1, 0, radius, solver);
            lps++;
            if (!r.isOptimal()) continue; // cannot happen: the objective is capped; treat as redundant
            double[] y = r.x();
            double ay = 0;
            for (int k = 0; k < dim; k++) ay += a[i * dim + k] * y[k];
            if (ay > s[i] + eps) {
                facet[i] = true;
                double t = s[i] / ay;
                double[] q = new double[dim];
                for (int k = 0; k < dim; k++) q[k] = centre[k] + t * y[k];
                point[i] = q;
            } else {
                redundant[i] = true;
            }
        }
        // assemble
        int nf = 0;
        for (int i = 0; i < rows; i++) if (facet[i]) nf++;
        int[] facets = new int[nf];
        double[][] pts = new double[nf][];
        int f = 0;
        for (int i = 0; i < rows; i++) if (facet[i]) { facets[f] = i; pts[f] = point[i]; f++; }
        int[] groupOf = new int[rows];
        for (int i = 0; i < rows; i++) {
            if (group[i] == Integer.MIN_VALUE) groupOf[i] = facet[i] ? i : -1;
            else {
                int rep = -2 - group[i];
                groupOf[i] = facet[rep] ? rep : -1;
            }
        }
        return new Result(facets, groupOf, pts, lps);
    }

    /**
     * The Chebyshev ball of facet {@code row} inside its hyperplane: maximise {@code rho} subject to
     * {@code a_row . x = b_row} and {@code a_j . x + rho |a_j - (a_j . a_row) a_row| <= b_j} for the other rows
     * (those in {@code skip} excepted: the rows of the facet's own group). Its centre is the point of the facet
     * farthest from the facet's own boundary, the best place to step across it. One LP with dim + 1 variables.
     *
     * @param a      unit rows. Not modified.
     * @param b      right-hand sides. Not modified.
     * @param skip   rows to leave out (the facet's duplicates); may be null. Not modified.
     * @param origin centring point (a point near the facet). Not modified.
     * @return the ball (radius &lt;= 0 when the facet is degenerate)
     */
    public static ChebyshevBall facetCentre(int dim, int rows, double[] a, double[] b, int row, boolean[] skip,
                                            double[] origin, LpSolver solver) {
        int vars = dim + 1;
        double[] la = new double[(rows + 1) * vars];
        double[] lb = new double[rows + 1];
        int m = 0;
        double[] ai = java.util.Arrays.copyOfRange(a, row * dim, row * dim + dim);
        double bi = b[row];
        for (int k = 0; k < dim; k++) bi -= ai[k] * origin[k];
        for (int j = 0; j < rows; j++) {
            if (j == row || (skip != null && skip[j])) continue;
            double dot = 0, off = b[j];
            for (int k = 0; k < dim; k++) { dot += a[j * dim + k] * ai[k]; off -= a[j * dim + k] * origin[k]; }
            double pn = 0;
            for (int k = 0; k < dim; k++) {
                double v = a[j * dim + k] - dot * ai[k];
                pn += v * v;
            }
            for (int k = 0; k < dim; k++) la[m * vars + k] = a[j * dim + k];
            la[m * vars + dim] = Math.sqrt(pn);
            lb[m++] = off;
        }
        // the equality a_row . y = b_row as two inequalities
        double[] la2 = java.util.Arrays.copyOf(la, (m + 2) * vars);
        double[] lb2 = java.util.Arrays.copyOf(lb, m + 2);
        for (int k = 0; k < dim; k++) { la2[m * vars + k] = ai[k]; la2[(m + 1) * vars + k] = -ai[k]; }
        lb2[m] = bi;
        lb2[m + 1] = -bi;
        double[] obj = new double[vars];
        obj[dim] = 1;
        LpResult r = solver.solve(new LinearProgram(vars, m + 2, la2, lb2, obj));
        if (r.status() == LpResult.Status.UNBOUNDED) return new ChebyshevBall(null, Double.POSITIVE_INFINITY);
        if (!r.isOptimal()) return new ChebyshevBall(origin, -1);
        double[] y = r.x();
        double[] c = new double[dim];
        for (int k = 0; k < dim; k++) c[k] = origin[k] + y[k];
        return new ChebyshevBall(c, y[dim]);
    }

    /**
     * Maximises either {@code sign * y_k} (when {@code row < 0}) or {@code a_row . y} (capped at
     * {@code s_row + cap}) over the representative rows not known redundant, in coordinates centred at c.
     */
    private static LpResult solveOver(int dim, int rows, double[] a, double[] s, int[] group, boolean[] redundant,
                                      int row, int axis, int sign, double cap, LpSolver solver) {
        int m = 0;
        for (int j = 0; j < rows; j++) if (group[j] == Integer.MIN_VALUE && !redundant[j]) m++;
        double[] la = new double[m * dim];
        double[] lb = new double[m];
        int r = 0;
        for (int j = 0; j < rows; j++) {
            if (group[j] != Integer.MIN_VALUE || redundant[j]) continue;
            System.arraycopy(a, j * dim, la, r * dim, dim);
            lb[r] = j == row ? s[j] + cap : s[j];
            r++;
        }
        double[] obj = new double[dim];
        if (row < 0) obj[axis] = sign;
        else System.arraycopy(a, row * dim, obj, 0, dim);
        return solver.solve(new LinearProgram(dim, m, la, lb, obj));
    }
}
