package atlas.net;

import java.util.stream.IntStream;

/**
 * Evaluates a network on many inputs at once on flat row-major arrays, optionally hashing each input's
 * activation pattern (what pixel-hashing tools do). Work is split over all cores in blocks of rows; each
 * block reuses its own buffers, so there is no allocation per input.
 */
public final class BatchEvaluator {
    private static final int BLOCK = 256;
    private final Network net;

    public BatchEvaluator(Network net) { this.net = net; }

    /**
     * @param inputs   n x inputDim, row-major. Not modified.
     * @param n        number of rows
     * @param outputs  n x outputDim, or null to skip storing outputs. Modified.
     * @param patternHashes length n, or null: a 64-bit hash of each row's activation pattern. Modified.
     */
    public void evaluate(double[] inputs, int n, double[] outputs, long[] patternHashes) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        int L = net.depth();
        int outDim = net.outputDim();
        IntStream.range(0, blocks).parallel().forEach(bk -> {
            int r0 = bk * BLOCK, r1 = Math.min(n, r0 + BLOCK), rows = r1 - r0;
            double[][] h = new double[L + 1][];
            h[0] = new double[rows * net.inputDim()];
            System.arraycopy(inputs, r0 * net.inputDim(), h[0], 0, rows * net.inputDim());
            long[] hash = new long[rows];
            for (int i = 1; i <= L; i++) {
                DenseLayer l = net.layer(i);
                int units = l.units(), in = l.inputSize();
                double[] w = l.weights(), b = l.bias();
                double[] prev = h[i - 1];
                double[] z = new double[rows * units];
                for (int r = 0; r < rows; r++) {
                    int pr = r * in, zr = r * units;
                    for (int u = 0; u < units; u++) {
                        double s = b[u];
                        int wr = u * in;
                        for (int k = 0; k < in; k++) s += w[wr + k] * prev[pr + k];
                        z[zr + u] = s;
                    }
                }
                for (Skip skip : l.skips()) {
                    double[] src = h[skip.from()];
                    int c = net.size(skip.from());
                    for (int r = 0; r < rows; r++) {
                        for (int u = 0; u < units; u++) {
                            double s = 0;
                            if (skip.isIdentity()) s = src[r * c + u];
                            else for (int k = 0; k < c; k++) s += skip.weights()[u * c + k] * src[r * c + k];
                            z[r * units + u] += s;
                        }
                    }
                }
                Activation act = l.activation();
                if (act.cuts()) {
                    for (int r = 0; r < rows; r++) {
                        long hv = hash[r];
                        long word = 0;
                        int zr = r * units;
                        for (int u = 0; u < units; u++) {
                            double v = z[zr + u];
                            if (v > 0) word |= 1L << (u & 63);
                            else z[zr + u] = act.apply(v, l.leak());
                            if ((u & 63) == 63 || u == units - 1) {
                                hv = mix(hv * 0x9E3779B97F4A7C15L + word + u);
                                word = 0;
                            }
                        }
                        hash[r] = hv;
                    }
                }
                h[i] = z;
            }
            if (outputs != null) System.arraycopy(h[L], 0, outputs, r0 * outDim, rows * outDim);
            if (patternHashes != null) System.arraycopy(hash, 0, patternHashes, r0, rows);
        });
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
