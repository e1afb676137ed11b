package atlas.measure.lineage;

import atlas.error.BadInputException;

import atlas.geometry.ConvexPolygons;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows the regions of one exact plane partition into another of the same domain (two snapshots of a training
 * run, or any two networks with the same input plane).
 *
 * <p>Matching: a region whose activation pattern labels a region of the other partition is paired with it (a
 * pattern labels at most one convex region). Independently, every earlier region is intersected with every later
 * region it meets: the exact convex intersections form the common refinement of the two partitions, whose
 * pieces carry the area that passed from one region to another. Candidates come from a uniform grid of the later
 * regions' bounding boxes (about one region per cell), so the cost is proportional to the number of pieces, not
 * to the product of the counts. Each clip is Sutherland-Hodgman on two small polygons, the clipping one convex (a
 * later region with a reflex notch, glued across a strip border, is clipped against as its convex pieces).
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

    /**
     * The two networks side by side as one (certified lineage, {@code track --exact}): each layer holds a's units
     * then b's, with block-diagonal weights (the first layer: both read the input), so its pattern is a's pattern
     * and b's, layer by layer, and its exact partition is the common refinement of theirs: every cell is one
     * (region of a, region of b) pair. Refused (one line, exit 2) for skips, a different depth or input size, or a
     * layer whose activations differ.
     */
    public static Network stacked(Network a, Network b) {
        if (a.inputDim() != b.inputDim())
            throw new BadInputException("--exact tracking needs models with the same inputs: " + a.inputDim() + " and " + b.inputDim());
        if (a.depth() != b.depth())
            throw new BadInputException("--exact tracking needs models of the same depth (it stacks the two into one network): " + a.depth() + " and " + b.depth() + " layers");
        List<atlas.net.DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i <= a.depth(); i++) {
            atlas.net.DenseLayer x = a.layer(i), y = b.layer(i);
            if (!x.skips().isEmpty() || !y.skips().isEmpty())
                throw new BadInputException("--exact tracking does not take skip connections (layer " + i + " has one); track without --exact");
            if (x.activation() != y.activation() || x.leak() != y.leak())
                throw new BadInputException("--exact tracking needs the same activation in each layer of both models; layer " + i + " differs");
            int in = i == 1 ? a.inputDim() : x.inputSize() + y.inputSize(), units = x.units() + y.units();
            double[] w = new double[units * in], bias = new double[units];
            for (int u = 0; u < x.units(); u++) {
                for (int k = 0; k < x.inputSize(); k++) w[u * in + k] = x.weight(u, k);
                bias[u] = x.bias()[u];
            }
            int col = i == 1 ? 0 : x.inputSize();
            for (int u = 0; u < y.units(); u++) {
                for (int k = 0; k < y.inputSize(); k++) w[(x.units() + u) * in + col + k] = y.weight(u, k);
                bias[x.units() + u] = y.bias()[u];
            }
            layers.add(new atlas.net.DenseLayer(in, units, w, bias, x.activation(), x.leak()));
        }
        return new Network(a.inputDim(), layers);
    }

    /**
     * One cell of the common refinement, certified: earlier region i, later region j, the cell's polygon (float
     * vertices of an exact partition).
     */
    public record Piece(int before, int after, double[] polygon) {}

    /**
     * The common refinement of {@code before} (a's exact partition) and {@code after} (b's) from the exact partition of
     * the {@link #stacked} network on the same rectangle and plane: a cell's pattern, split into a's and b's parts,
     * names the two regions it lies in, so which regions overlap is decided exactly (no polygon clipping).
     */
    public static List<Piece> exactPieces(Network a, PlanePartition before, Network b, PlanePartition after) {
        Network s = stacked(a, b);
        PlanePartition common = new atlas.regions.PlanePartitioner(s, before.slice(), before.domain(), Tolerance.EXACT).getResult();
        java.util.Map<ActivationPattern, Integer> ia = new java.util.HashMap<>(), ib = new java.util.HashMap<>();
        for (LinearRegion r : before.regions()) ia.putIfAbsent(r.pattern(), r.id());
        for (LinearRegion r : after.regions()) ib.putIfAbsent(r.pattern(), r.id());
        List<Piece> out = new ArrayList<>();
        boolean[] pa = new boolean[a.cuttingUnits()], pb = new boolean[b.cuttingUnits()];
        for (LinearRegion c : common.regions()) {
            ActivationPattern p = c.pattern();
            for (int i = 1; i <= a.depth(); i++) {
                int off = s.patternOffset(i);
                if (off < 0) continue;
                int ua = a.size(i);
                for (int u = 0; u < ua; u++) pa[a.patternOffset(i) + u] = p.get(off + u);
                for (int u = 0; u < b.size(i); u++) pb[b.patternOffset(i) + u] = p.get(off + ua + u);
            }
            Integer i = ia.get(ActivationPattern.of(pa)), j = ib.get(ActivationPattern.of(pb));
            if (i == null || j == null)
                throw new IllegalStateException("a cell of the stacked partition has a pattern the snapshot's exact partition lacks");
            out.add(new Piece(i, j, c.vertices()));
        }
        out.sort((x, y) -> x.before() != y.before() ? Integer.compare(x.before(), y.before()) : Integer.compare(x.after(), y.after()));
        return out;
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
        return between(before, after, unitLayers, depth, opts, null);
    }

    /**
     * As {@link #between(PlanePartition, PlanePartition, int[], int, LineageOptions)}; with {@code exact} (the
     * {@link #exactPieces} of the two snapshots) the common refinement is that certified one instead of clipped
     * polygons, and a pattern partner survived iff it and its partner are each other's only piece (the same set).
     */
    public static Lineage between(PlanePartition before, PlanePartition after, int[] unitLayers, int depth, LineageOptions opts,
                                  List<Piece> exact) {
        long t0 = System.nanoTime();
        Rectangle dom = before.domain();
        if (!dom.equals(after.domain()))
            throw new BadInputException("the two partitions cover different rectangles: " + dom + " and " + after.domain());
        if (!Arrays.equals(before.slice().origin(), after.slice().origin()) || !Arrays.equals(before.slice().u1(), after.slice().u1())
                || !Arrays.equals(before.slice().u2(), after.slice().u2()))
            throw new BadInputException("the two partitions lie on different planes");
        Side a = new Side(before.regions(), opts.tolerance()), b = new Side(after.regions(), opts.tolerance());
        int na = a.n, nb = b.n;
        boolean comparable = unitLayers != null && na > 0 && nb > 0
                && a.bits == unitLayers.length && b.bits == unitLayers.length;

        // pattern partners: a hash join on the patterns' words (a pattern labels at most one convex region)
        int[] partnerA = new int[na], partnerB = new int[nb];
        Arrays.fill(partnerA, -1);
        Arrays.fill(partnerB, -1);
        if (comparable) matchPatterns(a, b, partnerA, partnerB);

        // pattern pairs whose polygons coincide survived; their only piece is the pair itself (see below)
        double same = opts.tolerance().mergeEps() * Math.hypot(dom.width(), dom.height());
        double[] haus = new double[na];
        Arrays.fill(haus, Double.NaN);
        boolean[] keptA = new boolean[na], keptB = new boolean[nb];
        for (int i = 0; i < na; i++) {
            int j = partnerA[i];
            if (j < 0) continue;
            haus[i] = ConvexPolygons.hausdorff(a.poly[i], b.poly[j]);
            if (exact == null && haus[i] <= same) keptA[i] = keptB[j] = true;
        }
        if (exact != null) {
            int[] piecesA = new int[na], piecesB = new int[nb], onlyA = new int[na];
            for (Piece p : exact) {
                piecesA[p.before()]++;
                piecesB[p.after()]++;
                onlyA[p.before()] = p.after();
            }
            for (int i = 0; i < na; i++) {
                int j = partnerA[i];
                // i's one piece is (i, j) and j's one piece too: i and j are the same cell
                if (j >= 0 && piecesA[i] == 1 && onlyA[i] == j && piecesB[j] == 1) keptA[i] = keptB[j] = true;
            }
        }

        // output ranges before, for the relative map change
        int outputs = a.outputs;
        double[] range = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, mag = 0;
            for (int i = 0; i < na; i++) {
                double[] v = a.poly[i];
                for (int k = 0; k < v.length / 2; k++) {
                    double y = a.value(i, o, v[2 * k], v[2 * k + 1]);
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                    mag = Math.max(mag, Math.abs(y));
                }
            }
            range[o] = hi - lo > 0 ? hi - lo : mag > 0 ? mag : 1;
        }

        // the common refinement, in chunks of earlier regions (in parallel; joined in order, so the result does not
        // depend on the number of threads)
        Grid grid = new Grid(dom, b.box, keptB);
        double sliver = opts.tolerance().minVolume() * dom.area();
        Refine job = new Refine(a, b, grid, partnerA, keptA, range, comparable ? unitLayers : null, sliver, opts.tolerance());
        int chunks = Math.max(1, Math.min(64, na / 4096));
        Overlaps.Builder[] parts = new Overlaps.Builder[exact != null ? 0 : chunks];
        if (exact == null) java.util.stream.IntStream.range(0, chunks).parallel()
                .forEach(c -> parts[c] = job.run((int) ((long) na * c / chunks), (int) ((long) na * (c + 1) / chunks)));
        Overlaps.Builder all = exact != null ? job.exact(exact) : parts.length == 1 ? parts[0] : Overlaps.Builder.concat(parts);
        Overlaps overlaps = all.build(na, nb);

        // fates
        Fate[] fa = new Fate[na], fb = new Fate[nb];
        List<Double> pairDistances = new ArrayList<>();
        int survived = 0, moved = 0, split = 0, died = 0, merged = 0, born = 0;
        for (int i = 0; i < na; i++) {
            int j = partnerA[i];
            if (j >= 0) {
                pairDistances.add(haus[i]);
                fa[i] = fb[j] = keptA[i] ? Fate.SURVIVED : Fate.MOVED;
                if (keptA[i]) survived++;
                else moved++;
            } else if (overlaps.endOfBefore(i) - overlaps.firstOfBefore(i) >= 2) {
                fa[i] = Fate.SPLIT;
                split++;
            } else {
                fa[i] = Fate.DIED;
                died++;
            }
        }
        for (int j = 0; j < nb; j++) {
            if (partnerB[j] >= 0) continue;
            if (overlaps.countOfAfter(j) >= 2) {
                fb[j] = Fate.MERGED;
                merged++;
            } else {
                fb[j] = Fate.BORN;
                born++;
            }
        }

        // shares, summed over the pieces in order
        double area = dom.area();
        double patternSame = 0, mapChanged = 0, mapChangedSame = 0, meanChange = 0;
        double[] byFirst = new double[depth], flippedByLayer = new double[depth];
        double[] unitShare = comparable ? new double[unitLayers.length] : new double[0];
        double[] sumA = new double[na], sumB = new double[nb];
        for (int k = 0; k < overlaps.size(); k++) {
            int i = overlaps.before(k), j = overlaps.after(k);
            sumA[i] += overlaps.area(k);
            sumB[j] += overlaps.area(k);
            double s = overlaps.area(k) / area;
            meanChange += s * overlaps.mapChange(k);
            boolean changed = overlaps.mapChange(k) > opts.mapThreshold();
            if (changed) mapChanged += s;
            if (overlaps.flippedBits(k) == 0) {
                patternSame += s;
                if (changed) mapChangedSame += s;
            } else if (comparable) {
                byFirst[overlaps.firstLayer(k) - 1] += s;
                long[] x = a.words[i], y = b.words[j];
                for (int w = 0; w < x.length; w++) {
                    long d = x[w] ^ y[w];
                    while (d != 0) {
                        int u = (w << 6) + Long.numberOfTrailingZeros(d);
                        flippedByLayer[unitLayers[u] - 1] += s;
                        unitShare[u] += s;
                        d &= d - 1;
                    }
                }
            }
        }
        double cons = 0;
        for (int i = 0; i < na; i++) cons = Math.max(cons, Math.abs(sumA[i] - a.area[i]));
        for (int j = 0; j < nb; j++) cons = Math.max(cons, Math.abs(sumB[j] - b.area[j]));
        double[] d = pairDistances.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double hMean = d.length == 0 ? 0 : Arrays.stream(d).average().orElse(0);
        double hMedian = d.length == 0 ? 0 : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        double hMax = d.length == 0 ? 0 : d[d.length - 1];
        LineageSummary summary = new LineageSummary(na, nb, survived, moved, split, died, merged, born, patternSame, mapChanged,
                mapChangedSame, meanChange, hMean, hMedian, hMax, byFirst, flippedByLayer, cons / area, (System.nanoTime() - t0) / 1e9);
        return new Lineage(before, after, fa, fb, partnerA, partnerB, haus, overlaps, unitShare, summary);
    }

    /**
     * Pairs the regions of {@code a} and {@code b} with equal patterns: an open-addressing table of b's region ids
     * keyed by the patterns' stable hashes, equal words confirmed (no boxed keys or entries).
     */
    private static void matchPatterns(Side a, Side b, int[] partnerA, int[] partnerB) {
        int cap = Integer.highestOneBit(Math.max(4, 2 * b.n - 1)) << 1;
        int[] table = new int[cap];
        Arrays.fill(table, -1);
        for (int j = 0; j < b.n; j++) {
            int h = (int) (b.hash[j] ^ (b.hash[j] >>> 32)) & (cap - 1);
            boolean dup = false;
            while (table[h] >= 0) {
                if (b.hash[table[h]] == b.hash[j] && Arrays.equals(b.words[table[h]], b.words[j])) {
                    dup = true; // the first region with a pattern is its partner, as a map would keep it
                    break;
                }
                h = (h + 1) & (cap - 1);
            }
            if (!dup) table[h] = j;
        }
        for (int i = 0; i < a.n; i++) {
            int h = (int) (a.hash[i] ^ (a.hash[i] >>> 32)) & (cap - 1);
            for (int j; (j = table[h]) >= 0; h = (h + 1) & (cap - 1)) {
                if (b.hash[j] == a.hash[i] && Arrays.equals(b.words[j], a.words[i])) {
                    if (partnerB[j] < 0) {
                        partnerA[i] = j;
                        partnerB[j] = i;
                    }
                    break;
                }
            }
        }
    }

    /** One partition's regions as flat arrays: polygons, bounding boxes, areas, maps, pattern words and hashes. */
    private static final class Side {
        final int n, outputs, bits;
        final double[][] poly;
        final double[] box, area;
        /** Map of region i, output o: value = off[i*outputs+o] + cx[..] s + cy[..] t. */
        final double[] off, cx, cy;
        final long[][] words;
        final long[] hash;
        /** Null where region i's polygon is convex, else its {@link atlas.geometry.Polygons#convexParts convex pieces}. */
        final double[][][] convexParts;

        Side(List<LinearRegion> regions, Tolerance tol) {
            n = regions.size();
            outputs = n == 0 ? 0 : regions.get(0).map().outputs();
            bits = n == 0 ? 0 : regions.get(0).pattern().length();
            poly = new double[n][];
            box = new double[4 * n];
            area = new double[n];
            off = new double[n * outputs];
            cx = new double[n * outputs];
            cy = new double[n * outputs];
            words = new long[n][];
            hash = new long[n];
            convexParts = new double[n][][];
            double[] bb = new double[4];
            for (int i = 0; i < n; i++) {
                LinearRegion r = regions.get(i);
                poly[i] = r.vertices();
                if (!atlas.geometry.Polygons.isConvex(poly[i], tol)) convexParts[i] = atlas.geometry.Polygons.convexParts(poly[i], tol);
                bbox(poly[i], bb);
                System.arraycopy(bb, 0, box, 4 * i, 4);
                area[i] = r.area();
                AffineMap m = r.map();
                for (int o = 0; o < outputs; o++) {
                    off[i * outputs + o] = m.offset(o);
                    cx[i * outputs + o] = m.coefficient(o, 0);
                    cy[i * outputs + o] = m.coefficient(o, 1);
                }
                ActivationPattern p = r.pattern();
                words[i] = p.length() == bits ? p.words() : null;
                hash[i] = p.stableHash();
            }
        }

        double value(int i, int o, double s, double t) {
            int k = i * outputs + o;
            return off[k] + cx[k] * s + cy[k] * t;
        }
    }

    /** The clipping of a range of earlier regions against their candidate later regions. */
    private record Refine(Side a, Side b, Grid grid, int[] partnerA, boolean[] keptA, double[] range, int[] unitLayers,
                          double sliver, Tolerance tol) {
        Overlaps.Builder run(int from, int to) {
            Overlaps.Builder out = new Overlaps.Builder();
            ConvexPolygons.Clipper clip = new ConvexPolygons.Clipper(tol);
            int[] stamp = new int[b.n];
            Arrays.fill(stamp, -1);
            Candidates cand = new Candidates();
            for (int i = from; i < to; i++) {
                if (keptA[i]) {
                    // a surviving polygon coincides with its partner up to the merge distance: any other later region
                    // meets it in a sliver of that width at most, which the clipping's side tolerance removes
                    cand.n = 0;
                    cand.add(partnerA[i]);
                } else {
                    grid.candidates(b.box, a.box, i, stamp, cand);
                    Arrays.sort(cand.ids, 0, cand.n);
                }
                for (int q = 0; q < cand.n; q++) {
                    int j = cand.ids[q];
                    // the clipping needs a convex clip polygon: a later region glued across a strip border with a
                    // reflex notch is clipped against as its convex pieces, and the overlap summed over them
                    double[][] parts = b.convexParts[j];
                    int pieces = parts == null ? 1 : parts.length;
                    double ar = 0, change = 0;
                    for (int p = 0; p < pieces; p++) {
                        int m = clip.clip(a.poly[i], parts == null ? b.poly[j] : parts[p]);
                        if (m < 3) continue;
                        ar += atlas.geometry.Polygons.signedArea(clip.result(), 0, m);
                        change = mapChange(i, j, clip.result(), m, change);
                    }
                    if (!(ar > sliver)) continue;
                    out.add(i, j, ar, change, flipped(i, j), firstLayer(i, j));
                }
            }
            return out;
        }

        /** The pieces of a certified common refinement, in order: each one's area, map change and flipped units. */
        Overlaps.Builder exact(List<Piece> pieces) {
            Overlaps.Builder out = new Overlaps.Builder();
            for (Piece p : pieces) {
                double[] v = p.polygon();
                int i = p.before(), j = p.after(), m = v.length / 2;
                out.add(i, j, atlas.geometry.Polygons.signedArea(v, 0, m), mapChange(i, j, v, m, 0), flipped(i, j), firstLayer(i, j));
            }
            return out;
        }

        /** The larger of {@code change} and the largest relative change of any output at the piece's m vertices. */
        private double mapChange(int i, int j, double[] piece, int m, double change) {
            for (int o = 0; o < a.outputs; o++)
                for (int k = 0; k < m; k++) {
                    double s = piece[2 * k], t = piece[2 * k + 1];
                    change = Math.max(change, Math.abs(b.value(j, o, s, t) - a.value(i, o, s, t)) / range[o]);
                }
            return change;
        }

        /** The number of units whose sign differs between patterns i and j; -1 when the patterns are not comparable. */
        private int flipped(int i, int j) {
            if (unitLayers == null) return -1;
            long[] x = a.words[i], y = b.words[j];
            int flipped = 0;
            for (int w = 0; w < x.length; w++) flipped += Long.bitCount(x[w] ^ y[w]);
            return flipped;
        }

        /** The layer of the first unit whose sign differs between patterns i and j; 0 when none does or not comparable. */
        private int firstLayer(int i, int j) {
            if (unitLayers == null) return 0;
            long[] x = a.words[i], y = b.words[j];
            for (int w = 0; w < x.length; w++) {
                long d = x[w] ^ y[w];
                if (d != 0) return unitLayers[(w << 6) + Long.numberOfTrailingZeros(d)];
            }
            return 0;
        }
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

    /**
     * A uniform grid over the domain; cell (cx, cy) lists the later regions whose bounding box meets it (about one
     * region per cell), without the ones flagged {@code skip} (survivors, which meet only their partner).
     */
    private static final class Grid {
        final double x0, y0, cw, ch;
        final int g;
        final int[] start, items;

        Grid(Rectangle dom, double[] boxes, boolean[] skip) {
            int n = boxes.length / 4;
            g = Math.max(1, Math.min(2048, (int) Math.ceil(Math.sqrt(n))));
            x0 = dom.xmin();
            y0 = dom.ymin();
            cw = dom.width() / g;
            ch = dom.height() / g;
            int[] count = new int[g * g + 1];
            for (int j = 0; j < n; j++) {
                if (skip[j]) continue;
                int ax = cell(boxes[4 * j], x0, cw), bx = cell(boxes[4 * j + 1], x0, cw);
                int ay = cell(boxes[4 * j + 2], y0, ch), by = cell(boxes[4 * j + 3], y0, ch);
                for (int cy = ay; cy <= by; cy++) for (int cx = ax; cx <= bx; cx++) count[cy * g + cx + 1]++;
            }
            for (int c = 0; c < g * g; c++) count[c + 1] += count[c];
            start = count.clone();
            items = new int[count[g * g]];
            int[] fill = Arrays.copyOf(count, g * g);
            for (int j = 0; j < n; j++) {
                if (skip[j]) continue;
                int ax = cell(boxes[4 * j], x0, cw), bx = cell(boxes[4 * j + 1], x0, cw);
                int ay = cell(boxes[4 * j + 2], y0, ch), by = cell(boxes[4 * j + 3], y0, ch);
                for (int cy = ay; cy <= by; cy++) for (int cx = ax; cx <= bx; cx++) items[fill[cy * g + cx]++] = j;
            }
        }

        private int cell(double v, double origin, double size) {
            return Math.max(0, Math.min(g - 1, (int) Math.floor((v - origin) / size)));
        }

        /**
         * Sets {@code out} to the later regions whose boxes ({@code boxesB}) meet earlier region i's box
         * ({@code boxesA}), each once (marked with i in {@code stamp}, one per thread).
         */
        void candidates(double[] boxesB, double[] boxesA, int i, int[] stamp, Candidates out) {
            double bx0 = boxesA[4 * i], bx1 = boxesA[4 * i + 1], by0 = boxesA[4 * i + 2], by1 = boxesA[4 * i + 3];
            int ax = cell(bx0, x0, cw), bx = cell(bx1, x0, cw), ay = cell(by0, y0, ch), by = cell(by1, y0, ch);
            out.n = 0;
            for (int cy = ay; cy <= by; cy++) for (int cx = ax; cx <= bx; cx++) {
                int c = cy * g + cx;
                for (int k = start[c]; k < start[c + 1]; k++) {
                    int j = items[k];
                    if (stamp[j] == i) continue;
                    stamp[j] = i;
                    if (bx0 <= boxesB[4 * j + 1] && boxesB[4 * j] <= bx1 && by0 <= boxesB[4 * j + 3] && boxesB[4 * j + 2] <= by1)
                        out.add(j);
                }
            }
        }
    }

    /** A growable list of region ids, reused from region to region. */
    private static final class Candidates {
        int[] ids = new int[16];
        int n;

        void add(int j) {
            if (n == ids.length) ids = Arrays.copyOf(ids, 2 * n);
            ids[n++] = j;
        }
    }
}
