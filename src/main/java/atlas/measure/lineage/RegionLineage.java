package atlas.measure.lineage;

import atlas.error.BadInputException;

import atlas.geometry.ConvexPolygons;
import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the regions of one exact plane partition into another of the same domain (two snapshots of a training
 * run, or any two networks with the same input plane).
 *
 * <p>Matching: a region whose activation pattern labels a region of the other partition is paired with it (a
 * pattern labels at most one convex region). Independently, every earlier region is intersected with every later
 * region it meets: the exact convex intersections form the common refinement of the two partitions, whose
 * pieces carry the area that passed from one region to another. Candidates come from a uniform grid of the later
 * regions' bounding boxes (about one region per cell), so the cost is proportional to the number of pieces, not
 * to the product of the counts. Each clip is Sutherland-Hodgman on two small convex polygons.
 *
 * <p>Classes ({@link Fate}) and measures ({@link LineageSummary}) are defined in docs/lineage.md.
 */
public final class RegionLineage {
    private RegionLineage() {}

    /** The network layer (1-based) of every cutting unit, in pattern bit order. */
    public static int[] unitLayers(Network net) {
        int[] out = new int[net.cuttingUnits()];
        for (int i = 1; i <= net.depth(); i++) {
            int off = net.patternOffset(i);
            if (off < 0) continue;
            for (int u = 0; u < net.size(i); u++) out[off + u] = i;
        }
        return out;
    }

    /** The lineage from {@code before} (the partition of {@code a}) to {@code after} (of {@code b}), default options. */
    public static Lineage between(Network a, PlanePartition before, Network b, PlanePartition after) {
        return between(before, after, comparableLayers(a, b), Math.max(a.depth(), b.depth()), LineageOptions.DEFAULT);
    }

    /** The unit layers when the two networks' patterns are comparable (same cutting units per layer), else null. */
    public static int[] comparableLayers(Network a, Network b) {
        int[] la = unitLayers(a), lb = unitLayers(b);
        return Arrays.equals(la, lb) ? la : null;
    }

    /**
     * The lineage from {@code before} to {@code after}.
     *
     * @param unitLayers the network layer of each pattern bit, or null when the two patterns are not comparable
     *                   (different networks): then no region keeps its pattern and every piece counts as changed
     * @param depth      the number of network layers (length of the per-layer arrays)
     * @throws IllegalArgumentException when the partitions are not of the same rectangle of the same plane
     */
    public static Lineage between(PlanePartition before, PlanePartition after, int[] unitLayers, int depth, LineageOptions opts) {
        long t0 = System.nanoTime();
        Rectangle dom = before.domain();
        if (!dom.equals(after.domain()))
            throw new BadInputException("the two partitions cover different rectangles: " + dom + " and " + after.domain());
        if (!Arrays.equals(before.slice().origin(), after.slice().origin()) || !Arrays.equals(before.slice().u1(), after.slice().u1())
                || !Arrays.equals(before.slice().u2(), after.slice().u2()))
            throw new BadInputException("the two partitions lie on different planes");
        List<LinearRegion> ra = before.regions(), rb = after.regions();
        int na = ra.size(), nb = rb.size();
        double[][] pa = new double[na][], pb = new double[nb][];
        for (int i = 0; i < na; i++) pa[i] = ra.get(i).vertices();
        for (int j = 0; j < nb; j++) pb[j] = rb.get(j).vertices();
        boolean comparable = unitLayers != null && na > 0 && nb > 0
                && ra.get(0).pattern().length() == unitLayers.length && rb.get(0).pattern().length() == unitLayers.length;

        // pattern partners
        int[] partnerA = new int[na], partnerB = new int[nb];
        Arrays.fill(partnerA, -1);
        Arrays.fill(partnerB, -1);
        if (comparable) {
            Map<ActivationPattern, Integer> byPattern = new HashMap<>(2 * nb);
            for (int j = 0; j < nb; j++) byPattern.putIfAbsent(rb.get(j).pattern(), j);
            for (int i = 0; i < na; i++) {
                Integer j = byPattern.get(ra.get(i).pattern());
                if (j != null && partnerB[j] < 0) {
                    partnerA[i] = j;
                    partnerB[j] = i;
                }
            }
        }

        // output ranges before, for the relative map change
        int outputs = ra.get(0).map().outputs();
        double[] range = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, mag = 0;
            for (int i = 0; i < na; i++) {
                AffineMap m = ra.get(i).map();
                double[] v = pa[i];
                for (int k = 0; k < v.length / 2; k++) {
                    double y = value(m, o, v[2 * k], v[2 * k + 1]);
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                    mag = Math.max(mag, Math.abs(y));
                }
            }
            range[o] = hi - lo > 0 ? hi - lo : mag > 0 ? mag : 1;
        }

