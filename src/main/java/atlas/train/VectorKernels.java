package atlas.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Kernels} products with the JDK Vector API (incubating in Java 17: needs
 * {@code --add-modules jdk.incubator.vector} at compile and run time). Same contracts as the plain kernels;
 * the register blocking the JIT cannot find by itself is written out: four output rows share each vector load
 * of the input. Used only when the module is present ({@link Kernels#vectorAvailable()}); the plain kernels
 * are the fallback. Points beyond the last whole vector are done in scalar code.
 *
 * <p>This file is the source of {@link FloatVectorKernels} ({@code java src/generate/GenerateFloatKernels.java}).
 * Lines tagged {@code // wide} reduce into the double gradient: the float variant keeps their scalar
 * {@code double}s, so the float products are summed in double there.
 */
final class VectorKernels {
    private VectorKernels() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    /** Lanes per vector. */
    static int lanes() { return S.length(); }

    /** {@code dst[u][b] += sum_k W[u][k] src[k][b]}. */
    static void addMatTimesBlock(double[] p, int wOff, int units, int in, double[] src, double[] dst, int stride, int m) {
        int mv = S.loopBound(m);
        int u = 0;
        for (; u + 3 < units; u += 4) {
            int r0 = wOff + u * in, r1 = r0 + in, r2 = r1 + in, r3 = r2 + in;
            int z0 = u * stride, z1 = z0 + stride, z2 = z1 + stride, z3 = z2 + stride;
            for (int b = 0; b < mv; b += S.length()) {
                DoubleVector a0 = DoubleVector.fromArray(S, dst, z0 + b), a1 = DoubleVector.fromArray(S, dst, z1 + b);
                DoubleVector a2 = DoubleVector.fromArray(S, dst, z2 + b), a3 = DoubleVector.fromArray(S, dst, z3 + b);
                for (int k = 0; k < in; k++) {
                    DoubleVector h = DoubleVector.fromArray(S, src, k * stride + b);
                    a0 = h.fma(DoubleVector.broadcast(S, p[r0 + k]), a0);
                    a1 = h.fma(DoubleVector.broadcast(S, p[r1 + k]), a1);
                    a2 = h.fma(DoubleVector.broadcast(S, p[r2 + k]), a2);
                    a3 = h.fma(DoubleVector.broadcast(S, p[r3 + k]), a3);
                }
                a0.intoArray(dst, z0 + b);
                a1.intoArray(dst, z1 + b);
                a2.intoArray(dst, z2 + b);
                a3.intoArray(dst, z3 + b);
            }
            for (int b = mv; b < m; b++) {
                double s0 = dst[z0 + b], s1 = dst[z1 + b], s2 = dst[z2 + b], s3 = dst[z3 + b];
                for (int k = 0; k < in; k++) {
                    double h = src[k * stride + b];
                    s0 = Math.fma(h, p[r0 + k], s0);
                    s1 = Math.fma(h, p[r1 + k], s1);
                    s2 = Math.fma(h, p[r2 + k], s2);
                    s3 = Math.fma(h, p[r3 + k], s3);
                }
                dst[z0 + b] = s0; dst[z1 + b] = s1; dst[z2 + b] = s2; dst[z3 + b] = s3;
            }
        }
        for (; u < units; u++) {
            int r0 = wOff + u * in, z0 = u * stride;
            for (int b = 0; b < mv; b += S.length()) {
                DoubleVector a0 = DoubleVector.fromArray(S, dst, z0 + b);
                for (int k = 0; k < in; k++) a0 = DoubleVector.fromArray(S, src, k * stride + b).fma(DoubleVector.broadcast(S, p[r0 + k]), a0);
                a0.intoArray(dst, z0 + b);
            }
            for (int b = mv; b < m; b++) {
                double s0 = dst[z0 + b];
                for (int k = 0; k < in; k++) s0 = Math.fma(src[k * stride + b], p[r0 + k], s0);
                dst[z0 + b] = s0;
            }
        }
    }

    /** {@code dst[k][b] += sum_u W[u][k] dz[u][b]}. */
    static void addMatTransposeTimesBlock(double[] p, int wOff, int units, int in, double[] dz, double[] dst, int stride, int m) {
        int mv = S.loopBound(m);
        int k = 0;
        for (; k + 3 < in; k += 4) {
            int h0 = k * stride, h1 = h0 + stride, h2 = h1 + stride, h3 = h2 + stride;
            for (int b = 0; b < mv; b += S.length()) {
                DoubleVector a0 = DoubleVector.fromArray(S, dst, h0 + b), a1 = DoubleVector.fromArray(S, dst, h1 + b);
                DoubleVector a2 = DoubleVector.fromArray(S, dst, h2 + b), a3 = DoubleVector.fromArray(S, dst, h3 + b);
                for (int u = 0; u < units; u++) {
                    int r = wOff + u * in + k;
                    DoubleVector g = DoubleVector.fromArray(S, dz, u * stride + b);
                    a0 = g.fma(DoubleVector.broadcast(S, p[r]), a0);
                    a1 = g.fma(DoubleVector.broadcast(S, p[r + 1]), a1);
                    a2 = g.fma(DoubleVector.broadcast(S, p[r + 2]), a2);
                    a3 = g.fma(DoubleVector.broadcast(S, p[r + 3]), a3);
                }
                a0.intoArray(dst, h0 + b);
                a1.intoArray(dst, h1 + b);
                a2.intoArray(dst, h2 + b);
                a3.intoArray(dst, h3 + b);
            }
            for (int b = mv; b < m; b++) {
                double s0 = dst[h0 + b], s1 = dst[h1 + b], s2 = dst[h2 + b], s3 = dst[h3 + b];
                for (int u = 0; u < units; u++) {
                    int r = wOff + u * in + k;
                    double g = dz[u * stride + b];
                    s0 = Math.fma(g, p[r], s0);
                    s1 = Math.fma(g, p[r + 1], s1);
                    s2 = Math.fma(g, p[r + 2], s2);
                    s3 = Math.fma(g, p[r + 3], s3);
                }
                dst[h0 + b] = s0; dst[h1 + b] = s1; dst[h2 + b] = s2; dst[h3 + b] = s3;
            }
        }
        for (; k < in; k++) {
            int h0 = k * stride;
            for (int b = 0; b < mv; b += S.length()) {
                DoubleVector a0 = DoubleVector.fromArray(S, dst, h0 + b);
                for (int u = 0; u < units; u++) a0 = DoubleVector.fromArray(S, dz, u * stride + b).fma(DoubleVector.broadcast(S, p[wOff + u * in + k]), a0);
                a0.intoArray(dst, h0 + b);
            }
            for (int b = mv; b < m; b++) {
                double s0 = dst[h0 + b];
                for (int u = 0; u < units; u++) s0 = Math.fma(dz[u * stride + b], p[wOff + u * in + k], s0);
                dst[h0 + b] = s0;
            }
        }
    }

    /** {@code g[u][k] += sum_b dz[u][b] src[k][b]}, 2 x 2 blocks of vector accumulators. */
    static void addBlockTimesBlockTranspose(double[] dz, double[] src, double[] g, int gOff, int units, int in, int stride, int m) {
        int mv = S.loopBound(m);
        int u = 0;
        for (; u + 1 < units; u += 2) {
            int z0 = u * stride, z1 = z0 + stride;
            int k = 0;
            for (; k + 1 < in; k += 2) {
                int h0 = k * stride, h1 = h0 + stride;
                DoubleVector a00 = DoubleVector.zero(S), a01 = DoubleVector.zero(S), a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S);
                for (int b = 0; b < mv; b += S.length()) {
                    DoubleVector x0 = DoubleVector.fromArray(S, dz, z0 + b), x1 = DoubleVector.fromArray(S, dz, z1 + b);
                    DoubleVector y0 = DoubleVector.fromArray(S, src, h0 + b), y1 = DoubleVector.fromArray(S, src, h1 + b);
                    a00 = x0.fma(y0, a00);
                    a01 = x0.fma(y1, a01);
                    a10 = x1.fma(y0, a10);
                    a11 = x1.fma(y1, a11);
                }
                double s00 = a00.reduceLanes(VectorOperators.ADD), s01 = a01.reduceLanes(VectorOperators.ADD); // wide
                double s10 = a10.reduceLanes(VectorOperators.ADD), s11 = a11.reduceLanes(VectorOperators.ADD); // wide
                for (int b = mv; b < m; b++) {
                    double x0 = dz[z0 + b], x1 = dz[z1 + b], y0 = src[h0 + b], y1 = src[h1 + b]; // wide
                    s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
                }
                g[gOff + u * in + k] += s00;
                g[gOff + u * in + k + 1] += s01;
                g[gOff + (u + 1) * in + k] += s10;
                g[gOff + (u + 1) * in + k + 1] += s11;
            }
            for (; k < in; k++) {
                g[gOff + u * in + k] += dot(dz, z0, src, k * stride, m, mv);
                g[gOff + (u + 1) * in + k] += dot(dz, z1, src, k * stride, m, mv);
            }
        }
        for (; u < units; u++) {
            for (int k = 0; k < in; k++) g[gOff + u * in + k] += dot(dz, u * stride, src, k * stride, m, mv);
        }
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int m, int mv) { // wide
        DoubleVector acc = DoubleVector.zero(S);
        for (int j = 0; j < mv; j += S.length()) acc = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, bo + j), acc);
        double s = acc.reduceLanes(VectorOperators.ADD); // wide
        for (int j = mv; j < m; j++) s += a[ao + j] * b[bo + j];
        return s;
    }
}
