package atlas.train;

/**
 * The dense kernels of training on feature-major blocks: a block of {@code m} points of a layer of
 * {@code n} units is stored as {@code a[u * stride + b]} (unit u, point b), {@code m <= stride}. The inner
 * loops run over the points, so the JIT vectorises them; none allocates.
 *
 * <p>Matrices are row-major inside the flat parameter array: entry (u, k) of a {@code units x in} matrix at
 * offset {@code off} is {@code p[off + u * in + k]}.
 *
 * <p>This file is the source of {@link FloatKernels}: {@code java src/generate/GenerateFloatKernels.java}
 * rewrites it into single precision (edit this file, then run the generator; a test checks they agree).
 */
final class Kernels {
    private Kernels() {}

    // BEGIN switch (stays in Kernels: the generator leaves it out of FloatKernels)
    /** True when the JDK Vector API module is in the boot layer (run with --add-modules jdk.incubator.vector). */
    private static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("atlas.vector"));

    /** Whether the products use {@link VectorKernels}; tests switch it to cover both paths. */
    static volatile boolean useVector = VECTOR_AVAILABLE;

    /** True when the Vector API kernels can be used in this JVM. */
    static boolean vectorAvailable() { return VECTOR_AVAILABLE; }

    /** A short description of the kernels in use, for benchmarks. */
    static String describe() {
        return useVector ? "Vector API (" + VectorKernels.lanes() + " doubles or " + FloatVectorKernels.lanes() + " floats per vector)"
                : "plain Java loops (auto-vectorised)";
    }
    // END switch

    /**
     * {@code dst[u][b] = p[bOff + u]} for every unit and point.
     *
     * @param dst output block. Modified.
     */
    static void setBias(double[] p, int bOff, int units, double[] dst, int stride, int m) {
        for (int u = 0; u < units; u++) {
            double bu = p[bOff + u];
            int o = u * stride;
            for (int b = 0; b < m; b++) dst[o + b] = bu;
        }
    }

    /**
     * {@code dst[u][b] += sum_k W[u][k] src[k][b]}: the forward product, k unrolled by four.
     *
     * @param src input block ({@code in} rows). Not modified.
     * @param dst output block ({@code units} rows). Modified.
     */
    static void addMatTimesBlock(double[] p, int wOff, int units, int in, double[] src, double[] dst, int stride, int m) {
        if (useVector) {
            VectorKernels.addMatTimesBlock(p, wOff, units, in, src, dst, stride, m);
            return;
        }
        for (int u = 0; u < units; u++) {
            int row = wOff + u * in;
            int zo = u * stride;
            int k = 0;
            for (; k + 3 < in; k += 4) {
                double w0 = p[row + k], w1 = p[row + k + 1], w2 = p[row + k + 2], w3 = p[row + k + 3];
                int o0 = k * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                for (int b = 0; b < m; b++)
                    dst[zo + b] += w0 * src[o0 + b] + w1 * src[o1 + b] + w2 * src[o2 + b] + w3 * src[o3 + b];
            }
            for (; k < in; k++) {
                double w0 = p[row + k];
                int o0 = k * stride;
                for (int b = 0; b < m; b++) dst[zo + b] += w0 * src[o0 + b];
            }
        }
    }

    /**
     * {@code dst[k][b] += sum_u W[u][k] dz[u][b]}: the backward product with the transpose, u unrolled by four.
     *
     * @param dz  gradient block of the pre-activations ({@code units} rows). Not modified.
     * @param dst gradient block of the layer's input ({@code in} rows). Modified.
     */
    static void addMatTransposeTimesBlock(double[] p, int wOff, int units, int in, double[] dz, double[] dst, int stride, int m) {
        if (useVector) {
            VectorKernels.addMatTransposeTimesBlock(p, wOff, units, in, dz, dst, stride, m);
            return;
        }
        for (int k = 0; k < in; k++) {
            int ho = k * stride;
            int u = 0;
            for (; u + 3 < units; u += 4) {
                double w0 = p[wOff + u * in + k], w1 = p[wOff + (u + 1) * in + k];
                double w2 = p[wOff + (u + 2) * in + k], w3 = p[wOff + (u + 3) * in + k];
                int o0 = u * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                for (int b = 0; b < m; b++)
                    dst[ho + b] += w0 * dz[o0 + b] + w1 * dz[o1 + b] + w2 * dz[o2 + b] + w3 * dz[o3 + b];
            }
            for (; u < units; u++) {
                double w0 = p[wOff + u * in + k];
                int o0 = u * stride;
                for (int b = 0; b < m; b++) dst[ho + b] += w0 * dz[o0 + b];
            }
        }
    }

    /**
     * {@code g[u][k] += sum_b dz[u][b] src[k][b]}: the weight gradient, blocked 2 x 2 over (u, k) with two
     * accumulators per entry (independent dependency chains).
     *
     * @param g gradient array (matrix at {@code gOff}). Modified.
     */
    static void addBlockTimesBlockTranspose(double[] dz, double[] src, double[] g, int gOff, int units, int in, int stride, int m) {
        if (useVector) {
            VectorKernels.addBlockTimesBlockTranspose(dz, src, g, gOff, units, in, stride, m);
            return;
        }
        int mEven = m & ~1;
        int u = 0;
        for (; u + 1 < units; u += 2) {
            int z0 = u * stride, z1 = z0 + stride;
            int k = 0;
            for (; k + 1 < in; k += 2) {
                int h0 = k * stride, h1 = h0 + stride;
                double a00 = 0, a01 = 0, a10 = 0, a11 = 0, c00 = 0, c01 = 0, c10 = 0, c11 = 0;
                for (int b = 0; b < mEven; b += 2) {
                    double x0 = dz[z0 + b], x1 = dz[z1 + b], y0 = src[h0 + b], y1 = src[h1 + b];
                    a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
                    x0 = dz[z0 + b + 1]; x1 = dz[z1 + b + 1]; y0 = src[h0 + b + 1]; y1 = src[h1 + b + 1];
                    c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
                }
                if (mEven < m) {
                    int b = mEven;
                    double x0 = dz[z0 + b], x1 = dz[z1 + b], y0 = src[h0 + b], y1 = src[h1 + b];
                    a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
                }
                g[gOff + u * in + k] += a00 + c00;
                g[gOff + u * in + k + 1] += a01 + c01;
                g[gOff + (u + 1) * in + k] += a10 + c10;
                g[gOff + (u + 1) * in + k + 1] += a11 + c11;
            }
            for (; k < in; k++) {
                int h0 = k * stride;
                double a = 0, c = 0;
                for (int b = 0; b < m; b++) {
                    a += dz[z0 + b] * src[h0 + b];
                    c += dz[z1 + b] * src[h0 + b];
                }
                g[gOff + u * in + k] += a;
                g[gOff + (u + 1) * in + k] += c;
            }
        }
        for (; u < units; u++) {
            int z0 = u * stride;
            for (int k = 0; k < in; k++) {
                int h0 = k * stride;
                double a = 0, c = 0;
                int b = 0;
                for (; b + 1 < m; b += 2) {
                    a += dz[z0 + b] * src[h0 + b];
                    c += dz[z0 + b + 1] * src[h0 + b + 1];
                }
                if (b < m) a += dz[z0 + b] * src[h0 + b];
                g[gOff + u * in + k] += a + c;
            }
        }
    }

    /**
     * The first layer on sparse inputs: {@code dst[u][b] = sum_c val[b][c] W[u][idx[b][c]] + bias[u]}, summed over
     * the {@code count[b]} nonzero inputs of point b only (in index order, then the bias). W is stored
     * input-major here ({@code p[wOff + k * units + u]}, column k contiguous), so each nonzero input adds one
     * contiguous column; about 80% of MNIST pixels are zero and cost nothing.
     *
     * @param acc scratch of {@code units} values. Modified.
     * @param dst output block ({@code units} rows). Modified.
     */
    static void setSparseTimesBlock(double[] p, int wOff, int bOff, int units, int[][] idx, double[][] val, int[] count,
                                    double[] acc, double[] dst, int stride, int m) {
        for (int b = 0; b < m; b++) {
            java.util.Arrays.fill(acc, 0, units, 0.0);
            int[] ib = idx[b];
            double[] vb = val[b];
            for (int c = 0; c < count[b]; c++) {
                double x = vb[c];
                int col = wOff + ib[c] * units;
                for (int u = 0; u < units; u++) acc[u] += x * p[col + u];
            }
            for (int u = 0; u < units; u++) dst[u * stride + b] = acc[u] + p[bOff + u];
        }
    }

    /**
     * The weight gradient of {@link #setSparseTimesBlock}: {@code g[gOff + k * units + u] += val[b][c] dz[u][b]}
     * for every nonzero input {@code k = idx[b][c]} of every point b, in point order (input-major, as the weights).
     *
     * @param acc scratch of {@code units} values (point b's column of dz). Modified.
     * @param g   gradient array. Modified.
     */
    static void addSparseWeightGradient(double[] dz, int[][] idx, double[][] val, int[] count, double[] acc, double[] g, int gOff,
                                        int units, int stride, int m) {
        for (int b = 0; b < m; b++) {
            for (int u = 0; u < units; u++) acc[u] = dz[u * stride + b];
            int[] ib = idx[b];
            double[] vb = val[b];
            for (int c = 0; c < count[b]; c++) {
                double x = vb[c];
                int col = gOff + ib[c] * units;
                for (int u = 0; u < units; u++) g[col + u] += x * acc[u];
            }
        }
    }

    /** {@code g[bOff + u] += sum_b dz[u][b]}. */
    static void addRowSums(double[] dz, double[] g, int bOff, int units, int stride, int m) {
        for (int u = 0; u < units; u++) {
            int o = u * stride;
            double s = 0;
            for (int b = 0; b < m; b++) s += dz[o + b];
            g[bOff + u] += s;
        }
    }

    /** {@code dst[u][b] += src[u][b]} (an identity skip, forwards or backwards). */
    static void addBlock(double[] src, double[] dst, int units, int stride, int m) {
        for (int u = 0; u < units; u++) {
            int o = u * stride;
            for (int b = 0; b < m; b++) dst[o + b] += src[o + b];
        }
    }

    /** Zeroes the first {@code m} points of {@code units} rows. */
    static void zero(double[] a, int units, int stride, int m) {
        for (int u = 0; u < units; u++) java.util.Arrays.fill(a, u * stride, u * stride + m, 0.0);
    }
}
