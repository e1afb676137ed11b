package atlas.geometry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact rational number {@code num / den} in lowest terms with {@code den > 0} (slow and simple: for the exact
 * decisions of certified mode, see {@link ExactLpSolver}). Every finite double converts exactly.
 */
public record Rational(BigInteger num, BigInteger den) implements Comparable<Rational> {
    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    public Rational {
        if (den.signum() == 0) throw new ArithmeticException("zero denominator");
        if (den.signum() < 0) { num = num.negate(); den = den.negate(); }
        if (num.signum() == 0) {
            den = BigInteger.ONE;
        } else if (den.bitCount() == 1) {
            // a dyadic denominator (every double, and sums and products of doubles): the gcd is a power of two
            int s = Math.min(num.getLowestSetBit(), den.getLowestSetBit());
            if (s > 0) { num = num.shiftRight(s); den = den.shiftRight(s); }
        } else {
            BigInteger g = num.gcd(den);
            if (!g.equals(BigInteger.ONE)) { num = num.divide(g); den = den.divide(g); }
        }
    }

    /** The exact value of a finite double. */
    public static Rational of(double x) {
        if (!Double.isFinite(x)) throw new IllegalArgumentException("not a finite number: " + x);
        if (x == 0) return ZERO;
        long bits = Double.doubleToRawLongBits(x);
        int ex = (int) ((bits >>> 52) & 0x7ff);
        long m = bits & 0xfffffffffffffL;
        if (ex != 0) m |= 1L << 52;
        int e = (ex == 0 ? 1 : ex) - 1075;
        BigInteger n = BigInteger.valueOf(x < 0 ? -m : m);
        return e >= 0 ? new Rational(n.shiftLeft(e), BigInteger.ONE) : new Rational(n, BigInteger.ONE.shiftLeft(-e));
    }

    public static Rational of(long x) { return new Rational(BigInteger.valueOf(x), BigInteger.ONE); }

    public Rational add(Rational o) {
        if (den.equals(o.den)) return new Rational(num.add(o.num), den);
        return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational subtract(Rational o) { return add(o.negate()); }

    public Rational multiply(Rational o) {
        if (num.signum() == 0 || o.num.signum() == 0) return ZERO;
        return new Rational(num.multiply(o.num), den.multiply(o.den));
    }

    public Rational divide(Rational o) { return new Rational(num.multiply(o.den), den.multiply(o.num)); }

    public Rational negate() { return new Rational(num.negate(), den); }

    public int signum() { return num.signum(); }

    @Override
    public int compareTo(Rational o) { return num.multiply(o.den).compareTo(o.num.multiply(den)); }

    /** The nearest double (to about 1e-17 relative: 20 significant digits before the final rounding). */
    public double toDouble() {
        return new BigDecimal(num).divide(new BigDecimal(den), new MathContext(20)).doubleValue();
    }

    @Override
    public String toString() { return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den; }
}
