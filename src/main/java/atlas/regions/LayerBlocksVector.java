package atlas.regions;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LayerBlocks#sums} with the JDK Vector API (incubating: loaded only when the module is present). A vector
 * holds one unit's sums for several vertices; four units share each load of the inputs. Each lane does what the
 * scalar loop does: {@code s = b; s = s + (w * x)} per input in order, a multiply then an add (never
 * {@code fma}), so the results are bit-identical to it.
 */
final class LayerBlocksVector {
    private LayerBlocksVector() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    static void sums(double[] w, double[] bias, int units, int in, double[] x, double[] z, int m) {
        final int B = LayerBlocks.BLOCK;
        int lanes = S.length();
        int mv = (m + lanes - 1) / lanes * lanes; // whole vectors; BLOCK is a multiple of the lane count
        int u = 0;
        for (; u + 3 < units; u += 4) {
            int r0 = u * in, r1 = r0 + in, r2 = r1 + in, r3 = r2 + in;
            DoubleVector b0 = DoubleVector.broadcast(S, bias[u]), b1 = DoubleVector.broadcast(S, bias[u + 1]);
            DoubleVector b2 = DoubleVector.broadcast(S, bias[u + 2]), b3 = DoubleVector.broadcast(S, bias[u + 3]);
            for (int b = 0; b < mv; b += lanes) {
                DoubleVector a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                for (int k = 0; k < in; k++) {
                    DoubleVector h = DoubleVector.fromArray(S, x, k * B + b);
                    a0 = a0.add(h.mul(w[r0 + k]));
                    a1 = a1.add(h.mul(w[r1 + k]));
                    a2 = a2.add(h.mul(w[r2 + k]));
                    a3 = a3.add(h.mul(w[r3 + k]));
                }
                a0.intoArray(z, u * B + b);
                a1.intoArray(z, (u + 1) * B + b);
                a2.intoArray(z, (u + 2) * B + b);
                a3.intoArray(z, (u + 3) * B + b);
            }
        }
        for (; u < units; u++) {
            int r0 = u * in;
            DoubleVector b0 = DoubleVector.broadcast(S, bias[u]);
            for (int b = 0; b < mv; b += lanes) {
                DoubleVector a0 = b0;
                for (int k = 0; k < in; k++) a0 = a0.add(DoubleVector.fromArray(S, x, k * B + b).mul(w[r0 + k]));
                a0.intoArray(z, u * B + b);
            }
        }
    }

    /** {@link LayerBlocks#signMasks}: a vector compare per lane group, its mask read as bits. */
    static void signMasks(double[] state, int stride, int from, int to, int units, long[] pos, long[] neg) {
        int lanes = S.length(), words = (units + 63) >>> 6;
        for (int v = from; v < to; v++) {
            int base = v * stride;
            for (int w = 0; w < words; w++) {
                int u0 = w << 6, u1 = Math.min(units, u0 + 64);
                long p = 0, n = 0;
                for (int u = u0; u < u1; u += lanes) {
                    VectorMask<Double> in = S.indexInRange(u, u1);
                    DoubleVector z = DoubleVector.fromArray(S, state, base + u, in);
                    p |= z.compare(VectorOperators.GT, 0.0, in).toLong() << (u - u0);
                    n |= z.compare(VectorOperators.LT, 0.0, in).toLong() << (u - u0);
                }
                pos[v * words + w] = p;
                if (neg != null) neg[v * words + w] = n;
            }
        }
    }
}
