package atlas.geometry;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.linear.LinearConstraint;
import org.hipparchus.optim.linear.LinearConstraintSet;
import org.hipparchus.optim.linear.LinearObjectiveFunction;
import org.hipparchus.optim.linear.NonNegativeConstraint;
import org.hipparchus.optim.linear.PivotSelectionRule;
import org.hipparchus.optim.linear.Relationship;
import org.hipparchus.optim.linear.SimplexSolver;
import org.hipparchus.optim.nonlinear.scalar.GoalType;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link LpSolver} on the two-phase tableau simplex of Hipparchus ({@code org.hipparchus.optim.linear.SimplexSolver}),
 * measured as the fastest pure-Java choice for the many small LPs of region enumeration (about 0.1 ms for a
 * Chebyshev LP with 2-10 variables and 60 constraints; ojAlgo was 3x slower, see DEPENDENCIES.md).
 *
 * <p>Tolerances (documented because they decide feasibility):
 * <ul>
 *   <li>{@code epsilon} (default 1e-10): Hipparchus's threshold for reduced costs and ratio tests, and for
 *       phase 1 declaring the program infeasible. It is absolute, so callers should scale their rows to unit
 *       norm and centre the coordinates at a point of interest, as {@link Chebyshev} and {@link Facets} do;
 *       then it is a distance.</li>
 *   <li>{@code maxUlps} (10): ULPs for equality of tableau entries.</li>
 *   <li>{@code cutOff} (1e-12): tableau entries below it are set to zero after each pivot.</li>
 * </ul>
 * Pivoting: Dantzig's rule; if it runs past the iteration cap (degenerate programs can cycle) the program is
 * solved again with Bland's rule, which cannot cycle. Free variables are handled by Hipparchus (one shared
 * shift variable). Stateless and thread-safe: every call builds its own tableau.
 */
public final class HipparchusLpSolver implements LpSolver {

    /** epsilon 10 {@link Tolerance#LP_EPS} (1e-10 up to an ulp), maxUlps 10, cutOff {@link Tolerance#LP_EPS} / 10 (1e-12). */
    public static final HipparchusLpSolver DEFAULT = new HipparchusLpSolver(10 * Tolerance.LP_EPS, 10, Tolerance.LP_EPS / 10);

    private final double epsilon;
    private final int maxUlps;
    private final double cutOff;

    public HipparchusLpSolver(double epsilon, int maxUlps, double cutOff) {
        if (!(epsilon > 0 && epsilon < 1e-3)) throw new IllegalArgumentException("LP epsilon must be in (0, 1e-3): " + epsilon);
        if (maxUlps < 0) throw new IllegalArgumentException("maxUlps must be >= 0");
        if (!(cutOff >= 0 && cutOff < 1e-3)) throw new IllegalArgumentException("cutOff must be in [0, 1e-3): " + cutOff);
        this.epsilon = epsilon;
        this.maxUlps = maxUlps;
        this.cutOff = cutOff;
    }

    public double epsilon() { return epsilon; }

    @Override
    public String name() { return "hipparchus-simplex"; }

    @Override
    public LpResult solve(LinearProgram lp) {
        int n = lp.vars(), m = lp.rows();
        List<LinearConstraint> cons = new ArrayList<>(m);
        double[] a = lp.a(), b = lp.b();
        for (int i = 0; i < m; i++) {
            double[] row = new double[n];
            System.arraycopy(a, i * n, row, 0, n);
            cons.add(new LinearConstraint(row, Relationship.LEQ, b[i]));
        }
        int cap = 50 * (n + m) + 100;
        try {
            return run(lp, cons, PivotSelectionRule.DANTZIG, cap);
        } catch (org.hipparchus.exception.MathIllegalStateException e) {
            if (!isMaxIter(e)) throw e;
            return run(lp, cons, PivotSelectionRule.BLAND, 20 * cap);
        }
    }

    private LpResult run(LinearProgram lp, List<LinearConstraint> cons, PivotSelectionRule rule, int cap) {
        SimplexSolver solver = new SimplexSolver(epsilon, maxUlps, cutOff);
        try {
            PointValuePair p = solver.optimize(new MaxIter(cap),
                    new LinearObjectiveFunction(lp.objective(), 0),
                    new LinearConstraintSet(cons), GoalType.MAXIMIZE, new NonNegativeConstraint(false), rule);
            return new LpResult(LpResult.Status.OPTIMAL, p.getPoint(), p.getValue());
        } catch (MathIllegalStateException e) {
            String what = String.valueOf(e.getSpecifier());
            if (what.contains("NO_FEASIBLE_SOLUTION")) return LpResult.infeasible();
            if (what.contains("UNBOUNDED_SOLUTION")) return LpResult.unbounded();
            throw e;
        }
    }

    private static boolean isMaxIter(MathIllegalStateException e) {
        return String.valueOf(e.getSpecifier()).contains("MAX_COUNT_EXCEEDED");
    }
}
