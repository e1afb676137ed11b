package atlas.data.mnist;

import atlas.error.BadInputException;

import java.util.Random;

/**
 * A small, seeded, learnable stand-in for MNIST (for tests and quick demos; no files, no network): each class
 * has a prototype image made of a few bright Gaussian blobs at class-specific random places; a sample is its
 * class's prototype, shifted by up to one pixel, scaled in brightness and with pixel noise, rounded to 0..255.
 * Same seed, same bytes.
 */
public final class SyntheticImages {
    private SyntheticImages() {}

    /** A training and a test part of {@code side x side} images in {@code classes} classes. */
    public static MnistData generate(long seed, int trainCount, int testCount, int side, int classes) {
        if (side < 4) throw new BadInputException("synthetic images need a side of at least 4 pixels");
        Random r = new Random(seed);
        double[][] proto = new double[classes][side * side];
        for (int c = 0; c < classes; c++) {
            for (int b = 0; b < 3; b++) {
                double cx = 1 + r.nextDouble() * (side - 2), cy = 1 + r.nextDouble() * (side - 2);
                double sigma = side * (0.06 + 0.06 * r.nextDouble());
                for (int y = 0; y < side; y++)
                    for (int x = 0; x < side; x++) {
                        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                        proto[c][y * side + x] += Math.exp(-d2 / (2 * sigma * sigma));
                    }
            }
        }
        DatasetSpec spec = new DatasetSpec("synthetic", "synthetic images", trainCount, testCount, side, side, classes);
        return new MnistData(spec, sample(r, proto, trainCount, side, classes, "synthetic/train"),
                sample(r, proto, testCount, side, classes, "synthetic/test"));
    }

    private static ImageDataset sample(Random r, double[][] proto, int n, int side, int classes, String name) {
        byte[] px = new byte[n * side * side];
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            lb[i] = (byte) c;
            int dx = r.nextInt(3) - 1, dy = r.nextInt(3) - 1;
            double gain = 180 + 75 * r.nextDouble();
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) {
                    int sx = Math.min(side - 1, Math.max(0, x - dx)), sy = Math.min(side - 1, Math.max(0, y - dy));
                    double v = gain * Math.min(1, proto[c][sy * side + sx]) + 12 * r.nextGaussian();
                    px[i * side * side + y * side + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
        }
        return new ImageDataset(name, side, side, px, lb, classes);
    }
}
