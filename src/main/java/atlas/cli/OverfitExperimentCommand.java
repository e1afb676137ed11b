package atlas.cli;

import atlas.experiment.OverfitExperiment;
import atlas.experiment.RunSpec;
import atlas.experiment.TrainingRun;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code atlas experiment overfit}: the shrinking-data study (30x30 on 5000 ... 312 points). */
@Command(name = "overfit", mixinStandardHelpOptions = true,
        description = {"The shrinking-data study: the same net, seed and epochs on 5000, 2500, 1250, 625 and 312 points.",
                "Defaults fit a laptop (1000 epochs); --epochs 6000 --every 50 (or 20000) reach the original runs."})
public final class OverfitExperimentCommand implements Callable<Integer> {
    @Option(names = "--image", defaultValue = "ring", description = "Built-in image or file (default: ${DEFAULT-VALUE}).")
    String image;
    @Option(names = "--shape", defaultValue = "30x30", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    String shape;
    @Option(names = "--sizes", split = ",", defaultValue = "5000,2500,1250,625,312", description = "Training-set sizes (default: ${DEFAULT-VALUE}).")
    int[] sizes;
    @Option(names = "--validation", defaultValue = "1000", description = "Validation points (default: ${DEFAULT-VALUE}).")
    int validation;
    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs per size (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--every", defaultValue = "250", description = "Exact-region snapshot interval (default: ${DEFAULT-VALUE}).")
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
    @Option(names = "--precision", defaultValue = "float", description = "Training arithmetic: float or double (default: ${DEFAULT-VALUE}).")
    String precision;
    @Option(names = "--frame-size", defaultValue = "300", description = "Frame panel side in pixels (default: ${DEFAULT-VALUE}).")
    int frameSize;
    @Option(names = {"-o", "--out"}, defaultValue = "reports/overfit", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunSpec base = OverfitExperiment.defaults().base().withImage(image).withShape(shape).withPoints(1, validation).withEpochs(epochs, every)
                .withOptimizer(optimizer, lr).withBatch(batch).withSeed(seed).withFrames(true, frameSize, false)
                .withThreads(threads == null ? atlas.train.TrainConfig.defaultThreads() : threads).withPrecision(precision);
        OverfitExperiment.Config c = new OverfitExperiment.Config(base, sizes);
        base.loadImage(); // a bad --image fails here with one line, before the progress bar starts
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "overfit study: %s on %s, sizes %s, %d validation points, %d epochs each -> %s%n", shape, image,
                java.util.Arrays.toString(sizes), validation, epochs, out);
        w.flush();
        OverfitExperiment.Result r;
        try (ProgressBar bar = ProgressBars.open("epochs", (long) sizes.length * epochs)) {
            r = OverfitExperiment.run(c, out, line -> { w.println(line); w.flush(); }, stepper(bar, epochs));
        }
        w.println("wrote " + out + ": summary.md, overfit.csv, curves.png, final-frames.png, runs/");
        w.flush();
        return r.sizes().isEmpty() ? ExitCodes.INTERNAL : ExitCodes.OK;
    }

    /** Progress over several runs of {@code epochs} each: epoch 0 of a run starts the next block. */
    static Consumer<TrainingRun.Progress> stepper(ProgressBar bar, int epochs) {
        int[] run = {-1};
        return p -> {
            if (p.epoch() == 0) run[0]++;
            bar.stepTo((long) Math.max(0, run[0]) * epochs + p.epoch());
            bar.setExtraMessage(String.format(Locale.ROOT, "train %.5f val %.5f regions %d", p.trainLoss(), p.valLoss(), p.regions()));
        };
    }
}
