package atlas.geometry;

/**
 * Chebyshev centres (centre and radius of the largest inscribed ball) of polyhedra, by one LP:
 * maximise {@code r} subject to {@code (a_i / |a_i|) . y + r <= (b_i - a_i . o) / |a_i|}, with {@code y = x - o}.
 *
 * <p>Numerical care: every row is scaled to unit Euclidean norm (so that {@code r} and all slacks are
 * distances, and the LP solver's absolute epsilon is a distance), and the coordinates are centred at a point
 * {@code o} the caller knows to be near or inside the polyhedron (a region's witness point, a box's centre), so
 * that the LP sees numbers of the region's own size rather than of its distance from the origin. Rows that are
 * exactly zero are constant constraints {@code 0 <= b_i}: ignored when {@code b_i >= 0}, and making the set
 * empty (radius {@code b_i < 0}) otherwise. Cost: one LP with dim + 1 variables and one constraint per row.
 */
public final class Chebyshev {
    private Chebyshev() {}

    /**
     * The Chebyshev ball of {@code p}.
     *
     * @param p      the polyhedron. Not modified.
     * @param origin the centring point o (any point; best one inside). Not modified.
     * @param solver the LP solver
     * @return the ball; negative radius when empty, infinite when unbounded
     */
    public static ChebyshevBall of(HPolytope p, double[] origin, LpSolver solver) {
        return of(p, origin, solver, Double.POSITIVE_INFINITY);
    }

    /**
     * The Chebyshev ball of {@code p} with the radius capped at {@code maxRadius} (one more LP row): for an unbounded
     * polyhedron this still gives a centre well inside it. A result whose radius equals the cap means "at least".
     *
     * @param maxRadius the cap, or +infinity for none
     */
    public static ChebyshevBall of(HPolytope p, double[] origin, LpSolver solver, double maxRadius) {
        int n = p.dim();
        if (origin.length != n) throw new IllegalArgumentException("origin has " + origin.length + " values, expected " + n);
        int vars = n + 1;
        double[] a = new double[(p.rows() + 1) * vars];
        double[] b = new double[p.rows() + 1];
        int m = 0;
        double worstConstant = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p.rows(); i++) {
            double norm = 0, dot = 0;
            for (int k = 0; k < n; k++) {
                double v = p.a(i, k);
                norm += v * v;
                dot += v * origin[k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                worstConstant = Math.min(worstConstant, p.b()[i]);
                continue;
            }
            for (int k = 0; k < n; k++) a[m * vars + k] = p.a(i, k) / norm;
            a[m * vars + n] = 1;
            b[m] = (p.b()[i] - dot) / norm;
            m++;
        }
        if (worstConstant < 0) return new ChebyshevBall(origin, worstConstant);
        if (maxRadius < Double.POSITIVE_INFINITY) {
            a[m * vars + n] = 1;
            b[m] = maxRadius;
            m++;
        }
        double[] obj = new double[vars];
        obj[n] = 1;
        LinearProgram lp = new LinearProgram(vars, m, java.util.Arrays.copyOf(a, m * vars), java.util.Arrays.copyOf(b, m), obj);
        LpResult r = solver.solve(lp);
        if (r.status() == LpResult.Status.UNBOUNDED) return new ChebyshevBall(null, Double.POSITIVE_INFINITY);
        if (r.status() == LpResult.Status.INFEASIBLE) // cannot happen (r is free), but stay total
            return new ChebyshevBall(origin, Double.NEGATIVE_INFINITY);
        double[] y = r.x();
        double[] c = new double[n];
        for (int k = 0; k < n; k++) c[k] = origin[k] + y[k];
        return new ChebyshevBall(c, y[n]);
    }
}
