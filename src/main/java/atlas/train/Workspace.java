package atlas.train;

import atlas.data.Examples;
import atlas.net.Activation;

/**
 * The buffers of one block of points of a {@link FlatModel}, double precision: pre-activations, outputs and their
 * gradients per layer, feature-major ({@code [unit * capacity + point]}). Not thread-safe: one per thread.
 *
 * <p>This file is the source of {@link FloatWorkspace}: {@code java src/generate/GenerateFloatKernels.java}
 * rewrites it into single precision (edit this file, then run the generator; a test checks they agree). For the
 * generator, the blocks and the kernels' weights are {@code double}; what stays double in the float variant is
 * written so: the parameter, gradient and input arrays are named {@code p}, {@code grad}, {@code row},
 * {@code inputs}, {@code out}; the loss is computed between {@code // BEGIN wide} and {@code // END wide} and on
 * lines tagged {@code // wide}; {@link #narrow} marks where a double value enters a block.
 */
final class Workspace implements FlatModel.Block {
    private final FlatModel f;
    private final int depth;
    private final int[] size;
    private final int cap;
    private final double[][] h;   // 0..L
    private final double[][] z;   // 1..L
    private final double[][] dh;  // 1..L
    private final double[] dz;
    private final double[] acc;   // the sparse layer's scratch
    private final double[] row;   // one point's inputs
    private final int[][] nzIdx;  // sparse input: per point, the indices of its nonzero inputs
    private final double[][] nzVal; // ... their values
    private final int[] nzCount;  // ... and how many

    Workspace(FlatModel model, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
        f = model;
        depth = f.depth();
        size = new int[depth + 1];
        for (int i = 0; i <= depth; i++) size[i] = f.size(i);
        cap = capacity;
        row = new double[size[0]];
        acc = new double[size[1]];
        boolean sparse = f.sparseInput();
        nzIdx = sparse ? new int[cap][size[0]] : null;
        nzVal = sparse ? new double[cap][size[0]] : null;
        nzCount = sparse ? new int[cap] : null;
        h = new double[depth + 1][];
        z = new double[depth + 1][];
        dh = new double[depth + 1][];
        h[0] = sparse ? null : new double[size[0] * cap]; // sparse: the inputs are kept as nonzero lists
        for (int i = 1; i <= depth; i++) {
            z[i] = new double[size[i] * cap];
            h[i] = f.activation(i) == Activation.IDENTITY ? z[i] : new double[size[i] * cap];
            dh[i] = new double[size[i] * cap];
        }
        dz = new double[f.maxWidth() * cap];
    }

    @Override
    public int capacity() { return cap; }

    /** A double value as a block entry: itself here, rounded in the float variant. */
    private static double narrow(double v) { return v; }

    /** The parameters as the kernels read them: here the caller's array itself. */
    private double[] weights(double[] p) {
        return p;
    }

    /** Copies the inputs of points {@code order[from .. from+m)} into the input block (or the nonzero lists). */
    private void load(Examples d, int[] order, int from, int m) {
        for (int b = 0; b < m; b++) {
            if (f.sparseInput()) {
                int c = d.nonZeroInputs(order[from + b], nzIdx[b], row);
                nzCount[b] = c;
                for (int k = 0; k < c; k++) nzVal[b][k] = narrow(row[k]);
            } else {
                d.inputs(order[from + b], row);
                put(b);
            }
        }
    }

    /** Point b's inputs, in {@code row}, into the input block (or, sparse, its nonzero list). */
    private void put(int b) {
        int dim = size[0];
        if (!f.sparseInput()) {
            for (int k = 0; k < dim; k++) h[0][k * cap + b] = narrow(row[k]);
            return;
        }
        int c = 0;
        for (int k = 0; k < dim; k++) {
            if (row[k] == 0) continue;
            nzIdx[b][c] = k;
            nzVal[b][c++] = narrow(row[k]);
        }
        nzCount[b] = c;
    }

    /** The forward pass over the loaded block of m points, with the kernels' weights w. */
    private void forward(double[] w, int m) {
        for (int i = 1; i <= depth; i++) {
            double[] zi = z[i];
            if (i == 1 && f.sparseInput()) Kernels.setSparseTimesBlock(w, f.wOff(1), f.bOff(1), size[1], nzIdx, nzVal, nzCount, acc, zi, cap, m);
            else {
                Kernels.setBias(w, f.bOff(i), size[i], zi, cap, m);
                Kernels.addMatTimesBlock(w, f.wOff(i), size[i], size[i - 1], h[i - 1], zi, cap, m);
            }
            for (int s = 0; s < f.skipCount(i); s++) {
                int src = f.skipFrom(i, s);
                if (f.skipOff(i, s) < 0) Kernels.addBlock(h[src], zi, size[i], cap, m);
                else Kernels.addMatTimesBlock(w, f.skipOff(i, s), size[i], size[src], h[src], zi, cap, m);
            }
            if (f.activation(i) == Activation.IDENTITY) continue; // h[i] aliases z[i]
            double a = narrow(f.leak(i));
            double[] hi = h[i];
            for (int u = 0; u < size[i]; u++) {
                int o = u * cap;
                for (int b = 0; b < m; b++) {
                    double v = zi[o + b];
                    hi[o + b] = v > 0 ? v : a * v;
                }
            }
        }
    }

