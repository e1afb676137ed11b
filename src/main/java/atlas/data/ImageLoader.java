package atlas.data;

import atlas.error.BadInputException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads PNG, JPEG and GIF files (anything {@link ImageIO} reads) as {@link TargetImage}s. Grey value =
 * luma {@code (0.299 R + 0.587 G + 0.114 B) / 255}. For classification every distinct RGB colour is a class,
 * classes numbered in increasing RGB order (so the numbering does not depend on the pixel order); at most
 * {@link #MAX_CLASSES} colours are accepted (a JPEG's compression noise makes many colours: use PNG or GIF
 * for class images). Transparent pixels count as white.
 */
public final class ImageLoader {
    private ImageLoader() {}

    /** The most distinct colours a classification image may have. */
    public static final int MAX_CLASSES = 16;

    /** The largest accepted image side, in pixels. */
    public static final int MAX_SIDE = 8192;

    /**
     * Reads {@code file}.
     *
     * @param classify true: colours become classes; false: grey values
     * @throws IllegalArgumentException with a one-line message when the file is missing, unreadable, not an
     *                                  image, too large, or has too many colours to classify
     */
    public static TargetImage load(Path file, boolean classify) {
        if (Files.isDirectory(file)) throw new BadInputException("image file " + file + " is a folder, not a file");
        if (!Files.isRegularFile(file)) throw new BadInputException("image file " + file + " does not exist");
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot read image " + file + ": " + e.getMessage());
        }
        if (img == null) throw new BadInputException("cannot read image " + file + ": not a PNG, JPEG or GIF file");
        return fromImage(file.getFileName().toString(), img, classify);
    }

    /** Converts a picture; see the class comment. */
    public static TargetImage fromImage(String name, BufferedImage img, boolean classify) {
        int w = img.getWidth(), h = img.getHeight();
        if (w > MAX_SIDE || h > MAX_SIDE) throw new BadInputException("image " + name + " is " + w + "x" + h + ", larger than " + MAX_SIDE + " pixels on a side");
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        double[] grey = new double[w * h];
        for (int p = 0; p < rgb.length; p++) {
            int a = rgb[p] >>> 24;
            int c = a == 0 ? 0xFFFFFF : rgb[p] & 0xFFFFFF;
            rgb[p] = c;
            grey[p] = (0.299 * ((c >> 16) & 255) + 0.587 * ((c >> 8) & 255) + 0.114 * (c & 255)) / 255.0;
        }
        if (!classify) return new TargetImage(name, w, h, grey, null, 0, null);
        int[] distinct = Arrays.stream(rgb).distinct().limit(MAX_CLASSES + 1).toArray();
        if (distinct.length > MAX_CLASSES)
            throw new BadInputException("image " + name + " has more than " + MAX_CLASSES
                    + " distinct colours; a class image needs one flat colour per class (use PNG or GIF, not JPEG)");
        if (distinct.length < 2) throw new BadInputException("image " + name + " has a single colour; a class image needs at least 2");
        Arrays.sort(distinct);
        int[] labels = new int[rgb.length];
        for (int p = 0; p < rgb.length; p++) labels[p] = Arrays.binarySearch(distinct, rgb[p]);
        return new TargetImage(name, w, h, grey, labels, distinct.length, distinct);
    }
}
