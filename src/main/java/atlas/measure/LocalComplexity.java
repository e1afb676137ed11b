package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionSet;

import java.util.Arrays;
import java.util.Random;

/**
 * Local complexity: the exact number of linear regions that meet a small neighbourhood of a point.
 *
 * <p>{@link Mode#BOX}: the regions of the network inside the cube [x - r, x + r]^n, exactly (for 2 inputs by the
 * plane partitioner on the square, otherwise by n-D enumeration inside the box). {@link Mode#PLANES}: for inputs
 * of high dimension, where a cube of radius r can meet astronomically many regions, the regions inside the square
 * [-r, r]^2 of planes through x, x + s u + t v with u, v orthonormal directions drawn from a seeded Gaussian
 * (one plane per seed); the count at a point is the mean over its planes, each count itself exact.
 */
public final class LocalComplexity {
    /** How the neighbourhood is taken. */
    public enum Mode { BOX, PLANES }

    /** Inputs up to this dimension are counted in the cube by default; above it, on planes through the point. */
    public static final int MAX_BOX_DIM = 6;

    /**
     * The settings.
     *
     * @param radius     half the side of the cube (or square on a plane)
     * @param mode       BOX or PLANES
     * @param planes     planes per point (PLANES only)
     * @param seed       seed of the plane directions (PLANES only)
     * @param maxRegions most regions enumerated per cube; beyond it the count is a lower bound and is flagged
     * @param tolerance  the tolerance policy
     */
    public record Options(double radius, Mode mode, int planes, long seed, int maxRegions, Tolerance tolerance) {
        public Options {
            if (!(radius > 0 && Double.isFinite(radius))) throw new BadInputException("--radius must be a positive number, got " + radius);
            if (mode == null) throw new BadInputException("mode is null");
            if (planes < 1) throw new BadInputException("--planes must be at least 1, got " + planes);
            if (maxRegions < 1) throw new BadInputException("--max-regions must be at least 1, got " + maxRegions);
        }

        /** The default mode for a network with {@code inputDim} inputs: BOX up to {@link #MAX_BOX_DIM}, PLANES above. */
        public static Options forInputs(int inputDim, double radius) {
            return new Options(radius, inputDim <= MAX_BOX_DIM ? Mode.BOX : Mode.PLANES, 1, 1, 100_000, Tolerance.DEFAULT);
        }
    }

    /**
     * Counts at every point.
     *
     * @param counts     [k] = the count at point k (the mean over planes in PLANES mode)
     * @param incomplete points whose enumeration hit {@code maxRegions} (their counts are lower bounds)
     * @param seconds    wall time
     */
    public record Result(Options options, double[] counts, int incomplete, double seconds) {
        public Result {
            counts = counts.clone();
        }

        @Override public double[] counts() { return counts.clone(); }

        public double mean() { return Arrays.stream(counts).average().orElse(Double.NaN); }

        /** The q-quantile (0..1) of the counts, by linear interpolation between order statistics. */
        public double quantile(double q) {
            double[] s = counts.clone();
            Arrays.sort(s);
            if (s.length == 0) return Double.NaN;
            double pos = q * (s.length - 1);
            int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
            return s[lo] + (pos - lo) * (s[hi] - s[lo]);
        }

        public double max() { return Arrays.stream(counts).max().orElse(Double.NaN); }
    }

    private LocalComplexity() {}

