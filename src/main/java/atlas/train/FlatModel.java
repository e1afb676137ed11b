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

    /** Layer i's activation, leak, weight and bias offsets and skips (1..L), read by the workspaces. */
    Activation activation(int i) { return act[i]; }

    double leak(int i) { return leak[i]; }

    int wOff(int i) { return wOff[i]; }

    int bOff(int i) { return bOff[i]; }

    int skipCount(int i) { return skipFrom[i].length; }

    int skipFrom(int i, int s) { return skipFrom[i][s]; }

    /** The offset of skip s's matrix, or -1 for an identity skip. */
    int skipOff(int i, int s) { return skipOff[i][s]; }

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
    public Block newWorkspace(int capacity) { return new Workspace(this, capacity); }

    /**
     * Buffers for blocks of at most {@code capacity} points, single precision: the parameters are rounded to float
     * at each call, blocks are float, losses and the output gradient are computed in double from the float outputs,
     * and the gradient is accumulated into the caller's double array. About twice as fast as {@link #newWorkspace}
     * with the Vector API kernels, at float rounding (relative differences around 1e-6 per product).
     */
    public Block newFloatWorkspace(int capacity) { return new FloatWorkspace(this, capacity); }

    /** A workspace of the given precision. */
    public Block newBlock(Precision precision, int capacity) {
        return precision == Precision.FLOAT ? newFloatWorkspace(capacity) : newWorkspace(capacity);
    }

    /**
     * Forward and backward passes over blocks of points, in double ({@link #newWorkspace}) or float
     * ({@link #newFloatWorkspace}) arithmetic. Parameters and gradients are always double arrays. Not thread-safe:
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
        Block ws = newWorkspace(n);
        if (grad != null) Arrays.fill(grad, 0);
        double sum = grad == null ? ws.loss(p, data, order, 0, n, loss)
                : ws.lossAndGradient(p, data, order, 0, n, loss, 1.0 / n, grad);
        return sum / n;
    }
}
