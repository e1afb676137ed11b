package atlas.experiment;

import atlas.error.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of {@link HaninRolnickExperiment}. Defaults ({@link #defaults}) are scaled down so that the whole
 * run finishes in about ten minutes on two cores; every number can be raised to the published setups (see
 * docs/mnist.md).
 *
 * @param dataset        "mnist", "fashion-mnist" or "synthetic" (a small generated set, no files)
 * @param dataDir        the data cache (null: ~/.relu-atlas/data)
 * @param out            the report folder
 * @param architectures  hidden widths of each net, e.g. [20,20,20]
 * @param epochs         snapshot epochs, ascending, starting at 0 (fractions allowed)
 * @param trainLimit     training images used (the first ones; 0 = all)
 * @param testLimit      test images used for accuracy (0 = all)
 * @param lines          lines of each kind per snapshot (origin -> test image; test image -> test image)
 * @param planes         planes of each kind per snapshot (three training images; origin and two images)
 * @param distancePoints points of each kind per snapshot for the boundary distance (test, train, noise)
 * @param seed           seed of the initialisation, shuffles and probe choice
 * @param biasStd        standard deviation of the initial biases (Hanin-Rolnick: 1e-3, i.e. variance 1e-6)
 * @param batch          minibatch size
 * @param lr             Adam learning rate
 * @param threads        training threads
 * @param memorisation   the memorisation study's settings, or null to skip it
 * @param resume         reuse finished units found in {@code out}
 */
public record HaninRolnickConfig(String dataset, Path dataDir, Path out, List<int[]> architectures, double[] epochs,
                                 int trainLimit, int testLimit, int lines, int planes, int distancePoints, long seed,
                                 double biasStd, int batch, double lr, int threads, Memorisation memorisation, boolean resume) {

    /**
     * The memorisation study: a net trained with a fraction of random labels, regions counted on lines from the
     * origin to test images at several epochs.
     *
     * @param hidden      hidden widths (Hanin-Rolnick: 3x32)
     * @param noise       label-noise fractions
     * @param epochs      snapshot epochs
     * @param trainLimit  training images used
     * @param lines       lines per snapshot
     */
    public record Memorisation(int[] hidden, double[] noise, double[] epochs, int trainLimit, int lines) {
        public Memorisation {
            hidden = hidden.clone();
            noise = noise.clone();
            epochs = epochs.clone();
            for (double f : noise) if (!(f >= 0 && f <= 1)) throw new BadInputException("label noise must be in [0, 1], got " + f);
            checkEpochs(epochs);
            if (trainLimit <= 0 || lines <= 0) throw new BadInputException("memorisation needs positive --mem-train and --mem-lines");
        }

        @Override public int[] hidden() { return hidden.clone(); }
        @Override public double[] noise() { return noise.clone(); }
        @Override public double[] epochs() { return epochs.clone(); }

        /** Defaults: 3x32, noise 0, .2, ..., 1, the first 3000 images, epochs 0, 5, 10, 20, 50, 100, 50 lines. */
        public static Memorisation defaults() {
            return new Memorisation(new int[]{32, 32, 32}, new double[]{0, 0.2, 0.4, 0.6, 0.8, 1}, new double[]{0, 5, 10, 20, 50, 100}, 3000, 50);
        }

        /** The published setup: noise 0, .2, ..., 1, full training set, epochs to 200, 100 lines. */
        public static Memorisation full() {
            double[] e = {0, 1, 2, 5, 10, 20, 50, 100, 150, 200};
            return new Memorisation(new int[]{32, 32, 32}, new double[]{0, 0.2, 0.4, 0.6, 0.8, 1}, e, 60_000, 100);
        }
    }

    public HaninRolnickConfig {
        if (dataset == null || dataset.isBlank()) throw new BadInputException("no data set given");
        if (out == null) throw new BadInputException("no report folder given");
        architectures = List.copyOf(architectures.stream().map(int[]::clone).toList());
        if (architectures.isEmpty()) throw new BadInputException("give at least one architecture");
        for (int[] a : architectures) {
            if (a.length == 0) throw new BadInputException("an architecture needs at least one hidden layer");
            for (int w : a) if (w <= 0) throw new BadInputException("hidden widths must be positive");
        }
        epochs = epochs.clone();
        checkEpochs(epochs);
        if (trainLimit < 0 || testLimit < 0) throw new BadInputException("limits must be >= 0");
        if (lines < 0 || planes < 0 || distancePoints < 0) throw new BadInputException("probe counts must be >= 0");
        if (!(biasStd >= 0) || batch <= 0 || !(lr > 0) || threads <= 0) throw new BadInputException("bad training settings");
    }

    private static void checkEpochs(double[] e) {
        if (e.length == 0) throw new BadInputException("give at least one snapshot epoch");
        for (int k = 0; k < e.length; k++) {
            if (!(e[k] >= 0) || Double.isInfinite(e[k])) throw new BadInputException("snapshot epochs must be >= 0, got " + e[k]);
            if (k > 0 && !(e[k] > e[k - 1])) throw new BadInputException("snapshot epochs must increase");
        }
    }

    @Override public List<int[]> architectures() { return architectures.stream().map(int[]::clone).toList(); }
    @Override public double[] epochs() { return epochs.clone(); }

    /** Slack on the epoch limit so that a max computed as a sum of fractions still includes its last epoch. */
    private static final double EPOCH_SLACK = 1e-12;

    /** The published snapshot epochs: 0, 1/32, 1/16, 1/8, 1/4, 1/2, 1, 2, 4, 6, 8, 10, 15, 20, up to {@code max}. */
    public static double[] publishedEpochs(double max) {
        double[] all = {0, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1, 2, 4, 6, 8, 10, 15, 20};
        List<Double> l = new ArrayList<>();
        for (double e : all) if (e <= max + EPOCH_SLACK) l.add(e);
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The published architectures: 3x{20,40,60,80}, 4x{16,32,64}, 5x{25,50,75,100}. */
    public static List<int[]> publishedArchitectures() {
        return parseArchitectures("3x20,3x40,3x60,3x80,4x16,4x32,4x64,5x25,5x50,5x75,5x100");
    }

    /** "3x20,4x32" or "20-30-20" lists; depth x width or explicit widths separated by '-'. */
    public static List<int[]> parseArchitectures(String s) {
        List<int[]> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            try {
                if (p.contains("x")) {
                    String[] dw = p.split("x");
                    if (dw.length != 2) throw new NumberFormatException();
                    int depth = Integer.parseInt(dw[0].trim()), width = Integer.parseInt(dw[1].trim());
                    if (depth <= 0 || width <= 0 || depth > 64) throw new NumberFormatException();
                    int[] a = new int[depth];
                    java.util.Arrays.fill(a, width);
                    out.add(a);
                } else {
                    String[] ws = p.split("-");
                    int[] a = new int[ws.length];
                    for (int k = 0; k < ws.length; k++) {
                        a[k] = Integer.parseInt(ws[k].trim());
                        if (a[k] <= 0) throw new NumberFormatException();
                    }
                    out.add(a);
                }
            } catch (NumberFormatException e) {
                throw new BadInputException("bad architecture '" + p + "' (write depth x width such as 3x20, or widths such as 20-30-20)");
            }
        }
        if (out.isEmpty()) throw new BadInputException("no architecture given");
        return out;
    }

    /** A name such as 3x20 or 20-30-20 for files and tables. */
    public static String name(int[] hidden) {
        boolean same = true;
        for (int w : hidden) same &= w == hidden[0];
        if (same) return hidden.length + "x" + hidden[0];
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < hidden.length; k++) sb.append(k == 0 ? "" : "-").append(hidden[k]);
        return sb.toString();
    }

    /**
     * The default run (about ten minutes on two cores): MNIST, the published architectures, snapshots up to epoch
     * 4, 20 lines, 2 planes and 100 distance points of each kind per snapshot, the scaled-down memorisation study.
     */
    public static HaninRolnickConfig defaults(Path out) {
        return new HaninRolnickConfig("mnist", null, out, publishedArchitectures(), publishedEpochs(4),
                0, 0, 20, 2, 100, 1, 1e-3, 128, 1e-3, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                Memorisation.defaults(), false);
    }
}
