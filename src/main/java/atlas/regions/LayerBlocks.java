package atlas.regions;

import atlas.geometry.Tolerance;

/**
 * The default-mode layer step of {@link VertexTable} for a dense layer without skips, one vertex at a time with the
 * layer's units in vector lanes: the weights are stored input-major and padded ({@link Prepared}), so one vector
 * holds several units' sums, and each input of the vertex is broadcast once to all of them.
 *
 * <p>invariant: every sum is {@code b_u + w_u0 x_0 + w_u1 x_1 + ...}, each product rounded and then added, in input
 * order: the operations and their order of the per-vertex scalar loop ({@link #scalarValue}), lane by lane, so the
 * vector sums are bit-identical to it (no fused multiply-add, no reassociation). The magnitude of the terms (the
 * scale of {@link Tolerance#snap}) is summed only where the sum could snap ({@link #finish}).
 */
final class LayerBlocks {
    private LayerBlocks() {}

    /** True when the JDK Vector API module is in the boot layer and not turned off ({@code -Datlas.vector=false}). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("atlas.vector"));

    /**
     * A magnitude bound below this may have lost its relative accuracy to subnormal rounding, so the magnitude is
     * summed instead of bounded.
     */
    static final double MIN_BOUND = 0x1p-960;

    /** Lanes the units are padded to: a multiple of every vector length (8 doubles in 512 bits). */
    static final int PAD = 8;

    /** A layer's parameters laid out for the step. */
    static final class Prepared {
        final int units, in, padded;
        final double[] w, bias;
        /** weights input-major: {@code wT[k * padded + u]}; padded units have weight 0 */
        final double[] wT;
        /** biases, then 1.0 for padded units (a sum of 1 never snaps, so padding never asks for the scalar check) */
        final double[] biasPad;
        /** per unit {@code |b_u|} (padded with 1.0) and {@code ||w_u||_1} (padded with 0) */
        final double[] absBias, l1;
        /** the smallest {@code |b_u|} and {@code ||w_u||_1} of the real units */
        final double minAbsBias, minL1;
        /** the largest {@code |b_u|} and {@code ||w_u||_1} of the real units (the vector step's one threshold per vertex) */
        final double maxAbsBias, maxL1;

        Prepared(double[] w, double[] bias, int units, int in) {
            this.units = units;
            this.in = in;
            this.w = w;
            this.bias = bias;
            this.padded = (units + PAD - 1) / PAD * PAD;
            wT = new double[in * padded];
            biasPad = new double[padded];
            absBias = new double[padded];
            l1 = new double[padded];
            java.util.Arrays.fill(biasPad, 1.0);
            java.util.Arrays.fill(absBias, 1.0);
            double[] rows = rowL1(w, units, in);
            double mb = Double.POSITIVE_INFINITY, ml = Double.POSITIVE_INFINITY, xb = 0, xl = 0;
            for (int u = 0; u < units; u++) {
                for (int k = 0; k < in; k++) wT[k * padded + u] = w[u * in + k];
                biasPad[u] = bias[u];
                absBias[u] = Math.abs(bias[u]);
                l1[u] = rows[u];
                mb = Math.min(mb, absBias[u]);
                ml = Math.min(ml, rows[u]);
                xb = Math.max(xb, absBias[u]);
                xl = Math.max(xl, rows[u]);
            }
            minAbsBias = mb;
            minL1 = ml;
            maxAbsBias = xb;
            maxL1 = xl;
        }
    }

    /**
     * The stored pre-activations of one vertex with inputs {@code src[base..base + in)}: {@code out[u]} for
     * u &lt; units (out has {@code padded} entries; the rest are scratch). Equal to {@link #scalarValue} per unit.
     */
    static void vertex(Prepared p, double[] src, int base, double[] out, Tolerance tol, boolean vector) {
        vertex(p, src, base, maxAbs(src, base, p.in), out, tol, vector);
    }

    /** {@link #vertex(Prepared, double[], int, double[], Tolerance, boolean)} with the inputs' largest magnitude {@code hmax} given. */
    static void vertex(Prepared p, double[] src, int base, double hmax, double[] out, Tolerance tol, boolean vector) {
        // every bound |b_u| + ||w_u||_1 hmax is at least min |b| and at least fl(min ||w||_1 hmax) (rounding is monotone)
        boolean bounded = p.minAbsBias >= MIN_BOUND || p.minL1 * hmax >= MIN_BOUND;
        boolean checked;
        if (vector) checked = LayerBlocksVector.sums(p, src, base, hmax, out, 2 * tol.sideEps()) && bounded;
        else {
            scalarSums(p, src, base, out);
            checked = bounded && noneSnaps(out, p.units, (p.maxAbsBias + p.maxL1 * hmax) * (2 * tol.sideEps()));
        }
        if (!checked) for (int u = 0; u < p.units; u++) out[u] = finish(out[u], p.w, p.bias, p.l1, u, p.in, src, base, hmax, tol);
    }

