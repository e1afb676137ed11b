package atlas.train;

import atlas.concurrent.Futures;

import atlas.error.BadInputException;

import atlas.data.Dataset;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Minibatch training of a {@link Network} on a {@link Dataset}, on a flat parameter copy.
 *
 * <p>An epoch is one pass over the training points in an order reshuffled each epoch (epoch e's order is a
 * Fisher-Yates shuffle from {@code SplittableRandom(mix(seed, e))}, independent of earlier epochs). Each
 * minibatch is cut into a fixed number of blocks (at most {@link #MAX_BLOCKS}, each at most
 * {@link #BLOCK} points unless the batch is larger than {@code MAX_BLOCKS x BLOCK}); blocks compute their
 * gradients in parallel into their own arrays, which are then summed in block order. So the result does not
 * depend on the number of threads: same data, network, config and seed give the same weights bit for bit.
 *
 * <p>Not thread-safe. {@link #close()} stops the worker threads.
 */
public final class Trainer implements AutoCloseable {
    /** The preferred number of points per block. */
    public static final int BLOCK = 256;
    /** The most blocks a minibatch is cut into. */
    public static final int MAX_BLOCKS = 8;

    private final FlatModel model;
    private final double[] params;
    private final Dataset train, validation;
    private TrainConfig config;
    private Optimizer optimizer;
    private int epoch;
    private double firstLoss = Double.NaN;

    private final int blocks, blockCap;
    private final FlatModel.Block[] workspaces;
    private final double[][] blockGrads;
    private final double[] blockLoss;
    private final double[] grad;
    private final int[] order;
    private final ExecutorService pool;
    private final List<Callable<Void>> blockTasks;
    // the current minibatch, written before the block tasks are submitted (submission orders the writes)
    private int stepStart, stepM, stepPer;
    private double stepScale;
    private int[] identity = new int[0];       // 0..n-1, reused by meanLoss
    private double[] chunkSums = new double[0]; // per-block loss sums, reused by meanLoss

    /** A trainer starting from {@code initial} with a fresh optimiser. */
    public Trainer(Network initial, Dataset train, Dataset validation, TrainConfig config) {
        this(initial, train, validation, config, 0, null);
    }

    private Trainer(Network initial, Dataset train, Dataset validation, TrainConfig config, int epoch, Optimizer opt) {
        if (train.size() == 0) throw new BadInputException("no training points");
        if (train.inputDim() != initial.inputDim())
            throw new BadInputException("data has " + train.inputDim() + " inputs, the network " + initial.inputDim());
        if (train.outputDim() != initial.outputDim())
            throw new BadInputException("data needs " + train.outputDim() + " outputs, the network has " + initial.outputDim());
        if ((config.loss() == Loss.CROSS_ENTROPY) != train.isClassification())
            throw new BadInputException(config.loss().label() + " loss does not fit " + (train.isClassification() ? "class labels" : "grey-value targets"));
        this.model = FlatModel.of(initial);
        this.params = model.parameters(initial);
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.epoch = epoch;
        this.optimizer = opt != null ? opt : new Optimizer(config.optimizer(), config.lr(), model.parameterCount());
        int batch = Math.min(config.batchSize(), train.size());
        blocks = Math.max(1, Math.min(MAX_BLOCKS, (batch + BLOCK - 1) / BLOCK));
        blockCap = (batch + blocks - 1) / blocks;
        workspaces = new FlatModel.Block[blocks];
        blockGrads = new double[blocks][];
        for (int k = 0; k < blocks; k++) {
            workspaces[k] = model.newBlock(config.precision(), blockCap);
            blockGrads[k] = new double[model.parameterCount()];
        }
        blockLoss = new double[blocks];
        grad = new double[model.parameterCount()];
        order = new int[train.size()];
        List<Callable<Void>> tasks = new ArrayList<>(blocks);
        for (int k = 0; k < blocks; k++) {
            final int kk = k;
            tasks.add(() -> block(kk));
        }
        blockTasks = List.copyOf(tasks);
        int threads = Math.min(config.threads(), blocks);
        pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "atlas-train");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * A trainer continuing from {@code ck}. When {@code config} names the checkpoint's optimiser the moments
     * are kept (a new learning rate applies from the next step); another optimiser starts with fresh state.
     */
    public static Trainer resume(Checkpoint ck, Dataset train, Dataset validation, TrainConfig config) {
        FlatModel m = FlatModel.of(ck.network());
        Optimizer opt = ck.optimizer() == config.optimizer()
                ? new Optimizer(ck.optimizer(), config.lr(), ck.step(), ck.state(), m.parameterCount())
                : new Optimizer(config.optimizer(), config.lr(), m.parameterCount());
        return new Trainer(ck.network(), train, validation, config, ck.epoch(), opt);
    }

    /** Epochs completed. */
    public int epochsDone() { return epoch; }

    public TrainConfig config() { return config; }

    public FlatModel model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    /** The current network (a snapshot; training goes on on the flat copy). */
    public Network network() { return model.toNetwork(params); }

    /** A copy of the current parameters. */
    public double[] parameters() { return params.clone(); }

    /** A checkpoint of the current state. */
    public Checkpoint checkpoint(double seconds) {
        return new Checkpoint(epoch, network(), optimizer.kind(), optimizer.lr(), optimizer.step(), optimizer.state(), seconds);
    }

    /**
     * Runs one epoch and returns its training loss: the mean over the training points of the loss of each
     * point's minibatch, computed with the weights before that minibatch's update.
     *
     * @throws TrainingDivergedException when a loss or parameter stops being finite or the loss explodes
     * @throws CancellationException     when the thread is interrupted before the epoch starts (an epoch, once
     *                                   started, runs to its end, so the state is always that of a whole epoch)
     */
    public double trainEpoch() {
        return runEpoch();
    }

    private double runEpoch() {
        int n = train.size();
        for (int k = 0; k < n; k++) order[k] = k;
        SplittableRandom rnd = new SplittableRandom(mix(config.seed(), epoch + 1));
        for (int k = n - 1; k > 0; k--) {
            int r = rnd.nextInt(k + 1);
            int t = order[k]; order[k] = order[r]; order[r] = t;
        }
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("training interrupted");
        double total = 0;
        int batch = config.batchSize();
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            total += step(start, m);
        }
        epoch++;
        double loss = total / n;
        checkLoss(loss, "training");
        if (Double.isNaN(firstLoss)) firstLoss = loss;
        return loss;
    }

    /** One minibatch {@code order[start .. start+m)}: gradient and update; returns the summed loss. */
    private double step(int start, int m) {
        int nb = Math.min(blocks, (m + blockCap - 1) / blockCap);
        stepStart = start;
        stepM = m;
        stepPer = (m + nb - 1) / nb;
        stepScale = 1.0 / m;
        runAll(blockTasks.subList(0, nb));
        System.arraycopy(blockGrads[0], 0, grad, 0, grad.length);
        double loss = blockLoss[0];
        for (int k = 1; k < nb; k++) {
            double[] g = blockGrads[k];
            for (int j = 0; j < grad.length; j++) grad[j] += g[j];
            loss += blockLoss[k];
        }
        if (!Double.isFinite(loss)) throw diverged("the training loss is " + loss);
        optimizer.update(params, grad);
        return loss;
    }

    /** Block k of the current minibatch: its gradient into blockGrads[k], its summed loss into blockLoss[k]. */
    private Void block(int k) {
        int from = stepStart + k * stepPer;
        int cnt = Math.min(stepPer, stepStart + stepM - from);
        Arrays.fill(blockGrads[k], 0);
        blockLoss[k] = cnt <= 0 ? 0 : workspaces[k].lossAndGradient(params, train, order, from, cnt, config.loss(), stepScale, blockGrads[k]);
        return null;
    }

    /** The mean loss on the validation set (NaN when it is empty). */
    public double validationLoss() {
        return validation == null || validation.size() == 0 ? Double.NaN : meanLoss(validation);
    }

    /** The mean loss on {@code data} with the current parameters. */
    public double meanLoss(Dataset data) {
        int n = data.size();
        if (identity.length < n) {
            identity = new int[n];
            for (int k = 0; k < n; k++) identity[k] = k;
        }
        int[] idx = identity;
        int chunks = (n + blockCap - 1) / blockCap;
        if (chunkSums.length < chunks) chunkSums = new double[chunks];
        double[] sums = chunkSums;
        java.util.Arrays.fill(sums, 0, chunks, 0.0);
        for (int c0 = 0; c0 < chunks; c0 += blocks) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int k = 0; k < blocks && c0 + k < chunks; k++) {
                final int c = c0 + k, kk = k;
                tasks.add(() -> {
                    int from = c * blockCap;
                    int cnt = Math.min(blockCap, n - from);
                    sums[c] = workspaces[kk].loss(params, data, idx, from, cnt, config.loss());
                    return null;
                });
            }
            runAll(tasks);
        }
        double s = 0;
        for (int c = 0; c < chunks; c++) s += sums[c];
        double loss = s / n;
        checkLoss(loss, "validation");
        return loss;
    }

    /**
     * Network outputs at points given as rows of {@code inputs} ({@code n} points), row-major into a new array
     * of {@code n x outputDim}: a fast batched forward pass for rasters.
     */
    public double[] predict(double[] inputs, int n) {
        int dim = model.inputDim(), out = model.outputDim();
        double[] res = new double[n * out];
        int chunks = (n + blockCap - 1) / blockCap;
        for (int c0 = 0; c0 < chunks; c0 += blocks) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int k = 0; k < blocks && c0 + k < chunks; k++) {
                final int c = c0 + k, kk = k;
                tasks.add(() -> {
                    int from = c * blockCap;
                    int cnt = Math.min(blockCap, n - from);
                    double[] in = Arrays.copyOfRange(inputs, from * dim, (from + cnt) * dim);
                    double[] o = new double[cnt * out];
                    workspaces[kk].predict(params, in, cnt, o);
                    System.arraycopy(o, 0, res, from * out, cnt * out);
                    return null;
                });
            }
            runAll(tasks);
        }
        return res;
    }

    /** Changes optimiser or learning rate from the next step on (a new optimiser starts with fresh state). */
    public void reconfigure(OptimizerKind kind, double lr) {
        if (kind == optimizer.kind()) optimizer.setLr(lr);
        else optimizer = new Optimizer(kind, lr, model.parameterCount());
        config = config.withOptimizer(kind, lr);
    }

    private void checkLoss(double loss, String what) {
        if (!Double.isFinite(loss)) throw diverged("the " + what + " loss is " + loss);
        if (!Double.isNaN(firstLoss) && loss > config.divergenceFactor() * Math.max(firstLoss, Double.MIN_NORMAL))
            throw diverged("the " + what + " loss " + String.format("%.4g", loss) + " is over " + String.format("%.0g", config.divergenceFactor())
                    + " times the first epoch's " + String.format("%.4g", firstLoss));
    }

    private TrainingDivergedException diverged(String why) {
        return new TrainingDivergedException(epoch + 1, "training diverged in epoch " + (epoch + 1) + ": " + why
                + " (try a smaller --lr, e.g. " + String.format("%.0e", config.lr() / 10) + ")");
    }

    private void runAll(List<Callable<Void>> tasks) {
        if (pool == null || tasks.size() == 1) {
            try {
                for (Callable<Void> t : tasks) t.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        List<Future<Void>> fs = new ArrayList<>(tasks.size());
        for (Callable<Void> t : tasks) fs.add(pool.submit(t));
        // every block finishes before the update, even when interrupted (the flag is kept and honoured at the next
        // epoch boundary), so the parameters never hold half an epoch
        Futures.awaitAll(fs);
    }

    /** A well-mixed 64-bit value of a seed and an epoch (the SplitMix64 finaliser). */
    static long mix(long seed, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
