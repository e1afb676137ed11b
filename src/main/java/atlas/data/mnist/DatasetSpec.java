package atlas.data.mnist;

import atlas.error.BadInputException;

import java.util.List;

/**
 * What a data set in the MNIST file layout must look like: its name, folder name in the cache, the number of
 * training and test images, the image size and the number of classes. Installing and loading check the files
 * against it.
 *
 * @param id          the name used on the command line and as the cache folder ("mnist")
 * @param title       a human name ("MNIST")
 * @param trainCount  images in the training files
 * @param testCount   images in the test (t10k) files
 * @param rows        image height
 * @param cols        image width
 * @param classes     number of labels
 */
public record DatasetSpec(String id, String title, int trainCount, int testCount, int rows, int cols, int classes) {

    public DatasetSpec {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) throw new BadInputException("bad data set id: " + id);
        if (trainCount <= 0 || testCount <= 0 || rows <= 0 || cols <= 0 || classes < 2)
            throw new BadInputException("bad data set spec for " + id);
    }

    /** LeCun, Cortes and Burges' handwritten digits: 60,000 + 10,000 images of 28x28, 10 classes. */
    public static final DatasetSpec MNIST = new DatasetSpec("mnist", "MNIST", 60_000, 10_000, 28, 28, 10);

    /** Zalando's Fashion-MNIST: the same layout as MNIST, clothing instead of digits. */
    public static final DatasetSpec FASHION_MNIST = new DatasetSpec("fashion-mnist", "Fashion-MNIST", 60_000, 10_000, 28, 28, 10);

    /** The data sets known by name. */
    public static List<DatasetSpec> known() { return List.of(MNIST, FASHION_MNIST); }

    /** The known data set with this id. */
    public static DatasetSpec byId(String id) {
        for (DatasetSpec s : known()) if (s.id.equals(id)) return s;
        throw new BadInputException("unknown data set '" + id + "' (known: mnist, fashion-mnist)");
    }
}
