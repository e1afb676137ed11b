package atlas.experiment;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.ForwardPass;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.RegionIndex;
import atlas.regions.RegionWalker;

import java.util.SplittableRandom;

/**
 * Region-cached prediction against a plain forward pass on a two-input net: the exact partition of the domain
 * is computed once, indexed by a uniform grid ({@link RegionIndex}), and then every prediction is a point
 * location plus one affine map. Both ways run single-threaded over the same seeded uniform points of the
 * domain; the forward pass is allocation-free (buffers reused), so the comparison is per core and fair.
 */
public final class PredictBenchmark {
    /** Slack of the walker's cell-to-region containment tests: region vertices are exact to rounding, so a few ulps. */
    private static final double WALKER_SLACK = 1e-12;
    private PredictBenchmark() {}

    /**
     * @param shape            the net
     * @param regions          regions of the partition
     * @param partitionSeconds time to compute the partition
     * @param indexSeconds     time to build the index
     * @param meanCandidates   mean candidate regions per grid cell
     * @param points           points predicted
     * @param forwardPerSecond plain forward pass, points per second (one thread)
     * @param cachedPerSecond  region-cached prediction, points per second (one thread)
     * @param maxAbsDifference largest |cached - forward| over the points and outputs
     * @param breakEvenPoints  points after which partition + index + cached lookups beat the forward pass
     */
    public record Result(String shape, int regions, double partitionSeconds, double indexSeconds, double meanCandidates,
                         int points, double forwardPerSecond, double cachedPerSecond, double maxAbsDifference, double breakEvenPoints) {}

    public static Network defaultNetwork(long seed, int width, int depth) {
        return Networks.kaiming(seed, 2, Networks.uniform(width, depth), 1, Activation.LEAKY_RELU, 0.01, 0.1);
    }

    /** The same kind of seeded leaky-relu net with the given hidden widths. */
    public static Network defaultNetwork(long seed, int[] hidden) {
        return Networks.kaiming(seed, 2, hidden, 1, Activation.LEAKY_RELU, 0.01, 0.1);
    }

    public static Result run(Network net, Rectangle domain, int points, long seed, double cellsPerRegion) {
        if (net.inputDim() != 2) throw new BadInputException("region-cached prediction is benchmarked on two-input nets, this one has " + net.inputDim());
        if (points < 1) throw new BadInputException("--points must be positive");
        long t0 = System.nanoTime();
        PlanePartition part = PlanePartitioner.compute(net, domain);
        long t1 = System.nanoTime();
        RegionIndex index = new RegionIndex(part, cellsPerRegion);
        long t2 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] xs = new double[points], ys = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = domain.xmin() + rnd.nextDouble() * domain.width();
            ys[i] = domain.ymin() + rnd.nextDouble() * domain.height();
        }
        int outs = net.outputDim();
        double[] a = new double[points * outs], b = new double[points * outs];
        ForwardPass fwd = new ForwardPass(net);
        double[] xy = new double[2];
        // warm-up both (JIT), then time
        for (int rep = 0; rep < 2; rep++) {
            int n = Math.min(points, 20_000);
            double[] out = new double[outs];
            for (int i = 0; i < n; i++) { xy[0] = xs[i]; xy[1] = ys[i]; fwd.apply(xy, out); index.predict(xs[i], ys[i], out); }
        }
        double[] out = new double[outs];
        long f0 = System.nanoTime();
        for (int i = 0; i < points; i++) {
            xy[0] = xs[i];
            xy[1] = ys[i];
            fwd.apply(xy, out);
            System.arraycopy(out, 0, a, i * outs, outs);
        }
        long f1 = System.nanoTime();
        for (int i = 0; i < points; i++) {
            index.predict(xs[i], ys[i], out);
            System.arraycopy(out, 0, b, i * outs, outs);
        }
        long f2 = System.nanoTime();
        double diff = 0;
        for (int k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs(a[k] - b[k]));
        double fRate = points / ((f1 - f0) / 1e9), cRate = points / ((f2 - f1) / 1e9);
        double setup = (t2 - t0) / 1e9;
        double perPointGain = 1 / fRate - 1 / cRate;
        double breakEven = perPointGain > 0 ? setup / perPointGain : Double.POSITIVE_INFINITY;
        return new Result(net.shape(), part.count(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, index.meanCandidates(), points,
                fRate, cRate, diff, breakEven);
    }

    /**
     * Region-cached prediction in {@code dim} dimensions: the regions of the cube {@code [-1,1]^dim} are enumerated
     * ({@link atlas.regions.RegionEnumerator}) and queried with a {@link RegionWalker}; the forward pass is the same
     * allocation-free loop as in two dimensions.
     *
     * @param fallbacks walks that ended in a forward pass
     */
    public record ResultND(String shape, int regions, boolean complete, double enumerateSeconds, double walkerSeconds, int points,
                           double forwardPerSecond, double cachedPerSecond, double maxAbsDifference, long fallbacks) {}

    public static ResultND runND(Network net, int points, long seed, int cellsPerAxis) {
        int d = net.inputDim();
        if (points < 1) throw new BadInputException("--points must be positive");
        long t0 = System.nanoTime();
        atlas.regions.RegionSet set = atlas.regions.RegionEnumerator.enumerate(net, atlas.geometry.HPolytope.cube(d, -1, 1));
        long t1 = System.nanoTime();
        double[] lo = new double[d], hi = new double[d];
        java.util.Arrays.fill(lo, -1);
        java.util.Arrays.fill(hi, 1);
        atlas.regions.RegionWalker walker = new atlas.regions.RegionWalker(set, net, lo, hi, cellsPerAxis, WALKER_SLACK);
        long t2 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] xs = new double[points * d];
        for (int k = 0; k < xs.length; k++) xs[k] = 2 * rnd.nextDouble() - 1;
        int outs = net.outputDim();
        double[] a = new double[points * outs], b = new double[points * outs];
        ForwardPass fwd = new ForwardPass(net);
        double[] x = new double[d], out = new double[outs];
        for (int rep = 0; rep < 2; rep++) {
            for (int i = 0; i < Math.min(points, 20_000); i++) {
                System.arraycopy(xs, i * d, x, 0, d);
                fwd.apply(x, out);
                walker.predict(x, out);
            }
        }
        long before = walker.fallbacks();
        long f0 = System.nanoTime();
        for (int i = 0; i < points; i++) {
            System.arraycopy(xs, i * d, x, 0, d);
            fwd.apply(x, out);
            System.arraycopy(out, 0, a, i * outs, outs);
        }
        long f1 = System.nanoTime();
        for (int i = 0; i < points; i++) {
            System.arraycopy(xs, i * d, x, 0, d);
            walker.predict(x, out);
            System.arraycopy(out, 0, b, i * outs, outs);
        }
        long f2 = System.nanoTime();
        double diff = 0;
        for (int k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs(a[k] - b[k]));
        return new ResultND(net.shape(), set.regions().size(), set.complete(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, points,
                points / ((f1 - f0) / 1e9), points / ((f2 - f1) / 1e9), diff, walker.fallbacks() - before);
    }
}
