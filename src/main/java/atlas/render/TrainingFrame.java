package atlas.render;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.regions.PlaneOutline;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The three-panel frame of the training movie (the layout of the original ring experiments): left, the
 * network's output with the exact region boundaries drawn in red; middle, the output alone; right, the target
 * image with the training points in red and the validation points in blue. A header band carries text lines
 * (epoch, losses, shape, seed, points, optimiser); each panel has a title. All panels show the unit square [0,1]^2
 * with y up, like every other picture of the tool ({@code atlas regions --png} of a snapshot model looks the same).
 * Image data has pixel (i, j) at x = j/W, y = i/H, so the target panel shows the image with its first row at the
 * bottom: where a point is drawn does not depend on the panel.
 */
public final class TrainingFrame {
    private TrainingFrame() {}

    /** Height of the header band in pixels. */
    public static final int HEADER = 66;
    /** Gap between panels in pixels. */
    public static final int GAP = 6;

    /**
     * What one frame shows.
     *
     * @param partition   the exact partition of the unit square (boundaries, and the output shading unless {@code output} is
     *                    given), or null when {@code outline} is given
     * @param outline     the partition's outline ({@link atlas.regions.TiledPlanePartitioner#outline}: the boundaries and
     *                    the count alone, no region records to build), or null to draw the boundaries of {@code partition};
     *                    the same pixels either way
     * @param output      a ready output picture (e.g. class colours of a classifier) drawn y up (row 0 is y = 1), or
     *                    null to shade output 0 of the partition's affine maps from {@code lo} (black) to {@code hi} (white)
     * @param lo          the output value drawn black
     * @param hi          the output value drawn white
     * @param target      the target image in image orientation (row 0 is y = 0; drawn flipped, so y is up)
     * @param trainXY     training points as x,y pairs in [0,1); copied by reference, not modified
     * @param validXY     validation points as x,y pairs in [0,1)
     * @param lines       header text lines (at most two are drawn)
     * @param panelSize   side of each square panel in pixels
     */
    public record Content(PlanePartition partition, PlaneOutline outline, BufferedImage output, double lo, double hi, BufferedImage target,
                          double[] trainXY, double[] validXY, List<String> lines, int panelSize) {
        public Content {
            if (panelSize < 16 || panelSize > 4096) throw new BadInputException("panel size " + panelSize + " must be between 16 and 4096");
            if (partition == null && outline == null) throw new IllegalArgumentException("a frame needs a partition or its outline");
            // shading the output reads the regions' affine maps, which an outline does not have
            if (partition == null && output == null) throw new IllegalArgumentException("a frame without an output picture needs the partition's maps");
            lines = List.copyOf(lines);
        }

        /** A frame of a partition's records: its boundaries, and its output shading unless {@code output} is given. */
        public Content(PlanePartition partition, BufferedImage output, double lo, double hi, BufferedImage target,
                       double[] trainXY, double[] validXY, List<String> lines, int panelSize) {
            this(partition, null, output, lo, hi, target, trainXY, validXY, lines, panelSize);
        }

        /** A frame of a partition's outline with a ready output picture (a classifier's class colours). */
        public static Content ofOutline(PlaneOutline outline, BufferedImage output, BufferedImage target,
                                        double[] trainXY, double[] validXY, List<String> lines, int panelSize) {
            return new Content(null, outline, output, 0, 1, target, trainXY, validXY, lines, panelSize);
        }

        /** The number of regions. */
        public int count() { return outline != null ? outline.count() : partition.count(); }
    }

    /** The frame's width for a panel size. */
    public static int width(int panelSize) { return 3 * panelSize + 4 * GAP; }

    /** The frame's height for a panel size. */
    public static int height(int panelSize) { return panelSize + HEADER + GAP; }

    /** Draws the frame. */
    public static BufferedImage render(Content c) {
        int p = c.panelSize();
        BufferedImage out = c.output();
        Viewport v = new Viewport(Rectangle.UNIT, p, p, false);
        if (out == null) {
            out = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
            RegionRenderer.paintOutput(out, c.partition(), v, 0, c.lo(), c.hi());
        }
        BufferedImage frame = begin(out, p);
        // left: output + boundaries (straight into the frame's pixels: a late frame has a million edges)
        Color colour = boundaryColour(c.count(), p);
        if (c.outline() != null) RegionRenderer.drawBoundaries(frame, GAP, HEADER, c.outline(), v, colour);
        else RegionRenderer.drawBoundaries(frame, GAP, HEADER, c.partition(), v, colour);
        end(frame, out, c.target(), c.trainXY(), c.validXY(), c.lines(), p);
        return frame;
    }

