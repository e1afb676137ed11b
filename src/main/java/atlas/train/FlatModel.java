package atlas.train;

import atlas.error.BadInputException;

import atlas.data.Examples;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The trainable form of a {@link Network}: its structure (sizes, activations, skips) with all parameters in
 * one flat {@code double[]}. Layout, layer by layer (1..L): the weight matrix W (row-major, units x inputs),
 * the bias b, then the matrix P of every non-identity skip into the layer, in the layer's skip order.
 * Identity skips have no parameters. A model made by {@link #withSparseInput(Network)} stores layer 1's W
 * input-major instead (entry (u, k) at {@code k * units + u}) and multiplies it by the nonzero inputs only: the
 * MNIST setup, where about 80% of the pixels are zero.
 *
 * <p>{@link #newWorkspace(int)} gives the buffers of forward and backward passes over blocks of points;
 * {@link #parameters(Network)} and {@link #toNetwork(double[])} convert both ways exactly.
 */
public final class FlatModel {
    private final Network template;
    private final int depth;
    private final int[] size;          // size[0] = input dim, size[i] = units of layer i
    private final Activation[] act;    // 1..L
    private final double[] leak;       // 1..L
    private final int[] wOff, bOff;    // 1..L
    private final int[][] skipFrom, skipOff; // 1..L, per skip; skipOff = -1 for identity
    private final int paramCount;
    /** layer 1 input-major, multiplied by the nonzero inputs only (see {@link #withSparseInput}) */
    private final boolean sparseInput;

    private FlatModel(Network net, boolean sparseInput) {
        this.template = net;
        this.sparseInput = sparseInput;
        depth = net.depth();
        size = new int[depth + 1];
        act = new Activation[depth + 1];
        leak = new double[depth + 1];
        wOff = new int[depth + 1];
        bOff = new int[depth + 1];
        skipFrom = new int[depth + 1][];
        skipOff = new int[depth + 1][];
        size[0] = net.inputDim();
        long off = 0;
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            size[i] = l.units();
            act[i] = l.activation();
            leak[i] = l.activation() == Activation.LEAKY_RELU ? l.leak() : 0.0;
            wOff[i] = (int) off;
            off += (long) l.units() * l.inputSize();
            bOff[i] = (int) off;
            off += l.units();
            int ns = l.skips().size();
            skipFrom[i] = new int[ns];
            skipOff[i] = new int[ns];
            for (int s = 0; s < ns; s++) {
                Skip sk = l.skips().get(s);
                skipFrom[i][s] = sk.from();
                if (sk.isIdentity()) skipOff[i][s] = -1;
                else {
                    skipOff[i][s] = (int) off;
                    off += sk.weights().length;
                }
            }
            if (off > Integer.MAX_VALUE - 8) throw new BadInputException("the network has too many parameters to train (" + off + ")");
        }
        paramCount = (int) off;
        if (sparseInput)
            for (int i = 1; i <= depth; i++)
                for (int from : skipFrom[i])
                    if (from == 0) throw new IllegalArgumentException("a sparse-input model reads its inputs in layer 1 only; layer " + i + " has a skip from the input");
    }

    /** A short description of the dense kernels in use (Vector API or plain loops). */
    public static String kernels() { return Kernels.describe(); }

    /** True when this JVM can use the Vector API kernels ({@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorKernelsAvailable() { return Kernels.vectorAvailable(); }

    /**
     * Chooses the Vector API kernels ({@code true}, when available) or the plain loops, for all training in this
     * JVM (benchmarks compare the two). Returns whether the Vector API kernels are now in use.
     */
    public static boolean useVectorKernels(boolean on) {
        Kernels.useVector = on && Kernels.vectorAvailable();
        return Kernels.useVector;
    }

    /** The structure of {@code net} (its parameters are read by {@link #parameters(Network)}). */
    public static FlatModel of(Network net) { return new FlatModel(net, false); }

    /**
     * The structure of {@code net} with a sparse first layer: layer 1's W is stored input-major in the flat
     * array and each point costs only its nonzero inputs in layer 1, forward and backward (same values as
     * {@link #of} up to the order of the sums). For inputs that are mostly zero, such as images; no skip may
     * read the input.
     */
    public static FlatModel withSparseInput(Network net) { return new FlatModel(net, true); }

    /** True when layer 1 is stored input-major and multiplied by the nonzero inputs only. */
    public boolean sparseInput() { return sparseInput; }

    public int parameterCount() { return paramCount; }

    public int depth() { return depth; }

    public int inputDim() { return size[0]; }

    public int outputDim() { return size[depth]; }

    /** Units of layer i (0 = input). */
    public int size(int i) { return size[i]; }

    /** The widest layer, input included. */
    public int maxWidth() { return Arrays.stream(size).max().orElse(1); }

    /**
     * Floating-point operations of one training step per point (forward 2 per weight, backward 4 per
     * weight, no gradient with respect to the input): the figure used for GFLOP/s.
     */
    public long trainingFlopsPerPoint() {
        long f = 0;
        for (int i = 1; i <= depth; i++) {
            long w = (long) size[i] * size[i - 1];
            f += 2 * w + 2 * w + (i > 1 ? 2 * w : 0);
            for (int s = 0; s < skipFrom[i].length; s++) {
                if (skipOff[i][s] < 0) continue;
                long ws = (long) size[i] * size[skipFrom[i][s]];
                f += 4 * ws + (skipFrom[i][s] > 0 ? 2 * ws : 0);
            }
        }
        return f;
    }

    /** The parameters of {@code net} (which must have this model's structure) as a new flat array. */
    public double[] parameters(Network net) {
        if (net.depth() != depth) throw new IllegalArgumentException("network has " + net.depth() + " layers, expected " + depth);
        double[] p = new double[paramCount];
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            if (l.units() != size[i] || l.inputSize() != size[i - 1] || l.skips().size() != skipFrom[i].length)
                throw new IllegalArgumentException("layer " + i + " does not match the model's structure");
            if (i == 1 && sparseInput) transpose(l.weights(), 0, size[1], size[0], p, wOff[1]);
            else System.arraycopy(l.weights(), 0, p, wOff[i], l.weights().length);
            System.arraycopy(l.bias(), 0, p, bOff[i], l.bias().length);
            for (int s = 0; s < skipFrom[i].length; s++) {
                Skip sk = l.skips().get(s);
                if (sk.isIdentity() != (skipOff[i][s] < 0)) throw new IllegalArgumentException("layer " + i + " skip " + s + " does not match");
                if (!sk.isIdentity()) System.arraycopy(sk.weights(), 0, p, skipOff[i][s], sk.weights().length);
            }
        }
        return p;
    }

    /** A {@link Network} snapshot with parameters {@code p} (copied). */
    public Network toNetwork(double[] p) {
        if (p.length != paramCount) throw new IllegalArgumentException("parameter array has " + p.length + " values, expected " + paramCount);
        List<DenseLayer> layers = new ArrayList<>(depth);
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = template.layer(i);
            double[] w = Arrays.copyOfRange(p, wOff[i], wOff[i] + size[i] * size[i - 1]);
            if (i == 1 && sparseInput) transpose(p, wOff[1], size[0], size[1], w, 0);
            double[] b = Arrays.copyOfRange(p, bOff[i], bOff[i] + size[i]);
            List<Skip> skips = new ArrayList<>();
            for (int s = 0; s < skipFrom[i].length; s++) {
                Skip sk = l.skips().get(s);
                if (sk.isIdentity()) skips.add(sk);
                else skips.add(new Skip(sk.from(), Arrays.copyOfRange(p, skipOff[i][s], skipOff[i][s] + sk.weights().length), sk.cols()));
            }
            layers.add(l.withParameters(w, b, skips));
        }
        return new Network(size[0], layers);
    }

    /** {@code dst[dOff + c * rows + r] = src[sOff + r * cols + c]}: a row-major rows x cols matrix, transposed. */
    private static void transpose(double[] src, int sOff, int rows, int cols, double[] dst, int dOff) {
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) dst[dOff + c * rows + r] = src[sOff + r * cols + c];
    }

    /**
     * Kaiming-normal initialisation (fan-in): every weight of W and of the skip matrices is drawn from
     * {@code N(0, 2 / fan_in)} where fan_in is the matrix's number of columns; biases are {@code biasValue}, or
     * drawn from {@code N(0, biasStd^2)} when {@code biasStd > 0}. Drawn in layout order from
     * {@code java.util.Random(seed)}: same seed, same parameters, bit for bit (with a sparse input, layer 1's
     * weights are drawn input-major, as stored).
     *
     * @return a new parameter array
     */
    public double[] initialise(long seed, double biasValue, double biasStd) {
        Random rnd = new Random(seed);
        double[] p = new double[paramCount];
        for (int i = 1; i <= depth; i++) {
            double std = Math.sqrt(2.0 / size[i - 1]);
            for (int k = 0; k < size[i] * size[i - 1]; k++) p[wOff[i] + k] = rnd.nextGaussian() * std;
            for (int u = 0; u < size[i]; u++) p[bOff[i] + u] = biasStd > 0 ? rnd.nextGaussian() * biasStd : biasValue;
            for (int s = 0; s < skipFrom[i].length; s++) {
                if (skipOff[i][s] < 0) continue;
                int cols = size[skipFrom[i][s]];
                double ss = Math.sqrt(2.0 / cols);
                for (int k = 0; k < size[i] * cols; k++) p[skipOff[i][s] + k] = rnd.nextGaussian() * ss;
            }
        }
        return p;
    }

    /** Buffers for blocks of at most {@code capacity} points, double precision. */
    public Workspace newWorkspace(int capacity) { return new Workspace(capacity); }

    /** Buffers for blocks of at most {@code capacity} points, single precision (see {@link FloatWorkspace}). */
    public FloatWorkspace newFloatWorkspace(int capacity) { return new FloatWorkspace(capacity); }

    /** A workspace of the given precision. */
    public Block newBlock(Precision precision, int capacity) {
        return precision == Precision.FLOAT ? newFloatWorkspace(capacity) : newWorkspace(capacity);
    }

    /**
     * Forward and backward passes over blocks of points, in double ({@link Workspace}) or float
     * ({@link FloatWorkspace}) arithmetic. Parameters and gradients are always double arrays. Not thread-safe:
     * one per thread.
     */
    public interface Block {
        /** The most points per call. */
        int capacity();

        /** The summed loss of points {@code order[from .. from+m)}. */
        double loss(double[] p, Examples d, int[] order, int from, int m, Loss loss);

        /** The summed loss of the points; adds {@code scale x} its gradient to {@code grad} (modified). */
        double lossAndGradient(double[] p, Examples d, int[] order, int from, int m, Loss loss, double scale, double[] grad);

        /** Outputs at {@code m} points given as rows of {@code inputs}, row-major into {@code out} (modified). */
        void predict(double[] p, double[] inputs, int m, double[] out);
    }

    /**
     * The mean loss of the whole data set and its gradient (a convenience that allocates; the training loop
     * uses workspaces directly).
     *
     * @param p    parameters. Not modified.
     * @param grad output gradient of the mean loss, or null. Modified.
     */
    public double lossAndGradient(double[] p, Examples data, Loss loss, double[] grad) {
        int n = data.size();
        int[] order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        Workspace ws = newWorkspace(n);
        if (grad != null) Arrays.fill(grad, 0);
        double sum = grad == null ? ws.loss(p, data, order, 0, n, loss)
                : ws.lossAndGradient(p, data, order, 0, n, loss, 1.0 / n, grad);
        return sum / n;
    }

    /**
     * The buffers of one block of points: pre-activations, outputs and their gradients per layer, feature-major
     * ({@code [unit * capacity + point]}). Not thread-safe: one per thread.
     */
    public final class Workspace implements Block {
        private final int cap;
        private final double[][] h;   // 0..L
        private final double[][] z;   // 1..L
        private final double[][] dh;  // 1..L
        private final double[] dz;
        private final double[] row;                // one point's inputs, or the sparse layer's scratch
        private final int[][] nzIdx;               // sparse input: per point, the indices of its nonzero inputs
        private final double[][] nzVal;            // ... and their values
        private final int[] nzCount;               // ... and how many

        private Workspace(int capacity) {
            if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
            cap = capacity;
            row = new double[Math.max(size[0], size[1])];
            nzIdx = sparseInput ? new int[cap][size[0]] : null;
            nzVal = sparseInput ? new double[cap][size[0]] : null;
            nzCount = sparseInput ? new int[cap] : null;
            h = new double[depth + 1][];
            z = new double[depth + 1][];
            dh = new double[depth + 1][];
            h[0] = sparseInput ? null : new double[size[0] * cap]; // sparse: the inputs are kept as nonzero lists
            for (int i = 1; i <= depth; i++) {
                z[i] = new double[size[i] * cap];
                h[i] = act[i] == Activation.IDENTITY ? z[i] : new double[size[i] * cap];
                dh[i] = new double[size[i] * cap];
            }
            dz = new double[maxWidth() * cap];
        }

        @Override
        public int capacity() { return cap; }

        /** Copies the inputs of points {@code order[from .. from+m)} into the input block (or the nonzero lists). */
        private void load(Examples d, int[] order, int from, int m) {
            for (int b = 0; b < m; b++) {
                if (sparseInput) {
                    int c = d.nonZeroInputs(order[from + b], nzIdx[b], row);
                    nzCount[b] = c;
                    for (int k = 0; k < c; k++) nzVal[b][k] = row[k];
                } else {
                    d.inputs(order[from + b], row);
                    put(b);
                }
            }
        }

        /** Point b's inputs, in {@code row}, into the input block (or, sparse, its nonzero list). */
        private void put(int b) {
            int dim = size[0];
            if (!sparseInput) {
                for (int k = 0; k < dim; k++) h[0][k * cap + b] = row[k];
                return;
            }
            int c = 0;
            for (int k = 0; k < dim; k++) {
                if (row[k] == 0) continue;
                nzIdx[b][c] = k;
                nzVal[b][c++] = row[k];
            }
            nzCount[b] = c;
        }

        /** The forward pass over the loaded block of m points. */
        private void forward(double[] p, int m) {
            for (int i = 1; i <= depth; i++) {
                double[] zi = z[i];
                if (i == 1 && sparseInput) Kernels.setSparseTimesBlock(p, wOff[1], bOff[1], size[1], nzIdx, nzVal, nzCount, row, zi, cap, m);
                else {
                    Kernels.setBias(p, bOff[i], size[i], zi, cap, m);
                    Kernels.addMatTimesBlock(p, wOff[i], size[i], size[i - 1], h[i - 1], zi, cap, m);
                }
                for (int s = 0; s < skipFrom[i].length; s++) {
                    int from = skipFrom[i][s];
                    if (skipOff[i][s] < 0) Kernels.addBlock(h[from], zi, size[i], cap, m);
                    else Kernels.addMatTimesBlock(p, skipOff[i][s], size[i], size[from], h[from], zi, cap, m);
                }
                if (act[i] == Activation.IDENTITY) continue; // h[i] aliases z[i]
                double a = leak[i];
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

        /** Loss of the forward pass at points {@code order[from..from+m)}; with {@code scale != 0} also dh[L]. */
        private double outputLoss(Examples d, int[] order, int from, int m, Loss loss, double scale) {
            double[] y = h[depth];
            double[] g = dh[depth];
            int out = size[depth];
            double sum = 0;
            if (loss == Loss.MSE) {
                int td = d.targetDim();
                if (td != out) throw new IllegalArgumentException("data has " + td + " targets per point, the network " + out + " outputs");
                for (int b = 0; b < m; b++) {
                    int i = order[from + b];
                    for (int o = 0; o < out; o++) {
                        double diff = y[o * cap + b] - d.target(i, o);
                        sum += diff * diff / out;
                        g[o * cap + b] = 2 * diff / out * scale;
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
                        g[o * cap + b] = (prob - (o == label ? 1 : 0)) * scale;
                    }
                }
            }
            return sum;
        }

        /**
         * The summed loss of points {@code order[from .. from+m)} (no gradient).
         *
         * @param p parameters. Not modified.
         */
        @Override
        public double loss(double[] p, Examples d, int[] order, int from, int m, Loss loss) {
            check(m);
            load(d, order, from, m);
            forward(p, m);
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
        public double lossAndGradient(double[] p, Examples d, int[] order, int from, int m, Loss loss, double scale, double[] grad) {
            check(m);
            load(d, order, from, m);
            forward(p, m);
            double sum = outputLoss(d, order, from, m, loss, scale);
            for (int i = 1; i < depth; i++) Kernels.zero(dh[i], size[i], cap, m);
            // invariant: when layer i is reached, dh[i] holds the full gradient with respect to h[i], since every
            // reader of h[i] (layer i+1 and skips into later layers) has already been processed.
            for (int i = depth; i >= 1; i--) {
                int n = size[i];
                double[] zi = z[i], dhi = dh[i];
                if (act[i] == Activation.IDENTITY) {
                    System.arraycopy(dhi, 0, dz, 0, n * cap);
                } else {
                    double a = leak[i];
                    for (int u = 0; u < n; u++) {
                        int o = u * cap;
                        for (int b = 0; b < m; b++) dz[o + b] = zi[o + b] > 0 ? dhi[o + b] : a * dhi[o + b];
                    }
                }
                Kernels.addRowSums(dz, grad, bOff[i], n, cap, m);
                if (i == 1 && sparseInput) Kernels.addSparseWeightGradient(dz, nzIdx, nzVal, nzCount, row, grad, wOff[1], n, cap, m);
                else Kernels.addBlockTimesBlockTranspose(dz, h[i - 1], grad, wOff[i], n, size[i - 1], cap, m);
                if (i > 1) Kernels.addMatTransposeTimesBlock(p, wOff[i], n, size[i - 1], dz, dh[i - 1], cap, m);
                for (int s = 0; s < skipFrom[i].length; s++) {
                    int src = skipFrom[i][s];
                    if (skipOff[i][s] < 0) {
                        if (src > 0) Kernels.addBlock(dz, dh[src], n, cap, m);
                    } else {
                        Kernels.addBlockTimesBlockTranspose(dz, h[src], grad, skipOff[i][s], n, size[src], cap, m);
                        if (src > 0) Kernels.addMatTransposeTimesBlock(p, skipOff[i][s], n, size[src], dz, dh[src], cap, m);
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
            int dim = size[0];
            for (int b = 0; b < m; b++) {
                System.arraycopy(inputs, b * dim, row, 0, dim);
                put(b);
            }
            forward(p, m);
            int o = size[depth];
            for (int b = 0; b < m; b++) for (int k = 0; k < o; k++) out[b * o + k] = h[depth][k * cap + b];
        }

        private void check(int m) {
            if (m <= 0 || m > cap) throw new IllegalArgumentException("block of " + m + " points, workspace holds " + cap);
        }
    }

    /**
     * The single-precision workspace: the parameters are rounded to float at each call, blocks are float, losses
     * and the output gradient are computed in double from the float outputs, and the gradient is accumulated into
     * the caller's double array. About twice as fast as {@link Workspace} with the Vector API kernels, at float
     * rounding (relative differences around 1e-6 per product).
     */
    public final class FloatWorkspace implements Block {
        private final int cap;
        private final float[] pf;
        private final float[][] h;   // 0..L
        private final float[][] z;   // 1..L
        private final float[][] dh;  // 1..L
        private final float[] dz;
        private final double[] row;                // one point's inputs
        private final float[] acc;                 // the sparse layer's scratch
        private final int[][] nzIdx;               // sparse input: as in Workspace
        private final float[][] nzVal;
        private final int[] nzCount;

        private FloatWorkspace(int capacity) {
            if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
            cap = capacity;
            row = new double[size[0]];
            acc = new float[size[1]];
            nzIdx = sparseInput ? new int[cap][size[0]] : null;
            nzVal = sparseInput ? new float[cap][size[0]] : null;
            nzCount = sparseInput ? new int[cap] : null;
            pf = new float[paramCount];
            h = new float[depth + 1][];
            z = new float[depth + 1][];
            dh = new float[depth + 1][];
            h[0] = sparseInput ? null : new float[size[0] * cap];
            for (int i = 1; i <= depth; i++) {
                z[i] = new float[size[i] * cap];
                h[i] = act[i] == Activation.IDENTITY ? z[i] : new float[size[i] * cap];
                dh[i] = new float[size[i] * cap];
            }
            dz = new float[maxWidth() * cap];
        }

        @Override
        public int capacity() { return cap; }

        private void round(double[] p) {
            for (int k = 0; k < paramCount; k++) pf[k] = (float) p[k];
        }

        private void load(Examples d, int[] order, int from, int m) {
            for (int b = 0; b < m; b++) {
                if (sparseInput) {
                    int c = d.nonZeroInputs(order[from + b], nzIdx[b], row);
                    nzCount[b] = c;
                    for (int k = 0; k < c; k++) nzVal[b][k] = (float) row[k];
                } else {
                    d.inputs(order[from + b], row);
                    put(b);
                }
            }
        }

        private void put(int b) {
            int dim = size[0];
            if (!sparseInput) {
                for (int k = 0; k < dim; k++) h[0][k * cap + b] = (float) row[k];
                return;
            }
            int c = 0;
            for (int k = 0; k < dim; k++) {
                if (row[k] == 0) continue;
                nzIdx[b][c] = k;
                nzVal[b][c++] = (float) row[k];
            }
            nzCount[b] = c;
        }

        private void forward(int m) {
            for (int i = 1; i <= depth; i++) {
                float[] zi = z[i];
                if (i == 1 && sparseInput) FloatKernels.setSparseTimesBlock(pf, wOff[1], bOff[1], size[1], nzIdx, nzVal, nzCount, acc, zi, cap, m);
                else {
                    FloatKernels.setBias(pf, bOff[i], size[i], zi, cap, m);
                    FloatKernels.addMatTimesBlock(pf, wOff[i], size[i], size[i - 1], h[i - 1], zi, cap, m);
                }
                for (int s = 0; s < skipFrom[i].length; s++) {
                    int src = skipFrom[i][s];
                    if (skipOff[i][s] < 0) FloatKernels.addBlock(h[src], zi, size[i], cap, m);
                    else FloatKernels.addMatTimesBlock(pf, skipOff[i][s], size[i], size[src], h[src], zi, cap, m);
                }
                if (act[i] == Activation.IDENTITY) continue;
                float a = (float) leak[i];
                float[] hi = h[i];
                for (int u = 0; u < size[i]; u++) {
                    int o = u * cap;
                    for (int b = 0; b < m; b++) {
                        float v = zi[o + b];
                        hi[o + b] = v > 0 ? v : a * v;
                    }
                }
            }
        }

        private double outputLoss(Examples d, int[] order, int from, int m, Loss loss, double scale) {
            float[] y = h[depth];
            float[] g = dh[depth];
            int out = size[depth];
            double sum = 0;
            if (loss == Loss.MSE) {
                int td = d.targetDim();
                if (td != out) throw new IllegalArgumentException("data has " + td + " targets per point, the network " + out + " outputs");
                for (int b = 0; b < m; b++) {
                    int i = order[from + b];
                    for (int o = 0; o < out; o++) {
                        double diff = y[o * cap + b] - d.target(i, o);
                        sum += diff * diff / out;
                        g[o * cap + b] = (float) (2 * diff / out * scale);
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
                        g[o * cap + b] = (float) ((prob - (o == label ? 1 : 0)) * scale);
                    }
                }
            }
            return sum;
        }

        @Override
        public double loss(double[] p, Examples d, int[] order, int from, int m, Loss loss) {
            check(m);
            round(p);
            load(d, order, from, m);
            forward(m);
            return outputLoss(d, order, from, m, loss, 0);
        }

        @Override
        public double lossAndGradient(double[] p, Examples d, int[] order, int from, int m, Loss loss, double scale, double[] grad) {
            check(m);
            round(p);
            load(d, order, from, m);
            forward(m);
            double sum = outputLoss(d, order, from, m, loss, scale);
            for (int i = 1; i < depth; i++) FloatKernels.zero(dh[i], size[i], cap, m);
            // invariant: as in Workspace, dh[i] is complete when layer i is reached
            for (int i = depth; i >= 1; i--) {
                int n = size[i];
                float[] zi = z[i], dhi = dh[i];
                if (act[i] == Activation.IDENTITY) {
                    System.arraycopy(dhi, 0, dz, 0, n * cap);
                } else {
                    float a = (float) leak[i];
                    for (int u = 0; u < n; u++) {
                        int o = u * cap;
                        for (int b = 0; b < m; b++) dz[o + b] = zi[o + b] > 0 ? dhi[o + b] : a * dhi[o + b];
                    }
                }
                FloatKernels.addRowSums(dz, grad, bOff[i], n, cap, m);
                if (i == 1 && sparseInput) FloatKernels.addSparseWeightGradient(dz, nzIdx, nzVal, nzCount, acc, grad, wOff[1], n, cap, m);
                else FloatKernels.addBlockTimesBlockTranspose(dz, h[i - 1], grad, wOff[i], n, size[i - 1], cap, m);
                if (i > 1) FloatKernels.addMatTransposeTimesBlock(pf, wOff[i], n, size[i - 1], dz, dh[i - 1], cap, m);
                for (int s = 0; s < skipFrom[i].length; s++) {
                    int src = skipFrom[i][s];
                    if (skipOff[i][s] < 0) {
                        if (src > 0) FloatKernels.addBlock(dz, dh[src], n, cap, m);
                    } else {
                        FloatKernels.addBlockTimesBlockTranspose(dz, h[src], grad, skipOff[i][s], n, size[src], cap, m);
                        if (src > 0) FloatKernels.addMatTransposeTimesBlock(pf, skipOff[i][s], n, size[src], dz, dh[src], cap, m);
                    }
                }
            }
            return sum;
        }

        @Override
        public void predict(double[] p, double[] inputs, int m, double[] out) {
            check(m);
            round(p);
            int dim = size[0];
            for (int b = 0; b < m; b++) {
                System.arraycopy(inputs, b * dim, row, 0, dim);
                put(b);
            }
            forward(m);
            int o = size[depth];
            for (int b = 0; b < m; b++) for (int k = 0; k < o; k++) out[b * o + k] = h[depth][k * cap + b];
        }

        private void check(int m) {
            if (m <= 0 || m > cap) throw new IllegalArgumentException("block of " + m + " points, workspace holds " + cap);
        }
    }
}
