package atlas.regions;

import atlas.error.BadInputException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A tropical polynomial in n real variables, {@code p(x) = max_i (a_i . x + c_i)}: a finite set of monomials
 * {@code (a_i, c_i)} (coefficient vector, constant). In tropical arithmetic "+" is max and "x" is +, so the
 * tropical sum of two polynomials is the union of their monomials and their tropical product is the set of
 * pairwise sums (a Minkowski sum). Immutable.
 *
 * <p>Duplicates: monomials whose coefficient vectors are equal are merged, keeping the larger constant (the
 * smaller can never be the maximum). Equality is tested after rounding each coefficient to a grid of
 * {@link #MERGE_QUANTUM} relative to the polynomial's largest coefficient, so that sums formed in different
 * orders merge; a pair that straddles a grid line stays as two monomials, which changes the count, never the
 * value. Monomials that are never the maximum for another reason (below the upper hull) are kept unless
 * {@link #pruneHull} (one variable, exact), {@link #pruneOn} (two variables, on a rectangle) or
 * {@link #pruneDominated} (any number, linear programs) removes them.
 *
 * <p>Storage: {@code coef} row-major, one row of n per monomial; {@code constant} one per monomial.
 */
public final class TropicalPolynomial {
    /** Relative grid on which coefficient vectors are compared for merging (not a geometric tolerance). */
    public static final double MERGE_QUANTUM = 1e-12;

    private final int n;
    private final double[] coef;
    private final double[] constant;

    private TropicalPolynomial(int n, double[] coef, double[] constant) {
        this.n = n;
        this.coef = coef;
        this.constant = constant;
    }

    /** The polynomial with the given monomials, duplicates merged. Arrays are copied. */
    public static TropicalPolynomial of(int n, double[] coef, double[] constant) {
        if (n < 1 || constant.length == 0 || coef.length != constant.length * n)
            throw new IllegalArgumentException("a tropical polynomial needs at least one monomial of " + n + " coefficients");
        return merge(n, coef.clone(), constant.clone(), constant.length);
    }

    /** The constant polynomial c (one monomial, zero coefficients). */
    public static TropicalPolynomial constant(int n, double c) {
        return new TropicalPolynomial(n, new double[n], new double[]{c});
    }

    /** The variable {@code x_k}. */
    public static TropicalPolynomial variable(int n, int k) {
        double[] a = new double[n];
        a[k] = 1;
        return new TropicalPolynomial(n, a, new double[]{0});
    }

    public int variables() { return n; }

    /** Number of monomials. */
    public int size() { return constant.length; }

    /** Coefficient k of monomial i. */
    public double coefficient(int i, int k) { return coef[i * n + k]; }

    /** Constant of monomial i. */
    public double constantOf(int i) { return constant[i]; }

    /** {@code max_i (a_i . x + c_i)}. */
    public double evaluate(double[] x) {
        int i = argmax(x);
        return constant[i] + dot(i, x);
    }

    /** The index of a monomial attaining the maximum at x (the first one on ties). */
    public int argmax(double[] x) {
        if (x.length != n) throw new IllegalArgumentException("point has " + x.length + " coordinates, the polynomial " + n + " variables");
        int best = 0;
        double bv = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < constant.length; i++) {
            double v = constant[i] + dot(i, x);
            if (v > bv) { bv = v; best = i; }
        }
        return best;
    }

    private double dot(int i, double[] x) {
        double s = 0;
        for (int k = 0; k < n; k++) s += coef[i * n + k] * x[k];
        return s;
    }

    /** Tropical sum: {@code max(this, o)}. */
    public TropicalPolynomial max(TropicalPolynomial o) {
        check(o);
        int m = size() + o.size();
        double[] a = Arrays.copyOf(coef, m * n);
        System.arraycopy(o.coef, 0, a, size() * n, o.size() * n);
        double[] c = Arrays.copyOf(constant, m);
        System.arraycopy(o.constant, 0, c, size(), o.size());
        return merge(n, a, c, m);
    }

    /**
     * Tropical product: {@code this + o} as functions, the pairwise sums of monomials.
     *
     * @param limit the largest number of monomials allowed before merging
     * @throws IllegalArgumentException when {@code size() * o.size() > limit}
     */
    public TropicalPolynomial times(TropicalPolynomial o, long limit) {
        check(o);
        long m = (long) size() * o.size();
        if (m > limit) throw new BadInputException("tropical form too large: a product of " + size() + " and " + o.size()
                + " monomials exceeds the limit of " + limit);
        int mm = (int) m;
        double[] a = new double[mm * n], c = new double[mm];
        int r = 0;
        for (int i = 0; i < size(); i++) {
            for (int j = 0; j < o.size(); j++, r++) {
                for (int k = 0; k < n; k++) a[r * n + k] = coef[i * n + k] + o.coef[j * n + k];
                c[r] = constant[i] + o.constant[j];
            }
        }
        return merge(n, a, c, mm);
    }

    /** {@code s * p} for {@code s >= 0} (every monomial scaled; for s = 0 the constant 0). */
    public TropicalPolynomial scale(double s) {
        if (!(s >= 0)) throw new IllegalArgumentException("a tropical polynomial can only be scaled by s >= 0, got " + s);
        if (s == 1) return this;
        if (s == 0) return constant(n, 0);
        double[] a = coef.clone(), c = constant.clone();
        for (int k = 0; k < a.length; k++) a[k] *= s;
        for (int k = 0; k < c.length; k++) c[k] *= s;
        return merge(n, a, c, c.length);
    }

    /** {@code p + b} (every constant shifted). */
    public TropicalPolynomial shift(double b) {
        if (b == 0) return this;
        double[] c = constant.clone();
        for (int k = 0; k < c.length; k++) c[k] += b;
        return new TropicalPolynomial(n, coef, c);
    }

    /**
     * The polynomial without the monomials that are nowhere the strict maximum, decided by a linear program per
     * monomial that no sample point certifies: keep monomial i iff some x has {@code a_i.x + c_i > a_j.x + c_j}
     * for every other j. Exact up to the LP's rounding; O(m) LPs of m constraints.
     *
     * @param limit monomial counts above this are returned unpruned
     */
    public TropicalPolynomial pruneDominated(int limit) {
        if (size() <= 1 || size() > limit) return this;
        return keep(TropicalPruning.maximalSomewhere(n, coef, constant));
    }

    /** One variable: only the monomials on the upper hull of the points (a_i, c_i), exact on all of R. */
    public TropicalPolynomial pruneHull() {
        if (n != 1) throw new IllegalArgumentException("hull pruning is for one variable, this polynomial has " + n);
        if (size() <= 2) return this;
        return keep(TropicalEnvelope.upperHull1D(coef, constant));
    }

    /**
     * Two variables: only the monomials that are the maximum on a part of {@code box} with positive area; the
     * result equals this polynomial on the box (not outside it).
     */
    public TropicalPolynomial pruneOn(atlas.geometry.Rectangle box, atlas.geometry.Tolerance tol) {
        if (n != 2) throw new IllegalArgumentException("box pruning is for two variables, this polynomial has " + n);
        if (size() <= 1) return this;
        return keep(TropicalEnvelope.envelope2D(coef, constant, box, tol));
    }

    private TropicalPolynomial keep(boolean[] keep) {
        int m = 0;
        for (boolean b : keep) if (b) m++;
        if (m == size()) return this;
        double[] a = new double[m * n], c = new double[m];
        int r = 0;
        for (int i = 0; i < keep.length; i++) {
            if (!keep[i]) continue;
            System.arraycopy(coef, i * n, a, r * n, n);
            c[r++] = constant[i];
        }
        return new TropicalPolynomial(n, a, c);
    }

    private void check(TropicalPolynomial o) {
        if (o.n != n) throw new IllegalArgumentException("tropical polynomials in " + n + " and " + o.n + " variables");
    }

    /** Merges monomials with equal (gridded) coefficient vectors, keeping the larger constant. */
    private static TropicalPolynomial merge(int n, double[] a, double[] c, int m) {
        double scale = 0;
        for (int k = 0; k < m * n; k++) scale = Math.max(scale, Math.abs(a[k]));
        double q = MERGE_QUANTUM * Math.max(scale, Double.MIN_NORMAL);
        Map<Key, Integer> seen = new HashMap<>(m * 2);
        int out = 0;
        double[] na = new double[m * n], nc = new double[m];
        for (int i = 0; i < m; i++) {
            long[] key = new long[n];
            for (int k = 0; k < n; k++) key[k] = Math.round(a[i * n + k] / q);
            Integer at = seen.putIfAbsent(new Key(key), out);
            if (at == null) {
                System.arraycopy(a, i * n, na, out * n, n);
                nc[out++] = c[i];
            } else if (c[i] > nc[at]) {
                nc[at] = c[i];
            }
        }
        return new TropicalPolynomial(n, out == m ? na : Arrays.copyOf(na, out * n), out == m ? nc : Arrays.copyOf(nc, out));
    }

    private record Key(long[] k) {
        @Override public boolean equals(Object o) { return o instanceof Key other && Arrays.equals(k, other.k); }
        @Override public int hashCode() { return Arrays.hashCode(k); }
    }
}
