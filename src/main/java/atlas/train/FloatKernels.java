package atlas.train;

/**
 * The {@link Kernels} products in single precision: blocks and weights in {@code float}, gradients of the
 * weights added to a {@code double} array (each block's sum is formed in float, then widened). Same layout and
 * contracts as {@link Kernels}; uses {@link FloatVectorKernels} when {@link Kernels#useVector} is set.
 */
final class FloatKernels {
    private FloatKernels() {}

    static void setBias(float[] p, int bOff, int units, float[] dst, int stride, int m) {
        for (int u = 0; u < units; u++) {
            float bu = p[bOff + u];
            int o = u * stride;
            for (int b = 0; b < m; b++) dst[o + b] = bu;
        }
    }

    /** {@code dst[u][b] += sum_k W[u][k] src[k][b]}. */
    static void addMatTimesBlock(float[] p, int wOff, int units, int in, float[] src, float[] dst, int stride, int m) {
        if (Kernels.useVector) {
            FloatVectorKernels.addMatTimesBlock(p, wOff, units, in, src, dst, stride, m);
            return;
        }
        for (int u = 0; u < units; u++) {
            int row = wOff + u * in;
            int zo = u * stride;
            int k = 0;
            for (; k + 3 < in; k += 4) {
                float w0 = p[row + k], w1 = p[row + k + 1], w2 = p[row + k + 2], w3 = p[row + k + 3];
                int o0 = k * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                for (int b = 0; b < m; b++)
                    dst[zo + b] += w0 * src[o0 + b] + w1 * src[o1 + b] + w2 * src[o2 + b] + w3 * src[o3 + b];
            }
            for (; k < in; k++) {
                float w0 = p[row + k];
                int o0 = k * stride;
                for (int b = 0; b < m; b++) dst[zo + b] += w0 * src[o0 + b];
            }
        }
    }

    /** {@code dst[k][b] += sum_u W[u][k] dz[u][b]}. */
    static void addMatTransposeTimesBlock(float[] p, int wOff, int units, int in, float[] dz, float[] dst, int stride, int m) {
        if (Kernels.useVector) {
            FloatVectorKernels.addMatTransposeTimesBlock(p, wOff, units, in, dz, dst, stride, m);
            return;
        }
        for (int k = 0; k < in; k++) {
            int ho = k * stride;
            int u = 0;
            for (; u + 3 < units; u += 4) {
                float w0 = p[wOff + u * in + k], w1 = p[wOff + (u + 1) * in + k];
                float w2 = p[wOff + (u + 2) * in + k], w3 = p[wOff + (u + 3) * in + k];
                int o0 = u * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                for (int b = 0; b < m; b++)
                    dst[ho + b] += w0 * dz[o0 + b] + w1 * dz[o1 + b] + w2 * dz[o2 + b] + w3 * dz[o3 + b];
            }
            for (; u < units; u++) {
                float w0 = p[wOff + u * in + k];
                int o0 = u * stride;
                for (int b = 0; b < m; b++) dst[ho + b] += w0 * dz[o0 + b];
            }
        }
    }

    /** {@code g[u][k] += sum_b dz[u][b] src[k][b]} (g in double). */
    static void addBlockTimesBlockTranspose(float[] dz, float[] src, double[] g, int gOff, int units, int in, int stride, int m) {
        if (Kernels.useVector) {
            FloatVectorKernels.addBlockTimesBlockTranspose(dz, src, g, gOff, units, in, stride, m);
            return;
        }
        int mEven = m & ~1;
        int u = 0;
        for (; u + 1 < units; u += 2) {
            int z0 = u * stride, z1 = z0 + stride;
            int k = 0;
            for (; k + 1 < in; k += 2) {
                int h0 = k * stride, h1 = h0 + stride;
                float a00 = 0, a01 = 0, a10 = 0, a11 = 0, c00 = 0, c01 = 0, c10 = 0, c11 = 0;
                for (int b = 0; b < mEven; b += 2) {
                    float x0 = dz[z0 + b], x1 = dz[z1 + b], y0 = src[h0 + b], y1 = src[h1 + b];
                    a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
                    x0 = dz[z0 + b + 1]; x1 = dz[z1 + b + 1]; y0 = src[h0 + b + 1]; y1 = src[h1 + b + 1];
                    c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
                }
                if (mEven < m) {
                    int b = mEven;
                    float x0 = dz[z0 + b], x1 = dz[z1 + b], y0 = src[h0 + b], y1 = src[h1 + b];
                    a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
                }
                g[gOff + u * in + k] += a00 + c00;
                g[gOff + u * in + k + 1] += a01 + c01;
                g[gOff + (u + 1) * in + k] += a10 + c10;
                g[gOff + (u + 1) * in + k + 1] += a11 + c11;
            }
            for (; k < in; k++) {
                int h0 = k * stride;
                float a = 0, c = 0;
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
                float a = 0;
                for (int b = 0; b < m; b++) a += dz[z0 + b] * src[h0 + b];
                g[gOff + u * in + k] += a;
            }
        }
    }

    /** {@code g[bOff + u] += sum_b dz[u][b]} (g in double). */
    static void addRowSums(float[] dz, double[] g, int bOff, int units, int stride, int m) {
        for (int u = 0; u < units; u++) {
            int o = u * stride;
            float s = 0;
            for (int b = 0; b < m; b++) s += dz[o + b];
            g[bOff + u] += s;
        }
    }

    static void addBlock(float[] src, float[] dst, int units, int stride, int m) {
        for (int u = 0; u < units; u++) {
            int o = u * stride;
            for (int b = 0; b < m; b++) dst[o + b] += src[o + b];
        }
    }

    static void zero(float[] a, int units, int stride, int m) {
        for (int u = 0; u < units; u++) java.util.Arrays.fill(a, u * stride, u * stride + m, 0f);
    }
}
