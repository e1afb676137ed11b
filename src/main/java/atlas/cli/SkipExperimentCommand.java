package atlas.cli;

import atlas.experiment.SkipExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code atlas experiment skip}: the same net with and without residual skips on the ring. */
@Command(name = "skip", mixinStandardHelpOptions = true,
        description = {"Skip connections on the ring image: 2 -> [W]xD -> 1 trained with and without residual identity skips",
                "(from the same weights); exact regions, linear pieces (distinct affine maps) and regions per line at snapshot",
                "epochs, and the training curves. Defaults (1000 epochs) take about 15 s on 2 cores.",
                "--mnist adds the same comparison for 784 -> [20]x6 -> 10 classifiers on MNIST (regions on lines and planes",
                "through test images, linear pieces, folding, accuracy)."})
final class SkipExperimentCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "skip-report", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--width", defaultValue = "20", description = "Hidden width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "8", description = "Hidden layers, at least 3 (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--activation", defaultValue = "leaky_relu", description = "relu or leaky_relu (slope 0.01; default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--snapshots", defaultValue = "10", description = "Snapshots after epoch 0 (default: ${DEFAULT-VALUE}).")
    int snapshots;

    @Option(names = "--train", defaultValue = "5000", description = "Training pixels (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--validation", defaultValue = "1000", description = "Validation pixels (default: ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--lines", defaultValue = "20", description = "Lines across the square for the 1-D counts (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Training threads (default: min(2, cores)).")
    Integer threads;

    @Option(names = "--mnist", description = "Also train 784 -> [--mnist-width]x[--mnist-depth] -> 10 with and without skips on MNIST (needs 'atlas data mnist').")
    boolean mnist;

    @Option(names = "--dataset", defaultValue = "mnist", description = "With --mnist: mnist, fashion-mnist or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "D", description = "Data cache (default: ~/.relu-atlas/data).")
    Path dataDir;

    @Option(names = "--mnist-width", defaultValue = "20", description = "MNIST hidden width (default: ${DEFAULT-VALUE}).")
    int mnistWidth;

    @Option(names = "--mnist-depth", defaultValue = "6", description = "MNIST hidden layers (default: ${DEFAULT-VALUE}).")
    int mnistDepth;

    @Option(names = "--mnist-epochs", defaultValue = "5", description = "MNIST epochs (default: ${DEFAULT-VALUE}).")
    int mnistEpochs;

    @Option(names = "--mnist-train", defaultValue = "10000", description = "MNIST training images, the first N (default: ${DEFAULT-VALUE}).")
    int mnistTrain;

    @Option(names = "--mnist-planes", defaultValue = "2", description = "Planes through three test images (default: ${DEFAULT-VALUE}).")
    int mnistPlanes;

    @Option(names = "--mnist-paths", defaultValue = "20000", description = "Paths between test images for Phi (default: ${DEFAULT-VALUE}).")
    int mnistPaths;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        atlas.net.Activation act = atlas.net.Activation.fromJsonName(activation);
        if (act == null || !act.cuts()) throw new ExitException(ExitCodes.INVALID_INPUT, "--activation must be relu or leaky_relu, got " + activation);
        SkipExperiment.Config cfg = new SkipExperiment.Config(out, width, depth, act, epochs, snapshots, train, validation, seed, lines, t);
        var err = spec.commandLine().getErr();
        List<SkipExperiment.Row> rows = SkipExperiment.run(cfg, s -> { err.println(s); err.flush(); });
        var w = spec.commandLine().getOut();
        w.println("variant  epoch   train loss   val loss  regions  linear pieces  regions/line");
        for (SkipExperiment.Row r : rows)
            w.printf(java.util.Locale.ROOT, "%-7s  %5d  %11.5f  %9.5f  %7d  %13d  %12.1f%n", r.variant(), r.epoch(), r.trainLoss(), r.validationLoss(),
                    r.regions(), r.pieces(), r.lineRegions());
        if (mnist) {
            SkipExperiment.MnistConfig mc = new SkipExperiment.MnistConfig(dataset, dataDir, out, mnistWidth, mnistDepth, mnistEpochs, mnistTrain,
                    lines, mnistPlanes, mnistPaths, seed, t);
            List<SkipExperiment.MnistRow> mr = SkipExperiment.runMnist(mc, s -> { err.println(s); err.flush(); });
            w.println();
            w.println("MNIST variant  accuracy  regions/line  regions/plane  pieces/plane     Phi  folded");
            for (SkipExperiment.MnistRow r : mr)
                w.printf(java.util.Locale.ROOT, "%-13s  %8.4f  %12.1f  %13.0f  %12.0f  %6.4f  %5.1f%%%n", r.variant(), r.accuracy(), r.lineRegions(),
                        r.planeRegions(), r.planePieces(), r.phi(), 100 * r.foldedFraction());
        }
        w.println("report: " + out.toAbsolutePath());
        w.flush();
        return ExitCodes.OK;
    }
}
