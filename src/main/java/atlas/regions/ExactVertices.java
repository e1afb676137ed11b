package atlas.regions;

import atlas.geometry.Rational;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The vertices of a polytope {a.x <= b} in exact integer arithmetic: every dim-subset of a list of hyperplanes
 * a.x = b is solved by fraction-free Gauss-Jordan elimination (Bareiss), and a solution is a vertex when it satisfies
 * every constraint. Rows of rationals are scaled to integers once (by the least common multiple of their
 * denominators, a power of two for the dyadic rows of float64 weights), so a subset costs integer multiplications
 * and exact divisions, with no gcd per operation as rational arithmetic needs.
 *
 * <p>A vertex is kept as integers {@code (n_0, ..., n_{dim-1}, d)} with {@code d > 0} and no common factor, x = n / d,
 * so equal points have equal arrays.
 */
final class ExactVertices {
    private final int dim;
    /** the constraints a.x <= b as integer rows {a_0..a_{dim-1}, b} */
    private final List<BigInteger[]> constraints = new ArrayList<>();

    ExactVertices(int dim) { this.dim = dim; }

    /** Adds the constraint a.x <= b. */
    void addConstraint(Rational[] a, Rational b) { constraints.add(integerRow(a, b)); }

    /** The row {a, b} times the least common multiple of its denominators: integers of the same hyperplane. */
    static BigInteger[] integerRow(Rational[] a, Rational b) {
        BigInteger l = b.den();
        for (Rational v : a) l = lcm(l, v.den());
        BigInteger[] r = new BigInteger[a.length + 1];
        for (int j = 0; j < a.length; j++) r[j] = a[j].num().multiply(l.divide(a[j].den()));
        r[a.length] = b.num().multiply(l.divide(b.den()));
        return r;
    }

    private static BigInteger lcm(BigInteger x, BigInteger y) {
        if (x.equals(y) || y.equals(BigInteger.ONE)) return x;
        if (x.equals(BigInteger.ONE)) return y;
        if (x.bitCount() == 1 && y.bitCount() == 1) return x.bitLength() >= y.bitLength() ? x : y;
        return x.divide(x.gcd(y)).multiply(y);
    }

    /**
     * The distinct points where {@code dim} of the hyperplanes (integer rows {a, b}: a.x = b) meet in one point and
     * every constraint holds.
     */
    List<BigInteger[]> vertices(List<BigInteger[]> planes) {
        int m = planes.size();
        List<BigInteger[]> out = new ArrayList<>();
        Set<List<BigInteger>> distinct = new HashSet<>();
        BigInteger[][] work = new BigInteger[dim][dim + 1];
        int[] pick = new int[dim];
        for (int c = 0; c < dim; c++) pick[c] = c;
        while (m >= dim) {
            BigInteger[] x = solve(planes, pick, work);
            if (x != null && satisfiesAll(x) && distinct.add(Arrays.asList(x))) out.add(x);
            int c = dim - 1;
            while (c >= 0 && pick[c] == m - dim + c) c--;
            if (c < 0) break;
            pick[c]++;
            for (int d = c + 1; d < dim; d++) pick[d] = pick[d - 1] + 1;
        }
        return out;
    }

    /** Whether the vertex x = n / d lies on the hyperplane of the integer row {a, b}: a.n = b d. */
    static boolean on(BigInteger[] row, BigInteger[] x) {
        return side(row, x) == 0;
    }

    /** The sign of a.x - b at x = n / d (d > 0): of a.n - b d. */
    private static int side(BigInteger[] row, BigInteger[] x) {
        int dim = x.length - 1;
        BigInteger s = row[dim].multiply(x[dim]).negate();
        for (int j = 0; j < dim; j++) if (row[j].signum() != 0 && x[j].signum() != 0) s = s.add(row[j].multiply(x[j]));
        return s.signum();
    }

    private boolean satisfiesAll(BigInteger[] x) {
        for (BigInteger[] row : constraints) if (side(row, x) > 0) return false;
        return true;
    }

    /**
     * The point where the picked hyperplanes meet, as reduced integers {n, d} with d > 0; null when they do not meet
     * in one point. Fraction-free Gauss-Jordan: after step k every entry is a k+1 by k+1 minor of the input, so each
     * division by the previous pivot is exact, and at the end the matrix is det [I | x].
     */
    private BigInteger[] solve(List<BigInteger[]> planes, int[] pick, BigInteger[][] m) {
        int n = dim;
        for (int r = 0; r < n; r++) System.arraycopy(planes.get(pick[r]), 0, m[r], 0, n + 1);
        BigInteger prev = BigInteger.ONE;
        for (int k = 0; k < n; k++) {
            int piv = -1;
            for (int r = k; r < n && piv < 0; r++) if (m[r][k].signum() != 0) piv = r;
            if (piv < 0) return null;
            BigInteger[] t = m[piv]; m[piv] = m[k]; m[k] = t;
            for (int i = 0; i < n; i++) {
                if (i == k) continue;
                BigInteger f = m[i][k];
                for (int j = 0; j <= n; j++) {
                    if (j == k) continue;
                    m[i][j] = m[k][k].multiply(m[i][j]).subtract(f.multiply(m[k][j])).divide(prev);
                }
                m[i][k] = BigInteger.ZERO;
            }
            prev = m[k][k];
        }
        // now m[i][i] = det for every i and m[i][n] = det x_i
        BigInteger den = m[0][0];
        BigInteger[] x = new BigInteger[n + 1];
        BigInteger g = den.abs();
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n];
            g = g.gcd(x[i]);
        }
        if (den.signum() < 0) g = g.negate();
        for (int i = 0; i < n; i++) x[i] = x[i].divide(g);
        x[n] = den.divide(g);
        return x;
    }
}
