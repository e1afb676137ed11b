package atlas.data.mnist;

import atlas.error.BadInputException;

import java.util.Random;

/**
 * A labelled set of 8-bit grey images held as bytes ({@code count x rows x cols} pixels, 0..255, row-major,
 * image after image) with one label per image in {@code 0..classes-1}. Networks see an image as the vector of
 * its pixels divided by 255 ({@link #features}), the Hanin-Rolnick preprocessing.
 *
 * <p>The compact constructor checks the sizes and the labels; it does not copy the (large) arrays: callers hand
 * them over and must not modify them afterwards. Subsets and relabelled copies allocate new arrays.
 *
 * @param name    a short name for reports ("mnist/train")
 * @param rows    image height
 * @param cols    image width
 * @param pixels  count x rows x cols bytes (unsigned). Not copied.
 * @param labels  count labels. Not copied.
 * @param classes number of classes (10 for MNIST)
 */
public record ImageDataset(String name, int rows, int cols, byte[] pixels, byte[] labels, int classes) implements atlas.data.Examples {

    public ImageDataset {
        if (rows <= 0 || cols <= 0) throw new BadInputException(name + ": image size " + rows + "x" + cols + " is not positive");
        if (classes < 2 || classes > 256) throw new BadInputException(name + ": " + classes + " classes (2..256 supported)");
        if ((long) labels.length * rows * cols != pixels.length)
            throw new IdxFormatException(name + ": " + labels.length + " labels but " + pixels.length / ((long) rows * cols)
                    + " images of " + rows + "x" + cols + " (the image and label files do not match)");
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xff;
            if (l >= classes) throw new IdxFormatException(name + ": label " + i + " is " + l + ", outside 0.." + (classes - 1));
        }
    }

    /** Reads an image file and a label file into one data set with {@code classes} classes. */
    public static ImageDataset read(String name, java.nio.file.Path images, java.nio.file.Path labels, int classes) {
        Idx.Images im = Idx.readImages(images);
        byte[] lb = Idx.readLabels(labels);
        if (im.count() != lb.length)
            throw new IdxFormatException(images.getFileName() + " holds " + im.count() + " images but " + labels.getFileName()
                    + " holds " + lb.length + " labels");
        return new ImageDataset(name, im.rows(), im.cols(), im.pixels(), lb, classes);
    }

    /** The pixel array itself (large: not copied). Do not modify. */
    @Override
    public byte[] pixels() { return pixels; }

    /** The label array itself (not copied). Do not modify. */
    @Override
    public byte[] labels() { return labels; }

    public int count() { return labels.length; }

    /** Pixels per image: the input dimension of a network. */
    public int dim() { return rows * cols; }

    @Override
    public int label(int i) { return labels[i] & 0xff; }

    @Override public int size() { return count(); }

    @Override public int inputDim() { return dim(); }

    @Override public boolean isClassification() { return true; }

    @Override public int targetDim() { return 0; }

    @Override
    public double target(int i, int o) { throw new IllegalArgumentException(name + " holds class labels, not regression targets"); }

    /** Image {@code i} as a network input, pixels / 255 (as {@link #features}). */
    @Override
    public void inputs(int i, double[] row) { features(i, row); }

    /** The nonzero pixels of image {@code i} (about 20% on MNIST), / 255 as in {@link #features}. */
    @Override
    public int nonZeroInputs(int i, int[] idx, double[] val) {
        int d = dim(), base = i * d, c = 0;
        for (int k = 0; k < d; k++) {
            int v = pixels[base + k] & 0xff;
            if (v == 0) continue;
            idx[c] = k;
            val[c++] = v / 255.0;
        }
        return c;
    }

    /** Pixel {@code k} of image {@code i}, 0..255. */
    public int pixel(int i, int k) { return pixels[i * dim() + k] & 0xff; }

    /**
     * Image {@code i} as a network input, pixels / 255.
     *
     * @param out length {@link #dim()}, or null to allocate. Modified.
     * @return out
     */
    public double[] features(int i, double[] out) {
        int d = dim();
        if (out == null) out = new double[d];
        int base = i * d;
        for (int k = 0; k < d; k++) out[k] = (pixels[base + k] & 0xff) / 255.0;
        return out;
    }

    /** Images {@code 0..n-1} (all when n exceeds the count). */
    public ImageDataset head(int n) {
        int m = Math.min(n, count());
        int[] idx = new int[m];
        for (int k = 0; k < m; k++) idx[k] = k;
        return subset(idx, name);
    }

    /** The images at the given indices, in that order. */
    public ImageDataset subset(int[] indices, String newName) {
        int d = dim();
        byte[] px = new byte[indices.length * d];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * d, px, k * d, d);
            lb[k] = labels[indices[k]];
        }
        return new ImageDataset(newName, rows, cols, px, lb, classes);
    }

    /**
     * A copy in which a fraction {@code noise} of the images (chosen by a seeded shuffle) get a label drawn
     * uniformly from the classes (Hanin-Rolnick's memorisation study). Pixels are shared, labels copied.
     */
    public ImageDataset withLabelNoise(double noise, long seed) {
        if (!(noise >= 0 && noise <= 1)) throw new BadInputException("label noise must be in [0, 1], got " + noise);
        Random r = new Random(seed);
        int[] perm = new int[count()];
        for (int k = 0; k < perm.length; k++) perm[k] = k;
        for (int k = perm.length - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            int t = perm[k]; perm[k] = perm[j]; perm[j] = t;
        }
        byte[] lb = labels.clone();
        int changed = (int) Math.round(noise * count());
        for (int k = 0; k < changed; k++) lb[perm[k]] = (byte) r.nextInt(classes);
        return new ImageDataset(name + "+noise" + noise, rows, cols, pixels, lb, classes);
    }

    /** Per-pixel mean and standard deviation of the features (pixels / 255): {mean[dim], std[dim]}. */
    public double[][] pixelMeanStd() {
        int d = dim(), n = count();
        double[] sum = new double[d], sq = new double[d];
        for (int i = 0; i < n; i++) {
            int base = i * d;
            for (int k = 0; k < d; k++) {
                double v = (pixels[base + k] & 0xff) / 255.0;
                sum[k] += v;
                sq[k] += v * v;
            }
        }
        double[] mean = new double[d], std = new double[d];
        for (int k = 0; k < d; k++) {
            mean[k] = n == 0 ? 0 : sum[k] / n;
            std[k] = n == 0 ? 0 : Math.sqrt(Math.max(0, sq[k] / n - mean[k] * mean[k]));
        }
        return new double[][]{mean, std};
    }

    /** How many images carry each label. */
    public int[] labelCounts() {
        int[] c = new int[classes];
        for (byte b : labels) c[b & 0xff]++;
        return c;
    }
}
