package atlas.data;

import atlas.error.BadInputException;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An image to learn: a grey value per pixel and, for classification, a class label per pixel.
 * Pixel {@code (i, j)} (row i, column j) is the input point {@code x = j / width, y = i / height} in
 * {@code [0,1)^2}; index {@code p = i * width + j}.
 *
 * @param name    a short name (built-in name or file name)
 * @param width   columns, at least 1
 * @param height  rows, at least 1
 * @param grey    grey value per pixel in [0, 1] (0 black, 1 white), row-major; copied
 * @param labels  class per pixel in {@code 0..classes-1}, row-major, or null for a grey-value (regression) image; copied
 * @param classes number of classes (0 for a grey-value image)
 * @param palette the RGB colour of each class (length {@code classes}), or null; copied
 */
public record TargetImage(String name, int width, int height, double[] grey, int[] labels, int classes, int[] palette) {
    public TargetImage {
        if (width <= 0 || height <= 0) throw new BadInputException("image size " + width + "x" + height + " must be positive");
        if (grey.length != width * height) throw new BadInputException("grey has " + grey.length + " values, expected " + width * height);
        grey = grey.clone();
        if (labels != null) {
            if (labels.length != width * height) throw new BadInputException("labels has " + labels.length + " values, expected " + width * height);
            if (classes < 2) throw new BadInputException("a classification image needs at least 2 classes, got " + classes);
            for (int l : labels) if (l < 0 || l >= classes) throw new BadInputException("label " + l + " outside 0.." + (classes - 1));
            labels = labels.clone();
            if (palette != null && palette.length != classes) throw new BadInputException("palette has " + palette.length + " colours, expected " + classes);
            palette = palette == null ? null : palette.clone();
        } else {
            if (classes != 0) throw new BadInputException("a grey-value image has 0 classes, got " + classes);
            palette = null;
        }
    }

    /** Grey values, not copied: do not modify. */
    @Override public double[] grey() { return grey; }

    /** Labels, not copied (null for a grey-value image): do not modify. */
    @Override public int[] labels() { return labels; }

    /** A copy of the palette, or null. */
    @Override public int[] palette() { return palette == null ? null : palette.clone(); }

    /** True when the image has class labels (softmax cross-entropy), false for grey values (MSE). */
    public boolean isClassification() { return labels != null; }

    /** The number of network outputs the image asks for: 1 grey value, or one logit per class. */
    public int outputDim() { return isClassification() ? classes : 1; }

    public int pixels() { return width * height; }

    /** The input point of pixel {@code p}: {@code x = j / width}. */
    public double x(int p) { return (double) (p % width) / width; }

    /** The input point of pixel {@code p}: {@code y = i / height}. */
    public double y(int p) { return (double) (p / width) / height; }

    /** The RGB colour of class {@code c}: the palette's or an evenly spaced grey. */
    public int classColour(int c) {
        if (palette != null) return palette[c];
        int g = (int) Math.round(255.0 * c / (classes - 1));
        return (g << 16) | (g << 8) | g;
    }

    /** The image as an RGB picture (class colours for a classification image, grey values otherwise). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                int p = i * width + j;
                if (labels != null) row[j] = classColour(labels[p]);
                else {
                    int g = (int) Math.round(255 * Math.min(1, Math.max(0, grey[p])));
                    row[j] = (g << 16) | (g << 8) | g;
                }
            }
            img.setRGB(0, i, width, 1, row, 0, width);
        }
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetImage t && t.width == width && t.height == height && t.classes == classes
                && Arrays.equals(t.grey, grey) && Arrays.equals(t.labels, labels);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(grey) + Arrays.hashCode(labels); }

    @Override
    public String toString() {
        return name + " (" + width + "x" + height + (labels != null ? ", " + classes + " classes" : ", grey") + ")";
    }
}