    /**
     * Loss of the forward pass at points {@code order[from..from+m)}, summed in 64 bits from the outputs in both
     * variants; with {@code scale != 0} also the output gradient dh[L].
     */
    private double outputLoss(Examples d, int[] order, int from, int m, Loss loss, double scale) { // wide
        double[] y = h[depth];
        double[] g = dh[depth];
        int out = size[depth];
        // BEGIN wide (the loss and its gradient are computed in double in both variants)
        double sum = 0;
        if (loss == Loss.MSE) {
            int td = d.targetDim();
            if (td != out) throw new IllegalArgumentException("data has " + td + " targets per point, the network " + out + " outputs");
            for (int b = 0; b < m; b++) {
                int i = order[from + b];
                for (int o = 0; o < out; o++) {
                    double diff = y[o * cap + b] - d.target(i, o);
                    sum += diff * diff / out;
                    g[o * cap + b] = narrow(2 * diff / out * scale);
                }
            }
        } else {
            if (d.classes() != out) throw new IllegalArgumentException("data has " + d.classes() + " classes, the network " + out + " outputs");
            for (int b = 0; b < m; b++) {
                int label = d.label(order[from + b]);
                double max = Double.NEGATIVE_INFINITY;
                for (int o = 0; o < out; o++) max = Math.max(max, y[o * cap + b]);
                double se = 0;
                for (int o = 0; o < out; o++) se += Math.exp(y[o * cap + b] - max);
                double logZ = max + Math.log(se);
                sum += logZ - y[label * cap + b];
                for (int o = 0; o < out; o++) {
                    double prob = Math.exp(y[o * cap + b] - logZ);
                    g[o * cap + b] = narrow((prob - (o == label ? 1 : 0)) * scale);
                }
            }
        }
        return sum;
        // END wide
    }

    /**
     * The summed loss of points {@code order[from .. from+m)} (no gradient).
     *
     * @param p parameters. Not modified.
     */
    @Override
    public double loss(double[] p, Examples d, int[] order, int from, int m, Loss loss) { // wide
        check(m);
        double[] w = weights(p);
        load(d, order, from, m);
        forward(w, m);
        return outputLoss(d, order, from, m, loss, 0);
    }

    /**
     * The summed loss of points {@code order[from .. from+m)}; adds {@code scale x} the gradient of that sum
     * to {@code grad} (scale = 1 / batch size gives the gradient of the batch mean).
     *
     * @param p    parameters. Not modified.
     * @param grad gradient accumulator. Modified.
     */
    @Override
    public double lossAndGradient(double[] p, Examples d, int[] order, int from, int m, Loss loss, double scale, double[] grad) { // wide
        check(m);
        double[] w = weights(p);
        load(d, order, from, m);
        forward(w, m);
        double sum = outputLoss(d, order, from, m, loss, scale); // wide
        for (int i = 1; i < depth; i++) Kernels.zero(dh[i], size[i], cap, m);
        // invariant: when layer i is reached, dh[i] holds the full gradient with respect to h[i], since every
        // reader of h[i] (layer i+1 and skips into later layers) has already been processed.
        for (int i = depth; i >= 1; i--) {
            int n = size[i];
            double[] zi = z[i], dhi = dh[i];
            if (f.activation(i) == Activation.IDENTITY) {
                System.arraycopy(dhi, 0, dz, 0, n * cap);
            } else {
                double a = narrow(f.leak(i));
                for (int u = 0; u < n; u++) {
                    int o = u * cap;
                    for (int b = 0; b < m; b++) dz[o + b] = zi[o + b] > 0 ? dhi[o + b] : a * dhi[o + b];
                }
            }
            Kernels.addRowSums(dz, grad, f.bOff(i), n, cap, m);
            if (i == 1 && f.sparseInput()) Kernels.addSparseWeightGradient(dz, nzIdx, nzVal, nzCount, acc, grad, f.wOff(1), n, cap, m);
            else Kernels.addBlockTimesBlockTranspose(dz, h[i - 1], grad, f.wOff(i), n, size[i - 1], cap, m);
            if (i > 1) Kernels.addMatTransposeTimesBlock(w, f.wOff(i), n, size[i - 1], dz, dh[i - 1], cap, m);
            for (int s = 0; s < f.skipCount(i); s++) {
                int src = f.skipFrom(i, s);
                int off = f.skipOff(i, s);
                if (off < 0) {
                    if (src > 0) Kernels.addBlock(dz, dh[src], n, cap, m);
                } else {
                    Kernels.addBlockTimesBlockTranspose(dz, h[src], grad, off, n, size[src], cap, m);
                    if (src > 0) Kernels.addMatTransposeTimesBlock(w, off, n, size[src], dz, dh[src], cap, m);
                }
            }
        }
        return sum;
    }

    /**
     * The network outputs at {@code m} points given as rows of {@code inputs} (point b at
     * {@code inputs[b*inputDim ..]}), written row-major into {@code out} ({@code out[b*outputDim + o]}).
     */
    @Override
    public void predict(double[] p, double[] inputs, int m, double[] out) {
        check(m);
        double[] w = weights(p);
        int dim = size[0];
        for (int b = 0; b < m; b++) {
            System.arraycopy(inputs, b * dim, row, 0, dim);
            put(b);
        }
        forward(w, m);
        int o = size[depth];
        for (int b = 0; b < m; b++) for (int k = 0; k < o; k++) out[b * o + k] = h[depth][k * cap + b];
    }

    private void check(int m) {
        if (m <= 0 || m > cap) throw new IllegalArgumentException("block of " + m + " points, workspace holds " + cap);
    }
}
