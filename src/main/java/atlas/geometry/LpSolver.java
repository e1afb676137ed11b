package atlas.geometry;

/**
 * Solves small dense linear programs ({@link LinearProgram}: maximise c.x subject to A x &lt;= b, x free).
 *
 * <p>Contract: implementations are thread-safe (the region enumerator calls one instance from all cores), do
 * not modify the program, and report infeasible and unbounded programs through {@link LpResult#status()}
 * rather than by throwing. Feasibility is decided to the implementation's documented tolerance; callers that
 * need a strict decision compare the returned optimum against their own {@link Tolerance}.
 */
public interface LpSolver {

    /** Solves {@code lp}. */
    LpResult solve(LinearProgram lp);

    /** A short name for reports ("hipparchus-simplex"). */
    String name();

    /** The default solver: {@link HipparchusLpSolver} with its documented tolerances. */
    static LpSolver defaultSolver() { return HipparchusLpSolver.DEFAULT; }
}
