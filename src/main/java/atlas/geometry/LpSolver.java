package atlas.geometry;

import atlas.error.BadInputException;

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

    /**
     * The default solver: {@link DualSimplexLpSolver} (measured about 10x faster per LP than Hipparchus on region LPs and
     * cross-checked against it by tests); {@link HipparchusLpSolver} is the library alternative.
     */
    static LpSolver defaultSolver() { return DualSimplexLpSolver.DEFAULT; }

    /** The solver named {@code name}: "dual-simplex", "hipparchus" or "exact" (one-line error otherwise). */
    static LpSolver byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "dual-simplex", "dual" -> DualSimplexLpSolver.DEFAULT;
            case "hipparchus", "hipparchus-simplex" -> HipparchusLpSolver.DEFAULT;
            case "exact" -> ExactLpSolver.DEFAULT;
            default -> throw new BadInputException("unknown LP solver '" + name + "' (dual-simplex, hipparchus or exact)");
        };
    }
}