        // the common refinement
        Grid grid = new Grid(dom, pb);
        double sliver = opts.tolerance().minVolume() * dom.area();
        List<Overlap> overlaps = new ArrayList<>();
        int[] stamp = new int[nb];
        Arrays.fill(stamp, -1);
        int[] cand = new int[Math.max(16, nb)];
        double[] bbA = new double[4];
        for (int i = 0; i < na; i++) {
            bbox(pa[i], bbA);
            int c = grid.candidates(bbA, i, stamp, cand);
            Arrays.sort(cand, 0, c);
            for (int q = 0; q < c; q++) {
                int j = cand[q];
                if (!grid.boxesMeet(bbA, j)) continue;
                double[] piece = ConvexPolygons.intersection(pa[i], pb[j], opts.tolerance());
                if (piece.length < 6) continue;
                double area = atlas.geometry.Polygons.signedArea(piece);
                if (!(area > sliver)) continue;
                AffineMap ma = ra.get(i).map(), mb = rb.get(j).map();
                double change = 0;
                for (int o = 0; o < outputs; o++)
                    for (int k = 0; k < piece.length / 2; k++)
                        change = Math.max(change, Math.abs(value(mb, o, piece[2 * k], piece[2 * k + 1]) - value(ma, o, piece[2 * k], piece[2 * k + 1])) / range[o]);
                int flipped = -1, first = 0;
                if (comparable) {
                    ActivationPattern x = ra.get(i).pattern(), y = rb.get(j).pattern();
                    flipped = x.hamming(y);
                    if (flipped > 0) {
                        for (int k = 0; k < unitLayers.length; k++)
                            if (x.get(k) != y.get(k)) { first = unitLayers[k]; break; }
                    }
                }
                overlaps.add(new Overlap(i, j, area, change, flipped, first));
            }
        }

        // fates
        double same = opts.tolerance().mergeEps() * Math.hypot(dom.width(), dom.height());
        int[] succ = new int[na], pred = new int[nb];
        double[] sumA = new double[na], sumB = new double[nb];
        for (Overlap ov : overlaps) {
            succ[ov.before()]++;
            pred[ov.after()]++;
            sumA[ov.before()] += ov.area();
            sumB[ov.after()] += ov.area();
        }
        Fate[] fa = new Fate[na], fb = new Fate[nb];
        double[] haus = new double[na];
        Arrays.fill(haus, Double.NaN);
        List<Double> pairDistances = new ArrayList<>();
        int survived = 0, moved = 0, split = 0, died = 0, merged = 0, born = 0;
        for (int i = 0; i < na; i++) {
            int j = partnerA[i];
            if (j >= 0) {
                haus[i] = ConvexPolygons.hausdorff(pa[i], pb[j]);
                pairDistances.add(haus[i]);
                fa[i] = fb[j] = haus[i] <= same ? Fate.SURVIVED : Fate.MOVED;
                if (fa[i] == Fate.SURVIVED) survived++;
                else moved++;
            } else if (succ[i] >= 2) {
                fa[i] = Fate.SPLIT;
                split++;
            } else {
                fa[i] = Fate.DIED;
                died++;
            }
        }
        for (int j = 0; j < nb; j++) {
            if (partnerB[j] >= 0) continue;
            if (pred[j] >= 2) {
                fb[j] = Fate.MERGED;
                merged++;
            } else {
                fb[j] = Fate.BORN;
                born++;
            }
        }