    /** The counts around {@code points} (row-major, {@code n} points of the network's input dimension). */
    public static Result measure(Network net, double[] points, Options o) {
        long t0 = System.nanoTime();
        int d = net.inputDim();
        if (points.length % d != 0) throw new BadInputException("points of dimension " + d + " expected, got " + points.length + " numbers");
        int n = points.length / d;
        double[] counts = new double[n];
        int incomplete = 0;
        for (int k = 0; k < n; k++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            double[] x = Arrays.copyOfRange(points, k * d, (k + 1) * d);
            if (o.mode() == Mode.BOX) {
                long c = countInBox(net, x, o.radius(), o.maxRegions(), o.tolerance());
                if (c < 0) incomplete++;
                counts[k] = Math.abs(c);
            } else {
                double s = 0;
                for (int p = 0; p < o.planes(); p++) s += countOnPlane(net, x, o.radius(), o.seed() + p, o.tolerance());
                counts[k] = s / o.planes();
            }
        }
        return new Result(o, counts, incomplete, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The number of regions meeting the cube [x - r, x + r]^n; negative (minus the number found) when the
     * enumeration stopped at {@code maxRegions} before it was complete.
     */
    public static long countInBox(Network net, double[] x, double r, int maxRegions, Tolerance tol) {
        if (x.length == 2) {
            Rectangle box = new Rectangle(x[0] - r, x[0] + r, x[1] - r, x[1] + r);
            return new PlanePartitioner(net, PlaneSlice.inputPlane(), box, tol).getResult().count();
        }
        double[] lo = new double[x.length], hi = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            lo[k] = x[k] - r;
            hi[k] = x[k] + r;
        }
        if (tol.isExact()) { // certified: exact LPs on the given weights (ExactRegionEnumerator, at most MAX_UNITS units)
            atlas.regions.ExactRegionEnumerator.Result e = new atlas.regions.ExactRegionEnumerator(net, HPolytope.box(lo, hi))
                    .setMaxRegions(maxRegions).run();
            return e.complete() ? e.count() : -e.count();
        }
        RegionSet s = new RegionEnumerator(net, HPolytope.box(lo, hi), tol).setMaxRegions(maxRegions).setThreads(1)
                .setComputeShapes(false).getResult();
        return s.complete() ? s.count() : -s.count();
    }

    /**
     * The counts around 2-D {@code points} read off a partition that is already known (a training run's
     * snapshot): the number of regions of {@code p} whose polygon meets the square [x - r, x + r]^2 in more than a
     * rounding sliver ({@code minVolume} x the square's area). A region of the partition that meets the square
     * meets it in one convex piece, and those pieces are exactly the regions of the square's own partition, so for
     * a square inside the partition's domain this equals {@link #countInBox}; a square reaching past the domain is
     * clipped to it. Candidates come from a uniform grid of the regions' bounding boxes.
     *
     * @param points row-major (x, y) pairs in the partition's plane coordinates
     */
    public static Result countsInPartition(atlas.regions.PlanePartition p, double[] points, double r, Tolerance tol) {
        return countsInPartition(p, null, points, r, tol);
    }

    /**
     * As {@link #countsInPartition(atlas.regions.PlanePartition, double[], double, Tolerance)}; with an exact
     * tolerance and {@code net} given, each count is instead the exact partition of the square clipped to the
     * partition's domain (certified: reading counts off the big partition compares float polygon areas).
     */
    public static Result countsInPartition(atlas.regions.PlanePartition p, Network net, double[] points, double r, Tolerance tol) {
        long t0 = System.nanoTime();
        if (tol.isExact() && net != null) {
            if (points.length % 2 != 0) throw new BadInputException("points of dimension 2 expected, got " + points.length + " numbers");
            Rectangle dom = p.domain();
            double[] counts = new double[points.length / 2];
            for (int k = 0; k < counts.length; k++) {
                if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
                double x = points[2 * k], y = points[2 * k + 1];
                Rectangle sq = new Rectangle(Math.max(dom.xmin(), x - r), Math.min(dom.xmax(), x + r),
                        Math.max(dom.ymin(), y - r), Math.min(dom.ymax(), y + r));
                counts[k] = sq.xmin() < sq.xmax() && sq.ymin() < sq.ymax()
                        ? new PlanePartitioner(net, p.slice(), sq, tol).getResult().count() : 0;
            }
            return new Result(new Options(r, Mode.BOX, 1, 1, Integer.MAX_VALUE, tol), counts, 0, (System.nanoTime() - t0) / 1e9);
        }
        if (points.length % 2 != 0) throw new BadInputException("points of dimension 2 expected, got " + points.length + " numbers");
        if (!(r > 0 && Double.isFinite(r))) throw new BadInputException("--radius must be a positive number, got " + r);
        java.util.List<atlas.regions.LinearRegion> regs = p.regions();
        int n = regs.size();
        Rectangle dom = p.domain();
        int g = Math.max(1, Math.min(2048, (int) Math.ceil(Math.sqrt(n))));
        double cw = dom.width() / g, ch = dom.height() / g;
        double[][] box = new double[n][];
        int[] count = new int[g * g + 1];
        for (int j = 0; j < n; j++) {
            box[j] = bbox(regs.get(j).vertices());
            int[] c = cells(box[j], dom, cw, ch, g);
            for (int cy = c[2]; cy <= c[3]; cy++) for (int cx = c[0]; cx <= c[1]; cx++) count[cy * g + cx + 1]++;
        }
        for (int c = 0; c < g * g; c++) count[c + 1] += count[c];
        int[] items = new int[count[g * g]];
        int[] fill = Arrays.copyOf(count, g * g);
        for (int j = 0; j < n; j++) {
            int[] c = cells(box[j], dom, cw, ch, g);
            for (int cy = c[2]; cy <= c[3]; cy++) for (int cx = c[0]; cx <= c[1]; cx++) items[fill[cy * g + cx]++] = j;
        }
        int[] stamp = new int[n];
        Arrays.fill(stamp, -1);
        int m = points.length / 2;
        double[] counts = new double[m];
        double sliver = tol.minVolume() * 4 * r * r;
        for (int k = 0; k < m; k++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            double x = points[2 * k], y = points[2 * k + 1];
            double[] q = {x - r, x + r, y - r, y + r};
            double[] square = {x - r, y - r, x + r, y - r, x + r, y + r, x - r, y + r};
            int[] c = cells(q, dom, cw, ch, g);
            int found = 0;
            for (int cy = c[2]; cy <= c[3]; cy++) for (int cx = c[0]; cx <= c[1]; cx++) {
                int cell = cy * g + cx;
                for (int s = count[cell]; s < count[cell + 1]; s++) {
                    int j = items[s];
                    if (stamp[j] == k) continue;
                    stamp[j] = k;
                    double[] b = box[j];
                    if (b[1] < q[0] || b[0] > q[1] || b[3] < q[2] || b[2] > q[3]) continue;
                    if (atlas.geometry.ConvexPolygons.intersectionArea(regs.get(j).vertices(), square, tol) > sliver) found++;
                }
            }
            counts[k] = found;
        }
        Options o = new Options(r, Mode.BOX, 1, 1, Integer.MAX_VALUE, tol);
        return new Result(o, counts, 0, (System.nanoTime() - t0) / 1e9);
    }

    /** {xmin, xmax, ymin, ymax} of a polygon's vertices. */
    private static double[] bbox(double[] v) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int k = 0; k < v.length / 2; k++) {
            b[0] = Math.min(b[0], v[2 * k]);
            b[1] = Math.max(b[1], v[2 * k]);
            b[2] = Math.min(b[2], v[2 * k + 1]);
            b[3] = Math.max(b[3], v[2 * k + 1]);
        }
        return b;
    }

    /** The grid cells {cx0, cx1, cy0, cy1} met by box {@code b} (clamped to the grid). */
    private static int[] cells(double[] b, Rectangle dom, double cw, double ch, int g) {
        return new int[]{clamp((b[0] - dom.xmin()) / cw, g), clamp((b[1] - dom.xmin()) / cw, g),
                clamp((b[2] - dom.ymin()) / ch, g), clamp((b[3] - dom.ymin()) / ch, g)};
    }

    private static int clamp(double c, int g) { return Math.max(0, Math.min(g - 1, (int) Math.floor(c))); }

    /** The number of regions in the square [-r, r]^2 of the plane through x spanned by two seeded random orthonormal directions. */
    public static int countOnPlane(Network net, double[] x, double r, long seed, Tolerance tol) {
        double[][] uv = orthonormalPair(x.length, seed);
        PlaneSlice slice = PlaneSlice.of(x, uv[0], uv[1]);
        return new PlanePartitioner(net, slice, Rectangle.centred(r), tol).getResult().count();
    }

    /** Two orthonormal directions of R^n from a seeded Gaussian (Gram-Schmidt). */
    public static double[][] orthonormalPair(int n, long seed) {
        if (n < 2) throw new BadInputException("a plane needs at least 2 inputs");
        Random rnd = new Random(seed);
        double[] u = new double[n], v = new double[n];
        for (int k = 0; k < n; k++) u[k] = rnd.nextGaussian();
        for (int k = 0; k < n; k++) v[k] = rnd.nextGaussian();
        normalise(u);
        double p = 0;
        for (int k = 0; k < n; k++) p += u[k] * v[k];
        for (int k = 0; k < n; k++) v[k] -= p * u[k];
        normalise(v);
        return new double[][]{u, v};
    }

    private static void normalise(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        s = Math.sqrt(s);
        for (int k = 0; k < a.length; k++) a[k] /= s;
    }
}
