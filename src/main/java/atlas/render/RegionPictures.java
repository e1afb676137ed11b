package atlas.render;

import atlas.regions.PlanePartition;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** Whole pictures of a partition: PNG (exact scanline fill) and SVG (exact polygons). */
public final class RegionPictures {
    private RegionPictures() {}

    /** How regions are coloured. */
    public enum Shading {
        /** each region by a stable hash of its activation pattern */
        PATTERN,
        /** by output 0 of the network, black (min) to white (max), with boundaries in red */
        OUTPUT
    }

    public static BufferedImage png(PlanePartition p, Viewport v, Shading shading) {
        BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
        Color boundary;
        if (shading == Shading.PATTERN) {
            RegionRenderer.paintPatternColours(img, p, v);
            boundary = new Color(30, 30, 30);
        } else {
            double[] range = RegionRenderer.outputRange(p, 0);
            RegionRenderer.paintOutput(img, p, v, 0, range[0], range[1]);
            boundary = new Color(220, 20, 20);
        }
        Graphics2D g = img.createGraphics();
        RegionRenderer.drawBoundaries(g, p, v, boundary, Math.max(0.6f, v.width() / 1400f));
        g.dispose();
        return img;
    }

    public static void writePng(PlanePartition p, Viewport v, Shading shading, Path file) {
        ImageFiles.writePng(png(p, v, shading), file);
    }

    /** Width of the colour scale (OUTPUT shading) right of the picture, labels included. */
    static final int SCALE = 92;

    /**
     * The picture of {@link #png} (y up) framed by axes with ticks and labels, a title, and for OUTPUT shading a
     * grey scale with the output's range; the picture keeps {@code v}'s size inside the margins.
     */
    public static BufferedImage plot(PlanePartition p, Viewport v, Shading shading, String title) {
        if (v.yDown()) throw new IllegalArgumentException("plots have y up");
        BufferedImage inner = png(p, v, shading);
        int extra = shading == Shading.OUTPUT ? SCALE : 0;
        BufferedImage img = new BufferedImage(v.width() + Axes.LEFT + Axes.RIGHT + extra, v.height() + Axes.TOP + Axes.BOTTOM, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(inner, Axes.LEFT, Axes.TOP, null);
            boolean input = p.slice().description().equals("input plane");
            Axes.draw(g, v, input ? "x1 (input 1)" : "s (plane coordinate 1)", input ? "x2 (input 2)" : "t (plane coordinate 2)",
                    title + (shading == Shading.OUTPUT ? ", shaded by output 1" : ", coloured by activation pattern"));
            if (shading == Shading.OUTPUT) {
                double[] range = RegionRenderer.outputRange(p, 0);
                int x0 = Axes.LEFT + v.width() + 16, y0 = Axes.TOP, h = v.height();
                for (int k = 0; k < h; k++) {
                    double val = range[1] - (range[1] - range[0]) * (k + 0.5) / h;
                    g.setColor(new Color(RegionColours.greyRgb(val, range[0], range[1])));
                    g.drawLine(x0, y0 + k, x0 + 14, y0 + k);
                }
                g.setColor(Color.DARK_GRAY);
                g.drawRect(x0 - 1, y0 - 1, 16, h + 1);
                g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
                g.drawString(String.format(java.util.Locale.ROOT, "%.3g", range[1]), x0 + 19, y0 + 10);
                g.drawString(String.format(java.util.Locale.ROOT, "%.3g", range[0]), x0 + 19, y0 + h);
                g.drawString("output 1", x0 + 19, y0 + h / 2);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes {@link #plot}. */
    public static void writePng(PlanePartition p, Viewport v, Shading shading, String title, Path file) {
        ImageFiles.writePng(plot(p, v, shading, title), file);
    }

    public static void writeSvg(PlanePartition p, Viewport v, Shading shading, Path file) {
        SVGGraphics2D svg = new SVGGraphics2D(v.width(), v.height());
        double[] range = RegionRenderer.outputRange(p, 0);
        RegionRenderer.paintVector(svg, p, v, shading == Shading.OUTPUT ? 0 : -1, range[0], range[1],
                shading == Shading.OUTPUT ? new Color(220, 20, 20) : new Color(30, 30, 30));
        ImageFiles.writeSvg(svg, file);
    }
}