    /**
     * The no-snap test of {@link LayerBlocksVector#sums} in a plain loop: true when every sum {@code z[0, units)} is
     * above the vertex's one threshold in magnitude (NaN is not), so that {@link #finish} would return each unchanged;
     * one compare per unit instead of a bound and a test per unit (a fifth of a warm small partition's layer steps).
     */
    static boolean noneSnaps(double[] z, int units, double threshold) {
        boolean all = true;
        for (int u = 0; u < units; u++) all &= Math.abs(z[u]) > threshold;
        return all;
    }

    /**
     * {@link #vertex(Prepared, double[], int, double, double[], Tolerance, boolean)} of two vertices with inputs
     * {@code h0[0, in)} and {@code h1[0, in)} (largest magnitudes hmax0, hmax1) into out0 and out1, in vector lanes:
     * the same values (each vertex's sums as {@link LayerBlocksVector#sums} makes them, its no-snap test, and
     * {@link #finish} where that fails).
     */
    static void vertexPair(Prepared p, double[] h0, double hmax0, double[] out0, double[] h1, double hmax1, double[] out1, Tolerance tol) {
        int ok = LayerBlocksVector.sumsPair(p, h0, hmax0, out0, h1, hmax1, out1, 2 * tol.sideEps());
        boolean checked0 = (ok & 1) != 0 && (p.minAbsBias >= MIN_BOUND || p.minL1 * hmax0 >= MIN_BOUND);
        boolean checked1 = (ok & 2) != 0 && (p.minAbsBias >= MIN_BOUND || p.minL1 * hmax1 >= MIN_BOUND);
        if (!checked0) for (int u = 0; u < p.units; u++) out0[u] = finish(out0[u], p.w, p.bias, p.l1, u, p.in, h0, 0, hmax0, tol);
        if (!checked1) for (int u = 0; u < p.units; u++) out1[u] = finish(out1[u], p.w, p.bias, p.l1, u, p.in, h1, 0, hmax1, tol);
    }

