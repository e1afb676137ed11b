package atlas.experiment;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.FoldingResult;
import atlas.measure.PathFolder;
import atlas.measure.SpaceFolding;
import atlas.net.CantorNet;
import atlas.net.Network;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * CantorNet as a ground truth: the space folding along horizontal paths {@code (0, y) -> (1, y)} for levels
 * 1..k, exact and sampled, and the decision boundary's vertices from the exact plane partition compared with
 * the closed form.
 */
public final class CantorFolding {
    private CantorFolding() {}

    /**
     * Tolerance of the boundary check: a found vertex x in [0, 1] matches the fraction m / 3^k when
     * |x - m / 3^k| < MATCH_TOL, and the boundary's largest height error must stay below it. The partition's
     * vertices are exact to rounding (about 1e-15), so a real mismatch is far larger.
     */
    static final double MATCH_TOL = 1e-9;

    /**
     * Two consecutive boundary segments whose slopes agree to this fraction of max(1, |slope|) are one straight
     * piece (a region edge, not a vertex of the boundary).
     */
    static final double SAME_SLOPE_TOL = 1e-6;

    /**
     * One row of the chi table.
     *
     * @param level        k
     * @param y            the height of the horizontal path
     * @param withOutputs  whether the output unit's sign is part of the pattern
     * @param regions      regions the path crosses (exact)
     * @param r1           exact r1
     * @param r2           exact r2
     * @param chiExact     exact chi
     * @param chiSampled11 chi from 11 equally spaced samples
     * @param chiSampled1001 chi from 1001 equally spaced samples
     */
    public record ChiRow(int level, double y, boolean withOutputs, int regions, int r1, int r2, double chiExact,
                         double chiSampled11, double chiSampled1001) {}

    /** The chi table for levels 1..maxLevel along y = {@code y}, without and with the output unit. */
    public static List<ChiRow> chiTable(int maxLevel, double y) {
        if (maxLevel < 1 || maxLevel > 12) throw new BadInputException("chi table levels must be in 1..12, got " + maxLevel);
        if (!Double.isFinite(y)) throw new BadInputException("--y must be a finite number");
        List<ChiRow> rows = new ArrayList<>();
        double[] a = {0, y}, b = {1, y};
        for (boolean outs : new boolean[]{false, true}) {
            for (int k = 1; k <= maxLevel; k++) {
                Network net = CantorNet.of(k);
                FoldingResult exact = new PathFolder(net, Tolerance.DEFAULT, outs).fold(a, b);
                FoldingResult s11 = SpaceFolding.sampled(net, a, b, 11, outs);
                FoldingResult s1001 = SpaceFolding.sampled(net, a, b, 1001, outs);
                rows.add(new ChiRow(k, y, outs, exact.regions(), exact.r1(), exact.r2(), exact.chi(), s11.chi(), s1001.chi()));
            }
        }
        return rows;
    }

    /**
     * The decision boundary read off the exact plane partition of [0, 1] x [0, 2] compared with the closed form.
     *
     * @param level          k
     * @param expected       number of interior vertices of the closed form (2^{k+1} - 2)
     * @param found          number of slope changes of the boundary found in the partition
     * @param matched        found vertices that are (to 1e-9 relative) the closed-form fractions m / 3^k
     * @param maxHeightError largest |y - g(x)| over the boundary segments' end points
     * @param regions        regions of the partition
     */
    public record BoundaryCheck(int level, int expected, int found, int matched, double maxHeightError, int regions) {
        public boolean ok() { return expected == found && found == matched && maxHeightError < MATCH_TOL; }
    }

    /** Checks the level-k boundary (k up to 10). */
    public static BoundaryCheck checkBoundary(int level) {
        if (level < 1 || level > 10) throw new BadInputException("boundary checks run for levels 1..10, got " + level);
        long den = CantorNet.denominator(level);
        TreeSet<Long> want = new TreeSet<>();
        for (long m : CantorNet.endpointNumerators(level)) if (m > 0 && m < den) want.add(m);
        PlanePartition part = PlanePartitioner.compute(CantorNet.of(level), new Rectangle(0, 1, 0, 2));
        List<double[]> segs = new ArrayList<>();
        double err = 0;
        for (LinearRegion r : part.regions()) {
            double ca = r.map().coefficient(0, 0), cb = r.map().coefficient(0, 1), c = r.map().offset(0);
            if (cb == 0) continue;
            double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < r.vertexCount(); v++) { xmin = Math.min(xmin, r.x(v)); xmax = Math.max(xmax, r.x(v)); }
            double y0 = -(ca * xmin + c) / cb, y1 = -(ca * xmax + c) / cb;
            if (Math.min(y0, y1) < 0 || Math.max(y0, y1) > 2) continue;
            err = Math.max(err, Math.max(Math.abs(y0 - CantorNet.boundary(level, xmin)), Math.abs(y1 - CantorNet.boundary(level, xmax))));
            segs.add(new double[]{xmin, -ca / cb});
        }
        segs.sort((p, q) -> Double.compare(p[0], q[0]));
        int found = 0, matched = 0;
        for (int i = 1; i < segs.size(); i++) {
            if (Math.abs(segs.get(i)[1] - segs.get(i - 1)[1]) <= SAME_SLOPE_TOL * Math.max(1, Math.abs(segs.get(i)[1]))) continue;
            found++;
            double x = segs.get(i)[0];
            long m = Math.round(x * den);
            if (Math.abs(x * den - m) < MATCH_TOL * den && want.contains(m)) matched++;
        }
        return new BoundaryCheck(level, want.size(), found, matched, err, part.count());
    }
}
