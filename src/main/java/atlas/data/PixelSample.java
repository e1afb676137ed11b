package atlas.data;

import atlas.error.BadInputException;

import java.util.SplittableRandom;

/**
 * Disjoint training and validation pixels drawn from an image without replacement, reproducibly from a seed.
 *
 * @param train      pixel indices {@code i * width + j} of the training points; copied
 * @param validation pixel indices of the validation points, disjoint from {@code train}; copied
 * @param seed       the seed they were drawn with
 */
public record PixelSample(int[] train, int[] validation, long seed) {
    public PixelSample {
        train = train.clone();
        validation = validation.clone();
    }

    /** Training pixel indices, not copied: do not modify. */
    @Override public int[] train() { return train; }

    /** Validation pixel indices, not copied: do not modify. */
    @Override public int[] validation() { return validation; }

    /**
     * Draws {@code nTrain + nVal} distinct pixels of {@code image} (a partial Fisher-Yates shuffle driven by
     * {@code SplittableRandom(seed)}): the first {@code nTrain} are the training points, the rest validation.
     * Same image size, counts and seed: same pixels. Cost O(pixels) time and memory.
     *
     * @throws IllegalArgumentException when a count is negative, there are no training points, or the image has
     *                                  fewer pixels than asked for
     */
    public static PixelSample draw(TargetImage image, int nTrain, int nVal, long seed) {
        if (nTrain <= 0) throw new BadInputException("the number of training points must be positive, got " + nTrain);
        if (nVal < 0) throw new BadInputException("the number of validation points must not be negative, got " + nVal);
        int n = image.pixels();
        if ((long) nTrain + nVal > n)
            throw new BadInputException(nTrain + " + " + nVal + " points asked for, but the image has only " + n + " pixels");
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) perm[k] = k;
        SplittableRandom rnd = new SplittableRandom(seed);
        int total = nTrain + nVal;
        // invariant: perm[0..k) are the k pixels drawn so far, all distinct
        for (int k = 0; k < total; k++) {
            int r = k + rnd.nextInt(n - k);
            int t = perm[k]; perm[k] = perm[r]; perm[r] = t;
        }
        int[] train = java.util.Arrays.copyOfRange(perm, 0, nTrain);
        int[] val = java.util.Arrays.copyOfRange(perm, nTrain, total);
        return new PixelSample(train, val, seed);
    }

    /** The training points as a data set of {@code image}. */
    public Dataset trainingSet(TargetImage image) { return Dataset.ofPixels(image, train); }

    /** The validation points as a data set of {@code image}. */
    public Dataset validationSet(TargetImage image) { return Dataset.ofPixels(image, validation); }
}
