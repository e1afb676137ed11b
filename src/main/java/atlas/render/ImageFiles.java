package atlas.render;

import atlas.io.AtomicFiles;
import org.jfree.svg.SVGGraphics2D;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes pictures atomically (temporary file, then move). */
public final class ImageFiles {
    private ImageFiles() {}

    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available");
        });
    }

    public static void writeSvg(SVGGraphics2D svg, Path file) {
        String doc = svg.getSVGDocument();
        AtomicFiles.write(file, out -> out.write(doc.getBytes(StandardCharsets.UTF_8)));
    }
}
