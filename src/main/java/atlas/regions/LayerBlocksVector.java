package atlas.regions;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LayerBlocks#vertex}'s sums with the JDK Vector API (incubating: loaded only when the module is present).
 * A vector holds several units' sums of one vertex; up to four vectors share each broadcast input. Each lane does
 * what the scalar loop does: {@code s = b; s = s + (w * x)} per input in order, a multiply then an add (never
 * {@code fma}), so the sums are bit-identical to it.
 */
final class LayerBlocksVector {
    private LayerBlocksVector() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** longs in as many lanes as {@link #S} has doubles (the sign tests' lanes, cast) */
    private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, S.vectorShape());
    /** lane i holds 1 << i */
    private static final long[] LANE_BITS = new long[S.length()];
    static {
        for (int i = 0; i < LANE_BITS.length; i++) LANE_BITS[i] = 1L << i;
    }

    /**
     * {@link LayerBlocks#signMasks(double[], int, int, long[], int)} of the sums {@code z[0, units)} of one vertex
     * ({@code z} holds at least {@code units} rounded up to {@link LayerBlocks#PAD} values): the same masks, from
     * sign tests of whole vectors, each turned into lane bits by a blend of the lane's bit and an OR across the lanes
     * ({@code VectorMask.toLong} is not an intrinsic in Java 17, and a test and a shift per value were 5% of the step).
     */
    static void signMasks(double[] z, int units, long[] masks, int out) {
        int lanes = S.length(), words = (units + 63) >>> 6;
        DoubleVector zero = DoubleVector.zero(S);
        LongVector bits = LongVector.fromArray(L, LANE_BITS, 0), none = LongVector.zero(L);
        for (int w = 0; w < words; w++) {
            int u0 = w << 6, u1 = Math.min(units, u0 + 64); // a word's units start at a multiple of the lane count
            long p = 0, n = 0;
            for (int u = u0; u < u1; u += lanes) {
                DoubleVector s = DoubleVector.fromArray(S, z, u);
                p |= none.blend(bits, s.compare(VectorOperators.GT, zero).cast(L)).reduceLanes(VectorOperators.OR) << (u - u0);
                n |= none.blend(bits, s.compare(VectorOperators.LT, zero).cast(L)).reduceLanes(VectorOperators.OR) << (u - u0);
            }
            long keep = u1 - u0 == 64 ? -1L : (1L << (u1 - u0)) - 1; // lanes past the units (padding) set no bit
            masks[out + w] = p & keep;
            masks[out + words + w] = n & keep;
        }
    }

    /**
     * {@link LayerBlocks#activateRow}: the same values ({@code x > 0 ? x : 0.0}, or {@code x > 0 ? x : leak * x}, lane
     * by lane: a blend on the sign test) and the same maximum (of magnitudes: exact, in any order); the inputs past the
     * last whole vector in the scalar loop.
     */
    static double activateRow(double[] src, int base, int n, double[] h, boolean relu, double leak) {
        int lanes = S.length(), k = 0;
        DoubleVector zero = DoubleVector.zero(S), m = zero;
        for (; k + lanes <= n; k += lanes) {
            DoubleVector x = DoubleVector.fromArray(S, src, base + k);
            DoubleVector y = (relu ? zero : x.mul(leak)).blend(x, x.compare(VectorOperators.GT, zero));
            y.intoArray(h, k);
            m = m.max(y.abs());
        }
        double hmax = m.reduceLanes(VectorOperators.MAX);
        for (; k < n; k++) {
            double x = src[base + k], y = x > 0 ? x : (relu ? 0.0 : leak * x);
            h[k] = y;
            hmax = Math.max(hmax, Math.abs(y));
        }
        return hmax;
    }

    /**
     * Writes the vertex's sums to {@code out[0, padded)} and returns true when every one of them certainly does not
     * snap: {@code |s| > 2 sideEps bound} with {@code bound = |b| + ||w||_1 hmax} (twice the threshold of
     * {@link atlas.geometry.Tolerance#mightSnap}; the caller has checked that every bound is at least
     * {@link LayerBlocks#MIN_BOUND}), so each sum is what {@link LayerBlocks#finish} returns; false when some sum
     * must go through {@link LayerBlocks#finish}.
     */
    static boolean sums(LayerBlocks.Prepared p, double[] src, int base, double hmax, double[] out, double twoEps) {
        int lanes = S.length(), padded = p.padded, in = p.in;
        double[] wT = p.wT;
        boolean ok = true;
        DoubleVector h = DoubleVector.broadcast(S, hmax);
        int u = 0;
        for (; u + 4 * lanes <= padded; u += 4 * lanes) {
            DoubleVector a0 = DoubleVector.fromArray(S, p.biasPad, u), a1 = DoubleVector.fromArray(S, p.biasPad, u + lanes);
            DoubleVector a2 = DoubleVector.fromArray(S, p.biasPad, u + 2 * lanes), a3 = DoubleVector.fromArray(S, p.biasPad, u + 3 * lanes);
            for (int k = 0; k < in; k++) {
                double x = src[base + k];
                int r = k * padded + u;
                a0 = a0.add(DoubleVector.fromArray(S, wT, r).mul(x));
                a1 = a1.add(DoubleVector.fromArray(S, wT, r + lanes).mul(x));
                a2 = a2.add(DoubleVector.fromArray(S, wT, r + 2 * lanes).mul(x));
                a3 = a3.add(DoubleVector.fromArray(S, wT, r + 3 * lanes).mul(x));
            }
            ok &= store(p, a0, u, h, out, twoEps);
            ok &= store(p, a1, u + lanes, h, out, twoEps);
            ok &= store(p, a2, u + 2 * lanes, h, out, twoEps);
            ok &= store(p, a3, u + 3 * lanes, h, out, twoEps);
        }
        for (; u < padded; u += lanes) {
            DoubleVector a0 = DoubleVector.fromArray(S, p.biasPad, u);
            for (int k = 0; k < in; k++) a0 = a0.add(DoubleVector.fromArray(S, wT, k * padded + u).mul(src[base + k]));
            ok &= store(p, a0, u, h, out, twoEps);
        }
        return ok;
    }

    /** Stores sums {@code s} of units [u, u + lanes); true when none of them can snap (see {@link #sums}). */
    private static boolean store(LayerBlocks.Prepared p, DoubleVector s, int u, DoubleVector hmax, double[] out, double twoEps) {
        s.intoArray(out, u);
        DoubleVector bound = DoubleVector.fromArray(S, p.absBias, u).add(DoubleVector.fromArray(S, p.l1, u).mul(hmax));
        return s.abs().compare(VectorOperators.GT, bound.mul(twoEps)).allTrue();
    }
}
