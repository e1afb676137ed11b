package atlas.data.mnist;

/** A data set's training and test parts. */
public record MnistData(DatasetSpec spec, ImageDataset train, ImageDataset test) {
    public MnistData {
        if (train.dim() != test.dim()) throw new IdxFormatException(spec.id() + ": training images are " + train.rows() + "x" + train.cols()
                + " but test images " + test.rows() + "x" + test.cols());
    }
}
