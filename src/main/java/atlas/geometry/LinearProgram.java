package atlas.geometry;

/**
 * A linear program in inequality form: maximise {@code objective . x} subject to {@code A x <= b}, with every
 * variable free (no sign constraint). The form every region computation needs: Chebyshev centres, facet
 * (redundancy) tests and bounding boxes are all of this shape.
 *
 * @param vars      number of variables n (&gt; 0)
 * @param rows      number of constraints m (&gt;= 0)
 * @param a         A, row-major m x n; copied
 * @param b         b, length m; copied
 * @param objective c, length n; copied
 */
public record LinearProgram(int vars, int rows, double[] a, double[] b, double[] objective) {

    public LinearProgram {
        if (vars <= 0) throw new IllegalArgumentException("a linear program needs at least one variable, got " + vars);
        if (rows < 0) throw new IllegalArgumentException("negative number of constraints: " + rows);
        if (a.length != rows * vars) throw new IllegalArgumentException("A has " + a.length + " entries, expected " + rows + "x" + vars);
        if (b.length != rows) throw new IllegalArgumentException("b has " + b.length + " entries, expected " + rows);
        if (objective.length != vars) throw new IllegalArgumentException("objective has " + objective.length + " entries, expected " + vars);
        for (double v : a) if (!Double.isFinite(v)) throw new IllegalArgumentException("A holds a non-finite number");
        for (double v : b) if (!Double.isFinite(v)) throw new IllegalArgumentException("b holds a non-finite number");
        for (double v : objective) if (!Double.isFinite(v)) throw new IllegalArgumentException("objective holds a non-finite number");
        a = a.clone();
        b = b.clone();
        objective = objective.clone();
    }

    /** A, not copied: do not modify. */
    @Override public double[] a() { return a; }

    /** b, not copied: do not modify. */
    @Override public double[] b() { return b; }

    /** c, not copied: do not modify. */
    @Override public double[] objective() { return objective; }

    /** Entry (row, col) of A. */
    public double a(int row, int col) { return a[row * vars + col]; }

    /** The largest violation {@code max_i (A x - b)_i} (&lt;= 0 when x is feasible). @param x Not modified. */
    public double maxViolation(double[] x) {
        double worst = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            double s = -b[i];
            for (int j = 0; j < vars; j++) s += a[i * vars + j] * x[j];
            worst = Math.max(worst, s);
        }
        return rows == 0 ? 0 : worst;
    }
}
