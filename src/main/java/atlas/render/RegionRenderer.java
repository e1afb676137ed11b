package atlas.render;

import atlas.concurrent.RowBands;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlaneOutline;
import atlas.regions.PlanePartition;
import atlas.regions.StripOutlineListener;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Draws a {@link PlanePartition}. Fills are rasterised exactly by scanlines over each convex polygon: pixel
 * (i, j) takes the colour of the region containing its centre, so there are no seams between regions and no
 * region is painted over another. Boundaries are anti-aliased lines drawn on top. No geometry is computed
 * here beyond mapping coordinates.
 */
final class RegionRenderer {
    private RegionRenderer() {}

    /** Fills each pixel with its region's pattern colour. */
    public static void paintPatternColours(BufferedImage image, PlanePartition p, Viewport v) {
        List<LinearRegion> regions = p.regions();
        fill(image, shapes(p), v, r -> RegionColours.patternRgb(regions.get(r).pattern()), null, 0, 0, 0);
    }

    /** Convenience for a Graphics2D target: paints into a fresh image, then draws it. */
    public static void paintPatternColours(Graphics2D g, PlanePartition p, Viewport v) {
        BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
        paintPatternColours(img, p, v);
        g.drawImage(img, 0, 0, null);
    }

    /** Shades each pixel by output {@code output} of the network (from its region's affine map), lo = black, hi = white. */
    public static void paintOutput(BufferedImage image, PlanePartition p, Viewport v, int output, double lo, double hi) {
        List<LinearRegion> regions = p.regions();
        fill(image, shapes(p), v, null, r -> regions.get(r).map(), output, lo, hi);
    }

    /**
     * {@link #paintOutput(BufferedImage, PlanePartition, Viewport, int, double, double)} in pixel columns [c0, c1) only
     * (the others are left as they are), from an outline with maps ({@link atlas.regions.TiledPlanePartitioner#outlineWithMaps})
     * whose regions cover those columns' pixel centres (the whole outline, or a strip's own part,
     * {@link atlas.regions.StripOutlineListener}): the same pixels there; only the maps of regions that hold a pixel
     * centre are made.
     */
    static void paintOutput(BufferedImage image, PlaneOutline o, Viewport v, int output, double lo, double hi, int c0, int c1, boolean parallel) {
        fill(image, shapes(o), v, null, o::map, output, lo, hi, c0, c1, parallel);
    }

    /** The polygons a scanline fill reads, in region order: a partition's records or an outline's flat arrays. */
    private interface Shapes {
        int count();

        int vertexCount(int r);

        double x(int r, int k);

        double y(int r, int k);
    }

    private static Shapes shapes(PlanePartition p) {
        List<LinearRegion> regions = p.regions();
        return new Shapes() {
            @Override public int count() { return regions.size(); }
            @Override public int vertexCount(int r) { return regions.get(r).vertexCount(); }
            @Override public double x(int r, int k) { return regions.get(r).x(k); }
            @Override public double y(int r, int k) { return regions.get(r).y(k); }
        };
    }

    private static Shapes shapes(PlaneOutline o) {
        return new Shapes() {
            @Override public int count() { return o.count(); }
            @Override public int vertexCount(int r) { return o.vertexCount(r); }
            @Override public double x(int r, int k) { return o.x(o.first(r) + k); }
            @Override public double y(int r, int k) { return o.y(o.first(r) + k); }
        };
    }

