package atlas.cli;

import atlas.experiment.OverfitExperiment;
import atlas.experiment.RunSpec;
import atlas.experiment.TrainingRun;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class OverfitExperimentCommand implements Callable<Integer> {
    @Option(names = "--shape", defaultValue = "30x30", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    String shape;
    @Option(names = "--sizes", split = ",", defaultValue = "5000,2500,1250,625,312", description = "Training-set sizes (default: ${DEFAULT-VALUE}).")
    int[] sizes;
    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs per size (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--every", defaultValue = "250", description = "Exact-region snapshot interval (default: ${DEFAULT-VALUE}).")
    int every;
    @Mixin
    RingStudyOptions training;
    @Option(names = {"-o", "--out"}, defaultValue = "reports/overfit", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunSpec base = training.apply(OverfitExperiment.defaults().base().withShape(shape), 1, epochs, every);
        OverfitExperiment.Config c = new OverfitExperiment.Config(base, sizes);
        base.loadImage(); // a bad --image fails here with one line, before the progress bar starts
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "overfit study: %s on %s, sizes %s, %d validation points, %d epochs each -> %s%n", shape, training.image,
                java.util.Arrays.toString(sizes), training.validation, epochs, out);
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
