package atlas.cli;

import atlas.experiment.DepthExperiment;
import atlas.experiment.RunSpec;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class DepthExperimentCommand implements Callable<Integer> {
    @Option(names = "--shapes", split = ";", defaultValue = "6x14;10x10,2,3x10;40x20", description = "Shapes separated by ';' (default: ${DEFAULT-VALUE}).")
    List<String> shapes;
    @Option(names = "--points", defaultValue = "5000", description = "Training points (default: ${DEFAULT-VALUE}).")
    int points;
    @Option(names = "--epochs", defaultValue = "600", description = "Epochs per net (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--every", defaultValue = "100", description = "Exact-region snapshot interval (default: ${DEFAULT-VALUE}).")
    int every;
    @Option(names = "--spike-factor", defaultValue = "1.5", description = "A spike: training loss above this multiple of the recent minimum (default: ${DEFAULT-VALUE}).")
    double spikeFactor;
    @Option(names = "--spike-window", defaultValue = "20", description = "Epochs of the recent minimum (default: ${DEFAULT-VALUE}).")
    int window;
    @Option(names = "--max-spikes", defaultValue = "8", description = "Most spikes analysed per net (default: ${DEFAULT-VALUE}).")
    int maxSpikes;
    @Mixin
    RingStudyOptions training;
    @Option(names = {"-o", "--out"}, defaultValue = "reports/depth", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunSpec base = training.apply(DepthExperiment.defaults().base(), points, epochs, every);
        for (String s : shapes) atlas.train.ShapeSpec.parse(s);
        base.loadImage(); // a bad --image fails here with one line, before the progress bar starts
        DepthExperiment.Config c = new DepthExperiment.Config(base, shapes, spikeFactor, window, maxSpikes);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "depth study: %s on %s, %d + %d points, %d epochs each -> %s%n", String.join(" ; ", shapes), training.image, points, training.validation, epochs, out);
        w.flush();
        try (ProgressBar bar = ProgressBars.open("epochs", (long) shapes.size() * epochs)) {
            DepthExperiment.run(c, out, line -> { w.println(line); w.flush(); }, OverfitExperimentCommand.stepper(bar, epochs));
        }
        w.println("wrote " + out + ": summary.md, depth.csv, spikes.csv, curves.png, final-frames.png, runs/");
        w.flush();
        return ExitCodes.OK;
    }
}
