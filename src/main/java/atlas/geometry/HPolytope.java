package atlas.geometry;

import atlas.error.BadInputException;

import java.util.Arrays;

/**
 * A convex polyhedron in H-representation, {@code {x in R^dim : A x <= b}}: an input domain (a box, or a polytope
 * given by inequalities) or one linear region.
 *
 * @param dim  the dimension (&gt; 0)
 * @param rows the number of inequalities
 * @param a    A, row-major rows x dim; copied
 * @param b    b, length rows; copied
 */
public record HPolytope(int dim, int rows, double[] a, double[] b) {

    public HPolytope {
        if (dim <= 0) throw new BadInputException("polytope dimension must be positive, got " + dim);
        if (rows < 0 || a.length != rows * dim || b.length != rows)
            throw new BadInputException("polytope: A has " + a.length + " entries and b " + b.length + ", expected "
                    + rows + "x" + dim + " and " + rows);
        for (double v : a) if (!Double.isFinite(v)) throw new BadInputException("polytope: A holds a non-finite number");
        for (double v : b) if (!Double.isFinite(v)) throw new BadInputException("polytope: b holds a non-finite number");
        a = a.clone();
        b = b.clone();
    }

    /** A, not copied: do not modify. */
    @Override public double[] a() { return a; }

    /** b, not copied: do not modify. */
    @Override public double[] b() { return b; }

    /** The box {@code lo[k] <= x_k <= hi[k]}: rows {@code x_k <= hi_k} then {@code -x_k <= -lo_k}, k = 0..dim-1. */
    public static HPolytope box(double[] lo, double[] hi) {
        if (lo.length != hi.length || lo.length == 0) throw new BadInputException("box bounds have different lengths");
        int d = lo.length;
        double[] a = new double[2 * d * d];
        double[] b = new double[2 * d];
        for (int k = 0; k < d; k++) {
            if (!(lo[k] < hi[k])) throw new BadInputException("box side " + k + ": lower bound " + lo[k] + " is not below upper bound " + hi[k]);
            a[(2 * k) * d + k] = 1;
            b[2 * k] = hi[k];
            a[(2 * k + 1) * d + k] = -1;
            b[2 * k + 1] = -lo[k];
        }
        return new HPolytope(d, 2 * d, a, b);
    }

    /** The cube {@code [lo, hi]^dim}. */
    public static HPolytope cube(int dim, double lo, double hi) {
        double[] l = new double[dim], h = new double[dim];
        Arrays.fill(l, lo);
        Arrays.fill(h, hi);
        return box(l, h);
    }

    /**
     * Parses a box for {@code dim} inputs: {@code "lo,hi"} (the same interval on every axis) or
     * {@code "lo1,hi1,lo2,hi2,..."} (one interval per axis).
     */
    public static HPolytope parseBox(String s, int dim) {
        String[] parts = s.trim().split("\\s*,\\s*");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new BadInputException("--box: '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i])) throw new BadInputException("--box: " + parts[i] + " is not finite");
        }
        double[] lo = new double[dim], hi = new double[dim];
        if (v.length == 2) {
            Arrays.fill(lo, v[0]);
            Arrays.fill(hi, v[1]);
        } else if (v.length == 2 * dim) {
            for (int k = 0; k < dim; k++) { lo[k] = v[2 * k]; hi[k] = v[2 * k + 1]; }
        } else {
            throw new BadInputException("--box needs 2 numbers (lo,hi) or " + 2 * dim + " (lo,hi per input), got " + v.length);
        }
        for (int k = 0; k < dim; k++)
            if (!(lo[k] < hi[k])) throw new BadInputException("--box: lower bound " + lo[k] + " is not below upper bound " + hi[k]);
        return box(lo, hi);
    }

    /** Row i's coefficient on variable k. */
    public double a(int i, int k) { return a[i * dim + k]; }

    /** {@code max_i (a_i . x - b_i)}: &lt;= 0 iff x is inside. @param x Not modified. */
    public double maxViolation(double[] x) {
        double worst = rows == 0 ? 0 : Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            double s = -b[i];
            for (int k = 0; k < dim; k++) s += a[i * dim + k] * x[k];
            worst = Math.max(worst, s);
        }
        return worst;
    }

    /** True when this is an axis-aligned box as built by {@link #box}. */
    public boolean isBox() {
        if (rows != 2 * dim) return false;
        for (int k = 0; k < dim; k++)
            for (int j = 0; j < dim; j++) {
                if (a(2 * k, j) != (j == k ? 1 : 0)) return false;
                if (a(2 * k + 1, j) != (j == k ? -1 : 0)) return false;
            }
        return true;
    }

    /** For a box: its volume (product of side lengths); NaN otherwise. */
    public double boxVolume() {
        if (!isBox()) return Double.NaN;
        double v = 1;
        for (int k = 0; k < dim; k++) v *= b[2 * k] + b[2 * k + 1];
        return v;
    }

    /** For a box: its lower corner; null otherwise. */
    public double[] boxLo() {
        if (!isBox()) return null;
        double[] lo = new double[dim];
        for (int k = 0; k < dim; k++) lo[k] = -b[2 * k + 1];
        return lo;
    }

    /** For a box: its upper corner; null otherwise. */
    public double[] boxHi() {
        if (!isBox()) return null;
        double[] hi = new double[dim];
        for (int k = 0; k < dim; k++) hi[k] = b[2 * k];
        return hi;
    }
}
