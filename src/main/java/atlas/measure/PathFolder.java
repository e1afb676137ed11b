package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.SegmentCutter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Exact space folding of many straight paths through one network: the pieces come from
 * {@link SegmentCutter} (the same 1-D kernel as {@link atlas.regions.SegmentPartitioner}, so the same pattern
 * sequences, declined cuts included), with its buffers kept between paths and the chi of the pattern walk
 * computed directly from the pieces' bits.
 *
 * <p>With {@code includeOutputs} and an identity last layer, the output units also split the path and their
 * signs are appended to the pattern (bit {@code cuttingUnits() + o}).
 *
 * <p>Not thread-safe: one instance per thread ({@link #foldAll} does that). Cost per path:
 * O(B x sum of units x inputs) for B breakpoints; no allocation once the buffers have grown.
 */
public final class PathFolder {
    private final SegmentCutter cutter;

    /**
     * @param net            the network. Not modified.
     * @param tol            the tolerance for snapping values to zero and declining cuts
     * @param includeOutputs append the output units' signs (when the last layer is identity)
     */
    public PathFolder(Network net, Tolerance tol, boolean includeOutputs) {
        this.cutter = new SegmentCutter(net, tol, includeOutputs ? SegmentCutter.Outputs.CUT : SegmentCutter.Outputs.SKIP);
    }

    /** The network. */
    public Network network() { return cutter.network(); }

    /** The length of the patterns: cutting units, plus output units when they are appended. */
    public int patternLength() { return cutter.patternLength(); }

    /**
     * Exact folding of the path {@code from -> to}; the running chi is not kept (see {@link #pieces()}).
     *
     * @param from path start. Not modified.
     * @param to   path end. Not modified.
     */
    public FoldingResult fold(double[] from, double[] to) {
        cutter.cut(from, to);
        summarise();
        return new FoldingResult(lastRegions, lastR1, lastR2, FoldingResult.chi(lastR1, lastR2), new double[0], lastMaxRunning);
    }

    /** The pieces of the last path folded, with their patterns (allocates; for tests and reports). */
    public List<PathPiece> pieces() {
        int n = cutter.pieces();
        List<PathPiece> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) out.add(new PathPiece(cutter.breakpoint(k), cutter.breakpoint(k + 1), cutter.pattern(k)));
        return out;
    }

    // summary of the last path (the batch form reads these instead of allocating a result)
    private int lastRegions, lastR1, lastR2;
    private double lastMaxRunning;

    /** r1, r2 and the maximum running chi of the current piece sequence. */
    private void summarise() {
        int n = cutter.pieces();
        int r1 = 0, r2 = 0;
        double maxRunning = 0;
        for (int k = 1; k < n; k++) {
            r2 += cutter.differingBits(k - 1, k);
            r1 = Math.max(r1, cutter.differingBits(0, k));
            double c = FoldingResult.chi(r1, r2);
            if (c > maxRunning) maxRunning = c;
        }
        lastRegions = n;
        lastR1 = r1;
        lastR2 = r2;
        lastMaxRunning = maxRunning;
    }

    /**
     * Exact folding of many paths between given points, in parallel on all cores (one kernel per thread).
     * Path {@code k} runs from {@code points[from[k]]} to {@code points[to[k]]}; every end point is projected
     * through the input-reading layers once.
     *
     * @param points   the end points. Not modified.
     * @param from     start index per path. Not modified.
     * @param to       end index per path (a path whose two end points coincide is an error). Not modified.
     * @param progress called with the number of paths done so far (from any thread), or null
     * @throws CancellationException when the calling thread is interrupted
     */
    public static FoldingBatch foldAll(Network net, Tolerance tol, boolean includeOutputs, double[][] points,
                                       int[] from, int[] to, LongConsumer progress) {
        if (from.length != to.length) throw new BadInputException("from and to lists differ in length");
        long t0 = System.nanoTime();
        PathFolder proto = new PathFolder(net, tol, includeOutputs);
        double[][][][] proj = new double[points.length][][][];
        IntStream.range(0, points.length).parallel().forEach(j -> proj[j] = proto.cutter.project(points[j]));
        int n = from.length;
        int[] regions = new int[n], r1 = new int[n], r2 = new int[n];
        double[] maxRunning = new double[n];
        ThreadLocal<PathFolder> folders = ThreadLocal.withInitial(() -> new PathFolder(net, tol, includeOutputs));
        int chunk = 256;
        int chunks = (n + chunk - 1) / chunk;
        Thread caller = Thread.currentThread();
        AtomicLong done = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        IntStream.range(0, chunks).parallel().forEach(c -> {
            if (cancelled.get() || caller.isInterrupted()) { cancelled.set(true); return; }
            PathFolder f = folders.get();
            int end = Math.min(n, (c + 1) * chunk);
            for (int k = c * chunk; k < end; k++) {
                if (from[k] == to[k] || java.util.Arrays.equals(points[from[k]], points[to[k]]))
                    throw new BadInputException("path " + k + " has zero length (its two end points coincide)");
                f.cutter.cutProjected(proj[from[k]], proj[to[k]]);
                f.summarise();
                regions[k] = f.lastRegions;
                r1[k] = f.lastR1;
                r2[k] = f.lastR2;
                maxRunning[k] = f.lastMaxRunning;
            }
            long d = done.addAndGet(end - c * chunk);
            if (progress != null) progress.accept(d);
        });
        if (cancelled.get()) throw new CancellationException("interrupted");
        return new FoldingBatch(regions, r1, r2, maxRunning, (System.nanoTime() - t0) / 1e9);
    }
}
