package atlas.experiment;

import atlas.data.Dataset;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.train.FlatModel;
import atlas.train.Loss;
import atlas.train.Precision;
import atlas.train.TrainConfig;
import atlas.train.Trainer;

import java.util.Random;

/**
 * Training throughput: epochs of a {@code 2 -> [width]x depth -> 1} leaky-ReLU net on random points (MSE,
 * Adam), timed after a warm-up, next to a plain matrix multiply of the same machine measured in the same
 * run (the GFLOP/s the JIT reaches on this machine without any training overhead). Uses whichever dense
 * kernels are selected ({@link FlatModel#useVectorKernels(boolean)}).
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /**
     * The figures of one benchmark.
     *
     * @param samplesPerSecond     training points per second (forward, backward and update)
     * @param trainingGflops       GFLOP/s of training, counting {@link FlatModel#trainingFlopsPerPoint()} per point
     * @param matmulGflops         GFLOP/s of a plain {@code n x n} times {@code n x batch} double product (one thread)
     * @param secondsPerEpoch      seconds per epoch of {@code points} points
     * @param threads              worker threads used
     * @param flopsPerPoint        floating-point operations per training point
     * @param projected6000Seconds the projected seconds of 6000 epochs on {@code points} points, no frames
     */
    public record Result(double samplesPerSecond, double trainingGflops, double matmulGflops, double secondsPerEpoch,
                         int threads, long flopsPerPoint, double projected6000Seconds, String kernels) {}

    /** Runs the benchmark: warm-up epochs, then timed epochs. */
    public static Result run(int width, int depth, int batch, int points, int epochs, int threads, long seed) {
        return run(width, depth, batch, points, epochs, threads, seed, Precision.DOUBLE);
    }

    /** Runs the benchmark in the given precision. */
    public static Result run(int width, int depth, int batch, int points, int epochs, int threads, long seed, Precision precision) {
        Network net = Networks.kaiming(seed, 2, Networks.uniform(width, depth), 1, Activation.LEAKY_RELU, 0.01, 0.1);
        Random rnd = new Random(seed);
        double[] in = new double[2 * points];
        double[] t = new double[points];
        for (int k = 0; k < points; k++) {
            in[2 * k] = rnd.nextDouble();
            in[2 * k + 1] = rnd.nextDouble();
            t[k] = (in[2 * k] - 0.5) * (in[2 * k] - 0.5) + (in[2 * k + 1] - 0.5) * (in[2 * k + 1] - 0.5) < 0.1 ? 0 : 1;
        }
        Dataset data = new Dataset(2, in, t, 1, null, 0);
        TrainConfig cfg = TrainConfig.defaults(Loss.MSE, seed).withBatchSize(batch).withThreads(threads).withPrecision(precision);
        long flops;
        double seconds;
        try (Trainer tr = new Trainer(net, data, null, cfg)) {
            flops = tr.model().trainingFlopsPerPoint();
            int warm = Math.max(3, epochs / 5);
            for (int e = 0; e < warm; e++) tr.trainEpoch();
            long t0 = System.nanoTime();
            for (int e = 0; e < epochs; e++) tr.trainEpoch();
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        double sps = (double) points * epochs / seconds;
        double mm = matmulGflops(width, batch);
        return new Result(sps, sps * flops / 1e9, mm, seconds / epochs, threads, flops, seconds / epochs * 6000,
                FlatModel.kernels() + ", " + precision.label());
    }

    /** GFLOP/s of a plain triple-loop {@code C (n x b) = A (n x n) B (n x b)} on one thread, k-i-j order. */
    public static double matmulGflops(int n, int b) {
        Random rnd = new Random(1);
        double[] a = new double[n * n], x = new double[n * b], c = new double[n * b];
        for (int k = 0; k < a.length; k++) a[k] = rnd.nextGaussian();
        for (int k = 0; k < x.length; k++) x[k] = rnd.nextGaussian();
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            int iters = 400;
            long t0 = System.nanoTime();
            for (int it = 0; it < iters; it++) {
                java.util.Arrays.fill(c, 0);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        double aik = a[i * n + k];
                        int co = i * b, xo = k * b;
                        for (int j = 0; j < b; j++) c[co + j] += aik * x[xo + j];
                    }
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * b * iters / s / 1e9);
        }
        if (c[0] == 42.4242) System.out.print(""); // keep the product alive
        return best;
    }
}
