package atlas.web;

import atlas.experiment.Demo;
import atlas.experiment.RingDemo;
import atlas.experiment.RunSpec;
import atlas.experiment.TrainingRun;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What {@code atlas serve} shows when given nothing: the demo network, the demo training run, and a seeded
 * MNIST-shaped network (784 inputs) to show planes through three points. The demo's own files are used when
 * {@code atlas demo} wrote them ({@code atlas-out/demo-model.json}, {@code atlas-out/training}); otherwise the
 * network is built in memory and the run is trained once (the demo's settings without frames, a few seconds)
 * into a cache folder and reused from there.
 */
public final class DemoContent {
    private DemoContent() {}

    /** The seed and shape of the MNIST-shaped demo network (untrained: its regions are those of an initialisation). */
    public static final long MNIST_SHAPED_SEED = 7;

    /**
     * Loads the demo content into {@code store}.
     *
     * @param demoOut  the demo's output folder (atlas-out)
     * @param cacheDir where a missing demo run is trained
     * @param loader   the model reader
     * @param log      progress lines
     */
    public static void load(ModelStore store, Path demoOut, Path cacheDir, Function<Path, Network> loader, PrintWriter log) {
        Path model = demoOut.resolve("demo-model.json");
        if (Files.isRegularFile(model)) store.add("demo net " + Demo.network().shape(), model.toString(), loader.apply(model));
        else store.add("demo net " + Demo.network().shape() + " (seed " + Demo.SEED + ")", "built in", Demo.network());
        Path run = demoOut.resolve("training");
        if (!hasSnapshots(run)) run = cachedRun(cacheDir, log);
        store.addRun(run, "demo training run (ring, " + RingDemo.spec().shape() + ")", loader);
        Network mnistShaped = Networks.kaiming(MNIST_SHAPED_SEED, 784, Networks.uniform(16, 3), 10, Activation.RELU, 0, 0.05);
        store.add("MNIST-shaped net " + mnistShaped.shape() + " (untrained, seed " + MNIST_SHAPED_SEED + ")", "built in", mnistShaped);
    }

    static boolean hasSnapshots(Path run) {
        Path models = run.resolve("models");
        if (!Files.isDirectory(models)) return false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(models, "epoch-*.json")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The demo run in {@code cacheDir/demo-training}, trained there first when missing: into a fresh folder that
     * is then renamed, so a run interrupted half-way is never picked up.
     */
    static Path cachedRun(Path cacheDir, PrintWriter log) {
        Path dir = cacheDir.resolve("demo-training");
        if (hasSnapshots(dir) && Files.isRegularFile(dir.resolve(TrainingRun.METRICS))) return dir;
        RunSpec spec = RingDemo.spec().withFrames(false, RingDemo.spec().panelSize(), false);
        log.printf("atlas serve: training the demo run once (%s on the ring, %d epochs, a few seconds) into %s%n", spec.shape(), spec.epochs(), dir);
        log.flush();
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempDirectory(cacheDir, "demo-training-");
            TrainingRun.create(spec, tmp).run();
            deleteTree(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo run into " + cacheDir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
