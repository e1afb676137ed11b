package atlas.geometry;

/**
 * The answer of an {@link LpSolver}.
 *
 * @param status OPTIMAL, INFEASIBLE or UNBOUNDED
 * @param x      an optimal point when OPTIMAL, otherwise null; copied
 * @param value  the optimal objective value when OPTIMAL, NaN when INFEASIBLE, +infinity when UNBOUNDED
 */
public record LpResult(Status status, double[] x, double value) {

    /** How a linear program ended. */
    public enum Status { OPTIMAL, INFEASIBLE, UNBOUNDED }

    public LpResult {
        if (status == null) throw new IllegalArgumentException("status is null");
        if (status == Status.OPTIMAL && x == null) throw new IllegalArgumentException("an optimal result needs a point");
        x = x == null ? null : x.clone();
    }

    public static LpResult infeasible() { return new LpResult(Status.INFEASIBLE, null, Double.NaN); }

    public static LpResult unbounded() { return new LpResult(Status.UNBOUNDED, null, Double.POSITIVE_INFINITY); }

    public boolean isOptimal() { return status == Status.OPTIMAL; }

    @Override public double[] x() { return x == null ? null : x.clone(); }
}