    /**
     * The largest magnitude of {@code x[base, base + n)} (0 for none): four running maxima instead of one, so that the
     * maxima of consecutive values do not wait for each other (a chain of n dependent max operations was a tenth of the
     * step). The same value: the maximum of magnitudes is exact and does not depend on the order.
     */
    static double maxAbs(double[] x, int base, int n) {
        double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            m0 = Math.max(m0, Math.abs(x[base + k]));
            m1 = Math.max(m1, Math.abs(x[base + k + 1]));
            m2 = Math.max(m2, Math.abs(x[base + k + 2]));
            m3 = Math.max(m3, Math.abs(x[base + k + 3]));
        }
        for (; k < n; k++) m0 = Math.max(m0, Math.abs(x[base + k]));
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * The activation of a vertex's inputs {@code src[base, base + n)} into {@code h[0, n)} with the expressions of
     * {@link VertexTable#activate} ({@code x > 0 ? x : 0.0} for ReLU, else {@code x > 0 ? x : leak * x}), and
     * their largest magnitude ({@link #maxAbs} of h, the same value) from the same pass: the row is read once.
     */
    static double activateRow(double[] src, int base, int n, double[] h, boolean relu, double leak, boolean vector) {
        if (vector) return LayerBlocksVector.activateRow(src, base, n, h, relu, leak);
        double m0 = 0, m1 = 0;
        int k = 0;
        if (relu) {
            for (; k + 2 <= n; k += 2) {
                double x0 = src[base + k], x1 = src[base + k + 1];
                double h0 = x0 > 0 ? x0 : 0.0, h1 = x1 > 0 ? x1 : 0.0;
                h[k] = h0;
                h[k + 1] = h1;
                m0 = Math.max(m0, h0);
                m1 = Math.max(m1, h1);
            }
        } else {
            for (; k + 2 <= n; k += 2) {
                double x0 = src[base + k], x1 = src[base + k + 1];
                double h0 = x0 > 0 ? x0 : leak * x0, h1 = x1 > 0 ? x1 : leak * x1;
                h[k] = h0;
                h[k + 1] = h1;
                m0 = Math.max(m0, Math.abs(h0));
                m1 = Math.max(m1, Math.abs(h1));
            }
        }
        for (; k < n; k++) {
            double x = src[base + k], y = x > 0 ? x : (relu ? 0.0 : leak * x);
            h[k] = y;
            m0 = Math.max(m0, Math.abs(y));
        }
        return Math.max(m0, m1);
    }

    /**
     * A crossing's state row: row {@code v} (at {@code sv}) of {@code state} set to {@code a + t (b - a)} of rows a and
     * b (at {@code sa}, {@code sb}), column by column, and its first {@code zWidth} columns (the layer's
     * pre-activations) snapped with the larger magnitude at the two ends as their scale ({@link VertexTable#addCrossing}).
     */
    static void interpolateRow(double[] state, int sa, int sb, int sv, double t, int zWidth, int stride, Tolerance tol) {
        for (int k = 0; k < zWidth; k++) {
            double za = state[sa + k], zb = state[sb + k];
            state[sv + k] = tol.snap(za + t * (zb - za), Math.max(Math.abs(za), Math.abs(zb)));
        }
        for (int k = zWidth; k < stride; k++) state[sv + k] = state[sa + k] + t * (state[sb + k] - state[sa + k]);
    }

    /**
     * The sums of one vertex in plain loops, units innermost over the padded input-major weights (the fallback without
     * the Vector API, and the n-D enumerator's step): per unit the same operations in the same order as the scalar
     * loop ({@code s = b; s = s + (w * x)} per input), so the same bits. The inner loop is element-wise (no
     * reduction), so C2 turns it into SIMD instructions itself, with none of the Vector API's cost in a cold JVM
     * (interpreted vector code allocates per operation, and its compilation takes seconds of CPU).
     */
    static void scalarSums(Prepared p, double[] src, int base, double[] out) {
        final int padded = p.padded, in = p.in;
        final double[] wT = p.wT;
        System.arraycopy(p.biasPad, 0, out, 0, padded);
        for (int k = 0; k < in; k++) {
            double x = src[base + k];
            for (int u = 0, r = k * padded; u < padded; u++) out[u] += wT[r + u] * x;
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

    /** The per-vertex scalar step of one unit: the reference the vector step equals bit for bit. */
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
     * Per vertex v in [from, to), the signs of columns [0, units) of its state row as bit masks, in rows of
     * {@code 2 * words} longs ({@code words = ceil(units / 64)}): bit u of word {@code v * 2 words + u / 64} is set
     * when the value is {@code > 0}, bit u of word {@code v * 2 words + words + u / 64} when it is {@code < 0}; a 0
     * sets neither. Overwrites those rows. The positive and negative masks of a vertex are side by side, so that a
     * face pass reading them for a vertex of its cycle touches one cache line, not two.
     */
    static void signMasks(double[] state, int stride, int from, int to, int units, long[] masks) {
        signMasks(state, stride, from, to, units, masks, 0, 2 * ((units + 63) >>> 6));
    }

    /**
     * {@link #signMasks(double[], int, int, int, int, long[])} with vertex v's row at {@code first + v * rowLength}
     * instead (rows longer than the masks: a caller that keeps other words beside them).
     */
    static void signMasks(double[] state, int stride, int from, int to, int units, long[] masks, int first, int rowLength) {
        for (int v = from; v < to; v++) signMasks(state, v * stride, units, masks, first + v * rowLength);
    }

    /**
     * The masks of one vertex's sums {@code z[0, units)} as {@link #signMasks(double[], int, int, long[], int)} makes
     * them, in vector lanes when {@code vector}; {@code z} holds at least {@code units} rounded up to {@link #PAD}.
     */
    static void sumMasks(double[] z, int units, long[] masks, int out, boolean vector) {
        if (vector) LayerBlocksVector.signMasks(z, units, masks, out);
        else signMasks(z, 0, units, masks, out);
    }

    /**
     * The masks of at most {@link #PACKED_UNITS} sums {@code z[base, base + units)} in one word: the positive bits in
     * bits [0, 32), the negative ones in bits [32, 64) (the packed rows of {@link PlanePartitioner}'s face pass).
     */
    static long packedMasks(double[] z, int base, int units) {
        long p = 0, n = 0;
        for (int u = 0; u < units; u++) {
            double x = z[base + u];
            p |= (x > 0 ? 1L : 0L) << u;
            n |= (x < 0 ? 1L : 0L) << u;
        }
        return p | (n << PACKED_UNITS);
    }

    /** The most units whose sign masks {@link #packedMasks} packs into one word. */
    static final int PACKED_UNITS = 32;

    /** {@link #packedMasks} of one vertex's sums {@code z[0, units)}, in vector lanes when {@code vector} (z padded as for {@link #sumMasks}). */
    static long packedSumMasks(double[] z, int units, boolean vector) {
        return vector ? LayerBlocksVector.packedMasks(z, units) : packedMasks(z, 0, units);
    }

    /** {@link #packedMasks} of vertices [from, to) of a state, vertex v's word at {@code first + v * rowLength}. */
    static void packedMasks(double[] state, int stride, int from, int to, int units, long[] masks, int first, int rowLength) {
        for (int v = from; v < to; v++) masks[first + v * rowLength] = packedMasks(state, v * stride, units);
    }

    /** The masks of {@link #signMasks(double[], int, int, int, int, long[])} of one vertex: values {@code z[base, base + units)}, row at {@code out}. */
    static void signMasks(double[] z, int base, int units, long[] masks, int out) {
        int words = (units + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            int u0 = w << 6, u1 = Math.min(units, u0 + 64);
            long p = 0, n = 0;
            for (int u = u0; u < u1; u++) {
                double x = z[base + u];
                p |= (x > 0 ? 1L : 0L) << (u - u0);
                n |= (x < 0 ? 1L : 0L) << (u - u0);
            }
            masks[out + w] = p;
            masks[out + words + w] = n;
        }
    }
}
