package atlas.experiment;

import atlas.error.NumericalException;

import atlas.error.BadInputException;

import atlas.data.mnist.ImageDataset;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.train.Optimizer;
import atlas.train.OptimizerKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small trainer for dense ReLU classifiers on 8-bit image data ({@code dim -> hidden... -> classes}), the setup of
 * Hanin and Rolnick: softmax cross-entropy (mean over the minibatch), Adam (the shared {@link Optimizer}: betas
 * 0.9/0.999, eps 1e-8, the PyTorch defaults), minibatches of 128 drawn from a seeded per-epoch shuffle, He-normal weights
 * {@code N(0, 2/fan_in)} and biases {@code N(0, biasStd^2)} (Hanin-Rolnick: variance 1e-6) or a constant.
 * Inputs are pixels / 255.
 *
 * <p>Training advances by samples, so snapshots can be taken at fractional epochs ({@link #advanceTo(double)}):
 * the state after {@code s} samples does not depend on where the run was paused. A minibatch is split into a fixed
 * number of blocks whose gradients are summed in a fixed order, so results do not depend on the thread count.
 * The first layer is stored transposed (input-major) so that the zero pixels of an image (about 80% on MNIST) are
 * skipped in the forward and backward passes.
 *
 * <p>Written for issue 6 because the fractional-epoch schedule needs sample-level control; see the report.
 */
public final class MnistTrainer implements AutoCloseable {
    /** Gradient blocks per minibatch (fixed: results do not depend on threads). */
    private static final int BLOCKS = 2;
    /** Relative slack when turning an epoch into a sample count, so that 0.1 x 60000 is 6000 and not 6001. */
    private static final double EPOCH_ROUNDING = 1e-9;

    private final ImageDataset data;
    private final int[] size;       // size[0] = dim, size[L] = classes
    private final int depth;
    private final double[][] w;     // w[0]: dim x size[1] (input-major); w[i>0]: size[i+1] x size[i] row-major
    private final double[][] b;
    /** the shared optimiser (atlas.train) over all parameters packed as w[0], b[0], w[1], b[1], ... */
    private final Optimizer adam;
    private final double[] flat, flatGrad;
    private final Block[] blocks;
    private final ExecutorService pool;
    private final int batch;
    private final double lr;
    private final long seed;
    private final int[] order;
    private long samplesSeen;
    private int orderEpoch = -1;
    private double trainSeconds;
    private double lastLoss = Double.NaN;

    /**
     * @param data     training images and labels
     * @param hidden   hidden layer widths
     * @param seed     seed of the initialisation and of the shuffles
     * @param biasStd  standard deviation of the initial biases (used when {@code biasConst} is NaN)
     * @param biasConst a constant initial bias, or NaN for N(0, biasStd^2)
     * @param batch    minibatch size
     * @param lr       Adam learning rate
     * @param threads  worker threads (1 or 2 are useful)
     */
    public MnistTrainer(ImageDataset data, int[] hidden, long seed, double biasStd, double biasConst, int batch, double lr, int threads) {
        if (hidden.length == 0) throw new BadInputException("give at least one hidden layer");
        if (batch <= 0 || !(lr > 0)) throw new BadInputException("batch and learning rate must be positive");
        if (data.count() == 0) throw new BadInputException("no training images");
        this.data = data;
        this.depth = hidden.length + 1;
        this.size = new int[depth + 1];
        size[0] = data.dim();
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] <= 0) throw new BadInputException("hidden widths must be positive");
            size[i + 1] = hidden[i];
        }
        size[depth] = data.classes();
        this.batch = batch;
        this.lr = lr;
        this.seed = seed;
        w = new double[depth][];
        b = new double[depth][];
        Random r = new Random(seed);
        for (int l = 0; l < depth; l++) {
            int in = size[l], out = size[l + 1];
            w[l] = new double[in * out];
            double std = Math.sqrt(2.0 / in);
            for (int k = 0; k < w[l].length; k++) w[l][k] = std * r.nextGaussian(); // the layout does not matter for iid draws
            b[l] = new double[out];
            for (int k = 0; k < out; k++) b[l][k] = Double.isNaN(biasConst) ? biasStd * r.nextGaussian() : biasConst;
        }
        int count = 0;
        for (int l = 0; l < depth; l++) count += w[l].length + b[l].length;
        adam = new Optimizer(OptimizerKind.ADAM, lr, count);
        flat = new double[count];
        flatGrad = new double[count];
        blocks = new Block[BLOCKS];
        int per = (batch + BLOCKS - 1) / BLOCKS;
        for (int k = 0; k < BLOCKS; k++) blocks[k] = new Block(per);
        pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, BLOCKS)), runnable -> {
            Thread t = new Thread(runnable, "mnist-trainer");
            t.setDaemon(true);
            return t;
        });
        order = new int[data.count()];
    }

    /** Training samples processed so far, over the training set size. */
    public double epoch() { return samplesSeen / (double) data.count(); }

    public long samplesSeen() { return samplesSeen; }

    /** Wall time spent in {@link #advanceTo}, seconds. */
    public double trainSeconds() { return trainSeconds; }

    /** Training samples per second so far. */
    public double samplesPerSecond() { return trainSeconds == 0 ? Double.NaN : samplesSeen / trainSeconds; }

    /** The mean loss of the last minibatch. */
    public double lastLoss() { return lastLoss; }

    /**
     * Trains until at least {@code epoch x count} samples have been seen (whole minibatches; the last batch of an
     * epoch may be smaller). Interruptible between minibatches.
     */
    public void advanceTo(double epoch) {
        long target = (long) Math.ceil(epoch * data.count() - EPOCH_ROUNDING * data.count());
        long t0 = System.nanoTime();
        try {
            while (samplesSeen < target) {
                if (Thread.currentThread().isInterrupted()) throw new CancellationException("training interrupted");
                int e = (int) (samplesSeen / data.count());
                int pos = (int) (samplesSeen % data.count());
                if (e != orderEpoch) shuffle(e);
                int m = Math.min(batch, data.count() - pos);
                step(pos, m);
                samplesSeen += m;
            }
        } finally {
            trainSeconds += (System.nanoTime() - t0) / 1e9;
        }
    }

    private void shuffle(int e) {
        for (int k = 0; k < order.length; k++) order[k] = k;
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + e + 1);
        for (int k = order.length - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            int t = order[k]; order[k] = order[j]; order[j] = t;
        }
        orderEpoch = e;
    }

    private void step(int pos, int m) {
        int per = (m + BLOCKS - 1) / BLOCKS;
        List<Future<?>> fs = new ArrayList<>(BLOCKS);
        for (int k = 0; k < BLOCKS; k++) {
            final Block blk = blocks[k];
            final int from = pos + k * per, cnt = Math.max(0, Math.min(per, pos + m - from));
            fs.add(pool.submit(() -> blk.gradient(from, cnt, m)));
        }
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CancellationException("training interrupted");
        } catch (ExecutionException ex) {
            throw new IllegalStateException("training failed: " + ex.getCause(), ex.getCause());
        }
        double loss = 0;
        for (Block blk : blocks) loss += blk.loss;
        lastLoss = loss / m;
        if (!Double.isFinite(lastLoss)) throw new NumericalException("training diverged: the loss is " + lastLoss);
        // pack parameters and block-summed gradients (fixed block order), update, unpack: O(parameters) per step,
        // against O(batch x parameters) for the gradient
        int off = 0;
        for (int l = 0; l < depth; l++) {
            off = pack(l, true, off);
            off = pack(l, false, off);
        }
        adam.update(flat, flatGrad);
        off = 0;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(flat, off, w[l], 0, w[l].length);
            off += w[l].length;
            System.arraycopy(flat, off, b[l], 0, b[l].length);
            off += b[l].length;
        }
    }

    /** Copies layer l's weights (or biases) and their block-summed gradient into the flat arrays at off. */
    private int pack(int l, boolean weights, int off) {
        double[] p = weights ? w[l] : b[l];
        System.arraycopy(p, 0, flat, off, p.length);
        for (int j = 0; j < p.length; j++) {
            double g = 0;
            for (Block blk : blocks) g += weights ? blk.gw[l][j] : blk.gb[l][j]; // fixed order
            flatGrad[off + j] = g;
        }
        return off + p.length;
    }

    /** Per-block workspace: activations and gradients of up to {@code cap} samples. */
    private final class Block {
        final int cap;
        final double[][] a;   // a[l]: cap x size[l] (a[0] unused: inputs are read from bytes)
        final double[][] d;   // d[l]: dLoss/dz of layer l+1, cap x size[l+1]
        final double[][] gw, gb;
        final int[] nz;       // nonzero pixel indices of one image
        final int[][] nzIdx;  // per sample
        final int[] nzCount;
        double loss;

        Block(int cap) {
            this.cap = cap;
            a = new double[depth + 1][];
            d = new double[depth][];
            for (int l = 1; l <= depth; l++) a[l] = new double[cap * size[l]];
            for (int l = 0; l < depth; l++) d[l] = new double[cap * size[l + 1]];
            gw = new double[depth][];
            gb = new double[depth][];
            for (int l = 0; l < depth; l++) { gw[l] = new double[w[l].length]; gb[l] = new double[b[l].length]; }
            nz = new int[size[0]];
            nzIdx = new int[cap][size[0]];
            nzCount = new int[cap];
        }

        /** Gradient of the summed loss of samples order[from .. from+cnt), scaled by 1/m. */
        void gradient(int from, int cnt, int m) {
            for (int l = 0; l < depth; l++) { java.util.Arrays.fill(gw[l], 0); java.util.Arrays.fill(gb[l], 0); }
            loss = 0;
            if (cnt == 0) return;
            forward(from, cnt);
            int classes = size[depth];
            double[] out = a[depth];
            double[] dl = d[depth - 1];
            for (int s = 0; s < cnt; s++) {
                int o = s * classes;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) max = Math.max(max, out[o + c]);
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.exp(out[o + c] - max);
                int label = data.label(order[from + s]);
                loss += Math.log(sum) + max - out[o + label];
                for (int c = 0; c < classes; c++) dl[o + c] = Math.exp(out[o + c] - max) / sum / m;
                dl[o + label] -= 1.0 / m;
            }
            backward(from, cnt);
        }

        void forward(int from, int cnt) {
            byte[] px = data.pixels();
            int dim = size[0];
            int h1 = size[1];
            double[] a1 = a[1];
            java.util.Arrays.fill(a1, 0, cnt * h1, 0.0);
            for (int s = 0; s < cnt; s++) {
                int base = order[from + s] * dim;
                int[] idx = nzIdx[s];
                int c = 0;
                int ao = s * h1;
                for (int k = 0; k < dim; k++) {
                    int v = px[base + k] & 0xff;
                    if (v == 0) continue;
                    idx[c++] = k;
                    double x = v / 255.0;
                    int wo = k * h1;
                    for (int u = 0; u < h1; u++) a1[ao + u] += x * w[0][wo + u];
                }
                nzCount[s] = c;
                for (int u = 0; u < h1; u++) a1[ao + u] += b[0][u];
            }
            // invariant: a[l] holds pre-activations of layer l until relu() turns them into outputs
            for (int l = 1; l < depth; l++) {
                relu(a[l], cnt * size[l]);
                int in = size[l], out = size[l + 1];
                double[] src = a[l], dst = a[l + 1], wl = w[l], bl = b[l];
                for (int s = 0; s < cnt; s++) {
                    int so = s * in, dO = s * out;
                    for (int u = 0; u < out; u++) {
                        double z = bl[u];
                        int wo = u * in;
                        for (int k = 0; k < in; k++) z += wl[wo + k] * src[so + k];
                        dst[dO + u] = z;
                    }
                }
            }
        }

        void backward(int from, int cnt) {
            byte[] px = data.pixels();
            int dim = size[0];
            for (int l = depth - 1; l >= 1; l--) {
                int in = size[l], out = size[l + 1];
                double[] dz = d[l], src = a[l], gwl = gw[l], gbl = gb[l], wl = w[l], dprev = d[l - 1];
                java.util.Arrays.fill(dprev, 0, cnt * in, 0.0);
                for (int s = 0; s < cnt; s++) {
                    int so = s * in, dO = s * out;
                    for (int u = 0; u < out; u++) {
                        double g = dz[dO + u];
                        if (g == 0) continue;
                        gbl[u] += g;
                        int wo = u * in;
                        for (int k = 0; k < in; k++) {
                            gwl[wo + k] += g * src[so + k];
                            dprev[so + k] += g * wl[wo + k];
                        }
                    }
                    for (int k = 0; k < in; k++) if (src[so + k] <= 0) dprev[so + k] = 0; // relu'
                }
            }
            int h1 = size[1];
            double[] dz = d[0], g0 = gw[0], gb0 = gb[0];
            for (int s = 0; s < cnt; s++) {
                int base = order[from + s] * dim;
                int dO = s * h1;
                for (int u = 0; u < h1; u++) gb0[u] += dz[dO + u];
                int[] idx = nzIdx[s];
                for (int c = 0; c < nzCount[s]; c++) {
                    int k = idx[c];
                    double x = (px[base + k] & 0xff) / 255.0;
                    int wo = k * h1;
                    for (int u = 0; u < h1; u++) g0[wo + u] += x * dz[dO + u];
                }
            }
        }

        private void relu(double[] v, int n) {
            for (int k = 0; k < n; k++) if (v[k] < 0) v[k] = 0;
        }
    }

    /** The current weights as a network (hidden layers ReLU, linear output), first layer row-major again. */
    public Network network() {
        List<DenseLayer> layers = new ArrayList<>(depth);
        int dim = size[0], h1 = size[1];
        double[] w0 = new double[dim * h1];
        for (int k = 0; k < dim; k++) for (int u = 0; u < h1; u++) w0[u * dim + k] = w[0][k * h1 + u];
        layers.add(new DenseLayer(dim, h1, w0, b[0], depth > 1 ? Activation.RELU : Activation.IDENTITY, 0));
        for (int l = 1; l < depth; l++)
            layers.add(new DenseLayer(size[l], size[l + 1], w[l], b[l], l < depth - 1 ? Activation.RELU : Activation.IDENTITY, 0));
        return new Network(dim, layers);
    }

    /** Fraction of images of {@code set} whose largest output is their label (ties: the first). */
    public static double accuracy(Network net, ImageDataset set, int limit) {
        int n = Math.min(limit, set.count());
        if (n == 0) return Double.NaN;
        double[] x = new double[set.dim()];
        int right = 0;
        for (int i = 0; i < n; i++) {
            double[] y = net.forward(set.features(i, x));
            int best = 0;
            for (int c = 1; c < y.length; c++) if (y[c] > y[best]) best = c;
            if (best == set.label(i)) right++;
        }
        return right / (double) n;
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
