package atlas.net;

import atlas.error.BadInputException;

import java.util.Locale;

/**
 * The range of numbers for which the exact region computations are valid in double precision, and the check
 * that a network on a domain stays within it.
 *
 * <p>Why a bound: the kernels multiply pre-activation values and map coefficients with each other and with
 * coordinates (cross products, determinants, polygon areas, LP pivots). Keeping every such number within
 * {@code |v| <= LIMIT = 1e150} keeps any product of two of them below 1e300, and sums of thousands of them
 * below the largest double (1.8e308), so nothing overflows to Infinity or NaN. Beyond it a network can give a
 * zero affine map, an all-zero pattern or a NaN area with no other sign of trouble; we refuse instead.
 *
 * <p>The check: interval arithmetic through the network over the domain's bounding box, each coordinate
 * interval widened to a width of at least 2 around its centre, so that the bound also covers the slopes (the
 * coefficients of every region's affine map) and not only the values. Every input coordinate and every
 * pre-activation's interval must lie within {@code [-LIMIT, LIMIT]}. Interval bounds are pessimistic, so a
 * very deep network with large weights can be refused although its true values are smaller; weights and
 * biases of trained and Kaiming-initialised networks are far inside. Cost: one pass over the weights.
 */
public final class NumericRange {
    private NumericRange() {}

    /** The largest magnitude of a coordinate, pre-activation or map coefficient accepted. */
    public static final double LIMIT = 1e150;

    /**
     * Checks {@code net} on the box {@code [lo, hi]} (one interval per input).
     *
     * @param what names the domain in the message (e.g. "the domain", "the segment")
     * @throws NumericRangeException naming the first layer whose pre-activations can exceed {@link #LIMIT}
     */
    public static void check(Network net, double[] lo, double[] hi, String what) {
        int n = net.inputDim();
        if (lo.length != n || hi.length != n) throw new BadInputException("box has " + lo.length + " intervals, the network has " + n + " inputs");
        double[][] hLo = new double[net.depth() + 1][];
        double[][] hHi = new double[net.depth() + 1][];
        hLo[0] = new double[n];
        hHi[0] = new double[n];
        for (int k = 0; k < n; k++) {
            double m = Math.max(Math.abs(lo[k]), Math.abs(hi[k]));
            if (!(m <= LIMIT))
                throw new NumericRangeException(String.format(Locale.ROOT,
                        "%s reaches %.3g in input %d, beyond the valid range |value| <= %.0e (see README, Numerical range)", what, m, k + 1, LIMIT));
            double c = 0.5 * lo[k] + 0.5 * hi[k];
            double r = Math.max(1.0, 0.5 * hi[k] - 0.5 * lo[k]);
            hLo[0][k] = c - r;
            hHi[0][k] = c + r;
        }
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            int units = l.units();
            double[] zLo = new double[units];
            double[] zHi = new double[units];
            affine(l.weights(), l.inputSize(), units, l.bias(), hLo[i - 1], hHi[i - 1], zLo, zHi);
            for (Skip s : l.skips()) {
                double[] sLo = hLo[s.from()], sHi = hHi[s.from()];
                if (s.isIdentity()) {
                    for (int u = 0; u < units; u++) { zLo[u] += sLo[u]; zHi[u] += sHi[u]; }
                } else {
                    double[] tLo = new double[units], tHi = new double[units];
                    affine(s.weights(), s.cols(), units, null, sLo, sHi, tLo, tHi);
                    for (int u = 0; u < units; u++) { zLo[u] += tLo[u]; zHi[u] += tHi[u]; }
                }
            }
            double worst = 0;
            for (int u = 0; u < units; u++) {
                double m = Math.max(Math.abs(zLo[u]), Math.abs(zHi[u]));
                if (!(m <= LIMIT)) { worst = Double.isNaN(m) ? Double.POSITIVE_INFINITY : m; break; }
            }
            if (worst > 0)
                throw new NumericRangeException(String.format(Locale.ROOT,
                        "layer %d: pre-activations can reach %.3g on %s, beyond the valid range |value| <= %.0e (weights, biases or the domain are too large; see README, Numerical range)",
                        i, worst, what, LIMIT));
            hLo[i] = new double[units];
            hHi[i] = new double[units];
            for (int u = 0; u < units; u++) {
                double a = l.activation().apply(zLo[u], l.leak()), b = l.activation().apply(zHi[u], l.leak());
                double lo0 = Math.min(a, b), hi0 = Math.max(a, b);
                if (zLo[u] < 0 && zHi[u] > 0) { lo0 = Math.min(lo0, 0); hi0 = Math.max(hi0, 0); } // a negative leak is not monotone
                hLo[i][u] = lo0;
                hHi[i][u] = hi0;
            }
        }
    }

    /** Checks {@code net} on the box spanned by the points (a segment's end points, a single point). */
    public static void checkPoints(Network net, String what, double[]... points) {
        int n = net.inputDim();
        double[] lo = new double[n], hi = new double[n];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] p : points) {
            for (int k = 0; k < n; k++) {
                lo[k] = Math.min(lo[k], p[k]);
                hi[k] = Math.max(hi[k], p[k]);
            }
        }
        check(net, lo, hi, what);
    }

    private static void affine(double[] w, int cols, int rows, double[] bias, double[] lo, double[] hi, double[] zLo, double[] zHi) {
        for (int u = 0; u < rows; u++) {
            double sLo = bias == null ? 0 : bias[u], sHi = sLo;
            int row = u * cols;
            for (int k = 0; k < cols; k++) {
                double wk = w[row + k];
                if (wk >= 0) { sLo += wk * lo[k]; sHi += wk * hi[k]; }
                else { sLo += wk * hi[k]; sHi += wk * lo[k]; }
            }
            zLo[u] = sLo;
            zHi[u] = sHi;
        }
    }
}