    /** A frame drawn while its partition was computed, and the partition's region count. */
    public record Drawn(BufferedImage image, int regions) { }

    /**
     * The frame of a classifier's snapshot ({@code output} its class panel), drawn while the partition of the unit square
     * is computed ({@link TiledPlanePartitioner#outline} with a {@link atlas.regions.StripOutlineListener}): the output
     * panels first, then each strip's own boundaries as soon as the strip is cut (the other strip is still being cut on
     * the other core), the rest of the boundaries, the target panel and the text when the outline is complete. The
     * same pixels as {@link #render} of a {@link Content} of the same network's partition.
     *
     * @param lines the header lines for the region count
     */
    public static Drawn renderClassifier(Network net, BufferedImage output, BufferedImage target, double[] trainXY, double[] validXY,
                                         IntFunction<List<String>> lines, int panelSize) {
        return renderWhileCut(net, output, false, 0, 1, target, trainXY, validXY, lines, panelSize);
    }

    /**
     * The frame of a grey-value image's snapshot (output 0 shaded from {@code lo}, black, to {@code hi}, white), drawn from
     * the partition's outline with maps on demand ({@link TiledPlanePartitioner#outlineWithMaps}): no region records are
     * built, only the regions holding a pixel centre make their maps, and as in {@link #renderClassifier} each strip's own
     * columns are drawn (shaded, then their boundaries) as soon as the strip is cut. The same pixels as {@link #render} of
     * a {@link Content} of the same network's partition without an output picture.
     *
     * @param lines the header lines for the region count
     */
    public static Drawn renderShaded(Network net, double lo, double hi, BufferedImage target, double[] trainXY, double[] validXY,
                                     IntFunction<List<String>> lines, int panelSize) {
        return renderWhileCut(net, null, true, lo, hi, target, trainXY, validXY, lines, panelSize);
    }

