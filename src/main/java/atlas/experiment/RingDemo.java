package atlas.experiment;

import atlas.error.BadInputException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The training part of {@code atlas demo}: a small {@code 2 -> [24]x8 -> 1} leaky-ReLU net learns the ring
 * (5000 + 1000 points, Adam lr 3e-3, 300 epochs, a frame every 15 epochs, seed 1) and the run folder gets the
 * movie ({@code training.gif}, and {@code training.mp4} with ffmpeg), the final frame ({@code final.png}),
 * {@code metrics.csv}, {@code metrics.png} and the snapshots. It takes under 20 s on 2 cores (7-16 s measured
 * on a busy machine) and the ring is clearly drawn at the end (validation MSE 0.015-0.03: float training, whose
 * exact trajectory depends on the kernels in use).
 */
public final class RingDemo {
    private RingDemo() {}

    /** The demo's settings. */
    public static RunSpec spec() {
        return RunSpec.defaults().withShape("8x24").withOptimizer("adam", 3e-3).withEpochs(300, 15).withFrames(true, 300, true);
    }

    /**
     * Trains the demo net into {@code dir} (a previous demo run there is replaced).
     *
     * @param progress called after every epoch (may be a no-op)
     */
    public static TrainingRun.Outcome run(Path dir, Consumer<TrainingRun.Progress> progress) {
        clear(dir);
        return TrainingRun.create(spec(), dir).onProgress(progress).run();
    }

    /** Removes the files a previous run left in {@code dir} (only the run's own files). */
    static void clear(Path dir) {
        try {
            for (String f : List.of(TrainingRun.CONFIG, TrainingRun.CHECKPOINT, TrainingRun.METRICS, "model.json", "final.png",
                    "training.gif", "training.mp4", "metrics.png")) Files.deleteIfExists(dir.resolve(f));
            for (String sub : List.of("frames", "models")) {
                Path d = dir.resolve(sub);
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "epoch-*")) {
                    for (Path p : ds) Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
