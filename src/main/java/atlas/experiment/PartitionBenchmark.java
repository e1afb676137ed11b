package atlas.experiment;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.BatchEvaluator;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The exact 2-D partition against what pixel-hashing tools do, on seeded networks:
 * (a) 2 -> [30]x30 -> 1, (b) 2 -> [64]x4 -> 1 on [0,1]^2, (c) 784 -> [64]x3 -> 10 on a plane through three
 * seeded random points of [0,1]^784 (domain [-1,1]^2). For each: the exact partition (median of repeats after
 * a warm-up run), a raster pass evaluating the network on a 1024 x 1024 grid of the same domain and counting
 * distinct activation patterns, and one batched forward pass over R interior points (R = the region count),
 * the floor no exact method can beat. Raster and forward passes run on the network restricted to the plane
 * (2 inputs): the cheapest a raster can be; on the 784-input net itself it would cost about 784/2 times more
 * in the first layer.
 */
public final class PartitionBenchmark {
    private PartitionBenchmark() {}

    /** One benchmark workload. */
    public record Case(String name, Network net, PlaneSlice slice, Rectangle domain) {}

    /** One row of the result table. */
    public record Row(String name, String shape, int regions, double exactSeconds, int rasterPatterns,
                      double rasterSeconds, int rasterPatternsNotExact, double forwardSeconds) {
        public double regionsPerSecond() { return regions / exactSeconds; }
        public double exactOverRaster() { return exactSeconds / rasterSeconds; }
        public double exactOverForward() { return exactSeconds / forwardSeconds; }
        public double rasterFoundFraction() { return (rasterPatterns - rasterPatternsNotExact) / (double) regions; }
    }

