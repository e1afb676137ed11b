package atlas.render;

import atlas.io.AtomicFiles;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Animated GIF in pure Java ({@code javax.imageio} with the GIF metadata for the frame delay and the
 * NETSCAPE2.0 looping extension). Frames are mapped onto one fixed 256-colour palette (a 6 x 6 x 6 colour
 * cube plus 40 extra greys), which keeps grey shading smooth and pure reds and blues exact, and is fast
 * (no per-frame quantisation).
 */
public final class GifWriter {
    private GifWriter() {}

    private static final int[] GREY_INDEX = new int[256];
    private static final IndexColorModel PALETTE = palette();

    /**
     * Writes {@code count} frames, frame k from {@code frames.apply(k)} (called once each, in order, so frames
     * can be loaded lazily), atomically to {@code file}.
     *
     * @param delayMs display time of each frame (rounded to 10 ms, GIF's unit)
     * @param loop    true to loop forever
     */
    public static void write(Path file, int count, IntFunction<BufferedImage> frames, int delayMs, boolean loop) {
        if (count <= 0) throw new IllegalArgumentException("a GIF needs at least one frame");
        AtomicFiles.write(file, os -> {
            ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
                w.setOutput(ios);
                BufferedImage first = toIndexed(frames.apply(0));
                w.prepareWriteSequence(streamMetadata(w, first.getWidth(), first.getHeight()));
                for (int k = 0; k < count; k++) {
                    BufferedImage indexed = k == 0 ? first : toIndexed(frames.apply(k));
                    IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(indexed), null);
                    configure(meta, Math.max(1, Math.round(delayMs / 10f)), loop && k == 0);
                    w.writeToSequence(new IIOImage(indexed, null, meta), null);
                }
                w.endWriteSequence();
            } finally {
                w.dispose();
            }
        });
    }

    /** The shortest movie we write, so that a short run is still watchable (21 frames at 80 ms would flash by in 1.7 s). */
    public static final int MIN_MOVIE_MS = 5000;
    /** The longest frame delay {@link #watchableDelayMs} chooses (a movie of very few frames still moves). */
    public static final int MAX_FRAME_MS = 500;

    /**
     * The frame delay for {@code count} frames: {@code requestedMs}, lengthened so that the movie lasts at least
     * {@link #MIN_MOVIE_MS} (at most {@link #MAX_FRAME_MS} per frame). 21 frames: 240 ms each, about 4 fps, 5 s.
     */
    public static int watchableDelayMs(int count, int requestedMs) {
        int needed = (int) Math.ceil(MIN_MOVIE_MS / (double) Math.max(1, count) / 10.0) * 10;
        return Math.max(requestedMs, Math.min(MAX_FRAME_MS, needed));
    }

    /** Convenience: all frames given. */
    public static void write(Path file, List<BufferedImage> frames, int delayMs, boolean loop) {
        write(file, frames.size(), frames::get, delayMs, loop);
    }

    /**
     * Stream metadata with the fixed palette as the global colour table (without it the JDK writer puts a default
     * table there, and readers map the frames' indices through it).
     */
    private static IIOMetadata streamMetadata(ImageWriter w, int width, int height) throws IOException {
        IIOMetadata meta = w.getDefaultStreamMetadata(null);
        String fmt = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(fmt);
        IIOMetadataNode screen = child(root, "LogicalScreenDescriptor");
        screen.setAttribute("logicalScreenWidth", Integer.toString(width));
        screen.setAttribute("logicalScreenHeight", Integer.toString(height));
        screen.setAttribute("colorResolution", "8");
        screen.setAttribute("pixelAspectRatio", "0");
        IIOMetadataNode table = child(root, "GlobalColorTable");
        table.setAttribute("sizeOfGlobalColorTable", "256");
        table.setAttribute("backgroundColorIndex", "215");
        fillTable(table);
        meta.setFromTree(fmt, root);
        return meta;
    }

    /** Replaces the entries of a colour table node with the fixed palette. */
    private static void fillTable(IIOMetadataNode table) {
        while (table.getFirstChild() != null) table.removeChild(table.getFirstChild());
        table.setAttribute("sortFlag", "FALSE");
        for (int i = 0; i < 256; i++) {
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString(PALETTE.getRed(i)));
            e.setAttribute("green", Integer.toString(PALETTE.getGreen(i)));
            e.setAttribute("blue", Integer.toString(PALETTE.getBlue(i)));
            table.appendChild(e);
        }
    }

    private static void configure(IIOMetadata meta, int delayCs, boolean loopExtension) throws IOException {
        String fmt = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(fmt);
        IIOMetadataNode local = child(root, "LocalColorTable");
        local.setAttribute("sizeOfLocalColorTable", "256");
        fillTable(local);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (loopExtension) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[]{1, 0, 0}); // sub-block 1, loop count 0 = forever
            apps.appendChild(app);
        }
        meta.setFromTree(fmt, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int k = 0; k < root.getLength(); k++) {
            if (root.item(k).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(k);
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }

    /** Maps an RGB picture onto the fixed palette (greys to the nearest of 46 greys, colours to the cube). */
    static BufferedImage toIndexed(BufferedImage src) {
        int w = src.getWidth(), h = src.getHeight();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
        int[] row = new int[w];
        byte[] idx = new byte[w];
        var raster = dst.getRaster();
        for (int i = 0; i < h; i++) {
            src.getRGB(0, i, w, 1, row, 0, w);
            for (int j = 0; j < w; j++) idx[j] = (byte) index(row[j]);
            raster.setDataElements(0, i, w, 1, idx);
        }
        return dst;
    }

    static int index(int rgb) {
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        if (Math.abs(r - g) <= 6 && Math.abs(g - b) <= 6 && Math.abs(r - b) <= 6) {
            int grey = (r + g + b) / 3;
            return GREY_INDEX[grey];
        }
        return 36 * ((r * 5 + 127) / 255) + 6 * ((g * 5 + 127) / 255) + (b * 5 + 127) / 255;
    }

    private static IndexColorModel palette() {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        int[] greyLevel = new int[256];
        int k = 0;
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) for (int l = 0; l < 6; l++, k++) {
            r[k] = (byte) (i * 51); g[k] = (byte) (j * 51); b[k] = (byte) (l * 51);
            greyLevel[k] = (i == j && j == l) ? i * 51 : -1;
        }
        for (int e = 0; k < 256; k++, e++) {
            int v = (int) Math.round((e + 1) * 255.0 / 41); // 40 greys strictly between the cube's greys
            r[k] = g[k] = b[k] = (byte) v;
            greyLevel[k] = v;
        }
        for (int v = 0; v < 256; v++) {
            int best = 0, bestD = Integer.MAX_VALUE;
            for (int c = 0; c < 256; c++) {
                if (greyLevel[c] < 0) continue;
                int d = Math.abs(greyLevel[c] - v);
                if (d < bestD) { bestD = d; best = c; }
            }
            GREY_INDEX[v] = best;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
