package atlas.regions;

import atlas.geometry.Tolerance;

/**
 * The pre-activations of a dense layer (no skips) at a block of up to {@link #BLOCK} vertices at once, for the
 * default-mode layer step of {@link VertexTable}. The block is stored input-major ({@code x[k * BLOCK + b]}: input k
 * of the block's vertex b) so that one vector load covers several vertices; the sums come back unit-major
 * ({@code z[u * BLOCK + b]}).
 *
 * <p>invariant: every sum is {@code b_u + w_u0 x_0 + w_u1 x_1 + ...}, each product rounded and then added, in input
 * order: the operations and their order of the per-vertex scalar loop ({@link #scalarValue}), lane by lane, so the
 * blocked sums are bit-identical to it (no fused multiply-add, no reassociation). The magnitude of the terms (the
 * scale of {@link Tolerance#snap}) is summed only where the sum could snap ({@link #finish}).
 */
final class LayerBlocks {
    private LayerBlocks() {}

    /** Vertices per block: 64 x 30 inputs and 64 x 30 sums stay in the first-level cache. */
    static final int BLOCK = 64;

    /** True when the JDK Vector API module is in the boot layer and not turned off ({@code -Datlas.vector=false}). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("atlas.vector"));

    /**
     * A magnitude bound below this may have lost its relative accuracy to subnormal rounding, so the magnitude is
     * summed instead of bounded.
     */
    private static final double MIN_BOUND = 0x1p-960;

    /**
     * {@code z[u * BLOCK + b] = bias_u + sum_k w[u * in + k] x[k * BLOCK + b]} for lanes {@code b < m} (lanes
     * from m on hold values of no use).
     */
    static void sums(double[] w, double[] bias, int units, int in, double[] x, double[] z, int m, boolean vector) {
        if (vector) LayerBlocksVector.sums(w, bias, units, in, x, z, m);
        else scalarSums(w, bias, units, in, x, z, m);
    }

    /** {@link #sums} in plain loops (the fallback without the Vector API; the same operations). */
    static void scalarSums(double[] w, double[] bias, int units, int in, double[] x, double[] z, int m) {
        for (int u = 0; u < units; u++) {
            int row = u * in, o = u * BLOCK;
            for (int b = 0; b < m; b++) z[o + b] = bias[u];
            for (int k = 0; k < in; k++) {
                double wk = w[row + k];
                int xo = k * BLOCK;
                for (int b = 0; b < m; b++) z[o + b] += wk * x[xo + b];
            }
        }
    }

    /** Per unit, {@code sum_k |w_uk|}: the magnitude bound's row factor. */
    static double[] rowL1(double[] w, int units, int in) {
        double[] l1 = new double[units];
        for (int u = 0; u < units; u++) {
            double s = 0;
            for (int k = 0; k < in; k++) s += Math.abs(w[u * in + k]);
            l1[u] = s;
        }
        return l1;
    }

    /**
     * The stored value of sum {@code s} of unit u at a vertex with inputs {@code src[base..base + in)} whose largest
     * magnitude is {@code hmax}: s itself when it cannot snap whatever the magnitude of its terms (bounded by
     * {@code |b_u| + ||w_u||_1 hmax}, {@link Tolerance#mightSnap}), else {@code tol.snap(s, magnitude)} with the
     * magnitude summed as the scalar loop sums it. Equal to {@link #scalarValue}.
     */
    static double finish(double s, double[] w, double[] bias, double[] l1, int u, int in, double[] src, int base, double hmax, Tolerance tol) {
        double bound = Math.abs(bias[u]) + l1[u] * hmax;
        if (bound >= MIN_BOUND && !tol.mightSnap(s, bound)) return s;
        double mag = Math.abs(bias[u]);
        int row = u * in;
        for (int k = 0; k < in; k++) mag += Math.abs(w[row + k] * src[base + k]);
        return tol.snap(s, mag);
    }

    /** The per-vertex scalar step of one unit: the reference the blocked step equals bit for bit. */
    static double scalarValue(double[] w, double[] bias, int u, int in, double[] src, int base, Tolerance tol) {
        double s = bias[u];
        double mag = Math.abs(s);
        int row = u * in;
        for (int k = 0; k < in; k++) {
            double t = w[row + k] * src[base + k];
            s += t;
            mag += Math.abs(t);
        }
        return tol.snap(s, mag);
    }

    /**
     * Per vertex v in [from, to), the signs of columns [0, units) of its state row as bit masks: bit u of word
     * {@code v * words + u / 64} of {@code pos} (of {@code neg}) is set when the value is {@code > 0} ({@code < 0});
     * a 0 sets neither. Overwrites those words.
     */
    static void signMasks(double[] state, int stride, int from, int to, int units, long[] pos, long[] neg, boolean vector) {
        if (vector) {
            LayerBlocksVector.signMasks(state, stride, from, to, units, pos, neg);
            return;
        }
        int words = (units + 63) >>> 6;
        for (int v = from; v < to; v++) {
            int base = v * stride;
            for (int w = 0; w < words; w++) {
                int u0 = w << 6, u1 = Math.min(units, u0 + 64);
                long p = 0, n = 0;
                for (int u = u0; u < u1; u++) {
                    double z = state[base + u];
                    p |= (z > 0 ? 1L : 0L) << (u - u0);
                    n |= (z < 0 ? 1L : 0L) << (u - u0);
                }
                pos[v * words + w] = p;
                if (neg != null) neg[v * words + w] = n;
            }
        }
    }
}
