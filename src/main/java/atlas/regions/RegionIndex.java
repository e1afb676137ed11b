package atlas.regions;

import java.util.Arrays;

/**
 * Region-cached prediction on a computed plane partition: a uniform grid over the domain lists, per cell, the
 * regions whose bounding boxes meet it; a point is located by testing its cell's candidates against their
 * edge half-planes, and the prediction is the located region's affine map (Joyce and Verschelde's use of the
 * tropical / region form: one affine map per region instead of a forward pass).
 *
 * <p>Contract: the prediction equals the network at every point of the partition's domain, up to the
 * rounding of the stored maps; points outside the domain are not predicted ({@link #predict} returns false).
 * A point on a shared edge goes to whichever region is tested first (the maps agree there).
 *
 * <p>invariant: cell {@code c} lists every region whose bounding box meets the closed cell, so the region that
 * contains a point is always among its cell's candidates.
 *
 * <p>Cost: building O(regions x cells per region); a lookup O(candidates x edges); no allocation per lookup.
 */
public final class RegionIndex {
    private final double xmin, ymin, cellW, cellH;
    private final int gx, gy;
    private final int[] cellStart, cellRegions;
    // per region: its edges as half-planes nx * s + ny * t <= d (d slackened by eps), CSR
    private final int[] edgeStart;
    private final double[] edges;
    // per region: outputs x (2 coefficients + offset)
    private final double[] maps;
    private final int outputs;
    private final int regions;
    /**
     * @param partition      the partition. Not modified.
     * @param cellsPerRegion about how many grid cells per region (1 to 16 is sensible)
     */
    public RegionIndex(PlanePartition partition, double cellsPerRegion) {
        if (!(cellsPerRegion > 0)) throw new IllegalArgumentException("cells per region must be positive");
        var dom = partition.domain();
        regions = partition.count();
        int cells = (int) Math.min(4_000_000, Math.max(1, Math.round(regions * cellsPerRegion)));
        double aspect = dom.width() / dom.height();
        gx = (int) Math.max(1, Math.min(4096, Math.round(Math.sqrt(cells * aspect))));
        gy = (int) Math.max(1, Math.min(4096, Math.round((double) cells / gx)));
        xmin = dom.xmin();
        ymin = dom.ymin();
        cellW = dom.width() / gx;
        cellH = dom.height() / gy;
        outputs = regions == 0 ? 0 : partition.regions().get(0).map().outputs();
        // a point may lie this far outside a region's edge and still be found in it (rounding of the edge equations)
        double eps = KernelParameters.EDGE_SLACK * Math.max(1, dom.magnitude());
        edgeStart = new int[regions + 1];
        int totalEdges = 0;
        for (LinearRegion r : partition.regions()) totalEdges += r.vertexCount();
        edges = new double[3 * totalEdges];
        maps = new double[3 * outputs * regions];
        int[] count = new int[gx * gy];
        int[][] boxes = new int[regions][];
        int e = 0;
        for (LinearRegion r : partition.regions()) {
            int id = r.id();
            double[] v = r.vertices();
            int nv = v.length / 2;
            edgeStart[id] = e;
            double bx0 = Double.POSITIVE_INFINITY, bx1 = Double.NEGATIVE_INFINITY, by0 = Double.POSITIVE_INFINITY, by1 = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < nv; i++) {
                int j = (i + 1) % nv;
                double ex = v[2 * j] - v[2 * i], ey = v[2 * j + 1] - v[2 * i + 1];
                double len = Math.hypot(ex, ey);
                bx0 = Math.min(bx0, v[2 * i]); bx1 = Math.max(bx1, v[2 * i]);
                by0 = Math.min(by0, v[2 * i + 1]); by1 = Math.max(by1, v[2 * i + 1]);
                if (len == 0) continue;
                // counter-clockwise polygon: inside is to the left, i.e. ey * s - ex * t <= ey * x_i - ex * y_i
                double nx = ey / len, ny = -ex / len;
                edges[3 * e] = nx;
                edges[3 * e + 1] = ny;
                edges[3 * e + 2] = nx * v[2 * i] + ny * v[2 * i + 1] + eps;
                e++;
            }
            AffineMap m = r.map();
            for (int o = 0; o < outputs; o++) {
                maps[3 * (id * outputs + o)] = m.coefficient(o, 0);
                maps[3 * (id * outputs + o) + 1] = m.coefficient(o, 1);
                maps[3 * (id * outputs + o) + 2] = m.offset(o);
            }
            int cx0 = clampX(bx0), cx1 = clampX(bx1), cy0 = clampY(by0), cy1 = clampY(by1);
            boxes[id] = new int[]{cx0, cx1, cy0, cy1};
            for (int cy = cy0; cy <= cy1; cy++) for (int cx = cx0; cx <= cx1; cx++) count[cy * gx + cx]++;
        }
        edgeStart[regions] = e;
        cellStart = new int[gx * gy + 1];
        for (int c = 0; c < count.length; c++) cellStart[c + 1] = cellStart[c] + count[c];
        cellRegions = new int[cellStart[gx * gy]];
        int[] fill = Arrays.copyOf(cellStart, gx * gy);
        // larger regions first in every cell: they take most points
        Integer[] order = new Integer[regions];
        for (int i = 0; i < regions; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(partition.regions().get(q).area(), partition.regions().get(p).area()));
        for (int id : order) {
            int[] b = boxes[id];
            for (int cy = b[2]; cy <= b[3]; cy++) for (int cx = b[0]; cx <= b[1]; cx++) cellRegions[fill[cy * gx + cx]++] = id;
        }
    }

    private int clampX(double x) { return (int) Math.max(0, Math.min(gx - 1, Math.floor((x - xmin) / cellW))); }

    private int clampY(double y) { return (int) Math.max(0, Math.min(gy - 1, Math.floor((y - ymin) / cellH))); }

    /** Number of outputs of the stored maps. */
    public int outputs() { return outputs; }

    /** Grid size, {gx, gy}. */
    public int[] grid() { return new int[]{gx, gy}; }

    /** Mean number of candidate regions per grid cell. */
    public double meanCandidates() { return (double) cellRegions.length / (gx * gy); }

    /**
     * The id of the region containing plane point (s, t), or -1 outside the domain. When rounding leaves the
     * point outside every candidate, the candidate it violates least is returned.
     */
    public int locate(double s, double t) {
        double fx = (s - xmin) / cellW, fy = (t - ymin) / cellH;
        if (!(fx >= 0 && fy >= 0 && fx <= gx && fy <= gy)) return -1;
        int cx = Math.min(gx - 1, (int) fx), cy = Math.min(gy - 1, (int) fy);
        int c = cy * gx + cx;
        int best = -1;
        double bestViolation = Double.POSITIVE_INFINITY;
        for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
            int id = cellRegions[k];
            double worst = Double.NEGATIVE_INFINITY;
            for (int e = edgeStart[id]; e < edgeStart[id + 1]; e++) {
                double v = edges[3 * e] * s + edges[3 * e + 1] * t - edges[3 * e + 2];
                if (v > worst) { worst = v; if (worst > bestViolation) break; }
            }
            if (worst <= 0) return id;
            if (worst < bestViolation) { bestViolation = worst; best = id; }
        }
        return best;
    }

    /**
     * The network's outputs at plane point (s, t) from its region's affine map.
     *
     * @param out length {@link #outputs()}. Modified.
     * @return false (and {@code out} untouched) when the point is outside the domain
     */
    public boolean predict(double s, double t, double[] out) {
        int id = locate(s, t);
        if (id < 0) return false;
        int base = 3 * id * outputs;
        for (int o = 0; o < outputs; o++) out[o] = maps[base + 3 * o] * s + maps[base + 3 * o + 1] * t + maps[base + 3 * o + 2];
        return true;
    }
}