    /** The smallest and largest value of {@code output} over the domain (attained at region vertices). */
    public static double[] outputRange(PlanePartition p, int output) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (LinearRegion r : p.regions()) {
            AffineMap m = r.map();
            for (int k = 0; k < r.vertexCount(); k++) {
                double val = m.offset(output) + m.coefficient(output, 0) * r.x(k) + m.coefficient(output, 1) * r.y(k);
                lo = Math.min(lo, val);
                hi = Math.max(hi, val);
            }
        }
        return new double[]{lo, hi};
    }

    /** Draws every region boundary (edges on the domain's border are left out). */
    public static void drawBoundaries(Graphics2D g, PlanePartition p, Viewport v, Color colour, float strokeWidth) {
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour);
        g.setStroke(new BasicStroke(strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        var d = p.domain();
        double eps = atlas.regions.KernelParameters.EDGE_SLACK * Math.max(1, d.magnitude());
        Line2D.Double line = new Line2D.Double();
        for (LinearRegion r : p.regions()) {
            int n = r.vertexCount();
            for (int k = 0; k < n; k++) {
                int k2 = (k + 1) % n;
                double x1 = r.x(k), y1 = r.y(k), x2 = r.x(k2), y2 = r.y(k2);
                if (onSameBorder(x1, y1, x2, y2, d, eps)) continue;
                // each interior edge belongs to two regions: draw it from one side only
                if (x1 > x2 || (x1 == x2 && y1 > y2)) continue;
                line.setLine(v.px(x1), v.py(y1), v.px(x2), v.py(y2));
                g.draw(line);
            }
        }
        if (aa != null) g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
    }

    /**
     * {@link #drawBoundaries} straight into the pixels of a {@code TYPE_INT_RGB} (or ARGB) image, for pictures with
     * very many regions (the late frames of a training run: 500k regions, 1.2M edges). Java2D's anti-aliased
     * stroking costs about a microsecond per edge whatever its length, most of a frame's time; here each edge is a
     * Wu line (two pixels per step along its major axis, weighted by the distance of their centres from the line
     * and by how much of the step the edge covers, so an edge shorter than a pixel leaves ink in proportion to its
     * length), composited source-over with the colour's alpha, one edge after another as the Graphics2D version
     * does (dense bundles of edges come out darker). Same edges, same sides; the pixels differ from Java2D's by
     * the shape of the caps and the stroke geometry only.
     *
     * @param ox the image column of the viewport's pixel (0, 0); nothing is drawn outside the viewport
     * @param oy the image row of the viewport's pixel (0, 0)
     */
    static void drawBoundaries(BufferedImage image, int ox, int oy, PlanePartition p, Viewport v, Color colour) {
        drawBoundaries(image, ox, oy, PlaneOutline.of(p), v, colour);
    }

    /**
     * {@link #drawBoundaries(BufferedImage, int, int, PlanePartition, Viewport, Color)} from a partition's outline: the
     * same edges in the same order, so the same pixels (the outline's polygons are the records' polygons).
     */
    static void drawBoundaries(BufferedImage image, int ox, int oy, PlaneOutline p, Viewport v, Color colour) {
        new Boundaries(image, ox, oy, v, count -> colour).drawColumns(p, 0, Integer.MAX_VALUE, p.count() >= PARALLEL_REGIONS, colour);
    }

    /**
     * The boundaries of a tiled outline drawn into an image's pixels while the outline is computed: each strip's own
     * regions ({@link StripOutlineListener}) into the pixel columns that no other edge reaches, on the strip's thread as
     * soon as it is cut (while the other strip is still being cut, on the other core), then {@link #finish} draws the
     * other columns from the whole outline. A pixel's colour depends on the edges that ink it and their order only; a
     * column is drawn either from a strip's own part (whose edges, by the listener's contract, are all the edges that can
     * reach it, in the outline's order) or from the whole outline, so the pixels are {@link #drawBoundaries}'s. A strip's
     * part is drawn early only when the colour is already known: the colour depends on the region count, which the
     * strip's own regions bound from below, and stops changing from some count on.
     */
    static final class Boundaries implements StripOutlineListener {
        /** A Wu line with its caps inks columns within 2 of its end points' columns (one more to spare). */
        private static final int REACH = 3;
        private final int[] data;
        private final int stride, ox, oy, width, height;
        private final Viewport v;
        private final java.util.function.IntFunction<Color> colourOf;
        /** the colour of every count from some count on (the alpha's floor), or null if the colour never stops changing */
        private final Color floor;
        /** pixel columns [from, to) drawn from a strip's part */
        private final List<int[]> drawn = java.util.Collections.synchronizedList(new ArrayList<>());
        /** paints what lies under the boundaries in a span of columns just before they are drawn there, or null */
        private Underlay underlay;

        /** What lies under the boundaries (a shaded output), painted span by span from the outline they are drawn from. */
        interface Underlay {
            /**
             * Paints pixel columns [from, to) of the viewport from {@code source}, whose regions cover them all; in row bands
             * on all cores when {@code parallel} (as the boundaries drawn there next).
             */
            void paint(PlaneOutline source, int from, int to, boolean parallel);
        }

        /** Sets the underlay (before the outline is made). */
        Boundaries under(Underlay u) {
            this.underlay = u;
            return this;
        }

        /**
         * @param colourOf the boundaries' colour for a region count: its alpha never rises as the count grows
         *                 ({@link TrainingFrame#boundaryColour}), so when the colours of a lower bound and of
         *                 {@code Integer.MAX_VALUE} agree, every count from the bound on has that colour
         */
        Boundaries(BufferedImage image, int ox, int oy, Viewport v, java.util.function.IntFunction<Color> colourOf) {
            this.data = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
            this.stride = image.getWidth();
            this.ox = ox;
            this.oy = oy;
            this.width = Math.min(v.width(), image.getWidth() - ox);
            this.height = Math.min(v.height(), image.getHeight() - oy);
            this.v = v;
            this.colourOf = colourOf;
            this.floor = colourOf.apply(Integer.MAX_VALUE);
        }

        @Override public void stripDone(PlaneOutline part, double xlo, double xhi, boolean last) {
            // the count is at least the part's regions (each a region of its own)
            if (!colourOf.apply(part.count()).equals(floor)) return;
            int from = xlo == Double.NEGATIVE_INFINITY ? 0 : Math.max(0, (int) Math.floor(v.px(xlo)) + REACH);
            int to = xhi == Double.POSITIVE_INFINITY ? width : Math.min(width, (int) Math.floor(v.px(xhi)) - REACH);
            if (from >= to) return;
            // before the last strip is done the other cores cut the other strips: one band here
            boolean parallel = last && part.count() >= PARALLEL_REGIONS;
            if (underlay != null) underlay.paint(part, from, to, parallel);
            drawColumns(part, from, to, parallel, floor);
            drawn.add(new int[]{from, to});
        }

        /** How many strips' parts were drawn before the whole outline (tests). */
        int stripsDrawn() { return drawn.size(); }

        /** Draws the columns no strip's part drew, from the whole outline (the count is known now). */
        void finish(PlaneOutline whole) {
            Color colour = colourOf.apply(whole.count());
            if (!drawn.isEmpty() && !colour.equals(floor)) throw new IllegalStateException("strips drawn in " + floor + ", the count gives " + colour);
            List<int[]> done = new ArrayList<>(drawn);
            done.sort((a, b) -> Integer.compare(a[0], b[0]));
            int c = 0;
            for (int[] span : done) {
                if (span[0] > c) {
                    if (underlay != null) underlay.paint(whole, c, span[0], whole.count() >= PARALLEL_REGIONS);
                    drawColumns(whole, c, span[0], whole.count() >= PARALLEL_REGIONS, colour);
                }
                c = Math.max(c, span[1]);
            }
            if (c < width) {
                if (underlay != null) underlay.paint(whole, c, width, whole.count() >= PARALLEL_REGIONS);
                drawColumns(whole, c, width, whole.count() >= PARALLEL_REGIONS, colour);
            }
        }

        /**
         * Draws the outline's edges into pixel columns [colFrom, colTo) of the viewport, all its rows (in row bands on all
         * cores when {@code parallel}): each band visits every edge in the outline's order and inks only its own pixels,
         * so the same pixels as one pass.
         */
        void drawColumns(PlaneOutline p, int colFrom, int colTo, boolean parallel, Color colour) {
            var d = p.domain();
            double eps = atlas.regions.KernelParameters.EDGE_SLACK * Math.max(1, d.magnitude());
            int rgb = colour.getRGB() & 0xffffff;
            double alpha = colour.getAlpha() / 255.0;
            int c0 = Math.max(0, colFrom), c1 = Math.min(width, colTo);
            if (c0 >= c1) return;
            boolean allColumns = c0 == 0 && c1 == width;
            RowBands.draw(height, parallel, (from, to) -> {
                InkTarget t = new InkTarget(data, stride, ox, oy, c0, c1, from, to, rgb, alpha);
                for (int r = 0, regions = p.count(); r < regions; r++) {
                    int f = p.first(r), n = p.vertexCount(r);
                    for (int k = 0; k < n; k++) {
                        int k2 = k + 1 == n ? 0 : k + 1;
                        double x1 = p.x(f + k), x2 = p.x(f + k2);
                        if (x1 > x2) continue; // each interior edge once, from the side where it runs rightwards (or up)
                        // a Wu line with its caps inks rows and columns within 2 of its end points' rows and columns (the
                        // cheap tests first: they only skip edges that ink none of these pixels)
                        double px1 = v.px(x1), px2 = v.px(x2); // px1 <= px2
                        if (!allColumns && (px2 + 2 < c0 || px1 - 2 > c1)) continue;
                        double y1 = p.y(f + k), y2 = p.y(f + k2);
                        if (x1 == x2 && y1 > y2) continue;
                        if (onSameBorder(x1, y1, x2, y2, d, eps)) continue;
                        double py1 = v.py(y1), py2 = v.py(y2);
                        if (Math.max(py1, py2) + 2 < from || Math.min(py1, py2) - 2 > to) continue;
                        wuLine(t, px1, py1, px2, py2);
                    }
                }
            });
        }
    }

    /** From this many regions a picture is drawn in row bands on all cores (below, the hand-offs cost more). */
    static final int PARALLEL_REGIONS = 20_000;

    /**
     * A rectangle of an int pixel array to draw into (its columns {@code [colFrom, colTo)} and rows {@code [rowFrom,
     * rowTo)} only, in viewport pixels), and the colour and opacity of the ink.
     */
    record InkTarget(int[] data, int stride, int ox, int oy, int colFrom, int colTo, int rowFrom, int rowTo, int rgb, double alpha) {
        /** Composites the ink over pixel (x, y) of the rectangle with coverage c in [0, 1]; outside: nothing. */
        void blend(int x, int y, double c) {
            if (x < colFrom || y < rowFrom || x >= colTo || y >= rowTo || !(c > 0)) return;
            int i = (oy + y) * stride + ox + x;
            int dst = data[i];
            double a = Math.min(1, c) * alpha;
            int r = mix(dst >> 16 & 0xff, rgb >> 16 & 0xff, a), g = mix(dst >> 8 & 0xff, rgb >> 8 & 0xff, a), b = mix(dst & 0xff, rgb & 0xff, a);
            data[i] = (dst & 0xff000000) | r << 16 | g << 8 | b;
        }

        private static int mix(int dst, int src, double a) { return (int) Math.round(dst + (src - dst) * a); }
    }

    /**
     * Anti-aliased line of width about one pixel between points in viewport pixel coordinates (pixel j spans
     * [j, j + 1), its centre is j + 0.5), after Xiaolin Wu: for each pixel column (row, for a steep line) that
     * the segment crosses, the two pixels nearest the line share the column's ink by their distance to it.
     */
    /** Length added at each end of a raster boundary line, in pixels: the radius of a 1-pixel round cap. */
    private static final double CAP = 0.5;

    static void wuLine(InkTarget t, double x0, double y0, double x1, double y1) {
        // to coordinates where pixel k's centre is k
        x0 -= 0.5; y0 -= 0.5; x1 -= 0.5; y1 -= 0.5;
        // half a pixel more at each end, like the round caps of the Java2D stroke: chains of short edges (most
        // edges of a dense partition are a pixel or two long) overlap at their joints instead of thinning out
        double len = Math.sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)); // not Math.hypot: 10x slower, no overflow here
        if (len > 0) {
            double ex = CAP * (x1 - x0) / len, ey = CAP * (y1 - y0) / len;
            x0 -= ex; y0 -= ey; x1 += ex; y1 += ey;
        }
        boolean steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
        if (steep) { double s = x0; x0 = y0; y0 = s; s = x1; x1 = y1; y1 = s; }
        if (x0 > x1) { double s = x0; x0 = x1; x1 = s; s = y0; y0 = y1; y1 = s; }
        double dx = x1 - x0, gradient = dx == 0 ? 0 : (y1 - y0) / dx;
        int c0 = (int) Math.round(x0), c1 = (int) Math.round(x1);
        for (int c = c0; c <= c1; c++) {
            // the part of the segment inside this column's span [c - 0.5, c + 0.5] along the major axis
            double lo = Math.max(x0, c - 0.5), hi = Math.min(x1, c + 0.5);
            double along = hi - lo; // 0 for a segment of no length: no ink
            if (!(along > 0)) continue;
            double y = y0 + gradient * ((lo + hi) / 2 - x0);
            int row = (int) Math.floor(y);
            double f = y - row;
            if (steep) {
                t.blend(row, c, (1 - f) * along);
                t.blend(row + 1, c, f * along);
            } else {
                t.blend(c, row, (1 - f) * along);
                t.blend(c, row + 1, f * along);
            }
        }
    }

    private static boolean onSameBorder(double x1, double y1, double x2, double y2, atlas.geometry.Rectangle d, double eps) {
        return (Math.abs(x1 - d.xmin()) <= eps && Math.abs(x2 - d.xmin()) <= eps)
                || (Math.abs(x1 - d.xmax()) <= eps && Math.abs(x2 - d.xmax()) <= eps)
                || (Math.abs(y1 - d.ymin()) <= eps && Math.abs(y2 - d.ymin()) <= eps)
                || (Math.abs(y1 - d.ymax()) <= eps && Math.abs(y2 - d.ymax()) <= eps);
    }

    /**
     * Vector drawing for SVG: each region a filled polygon (pattern colour, or the grey of its output at its
     * interior point when {@code output >= 0}), then the boundaries.
     */
    public static void paintVector(Graphics2D g, PlanePartition p, Viewport v, int output, double lo, double hi, Color boundary) {
        Path2D.Double path = new Path2D.Double();
        for (LinearRegion r : p.regions()) {
            path.reset();
            for (int k = 0; k < r.vertexCount(); k++) {
                if (k == 0) path.moveTo(v.px(r.x(k)), v.py(r.y(k)));
                else path.lineTo(v.px(r.x(k)), v.py(r.y(k)));
            }
            path.closePath();
            int rgb = output >= 0 ? RegionColours.greyRgb(r.map().apply(r.interiorPoint())[output], lo, hi)
                    : RegionColours.patternRgb(r.pattern());
            g.setColor(new Color(rgb));
            g.fill(path);
        }
        if (boundary != null) drawBoundaries(g, p, v, boundary, 0.5f);
    }

    /**
     * Scanline fill. For pixel row i the centre line y = y(i + 0.5) meets a convex polygon in one span
     * [xl, xr]; pixel j is painted when its centre x(j + 0.5) lies in [xl, xr). Because neighbouring regions
     * share their edges exactly, each pixel centre is claimed by one region (ties on an edge go to the right).
     */
    private static void fill(BufferedImage image, Shapes p, Viewport v, IntUnaryOperator colour, IntFunction<AffineMap> mapOf,
                             int output, double lo, double hi) {
        fill(image, p, v, colour, mapOf, output, lo, hi, 0, v.width(), p.count() >= PARALLEL_REGIONS);
    }

    /** {@link #fill} in pixel columns [c0, c1) (the others left as they are), in row bands on all cores when {@code parallel}. */
    private static void fill(BufferedImage image, Shapes p, Viewport v, IntUnaryOperator colour, IntFunction<AffineMap> mapOf,
                             int output, double lo, double hi, int c0, int c1, boolean parallel) {
        int w = v.width(), h = v.height();
        int cFrom = Math.max(0, c0), cTo = Math.min(w, c1);
        if (cFrom >= cTo) return;
        int[][] rows = new int[h][];
        for (int i = 0; i < h; i++) rows[i] = new int[w];
        // each band visits every region in the same order and fills only its own rows: the same pixels as one pass
        RowBands.draw(h, parallel, (from, to) -> {
            for (int r = 0, count = p.count(); r < count; r++) {
                int n = p.vertexCount(r);
                double minPy = Double.POSITIVE_INFINITY, maxPy = Double.NEGATIVE_INFINITY;
                double minPx = Double.POSITIVE_INFINITY, maxPx = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    double py = v.py(p.y(r, k)), px = v.px(p.x(r, k));
                    minPy = Math.min(minPy, py);
                    maxPy = Math.max(maxPy, py);
                    minPx = Math.min(minPx, px);
                    maxPx = Math.max(maxPx, px);
                }
                int i0 = Math.max(from, (int) Math.ceil(minPy - 0.5));
                int i1 = Math.min(to - 1, (int) Math.ceil(maxPy - 0.5) - 1);
                if (i0 > i1) continue; // no pixel centre of this band in the region (most regions of a late frame)
                if (maxPx < cFrom - 1 || minPx > cTo + 1) continue; // none of the columns (a margin for rounding)
                int fixed = colour != null ? colour.applyAsInt(r) : 0;
                AffineMap m = null; // made when a pixel takes it (an outline's maps are made on demand)
                for (int i = i0; i <= i1; i++) {
                    double yc = v.y(i + 0.5);
                    double xl = Double.POSITIVE_INFINITY, xr = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) {
                        int k2 = (k + 1) % n;
                        double ya = p.y(r, k), yb = p.y(r, k2);
                        if ((ya <= yc && yb >= yc) || (yb <= yc && ya >= yc)) {
                            double xa = p.x(r, k), xb = p.x(r, k2);
                            double x = ya == yb ? Math.min(xa, xb) : xa + (yc - ya) / (yb - ya) * (xb - xa);
                            double x2 = ya == yb ? Math.max(xa, xb) : x;
                            xl = Math.min(xl, x);
                            xr = Math.max(xr, x2);
                        }
                    }
                    if (!(xr > xl)) continue;
                    double pl = v.px(xl), pr = v.px(xr);
                    int j0 = Math.max(cFrom, (int) Math.ceil(Math.min(pl, pr) - 0.5));
                    int j1 = Math.min(cTo - 1, (int) Math.ceil(Math.max(pl, pr) - 0.5) - 1);
                    int[] out = rows[i];
                    if (colour == null && m == null && j0 <= j1) m = mapOf.apply(r);
                    for (int j = j0; j <= j1; j++) {
                        if (colour != null) {
                            out[j] = fixed;
                        } else {
                            double x = v.x(j + 0.5);
                            double val = m.offset(output) + m.coefficient(output, 0) * x + m.coefficient(output, 1) * yc;
                            out[j] = RegionColours.greyRgb(val, lo, hi);
                        }
                    }
                }
            }
        });
        for (int i = 0; i < h; i++) image.setRGB(cFrom, i, cTo - cFrom, 1, rows[i], cFrom, w);
    }
}
