package atlas.cli;

import atlas.experiment.jobs.RingSweep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas experiment ring-sweep}: exact regions of ring nets across depths and widths, one unit of work per net. */
@Command(name = "ring-sweep", mixinStandardHelpOptions = true,
        description = {"Depth x width sweep on the ring: train 2 -> [width]x depth -> 1 leaky-ReLU nets and count their exact regions",
                "on [0,1]^2 before and after training. One unit per net; resumable (rerun the same command), on local threads or",
                "on Apache Spark (--spark MASTER). Results: ring-sweep.csv (identical on either runner), timings in timings.csv."})
final class RingSweepExperimentCommand implements Callable<Integer> {
    @Option(names = "--depths", split = ",", defaultValue = "1,2,4,8", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    List<Integer> depths;

    @Option(names = "--widths", split = ",", defaultValue = "8,16,32", description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Seeds, one net per depth, width and seed (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "200", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--points", defaultValue = "2000", description = "Training points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--validation", defaultValue = "500", description = "Validation points (default: ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--batch", defaultValue = "256", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--image-size", defaultValue = "256", description = "Side of the built-in ring in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--precision", defaultValue = "double", description = "Training arithmetic, float or double (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "ring-sweep", description = "Sweep folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    SweepOptions sweep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RingSweep.Config cfg = new RingSweep.Config(depths, widths, seeds, epochs, points, validation, batch, lr, imageSize, precision);
        var err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        List<RingSweep.Row> rows = sweep.run("ring-sweep", out, cfg.settings(), err, s -> RingSweep.run(cfg, s));
        var w = spec.commandLine().getOut();
        w.println("depth  width  seed  regions init  regions trained  train loss");
        for (RingSweep.Row r : rows)
            w.printf(Locale.ROOT, "%5d  %5d  %4d  %12d  %15d  %10.5f%n", r.depth(), r.width(), r.seed(), r.regionsInit(), r.regionsTrained(), r.trainLoss());
        w.printf(Locale.ROOT, "ring-sweep: %d nets in %.1f s; results: %s%n", rows.size(), (System.nanoTime() - t0) / 1e9, out.resolve(RingSweep.CSV));
        w.flush();
        return ExitCodes.OK;
    }
}
