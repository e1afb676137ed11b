package atlas.cli;

import atlas.experiment.RunSpec;
import picocli.CommandLine.Option;

/**
 * Training options shared by the ring studies ({@code experiment overfit}, {@code experiment depth}): everything
 * but the shapes, sizes, epochs and snapshot interval, whose defaults differ per study.
 */
final class RingStudyOptions {
    @Option(names = "--image", defaultValue = "ring", description = "Built-in image or file (default: ${DEFAULT-VALUE}).")
    String image;
    @Option(names = "--validation", defaultValue = "1000", description = "Validation points (default: ${DEFAULT-VALUE}).")
    int validation;
    @Option(names = "--optimizer", defaultValue = "adam", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--batch", defaultValue = "1024", description = "Minibatch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: cores, at most 8).")
    Integer threads;
    @Option(names = "--precision", defaultValue = "float", description = "Training arithmetic: float or double (default: ${DEFAULT-VALUE}).")
    String precision;
    @Option(names = "--frame-size", defaultValue = "300", description = "Frame panel side in pixels (default: ${DEFAULT-VALUE}).")
    int frameSize;

    /** {@code base} with these options, the given training-point count and epochs. */
    RunSpec apply(RunSpec base, int points, int epochs, int every) {
        return base.withImage(image).withPoints(points, validation).withEpochs(epochs, every)
                .withOptimizer(optimizer, lr).withBatch(batch).withSeed(seed).withFrames(true, frameSize, false)
                .withThreads(threads == null ? atlas.train.TrainConfig.defaultThreads() : threads).withPrecision(precision);
    }
}
