package atlas.cli;

import atlas.experiment.DepthExperiment;
import atlas.experiment.RunSpec;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas experiment depth}: 6x14, the bottleneck 10x10,2,3x10 and 40x20, with loss spikes and partition changes. */
@Command(name = "depth", mixinStandardHelpOptions = true,
        description = {"Depth and bottlenecks on the ring: 6x14, 10x10,2,3x10 and 40x20 trained alike; loss spikes are flagged and",
                "the exact partitions before and after each are compared (fraction of regions whose pattern survives)."})
public final class DepthExperimentCommand implements Callable<Integer> {
    @Option(names = "--image", defaultValue = "ring", description = "Built-in image or file (default: ${DEFAULT-VALUE}).")
    String image;
    @Option(names = "--shapes", split = ";", defaultValue = "6x14;10x10,2,3x10;40x20", description = "Shapes separated by ';' (default: ${DEFAULT-VALUE}).")
    List<String> shapes;
    @Option(names = "--points", defaultValue = "5000", description = "Training points (default: ${DEFAULT-VALUE}).")
    int points;
    @Option(names = "--validation", defaultValue = "1000", description = "Validation points (default: ${DEFAULT-VALUE}).")
    int validation;
    @Option(names = "--epochs", defaultValue = "600", description = "Epochs per net (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--every", defaultValue = "100", description = "Exact-region snapshot interval (default: ${DEFAULT-VALUE}).")
    int every;
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
    @Option(names = "--spike-factor", defaultValue = "1.5", description = "A spike: training loss above this multiple of the recent minimum (default: ${DEFAULT-VALUE}).")
    double spikeFactor;
    @Option(names = "--spike-window", defaultValue = "20", description = "Epochs of the recent minimum (default: ${DEFAULT-VALUE}).")
    int window;
    @Option(names = "--max-spikes", defaultValue = "8", description = "Most spikes analysed per net (default: ${DEFAULT-VALUE}).")
    int maxSpikes;
    @Option(names = "--precision", defaultValue = "float", description = "Training arithmetic: float or double (default: ${DEFAULT-VALUE}).")
    String precision;
    @Option(names = "--frame-size", defaultValue = "300", description = "Frame panel side in pixels (default: ${DEFAULT-VALUE}).")
    int frameSize;
    @Option(names = {"-o", "--out"}, defaultValue = "reports/depth", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunSpec base = DepthExperiment.defaults().base().withImage(image).withPoints(points, validation).withEpochs(epochs, every)
                .withOptimizer(optimizer, lr).withBatch(batch).withSeed(seed).withFrames(true, frameSize, false)
                .withThreads(threads == null ? atlas.train.TrainConfig.defaultThreads() : threads).withPrecision(precision);
        for (String s : shapes) atlas.train.ShapeSpec.parse(s);
        base.loadImage(); // a bad --image fails here with one line, before the progress bar starts
        DepthExperiment.Config c = new DepthExperiment.Config(base, shapes, spikeFactor, window, maxSpikes);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "depth study: %s on %s, %d + %d points, %d epochs each -> %s%n", String.join(" ; ", shapes), image, points, validation, epochs, out);
        w.flush();
        try (ProgressBar bar = ProgressBars.open("epochs", (long) shapes.size() * epochs)) {
            DepthExperiment.run(c, out, line -> { w.println(line); w.flush(); }, OverfitExperimentCommand.stepper(bar, epochs));
        }
        w.println("wrote " + out + ": summary.md, depth.csv, spikes.csv, curves.png, final-frames.png, runs/");
        w.flush();
        return ExitCodes.OK;
    }
}