        // shares
        double area = dom.area();
        double patternSame = 0, mapChanged = 0, mapChangedSame = 0, meanChange = 0;
        double[] byFirst = new double[depth], flippedByLayer = new double[depth];
        double[] unitShare = comparable ? new double[unitLayers.length] : new double[0];
        for (Overlap ov : overlaps) {
            double s = ov.area() / area;
            meanChange += s * ov.mapChange();
            boolean changed = ov.mapChange() > opts.mapThreshold();
            if (changed) mapChanged += s;
            if (ov.samePattern()) {
                patternSame += s;
                if (changed) mapChangedSame += s;
            } else if (comparable) {
                byFirst[ov.firstLayer() - 1] += s;
                ActivationPattern x = ra.get(ov.before()).pattern(), y = rb.get(ov.after()).pattern();
                for (int k : x.differingUnits(y)) {
                    flippedByLayer[unitLayers[k] - 1] += s;
                    unitShare[k] += s;
                }
            }
        }
        double cons = 0;
        for (int i = 0; i < na; i++) cons = Math.max(cons, Math.abs(sumA[i] - ra.get(i).area()));
        for (int j = 0; j < nb; j++) cons = Math.max(cons, Math.abs(sumB[j] - rb.get(j).area()));
        double[] d = pairDistances.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double hMean = d.length == 0 ? 0 : Arrays.stream(d).average().orElse(0);
        double hMedian = d.length == 0 ? 0 : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        double hMax = d.length == 0 ? 0 : d[d.length - 1];
        LineageSummary summary = new LineageSummary(na, nb, survived, moved, split, died, merged, born, patternSame, mapChanged,
                mapChangedSame, meanChange, hMean, hMedian, hMax, byFirst, flippedByLayer, cons / area, (System.nanoTime() - t0) / 1e9);
        return new Lineage(before, after, fa, fb, partnerA, partnerB, haus, overlaps, unitShare, summary);
    }

    private static double value(AffineMap m, int o, double s, double t) {
        return m.offset(o) + m.coefficient(o, 0) * s + m.coefficient(o, 1) * t;
    }

    private static void bbox(double[] v, double[] out) {
        out[0] = out[2] = Double.POSITIVE_INFINITY;
        out[1] = out[3] = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v.length / 2; k++) {
            out[0] = Math.min(out[0], v[2 * k]);
            out[1] = Math.max(out[1], v[2 * k]);
            out[2] = Math.min(out[2], v[2 * k + 1]);
            out[3] = Math.max(out[3], v[2 * k + 1]);
        }
    }

    /** A uniform grid over the domain; cell (cx, cy) lists the later regions whose bounding box meets it. */
    private static final class Grid {
        final double x0, y0, cw, ch;
        final int g;
        final int[] start, items;
        final double[][] boxes;

        Grid(Rectangle dom, double[][] polys) {
            int n = polys.length;
            g = Math.max(1, Math.min(2048, (int) Math.ceil(Math.sqrt(n))));
            x0 = dom.xmin();
            y0 = dom.ymin();
            cw = dom.width() / g;
            ch = dom.height() / g;
            boxes = new double[n][4];
            int[] count = new int[g * g + 1];
            for (int j = 0; j < n; j++) {
                bbox(polys[j], boxes[j]);
                int[] r = cells(boxes[j]);
                for (int cy = r[2]; cy <= r[3]; cy++) for (int cx = r[0]; cx <= r[1]; cx++) count[cy * g + cx + 1]++;
            }
            for (int c = 0; c < g * g; c++) count[c + 1] += count[c];
            start = count.clone();
            items = new int[count[g * g]];
            int[] fill = Arrays.copyOf(count, g * g);
            for (int j = 0; j < n; j++) {
                int[] r = cells(boxes[j]);
                for (int cy = r[2]; cy <= r[3]; cy++) for (int cx = r[0]; cx <= r[1]; cx++) items[fill[cy * g + cx]++] = j;
            }
        }

        int[] cells(double[] b) {
            return new int[]{clamp((b[0] - x0) / cw), clamp((b[1] - x0) / cw), clamp((b[2] - y0) / ch), clamp((b[3] - y0) / ch)};
        }

        private int clamp(double c) { return Math.max(0, Math.min(g - 1, (int) Math.floor(c))); }

        /** Later regions in the cells met by box {@code b}, each once (marked with {@code tag} in {@code stamp}). */
        int candidates(double[] b, int tag, int[] stamp, int[] out) {
            int[] r = cells(b);
            int n = 0;
            for (int cy = r[2]; cy <= r[3]; cy++) for (int cx = r[0]; cx <= r[1]; cx++) {
                int c = cy * g + cx;
                for (int k = start[c]; k < start[c + 1]; k++) {
                    int j = items[k];
                    if (stamp[j] != tag) {
                        stamp[j] = tag;
                        out[n++] = j;
                    }
                }
            }
            return n;
        }

        boolean boxesMeet(double[] b, int j) {
            double[] o = boxes[j];
            return b[0] <= o[1] && o[0] <= b[1] && b[2] <= o[3] && o[2] <= b[3];
        }
    }
}
