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

    public static void writeSvg(PlanePartition p, Viewport v, Shading shading, Path file) {
        SVGGraphics2D svg = new SVGGraphics2D(v.width(), v.height());
        double[] range = RegionRenderer.outputRange(p, 0);
        RegionRenderer.paintVector(svg, p, v, shading == Shading.OUTPUT ? 0 : -1, range[0], range[1],
                shading == Shading.OUTPUT ? new Color(220, 20, 20) : new Color(30, 30, 30));
        ImageFiles.writeSvg(svg, file);
    }
}
