package atlas.regions;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
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
    /** entry i holds 1 << i, and entry 32 + i holds 1 << (32 + i) (i < 32): the bits of a packed word's units, positive then negative */
    private static final long[] PACKED_BITS = new long[64];
    static {
        for (int i = 0; i < LANE_BITS.length; i++) LANE_BITS[i] = 1L << i;
        for (int i = 0; i < PACKED_BITS.length; i++) PACKED_BITS[i] = 1L << i;
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
     * {@link LayerBlocks#packedMasks} of the sums {@code z[0, units)} (at most 32 units, z padded): each vector's sign
     * tests select the units' own bits ({@link #PACKED_BITS} at the vector's offset), ORed into one vector of words, and
     * one OR across its lanes at the end (not one per test).
     */
    static long packedMasks(double[] z, int units) {
        int lanes = S.length();
        DoubleVector zero = DoubleVector.zero(S);
        LongVector none = LongVector.zero(L), acc = none;
        for (int u = 0; u < units; u += lanes) {
            DoubleVector s = DoubleVector.fromArray(S, z, u);
            acc = acc.or(none.blend(LongVector.fromArray(L, PACKED_BITS, u), s.compare(VectorOperators.GT, zero).cast(L)))
                    .or(none.blend(LongVector.fromArray(L, PACKED_BITS, LayerBlocks.PACKED_UNITS + u), s.compare(VectorOperators.LT, zero).cast(L)));
        }
        long keep = (1L << units) - 1; // lanes past the units (padding) set no bit
        return acc.reduceLanes(VectorOperators.OR) & (keep | (keep << LayerBlocks.PACKED_UNITS));
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
     * {@link LayerBlocks#interpolateRow} in vector lanes: per column the same operations ({@code a + t * (b - a)}, a
     * multiply then an add; the test of {@link atlas.geometry.Tolerance#snap}, {@code |x| <= sideEps * max(|a|, |b|)}, giving exactly 0.0), so the same
     * values; the columns past the last whole vector in the scalar loop.
     */
    static void interpolateRow(double[] state, int sa, int sb, int sv, double t, int zWidth, int stride, atlas.geometry.Tolerance tol) {
        int lanes = S.length(), k = 0;
        double sideEps = tol.sideEps();
        DoubleVector zero = DoubleVector.zero(S);
        for (; k + lanes <= zWidth; k += lanes) {
            DoubleVector za = DoubleVector.fromArray(S, state, sa + k), zb = DoubleVector.fromArray(S, state, sb + k);
            DoubleVector x = za.add(zb.sub(za).mul(t));
            DoubleVector scale = za.abs().max(zb.abs());
            x.blend(zero, x.abs().compare(VectorOperators.LE, scale.mul(sideEps))).intoArray(state, sv + k);
        }
        for (; k < zWidth; k++) {
            double za = state[sa + k], zb = state[sb + k];
            state[sv + k] = tol.snap(za + t * (zb - za), Math.max(Math.abs(za), Math.abs(zb)));
        }
        for (; k < stride; k++) state[sv + k] = state[sa + k] + t * (state[sb + k] - state[sa + k]);
    }

    /**
     * Writes the vertex's sums to {@code out[0, padded)} and returns true when every one of them certainly does not
     * snap: {@code |s| > 2 sideEps T} for one threshold per vertex, {@code T = max_u |b_u| + max_u ||w_u||_1 hmax}, not
     * smaller than any unit's bound {@code |b_u| + ||w_u||_1 hmax} (rounding is monotone), so each sum is what
     * {@link LayerBlocks#finish} returns (twice the threshold of {@link atlas.geometry.Tolerance#mightSnap}; the caller
     * has checked that every bound is at least {@link LayerBlocks#MIN_BOUND}); false when some sum must go through
     * {@link LayerBlocks#finish} (the same values either way: the test only chooses the path). One threshold and one
     * mask for all the vertex's lanes: a bound per unit and a test per vector cost a third of the sums. Padded units sum
     * to 1.0, above the threshold unless it is large, when the exact path is taken.
     */
    static boolean sums(LayerBlocks.Prepared p, double[] src, int base, double hmax, double[] out, double twoEps) {
        int lanes = S.length(), padded = p.padded, in = p.in;
        double[] wT = p.wT;
        DoubleVector threshold = DoubleVector.broadcast(S, (p.maxAbsBias + p.maxL1 * hmax) * twoEps);
        VectorMask<Double> ok = S.maskAll(true);
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
            a0.intoArray(out, u);
            a1.intoArray(out, u + lanes);
            a2.intoArray(out, u + 2 * lanes);
            a3.intoArray(out, u + 3 * lanes);
            ok = ok.and(a0.abs().compare(VectorOperators.GT, threshold)).and(a1.abs().compare(VectorOperators.GT, threshold))
                    .and(a2.abs().compare(VectorOperators.GT, threshold)).and(a3.abs().compare(VectorOperators.GT, threshold));
        }
        for (; u < padded; u += lanes) {
            DoubleVector a0 = DoubleVector.fromArray(S, p.biasPad, u);
            for (int k = 0; k < in; k++) a0 = a0.add(DoubleVector.fromArray(S, wT, k * padded + u).mul(src[base + k]));
            a0.intoArray(out, u);
            ok = ok.and(a0.abs().compare(VectorOperators.GT, threshold));
        }
        return ok.allTrue();
    }

    /**
     * {@link #sums} of two vertices (inputs {@code x0[0, in)}, {@code x1[0, in)}) at once, each weight vector loaded once
     * for both: per vertex the same lane operations in the same order, so the same sums. Returns bit 0 set when every
     * sum of the first vertex passes the no-snap test of {@link #sums}, bit 1 likewise for the second.
     */
    static int sumsPair(LayerBlocks.Prepared p, double[] x0, double hmax0, double[] out0, double[] x1, double hmax1, double[] out1, double twoEps) {
        int lanes = S.length(), padded = p.padded, in = p.in;
        double[] wT = p.wT;
        DoubleVector t0 = DoubleVector.broadcast(S, (p.maxAbsBias + p.maxL1 * hmax0) * twoEps);
        DoubleVector t1 = DoubleVector.broadcast(S, (p.maxAbsBias + p.maxL1 * hmax1) * twoEps);
        VectorMask<Double> ok0 = S.maskAll(true), ok1 = ok0;
        int u = 0;
        for (; u + 4 * lanes <= padded; u += 4 * lanes) {
            DoubleVector a0 = DoubleVector.fromArray(S, p.biasPad, u), a1 = DoubleVector.fromArray(S, p.biasPad, u + lanes);
            DoubleVector a2 = DoubleVector.fromArray(S, p.biasPad, u + 2 * lanes), a3 = DoubleVector.fromArray(S, p.biasPad, u + 3 * lanes);
            DoubleVector b0 = a0, b1 = a1, b2 = a2, b3 = a3;
            for (int k = 0; k < in; k++) {
                double x = x0[k], y = x1[k];
                int r = k * padded + u;
                DoubleVector w0 = DoubleVector.fromArray(S, wT, r), w1 = DoubleVector.fromArray(S, wT, r + lanes);
                DoubleVector w2 = DoubleVector.fromArray(S, wT, r + 2 * lanes), w3 = DoubleVector.fromArray(S, wT, r + 3 * lanes);
                a0 = a0.add(w0.mul(x));
                a1 = a1.add(w1.mul(x));
                a2 = a2.add(w2.mul(x));
                a3 = a3.add(w3.mul(x));
                b0 = b0.add(w0.mul(y));
                b1 = b1.add(w1.mul(y));
                b2 = b2.add(w2.mul(y));
                b3 = b3.add(w3.mul(y));
            }
            a0.intoArray(out0, u);
            a1.intoArray(out0, u + lanes);
            a2.intoArray(out0, u + 2 * lanes);
            a3.intoArray(out0, u + 3 * lanes);
            b0.intoArray(out1, u);
            b1.intoArray(out1, u + lanes);
            b2.intoArray(out1, u + 2 * lanes);
            b3.intoArray(out1, u + 3 * lanes);
            ok0 = ok0.and(a0.abs().compare(VectorOperators.GT, t0)).and(a1.abs().compare(VectorOperators.GT, t0))
                    .and(a2.abs().compare(VectorOperators.GT, t0)).and(a3.abs().compare(VectorOperators.GT, t0));
            ok1 = ok1.and(b0.abs().compare(VectorOperators.GT, t1)).and(b1.abs().compare(VectorOperators.GT, t1))
                    .and(b2.abs().compare(VectorOperators.GT, t1)).and(b3.abs().compare(VectorOperators.GT, t1));
        }
        for (; u < padded; u += lanes) {
            DoubleVector a0 = DoubleVector.fromArray(S, p.biasPad, u), b0 = a0;
            for (int k = 0; k < in; k++) {
                DoubleVector w0 = DoubleVector.fromArray(S, wT, k * padded + u);
                a0 = a0.add(w0.mul(x0[k]));
                b0 = b0.add(w0.mul(x1[k]));
            }
            a0.intoArray(out0, u);
            b0.intoArray(out1, u);
            ok0 = ok0.and(a0.abs().compare(VectorOperators.GT, t0));
            ok1 = ok1.and(b0.abs().compare(VectorOperators.GT, t1));
        }
        return (ok0.allTrue() ? 1 : 0) | (ok1.allTrue() ? 2 : 0);
    }
}
