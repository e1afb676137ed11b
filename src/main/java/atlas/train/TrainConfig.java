package atlas.train;

import atlas.error.BadInputException;

/**
 * The settings of a training loop (what to optimise is given separately: a network and data sets).
 *
 * @param batchSize        points per minibatch (the last batch of an epoch may be smaller)
 * @param loss             the loss
 * @param optimizer        the optimiser
 * @param lr               the learning rate
 * @param seed             the seed of the per-epoch shuffles (epoch e uses its own stream derived from seed and e,
 *                         so a resumed run shuffles as an uninterrupted one)
 * @param threads          worker threads for the minibatch blocks; results do not depend on it
 * @param divergenceFactor training stops when a loss exceeds this multiple of the first epoch's loss (or is not finite)
 * @param precision        the arithmetic of the forward and backward passes
 */
public record TrainConfig(int batchSize, Loss loss, OptimizerKind optimizer, double lr, long seed, int threads,
                          double divergenceFactor, Precision precision) {
    /** The default batch size of the original experiments. */
    public static final int DEFAULT_BATCH = 1024;
    /** The default learning rate (Adam). */
    public static final double DEFAULT_LR = 1e-3;
    /** The default divergence factor. */
    public static final double DEFAULT_DIVERGENCE = 1e6;

    public TrainConfig {
        if (batchSize <= 0 || batchSize > 1 << 20) throw new BadInputException("batch size must be between 1 and 1048576, got " + batchSize);
        if (loss == null || optimizer == null) throw new BadInputException("loss and optimizer are required");
        if (!(lr > 0) || !Double.isFinite(lr)) throw new BadInputException("learning rate must be a positive number, got " + lr);
        if (threads <= 0) throw new BadInputException("threads must be positive, got " + threads);
        if (!(divergenceFactor > 1)) throw new BadInputException("divergence factor must exceed 1, got " + divergenceFactor);
        if (precision == null) throw new BadInputException("precision is required");
    }

    /** Double precision. */
    public TrainConfig(int batchSize, Loss loss, OptimizerKind optimizer, double lr, long seed, int threads, double divergenceFactor) {
        this(batchSize, loss, optimizer, lr, seed, threads, divergenceFactor, Precision.DOUBLE);
    }

    /** Defaults: batch 1024, Adam lr 1e-3, the given loss and seed, all available cores. */
    public static TrainConfig defaults(Loss loss, long seed) {
        return new TrainConfig(DEFAULT_BATCH, loss, OptimizerKind.ADAM, DEFAULT_LR, seed, defaultThreads(), DEFAULT_DIVERGENCE);
    }

    public TrainConfig withOptimizer(OptimizerKind kind, double newLr) {
        return new TrainConfig(batchSize, loss, kind, newLr, seed, threads, divergenceFactor, precision);
    }

    public TrainConfig withBatchSize(int b) { return new TrainConfig(b, loss, optimizer, lr, seed, threads, divergenceFactor, precision); }

    public TrainConfig withThreads(int t) { return new TrainConfig(batchSize, loss, optimizer, lr, seed, t, divergenceFactor, precision); }

    public TrainConfig withPrecision(Precision p) { return new TrainConfig(batchSize, loss, optimizer, lr, seed, threads, divergenceFactor, p); }

    /** The number of available processors, at most 8. */
    public static int defaultThreads() { return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())); }
}