    /**
     * {@link #renderClassifier} with a ready {@code output}, or {@link #renderShaded} ({@code shade}: the output panel
     * shaded span by span from the outline's maps, each span just before its boundaries are drawn over it).
     */
    private static Drawn renderWhileCut(Network net, BufferedImage output, boolean shade, double lo, double hi, BufferedImage target,
                                        double[] trainXY, double[] validXY, IntFunction<List<String>> lines, int panelSize) {
        int p = panelSize;
        if (p < 16 || p > 4096) throw new BadInputException("panel size " + p + " must be between 16 and 4096");
        BufferedImage out = shade ? new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB) : output;
        BufferedImage frame = shade ? blank(p) : begin(out, p);
        Viewport v = new Viewport(Rectangle.UNIT, p, p, false);
        RegionRenderer.Boundaries boundaries = new RegionRenderer.Boundaries(frame, GAP, HEADER, v, count -> boundaryColour(count, p));
        if (shade) boundaries.under((source, from, to, parallel) -> {
            // the output in these columns, then into the left panel under the boundaries about to be drawn there
            RegionRenderer.paintOutput(out, source, v, 0, lo, hi, from, to, parallel);
            int[] row = new int[to - from];
            for (int i = 0; i < p; i++) {
                out.getRGB(from, i, to - from, 1, row, 0, to - from);
                frame.setRGB(GAP + from, HEADER + i, to - from, 1, row, 0, to - from);
            }
        });
        PlaneOutline outline = shade ? TiledPlanePartitioner.outlineWithMaps(net, PlaneSlice.inputPlane(), Rectangle.UNIT, boundaries)
                : TiledPlanePartitioner.outline(net, PlaneSlice.inputPlane(), Rectangle.UNIT, boundaries);
        boundaries.finish(outline);
        end(frame, out, target, trainXY, validXY, List.copyOf(lines.apply(outline.count())), p);
        return new Drawn(frame, outline.count());
    }

    /** A new frame: white, the output in the left panel (the boundaries go over it). */
    private static BufferedImage begin(BufferedImage out, int p) {
        BufferedImage frame = blank(p);
        Graphics2D g = frame.createGraphics();
        try {
            g.drawImage(out, GAP, HEADER, p, p, null);
        } finally {
            g.dispose();
        }
        return frame;
    }

    /** A new frame, white (a shaded frame's left panel is painted span by span). */
    private static BufferedImage blank(int p) {
        BufferedImage frame = new BufferedImage(width(p), height(p), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, frame.getWidth(), frame.getHeight());
        } finally {
            g.dispose();
        }
        return frame;
    }

    /** The rest of the frame after the boundaries (none of it on the left panel's pixels): middle and right panels, text. */
    private static void end(BufferedImage frame, BufferedImage out, BufferedImage target, double[] trainXY, double[] validXY,
                            List<String> lines, int p) {
        Graphics2D g = frame.createGraphics();
        try {
            int x0 = GAP, x1 = 2 * GAP + p, x2 = 3 * GAP + 2 * p, y0 = HEADER;
            // middle: output
            g.drawImage(out, x1, y0, p, p, null);
            // right: target + points
            Graphics2D gr = (Graphics2D) g.create(x2, y0, p, p);
            gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            // destination corners (0, p) and (p, 0): the image's first row (y = 0) lands at the bottom
            gr.drawImage(target, 0, p, p, 0, 0, 0, target.getWidth(), target.getHeight(), null);
            dots(gr, trainXY, p, new Color(230, 20, 20));
            dots(gr, validXY, p, new Color(30, 60, 230));
            gr.dispose();
            g.setColor(Color.GRAY);
            g.drawRect(x0 - 1, y0 - 1, p + 1, p + 1);
            g.drawRect(x1 - 1, y0 - 1, p + 1, p + 1);
            g.drawRect(x2 - 1, y0 - 1, p + 1, p + 1);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
            int ty = 18;
            for (int k = 0; k < Math.min(2, lines.size()); k++, ty += 19) g.drawString(lines.get(k), GAP + 2, ty);
            // panel titles; every panel shows [0,1]^2 with y up
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.min(14, p / 30))));
            String[] titles = {"output + exact region boundaries", "network output on [0,1]^2, y up", "target: train red, validation blue"};
            int[] xs = {x0, x1, x2};
            for (int k = 0; k < 3; k++) {
                String t = titles[k];
                var fm = g.getFontMetrics();
                while (fm.stringWidth(t) > p && t.length() > 6) t = t.substring(0, t.length() - 4) + "...";
                g.drawString(t, xs[k] + Math.max(0, (p - fm.stringWidth(t)) / 2), y0 - 6);
            }
        } finally {
            g.dispose();
        }
    }

    /**
     * Red, opaque while the regions are few for the panel; more transparent as they crowd (more than one region per
     * 64 pixels), so dense bundles of boundaries read as darker red instead of a uniform red fill.
     */
    static Color boundaryColour(int regions, int panelSize) {
        double perPixel = regions / ((double) panelSize * panelSize);
        int alpha = perPixel <= 1.0 / 64 ? 255 : (int) Math.max(60, Math.round(255 / Math.sqrt(perPixel * 64)));
        return new Color(230, 20, 20, alpha);
    }

    private static void dots(Graphics2D g, double[] xy, int p, Color colour) {
        if (xy == null) return;
        g.setColor(colour);
        int s = p >= 600 ? 3 : 2;
        for (int k = 0; k + 1 < xy.length; k += 2) {
            int px = (int) Math.floor(xy[k] * p), py = Math.min(p - 1, (int) Math.floor((1 - xy[k + 1]) * p));
            g.fillRect(px, py, s, s);
        }
    }

    /** {@code src} scaled (bilinear) to a {@code p x p} panel. */
    public static BufferedImage scaledPanel(BufferedImage src, int p) {
        BufferedImage panel = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
        var g = panel.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, p, p, null);
        g.dispose();
        return panel;
    }

    /**
     * A classifier's output panel: pixel k (row-major, {@code p x p}) in the colour of the largest of its
     * {@code classes} outputs {@code out[k*classes ..]} (ties: the first).
     */
    public static BufferedImage classPanel(double[] out, int p, int classes, java.util.function.IntUnaryOperator colourOf) {
        BufferedImage img = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < p * p; k++) {
            int best = 0;
            for (int o = 1; o < classes; o++) if (out[k * classes + o] > out[k * classes + best]) best = o;
            img.setRGB(k % p, k / p, colourOf.applyAsInt(best));
        }
        return img;
    }
}
