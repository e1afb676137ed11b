package atlas.data;

/**
 * Labelled or targeted points as the trainer reads them, one point at a time, whatever their storage:
 * {@link Dataset} holds doubles, {@link atlas.data.mnist.ImageDataset} holds 8-bit pixels (read as
 * pixel / 255). One interface lets one training engine ({@code atlas.train.FlatModel}) read both without
 * widening 60000 MNIST images to 376 MB of doubles.
 */
public interface Examples {
    /** The number of points. */
    int size();

    /** Values per point. */
    int inputDim();

    /**
     * Point {@code i}'s inputs.
     *
     * @param row at least {@link #inputDim()} values. Modified.
     */
    void inputs(int i, double[] row);

    /**
     * Point {@code i}'s nonzero inputs, in increasing index order (a sparse first layer skips the rest).
     *
     * @param idx at least {@link #inputDim()} values: the indices. Modified.
     * @param val at least {@link #inputDim()} values: the inputs at those indices. Modified.
     * @return how many inputs are nonzero
     */
    int nonZeroInputs(int i, int[] idx, double[] val);

    /** True for class labels, false for regression targets. */
    boolean isClassification();

    /** The number of classes (0 for regression). */
    int classes();

    /** Point {@code i}'s class (classification only). */
    int label(int i);

    /** Values per regression target (0 for classification). */
    int targetDim();

    /** Value {@code o} of point {@code i}'s regression target (regression only). */
    double target(int i, int o);

    /** The number of network outputs these points need. */
    default int outputDim() { return isClassification() ? classes() : targetDim(); }
}