    public static List<Case> defaultCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("a", Networks.kaiming(1, 2, Networks.uniform(30, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1),
                PlaneSlice.inputPlane(), Rectangle.UNIT));
        cases.add(new Case("b", Networks.kaiming(2, 2, Networks.uniform(64, 4), 1, Activation.RELU, 0, 0.1),
                PlaneSlice.inputPlane(), Rectangle.UNIT));
        cases.add(new Case("c", Networks.kaiming(3, 784, Networks.uniform(64, 3), 10, Activation.RELU, 0, 0.01),
                PlaneSpecs.randomPlane(3, 784), Rectangle.centred(1)));
        return cases;
    }

    public static Row run(Case c, int repeats, int raster, Consumer<String> log) {
        Tolerance tol = Tolerance.DEFAULT;
        PlanePartition p = new PlanePartitioner(c.net(), c.slice(), c.domain(), tol).getResult(); // warm-up
        double[] times = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            p = new PlanePartitioner(c.net(), c.slice(), c.domain(), tol).getResult();
            times[r] = (System.nanoTime() - t0) / 1e9;
        }
        double exact = median(times);
        log.accept(String.format("  %s exact: %d regions, %.4f s", c.name(), p.count(), exact));

        Network plane = c.slice().restrict(c.net());
        BatchEvaluator eval = new BatchEvaluator(plane);
        // warm the raster path on a small grid, then time the full grid once
        rasterPatterns(eval, c.domain(), Math.min(raster, 128), null);
        long t0 = System.nanoTime();
        long[] hashes = new long[raster * raster];
        rasterPatterns(eval, c.domain(), raster, hashes);
        Set<Long> distinct = new HashSet<>();
        for (long h : hashes) distinct.add(h);
        double rasterSeconds = (System.nanoTime() - t0) / 1e9;
        // which raster patterns are not exact regions (there must be none)
        Set<Long> exactHashes = new HashSet<>();
        double[] pts = new double[p.count() * 2];
        for (LinearRegion reg : p.regions()) {
            double[] ip = reg.interiorPoint();
            pts[2 * reg.id()] = ip[0];
            pts[2 * reg.id() + 1] = ip[1];
        }
        long[] regionHashes = new long[p.count()];
        eval.evaluate(pts, p.count(), null, regionHashes);
        for (long h : regionHashes) exactHashes.add(h);
        int notExact = 0;
        for (long h : distinct) if (!exactHashes.contains(h)) notExact++;
        log.accept(String.format("  %s raster %dx%d: %d distinct patterns, %.3f s", c.name(), raster, raster, distinct.size(), rasterSeconds));

        double[] out = new double[p.count() * plane.outputDim()];
        double[] ft = new double[Math.max(5, repeats)];
        eval.evaluate(pts, p.count(), out, null);
        for (int r = 0; r < ft.length; r++) {
            long f0 = System.nanoTime();
            eval.evaluate(pts, p.count(), out, null);
            ft[r] = (System.nanoTime() - f0) / 1e9;
        }
        return new Row(c.name(), c.net().shape(), p.count(), exact, distinct.size(), rasterSeconds, notExact, median(ft));
    }

    private static void rasterPatterns(BatchEvaluator eval, Rectangle d, int n, long[] out) {
        double[] pts = new double[n * n * 2];
        for (int i = 0; i < n; i++) {
            double y = d.ymin() + (i + 0.5) / n * d.height();
            for (int j = 0; j < n; j++) {
                pts[2 * (i * n + j)] = d.xmin() + (j + 0.5) / n * d.width();
                pts[2 * (i * n + j) + 1] = y;
            }
        }
        eval.evaluate(pts, n * n, null, out != null ? out : new long[n * n]);
    }

    /**
     * One row of the certified-mode comparison: the default tolerance next to {@link Tolerance#EXACT} on the same
     * case (interleaved repeats, so that load on the machine hits both alike): the median wall-clock seconds and the
     * mean process CPU seconds (all threads: the layer steps run on all cores; a mean because the CPU clock ticks
     * in steps of about 10 ms, as long as a small case's run). {@code stage}: the stage whose values made the exact
     * partition, "plain" (plain double with certified bounds) or "double-double"; {@code plainGaveUpAt}: the layer
     * at which the plain stage gave up before the double-double stage made it (0: it did not), after making
     * {@code plainVertices} vertices. {@code exactResolutions}: vertices of the partition whose signs that stage's
     * filter could not decide (decided by exact arithmetic instead); {@code exactEvaluations}: the exact network
     * evaluations that took (those vertices and their parents), a plain stage given up included.
     */
    public record ExactRow(String name, String shape, int defaultRegions, int declinedCuts, double defaultSeconds,
                           double defaultCpuSeconds, int exactRegions, double exactSeconds, double exactCpuSeconds,
                           int exactEvaluations, int exactResolutions, int vertices, String stage, int plainGaveUpAt,
                           int plainVertices) {
        public double ratio() { return exactSeconds / defaultSeconds; }
        public double cpuRatio() { return exactCpuSeconds / defaultCpuSeconds; }
        /** Share of the vertices whose every sign the double-double filter decided. */
        public double filterShare() { return 1 - exactShare(); }
        /** Share of the vertices that needed exact arithmetic. */
        public double exactShare() { return vertices == 0 ? 0 : Math.min(1, exactResolutions / (double) vertices); }
    }

    /**
     * The default tolerance and certified exact mode on one case, {@code repeats} interleaved timed runs each;
     * {@code cpuNanos}: the process CPU clock (nanoseconds).
     */
    public static ExactRow compareExact(Case c, int repeats, java.util.function.LongSupplier cpuNanos) {
        PlanePartition d = new PlanePartitioner(c.net(), c.slice(), c.domain(), Tolerance.DEFAULT).getResult(); // warm-up
        PlanePartitioner ex = new PlanePartitioner(c.net(), c.slice(), c.domain(), Tolerance.EXACT);
        PlanePartition e = ex.getResult();
        double[] td = new double[repeats], te = new double[repeats], cd = new double[repeats], ce = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long c0 = cpuNanos.getAsLong(), t0 = System.nanoTime();
            d = new PlanePartitioner(c.net(), c.slice(), c.domain(), Tolerance.DEFAULT).getResult();
            td[r] = (System.nanoTime() - t0) / 1e9;
            cd[r] = (cpuNanos.getAsLong() - c0) / 1e9;
            c0 = cpuNanos.getAsLong();
            t0 = System.nanoTime();
            ex = new PlanePartitioner(c.net(), c.slice(), c.domain(), Tolerance.EXACT);
            e = ex.getResult();
            te[r] = (System.nanoTime() - t0) / 1e9;
            ce[r] = (cpuNanos.getAsLong() - c0) / 1e9;
        }
        return new ExactRow(c.name(), c.net().shape(), d.count(), d.declinedCuts(), median(td), mean(cd), e.count(), median(te), mean(ce),
                ex.exactEvaluations(), ex.exactResolutions() - ex.abandonedResolutions(), ex.vertexCount(), ex.exactStage(),
                ex.plainAbandonedAt(), ex.abandonedVertices());
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
