package atlas.net;

import java.util.stream.IntStream;

/**
 * Evaluates a network on many inputs at once on flat row-major arrays, optionally hashing each input's
 * activation pattern (what pixel-hashing tools do). Each row is one {@link ForwardPass}; work is split over all
 * cores in blocks of rows, each block with its own pass, so there is no allocation per input.
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
        int inDim = net.inputDim(), outDim = net.outputDim();
        IntStream.range(0, blocks).parallel().forEach(bk -> {
            int r0 = bk * BLOCK, r1 = Math.min(n, r0 + BLOCK);
            ForwardPass pass = new ForwardPass(net);
            double[] x = new double[inDim];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(inputs, r * inDim, x, 0, inDim);
                double[] y = pass.apply(x);
                if (outputs != null) System.arraycopy(y, 0, outputs, r * outDim, outDim);
                if (patternHashes == null) continue;
                // the pattern, layer by layer, in words of 64 units
                double[][] z = pass.preActivations();
                long hv = 0;
                for (int i = 1; i <= L; i++) {
                    if (!net.layer(i).activation().cuts()) continue;
                    double[] zi = z[i];
                    long word = 0;
                    for (int u = 0; u < zi.length; u++) {
                        if (zi[u] > 0) word |= 1L << (u & 63);
                        if ((u & 63) == 63 || u == zi.length - 1) {
                            hv = mix(hv * 0x9E3779B97F4A7C15L + word + u);
                            word = 0;
                        }
                    }
                }
                patternHashes[r] = hv;
            }
        });
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
