package atlas.cli;

import atlas.experiment.Demo;
import atlas.experiment.RingDemo;
import atlas.experiment.TrainingRun;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas demo}: the main job on built-in defaults, no data, no flags. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the built-in demo: a seeded 2 -> [30]x30 -> 1 leaky-ReLU net, its exact regions on [0,1]^2, pictures and JSON;",
                "then a small net learns the ring image (under a minute) and the training movie and final frame are written."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "atlas-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-train", description = "Skip the training step (the ring movie).")
    boolean noTrain;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out))
            throw new ExitException(ExitCodes.INVALID_INPUT, "-o " + out + " is a file, not a folder");
        PrintWriter w = spec.commandLine().getOut();
        w.println("ReLU Atlas demo: exact linear regions of a seeded " + Demo.network().shape() + " leaky-ReLU network on [0,1]^2");
        Demo.Result r = Demo.run(out);
        var p = r.partition();
        w.printf("  regions: %d (after each layer: %s)%n", p.count(), PlaneSummary.perLayer(p.regionsPerLayer()));
        w.printf("  exact partition time: %.3f s; areas sum to %.15f; %d adjacent pairs%n", p.seconds(), p.totalArea(), p.adjacentPairs());
        w.printf("  along the diagonal (0,0)->(1,1): %d linear pieces%n", r.diagonal().count());
        w.println("  wrote:");
        for (Path f : r.files()) w.println("    " + f);
        w.flush();
        if (!noTrain) {
            var s = RingDemo.spec();
            w.printf(Locale.ROOT, "Training a %s net on the ring image (%d + %d points, %d epochs, %s lr %s), exact regions in every frame%n",
                    s.shape(), s.points(), s.validation(), s.epochs(), s.optimizer(), s.lr());
            w.flush();
            TrainingRun.Outcome t;
            try (ProgressBar bar = ProgressBars.open("epochs", s.epochs())) {
                t = RingDemo.run(out.resolve("training"), pr -> {
                    bar.stepTo(pr.epoch());
                    bar.setExtraMessage(String.format(Locale.ROOT, "val %.4f regions %s", pr.valLoss(), pr.regionsLabel())
                            + (pr.epoch() >= s.epochs() ? ", writing the movie" : ""));
                });
            }
            w.printf(Locale.ROOT, "  epoch %d: train loss %.4f, validation loss %.4f, %d exact regions, %.1f s%n",
                    t.epochs(), t.trainLoss(), t.valLoss(), t.regions(), t.seconds());
            w.println("  wrote:");
            if (t.gif() != null) w.println("    " + t.gif());
            if (t.mp4() != null) w.println("    " + t.mp4());
            if (t.finalFrame() != null) w.println("    " + t.finalFrame());
            w.println("    " + t.plot());
            w.println("    " + t.dir().resolve(TrainingRun.METRICS));
            w.flush();
        }
        return ExitCodes.OK;
    }
}
