package atlas.experiment;

import atlas.error.NumericalException;

import atlas.error.BadInputException;

import atlas.data.mnist.ImageDataset;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.train.FlatModel;
import atlas.train.Loss;
import atlas.train.Optimizer;
import atlas.train.OptimizerKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Hanin-Rolnick training schedule over the one training engine of {@code atlas.train}: dense ReLU classifiers
 * on 8-bit image data ({@code dim -> hidden... -> classes}), softmax cross-entropy (mean over the minibatch), Adam
 * (the shared {@link Optimizer}: betas 0.9/0.999, eps 1e-8, the PyTorch defaults), minibatches drawn from a seeded
 * per-epoch shuffle, He-normal weights {@code N(0, 2/fan_in)} and biases {@code N(0, biasStd^2)} (Hanin-Rolnick:
 * variance 1e-6) or a constant ({@link FlatModel#initialise}). Inputs are pixels / 255, read from the bytes by a
 * {@link FlatModel#withSparseInput sparse first layer} (the zero pixels, about 80% on MNIST, cost nothing).
 *
 * <p>What this class adds to {@link atlas.train.Trainer} is the schedule: training advances by samples, so
 * snapshots can be taken at fractional epochs ({@link #advanceTo(double)}); the state after {@code s} samples does
 * not depend on where the run was paused. A minibatch is split into a fixed number of blocks whose gradients are
 * summed in a fixed order, so results do not depend on the thread count.
 */
final class MnistTrainer implements AutoCloseable {
    /** Gradient blocks per minibatch (fixed: results do not depend on threads). */
    private static final int BLOCKS = 2;
    /** Relative slack when turning an epoch into a sample count, so that 0.1 x 60000 is 6000 and not 6001. */
    private static final double EPOCH_ROUNDING = 1e-9;

    private final ImageDataset data;
    private final FlatModel model;
    private final double[] params;
    private final Optimizer adam;
    private final FlatModel.Block[] blocks;
    private final double[][] blockGrads;
    private final double[] blockLoss;
    private final double[] grad;
    private final ExecutorService pool;
    private final int batch;
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
        for (int h : hidden) if (h <= 0) throw new BadInputException("hidden widths must be positive");
        this.data = data;
        this.batch = batch;
        this.seed = seed;
        model = FlatModel.withSparseInput(shape(data.dim(), hidden, data.classes()));
        params = Double.isNaN(biasConst) ? model.initialise(seed, 0, biasStd) : model.initialise(seed, biasConst, 0);
        adam = new Optimizer(OptimizerKind.ADAM, lr, model.parameterCount());
        int per = (batch + BLOCKS - 1) / BLOCKS;
        blocks = new FlatModel.Block[BLOCKS];
        blockGrads = new double[BLOCKS][model.parameterCount()];
        for (int k = 0; k < BLOCKS; k++) blocks[k] = model.newWorkspace(per);
        blockLoss = new double[BLOCKS];
        grad = new double[model.parameterCount()];
        pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, BLOCKS)), runnable -> {
            Thread t = new Thread(runnable, "mnist-trainer");
            t.setDaemon(true);
            return t;
        });
        order = new int[data.count()];
    }

    /** A {@code dim -> hidden (ReLU) -> classes (linear)} network with zero parameters: the shape to train. */
    private static Network shape(int dim, int[] hidden, int classes) {
        List<DenseLayer> layers = new ArrayList<>(hidden.length + 1);
        int in = dim;
        for (int l = 0; l <= hidden.length; l++) {
            int out = l < hidden.length ? hidden[l] : classes;
            layers.add(new DenseLayer(in, out, new double[in * out], new double[out], l < hidden.length ? Activation.RELU : Activation.IDENTITY, 0));
            in = out;
        }
        return new Network(dim, layers);
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

    /** One minibatch {@code order[pos .. pos+m)}: block gradients in parallel, summed in block order, one Adam step. */
    private void step(int pos, int m) {
        int per = (m + BLOCKS - 1) / BLOCKS;
        List<Future<?>> fs = new ArrayList<>(BLOCKS);
        for (int k = 0; k < BLOCKS; k++) {
            final int kk = k, from = pos + k * per, cnt = Math.max(0, Math.min(per, pos + m - from));
            fs.add(pool.submit(() -> {
                Arrays.fill(blockGrads[kk], 0);
                blockLoss[kk] = cnt == 0 ? 0 : blocks[kk].lossAndGradient(params, data, order, from, cnt, Loss.CROSS_ENTROPY, 1.0 / m, blockGrads[kk]);
            }));
        }
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CancellationException("training interrupted");
        } catch (ExecutionException ex) {
            throw new IllegalStateException("training failed: " + ex.getCause(), ex.getCause());
        }
        System.arraycopy(blockGrads[0], 0, grad, 0, grad.length);
        double loss = blockLoss[0];
        for (int k = 1; k < BLOCKS; k++) {
            double[] g = blockGrads[k];
            for (int j = 0; j < grad.length; j++) grad[j] += g[j]; // fixed order
            loss += blockLoss[k];
        }
        lastLoss = loss / m;
        if (!Double.isFinite(lastLoss)) throw new NumericalException("training diverged: the loss is " + lastLoss);
        adam.update(params, grad);
    }

    /** The current weights as a network (hidden layers ReLU, linear output). */
    public Network network() { return model.toNetwork(params); }

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
