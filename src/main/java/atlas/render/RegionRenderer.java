package atlas.render;

import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.function.ToIntFunction;

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
        fill(image, p, v, (LinearRegion r) -> RegionColours.patternRgb(r.pattern()), 0, 0, 0);
    }

    /** Convenience for a Graphics2D target: paints into a fresh image, then draws it. */
    public static void paintPatternColours(Graphics2D g, PlanePartition p, Viewport v) {
        BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
        paintPatternColours(img, p, v);
        g.drawImage(img, 0, 0, null);
    }

    /** Shades each pixel by output {@code output} of the network (from its region's affine map), lo = black, hi = white. */
    public static void paintOutput(BufferedImage image, PlanePartition p, Viewport v, int output, double lo, double hi) {
        fill(image, p, v, null, output, lo, hi);
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
    private static void fill(BufferedImage image, PlanePartition p, Viewport v, ToIntFunction<LinearRegion> colour,
                             int output, double lo, double hi) {
        int w = v.width(), h = v.height();
        int[] row = new int[w];
        int[][] rows = new int[h][];
        for (int i = 0; i < h; i++) rows[i] = new int[w];
        for (LinearRegion r : p.regions()) {
            int n = r.vertexCount();
            double minPy = Double.POSITIVE_INFINITY, maxPy = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                double py = v.py(r.y(k));
                minPy = Math.min(minPy, py);
                maxPy = Math.max(maxPy, py);
            }
            int i0 = Math.max(0, (int) Math.ceil(minPy - 0.5));
            int i1 = Math.min(h - 1, (int) Math.ceil(maxPy - 0.5) - 1);
            int fixed = colour != null ? colour.applyAsInt(r) : 0;
            AffineMap m = r.map();
            for (int i = i0; i <= i1; i++) {
                double yc = v.y(i + 0.5);
                double xl = Double.POSITIVE_INFINITY, xr = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    int k2 = (k + 1) % n;
                    double ya = r.y(k), yb = r.y(k2);
                    if ((ya <= yc && yb >= yc) || (yb <= yc && ya >= yc)) {
                        double xa = r.x(k), xb = r.x(k2);
                        double x = ya == yb ? Math.min(xa, xb) : xa + (yc - ya) / (yb - ya) * (xb - xa);
                        double x2 = ya == yb ? Math.max(xa, xb) : x;
                        xl = Math.min(xl, x);
                        xr = Math.max(xr, x2);
                    }
                }
                if (!(xr > xl)) continue;
                double pl = v.px(xl), pr = v.px(xr);
                int j0 = Math.max(0, (int) Math.ceil(Math.min(pl, pr) - 0.5));
                int j1 = Math.min(w - 1, (int) Math.ceil(Math.max(pl, pr) - 0.5) - 1);
                int[] out = rows[i];
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
        for (int i = 0; i < h; i++) {
            System.arraycopy(rows[i], 0, row, 0, w);
            image.setRGB(0, i, w, 1, row, 0, w);
        }
    }
}
