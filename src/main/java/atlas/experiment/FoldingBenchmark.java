package atlas.experiment;

import atlas.error.BadInputException;

import atlas.geometry.Tolerance;
import atlas.measure.FoldingBatch;
import atlas.measure.PathFolder;
import atlas.measure.SpaceFolding;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Speed of the exact space folding measure: {@code paths} straight paths between seeded random points of
 * {@code [0,1]^inputDim} (a pool of {@code poolSize} points, like paths between test images), through a seeded
 * Kaiming-initialised ReLU net, on all cores with {@link PathFolder}; and a smaller reference run through
 * {@link atlas.regions.SegmentPartitioner} one path at a time ({@link SpaceFolding#exact}).
 */
public final class FoldingBenchmark {
    private FoldingBenchmark() {}

    /**
     * @param shape            the net
     * @param paths            paths folded by the kernel
     * @param seconds          wall time of the kernel (projection of the pool included)
     * @param pathsPerSecond   paths / seconds
     * @param meanRegions      mean regions crossed per path
     * @param phi              median of the non-zero chi
     * @param phiOfMaxima      median of the non-zero maxima of the running chi
     * @param foldedFraction   share of paths with chi &gt; 0
     * @param referencePaths   paths folded through SegmentPartitioner (0 = not run)
     * @param referencePerSecond their rate (one thread per path, paths in parallel)
     * @param referenceAgrees  whether the reference chi equals the kernel's on those paths
     */
    public record Result(String shape, int paths, double seconds, double pathsPerSecond, double meanRegions, double phi,
                         double phiOfMaxima, double foldedFraction, int referencePaths, double referencePerSecond,
                         boolean referenceAgrees) {}

    /** The benchmark's network: {@code inputDim -> [width] x depth -> outputs}, Kaiming normal, biases 0.01. */
    public static Network network(long seed, int inputDim, int width, int depth, int outputs) {
        return Networks.kaiming(seed, inputDim, Networks.uniform(width, depth), outputs, Activation.RELU, 0, 0.01);
    }

    public static Result run(Network net, long seed, int paths, int poolSize, int referencePaths, boolean includeOutputs,
                             LongConsumer progress) {
        if (paths < 1 || poolSize < 2 || referencePaths < 0) throw new BadInputException("--paths must be >= 1, --pool >= 2, --reference >= 0");
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] pool = new double[poolSize][net.inputDim()];
        for (double[] x : pool) for (int k = 0; k < x.length; k++) x[k] = rnd.nextDouble();
        int[] from = new int[paths], to = new int[paths];
        for (int k = 0; k < paths; k++) {
            from[k] = rnd.nextInt(poolSize);
            int t = rnd.nextInt(poolSize - 1);
            to[k] = t >= from[k] ? t + 1 : t;
        }
        // warm-up (JIT) on a few thousand paths, not timed
        int warm = Math.min(paths, 5000);
        PathFolder.foldAll(net, Tolerance.DEFAULT, includeOutputs, pool, java.util.Arrays.copyOf(from, warm), java.util.Arrays.copyOf(to, warm), null);
        FoldingBatch b = PathFolder.foldAll(net, Tolerance.DEFAULT, includeOutputs, pool, from, to, progress);
        double refRate = 0;
        boolean agrees = true;
        if (referencePaths > 0) {
            int n = Math.min(referencePaths, paths);
            double[] chi = new double[n];
            long t0 = System.nanoTime();
            java.util.stream.IntStream.range(0, n).parallel().forEach(k ->
                    chi[k] = SpaceFolding.exact(net, pool[from[k]], pool[to[k]], includeOutputs).chi());
            refRate = n / ((System.nanoTime() - t0) / 1e9);
            for (int k = 0; k < n; k++) agrees &= chi[k] == b.chi(k);
        }
        return new Result(net.shape(), paths, b.seconds(), b.pathsPerSecond(), b.meanRegions(), b.phi(), b.phiOfMaxima(),
                b.foldedFraction(), referencePaths, refRate, agrees);
    }
}
