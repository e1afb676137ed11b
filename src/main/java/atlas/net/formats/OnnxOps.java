package atlas.net.formats;

import atlas.net.ModelException;

import java.util.Arrays;

/**
 * The linear parts of the affine ONNX ops, on one flattened (row-major) tensor: convolution, average
 * pooling and broadcasting. Shapes are NCHW as in ONNX.
 */
final class OnnxOps {
    private OnnxOps() {}

    /** Geometry of a 2-D sliding window (conv or pool) along one spatial axis. */
    record Axis(int in, int kernel, int stride, int dilation, int padBegin, int out) {}

    /**
     * Output size and padding along one axis. {@code autoPad} is NOTSET, VALID, SAME_UPPER or SAME_LOWER; with
     * NOTSET the explicit pads apply. {@code ceil} is the pools' ceil_mode (a last window must start inside the
     * input or its left padding, as in PyTorch and ONNX's reference).
     */
    static Axis axis(String what, int in, int kernel, int stride, int dilation, int padBegin, int padEnd, String autoPad, boolean ceil) {
        if (kernel <= 0 || stride <= 0 || dilation <= 0)
            throw new ModelException(what + ": kernel, stride and dilation must be positive (got " + kernel + ", " + stride + ", " + dilation + ")");
        int span = dilation * (kernel - 1) + 1;
        int out;
        switch (autoPad) {
            case "NOTSET", "" -> {
                if (padBegin < 0 || padEnd < 0) throw new ModelException(what + ": negative padding");
                int room = in + padBegin + padEnd - span;
                if (room < 0) throw new ModelException(what + ": the window (" + span + ") is larger than the padded input (" + (in + padBegin + padEnd) + ")");
                out = ceil ? Math.floorDiv(room + stride - 1, stride) + 1 : room / stride + 1;
                if (ceil && (out - 1) * stride >= in + padBegin) out--;
            }
            case "VALID" -> {
                padBegin = 0;
                int room = in - span;
                if (room < 0) throw new ModelException(what + ": the window (" + span + ") is larger than the input (" + in + ")");
                out = ceil ? Math.floorDiv(room + stride - 1, stride) + 1 : room / stride + 1;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                out = Math.floorDiv(in + stride - 1, stride);
                int total = Math.max(0, (out - 1) * stride + span - in);
                padBegin = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
            }
            default -> throw new ModelException(what + ": auto_pad " + autoPad + " (expected NOTSET, VALID, SAME_UPPER or SAME_LOWER)");
        }
        return new Axis(in, kernel, stride, dilation, padBegin, out);
    }

    /**
     * 2-D convolution without bias: x is [n, cin, h, w], weights [cout, cin/groups, kh, kw]; returns
     * [n, cout, oh, ow].
     */
    static double[] conv(double[] x, int n, int cin, Axis ah, Axis aw, double[] weights, int cout, int groups) {
        int h = ah.in(), w = aw.in(), oh = ah.out(), ow = aw.out(), kh = ah.kernel(), kw = aw.kernel();
        int cinG = cin / groups, coutG = cout / groups;
        double[] y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                for (int oc = g * coutG; oc < (g + 1) * coutG; oc++) {
                    int yBase = (b * cout + oc) * oh * ow;
                    for (int icg = 0; icg < cinG; icg++) {
                        int ic = g * cinG + icg;
                        int xBase = (b * cin + ic) * h * w;
                        int wBase = (oc * cinG + icg) * kh * kw;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                double wt = weights[wBase + i * kw + j];
                                if (wt == 0) continue;
                                for (int oy = 0; oy < oh; oy++) {
                                    int iy = oy * ah.stride() - ah.padBegin() + i * ah.dilation();
                                    if (iy < 0 || iy >= h) continue;
                                    int xRow = xBase + iy * w, yRow = yBase + oy * ow;
                                    for (int ox = 0; ox < ow; ox++) {
                                        int ix = ox * aw.stride() - aw.padBegin() + j * aw.dilation();
                                        if (ix < 0 || ix >= w) continue;
                                        y[yRow + ox] += wt * x[xRow + ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /**
     * 2-D average pooling of x [n, c, h, w]. The divisor counts the window's cells inside the input, or, with
     * {@code countIncludePad}, inside the padded input (cells beyond the padding never count).
     */
    static double[] averagePool(double[] x, int n, int c, Axis ah, Axis aw, int padEndH, int padEndW, boolean countIncludePad) {
        int h = ah.in(), w = aw.in(), oh = ah.out(), ow = aw.out();
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            int xBase = p * h * w, yBase = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double s = 0;
                    int inside = 0, padded = 0;
                    for (int i = 0; i < ah.kernel(); i++) {
                        int iy = oy * ah.stride() - ah.padBegin() + i * ah.dilation();
                        boolean yIn = iy >= 0 && iy < h, yPad = iy >= -ah.padBegin() && iy < h + padEndH;
                        for (int j = 0; j < aw.kernel(); j++) {
                            int ix = ox * aw.stride() - aw.padBegin() + j * aw.dilation();
                            boolean xIn = ix >= 0 && ix < w, xPad = ix >= -aw.padBegin() && ix < w + padEndW;
                            if (yIn && xIn) { s += x[xBase + iy * w + ix]; inside++; }
                            if (yPad && xPad) padded++;
                        }
                    }
                    int div = countIncludePad ? padded : inside;
                    y[yBase + oy * ow + ox] = div == 0 ? 0.0 : s / div;
                }
            }
        }
        return y;
    }

    /** Numpy broadcasting of {@code data} (shape {@code from}) to {@code to}; one-line error when impossible. */
    static double[] broadcast(double[] data, int[] from, int[] to, String what) {
        if (Arrays.equals(from, to)) return data;
        if (from.length > to.length) throw new ModelException(what + ": cannot broadcast " + Arrays.toString(from) + " to " + Arrays.toString(to));
        int[] f = new int[to.length];
        Arrays.fill(f, 1);
        System.arraycopy(from, 0, f, to.length - from.length, from.length);
        for (int k = 0; k < to.length; k++)
            if (f[k] != 1 && f[k] != to[k]) throw new ModelException(what + ": cannot broadcast " + Arrays.toString(from) + " to " + Arrays.toString(to));
        int total = AffineValue.sizeOf(to);
        double[] out = new double[total];
        int[] idx = new int[to.length];
        int[] fStride = new int[to.length];
        int s = 1;
        for (int k = to.length - 1; k >= 0; k--) { fStride[k] = f[k] == 1 ? 0 : s; s *= f[k]; }
        for (int i = 0; i < total; i++) {
            int src = 0;
            for (int k = 0; k < to.length; k++) src += idx[k] * fStride[k];
            out[i] = data[src];
            for (int k = to.length - 1; k >= 0; k--) {
                if (++idx[k] < to[k]) break;
                idx[k] = 0;
            }
        }
        return out;
    }

    /** The broadcast shape of two shapes (numpy rules). */
    static int[] broadcastShape(int[] a, int[] b, String what) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int k = 0; k < n; k++) {
            int x = k - (n - a.length) >= 0 ? a[k - (n - a.length)] : 1;
            int y = k - (n - b.length) >= 0 ? b[k - (n - b.length)] : 1;
            if (x != y && x != 1 && y != 1) throw new ModelException(what + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            r[k] = Math.max(x, y);
        }
        return r;
    }
}
