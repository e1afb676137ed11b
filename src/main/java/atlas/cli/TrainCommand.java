package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.RunSpec;
import atlas.experiment.RunTracking;
import atlas.geometry.Rectangle;
import atlas.regions.PlaneSlice;
import atlas.experiment.TrainingRun;
import atlas.train.TrainConfig;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/** {@code atlas train}: trains a network on an image and writes a run folder (metrics, snapshots, frames, movie). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a 2-input network to draw an image from sampled pixels, with the exact regions of every snapshot.",
                "Shapes: AxB = A hidden layers of width B (30x30, 6x14, 1x500); items joined by commas (10x10,2,3x10) or Python style ([30]*30)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--image", paramLabel = "NAME|FILE", description = "Built-in image (ring, disc, ring3, checker, spiral) or a PNG/JPEG/GIF file (default: ${DEFAULT-VALUE}).", defaultValue = "ring")
    String image;

    @Option(names = "--classes", description = "Learn the file's colours as classes (softmax cross-entropy) instead of grey values (MSE).")
    boolean classes;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "1024", description = "Side of a built-in image in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--shape", paramLabel = "SHAPE", defaultValue = "30x30", description = "Hidden layers (default: ${DEFAULT-VALUE} = 30 layers of 30).")
    String shape;

    @Option(names = "--init-model", paramLabel = "FILE", description = "Start from this relu-atlas-model/1 network (any shape, skips included) instead of a fresh init.")
    Path initModel;

    @Option(names = "--relu", description = "Plain ReLU hidden units instead of LeakyReLU(0.01).")
    boolean relu;

    @Option(names = "--leak", defaultValue = "0.01", description = "Negative slope of LeakyReLU (default: ${DEFAULT-VALUE}).")
    double leak;

    @Option(names = "--bias", defaultValue = "0.1", description = "Constant initial bias (default: ${DEFAULT-VALUE}).")
    double bias;

    @Option(names = "--bias-std", defaultValue = "0", description = "Draw initial biases from N(0, s^2) instead of a constant when s > 0.")
    double biasStd;

    @Option(names = "--points", defaultValue = "5000", description = "Training points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--validation", defaultValue = "1000", description = "Validation points (default: ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--epochs", description = "Total epochs (default: 6000; with --resume: the run's own).")
    Integer epochs;

    @Option(names = "--every", defaultValue = "50", description = "Snapshot interval in epochs: model, exact regions, frame, checkpoint (default: ${DEFAULT-VALUE}; 0 = only first and last).")
    int every;

    @Option(names = "--batch", defaultValue = "1024", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", description = "adam (default), sgd, momentum or rmsprop; with --resume a different one starts fresh moments.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001; with --resume: the run's own).")
    Double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sample, init and shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores, at most 8); results do not depend on it.")
    Integer threads;

    @Option(names = "--precision", defaultValue = "float", description = "Training arithmetic: float (default, about twice as fast) or double. Regions are always exact in double.")
    String precision;

    @Option(names = "--no-frames", description = "Do not draw frames or the movie (regions are still counted at each snapshot).")
    boolean noFrames;

    @Option(names = "--frame-size", defaultValue = "400", description = "Side of each frame panel in pixels (default: ${DEFAULT-VALUE}).")
    int frameSize;

    @Option(names = "--no-mp4", description = "Do not write training.mp4 even when ffmpeg is on the PATH.")
    boolean noMp4;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Run folder (default: runs/<image>).")
    Path out;

    @Option(names = "--track", description = "Track region lineage while training (RUN/track: track.csv, track.json, track.png, frames/, summary; see `atlas track`).")
    boolean track;

    @Option(names = "--track-radius", paramLabel = "R", defaultValue = "0",
            description = "With --track: also the local complexity (exact regions in the square of radius R) around the training and validation points at each snapshot.")
    double trackRadius;

    @Option(names = "--track-regions", paramLabel = "csv|gz|none",
            description = "With --track: the per-step fate tables RUN/track/regions/step-NNNN.csv as csv, gz (compressed) or none (default: csv).")
    String trackRegions;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its checkpoint (--epochs, --optimizer, --lr may change).")
    Path resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Tracks lineage (and local complexity) at every snapshot with the partition the run computes anyway. */
    private static void attachTracking(TrainingRun run, double radius, RunTracking.RegionTableFormat regions) {
        double[][] pts = run.points();
        RunTracking t = new RunTracking(run.dir().resolve("track"), RunTracking.Options.defaults().withLocalRadius(radius).withRegionTable(regions),
                Rectangle.UNIT, PlaneSlice.inputPlane(), List.of(), pts[0], pts[1], run.dir().getFileName() + ", " + run.spec().shape());
        double[] since = {Double.NEGATIVE_INFINITY};
        if (run.startEpoch() > 0) {
            // a resumed run: keep the steps tracked so far and track the snapshots written since, up to the checkpoint
            t.setMetrics(RunTracking.runMetrics(run.dir()));
            try (ProgressBar bar = ProgressBars.open("tracking the snapshots before the checkpoint", -1)) {
                t.catchUp(run.dir(), run.startEpoch(), p -> bar.setExtraMessage(p.label() + ": " + p.stage()));
            }
            since[0] = run.startEpoch();
        }
        run.onSnapshot((epoch, net, part, tl, vl, rows) -> {
            if (epoch <= since[0]) return; // already tracked (a resume that only closes the run)
            since[0] = epoch;
            t.setMetrics(rows);
            t.add("epoch " + epoch, epoch, net, part, part.seconds(), tl, vl);
        });
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        TrainingRun run;
        if (resume != null) {
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            for (String o : new String[]{"--image", "--classes", "--image-size", "--shape", "--init-model", "--relu", "--leak", "--bias",
                    "--bias-std", "--points", "--validation", "--every", "--batch", "--seed", "--threads", "--no-frames", "--frame-size", "--precision",
                    "--no-mp4", "--out"}) {
                if (pr.hasMatchedOption(o))
                    throw new BadInputException(o + " cannot change when resuming; --resume takes only --epochs, --optimizer and --lr");
            }
            run = TrainingRun.resume(resume, epochs, optimizer, lr);
            w.printf("resuming %s: %s to epoch %d, %s lr %s%n", resume, run.spec().image(), run.spec().epochs(), run.spec().optimizer(), run.spec().lr());
        } else {
            RunSpec s = new RunSpec(image, classes, imageSize, shape, initModel == null ? null : initModel.toString(),
                    relu ? "relu" : "leaky_relu", leak, bias, biasStd, points, validation, epochs == null ? 6000 : epochs, every, batch,
                    optimizer == null ? "adam" : optimizer, lr == null ? TrainConfig.DEFAULT_LR : lr, seed,
                    threads == null ? TrainConfig.defaultThreads() : threads, !noFrames, frameSize, 80, !noMp4, precision);
            Path dir = out != null ? out : Path.of("runs", Path.of(image).getFileName().toString().replaceAll("\\.[A-Za-z]+$", ""));
            if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir))
                throw new ExitException(ExitCodes.INVALID_INPUT, "--out " + dir + " is a file, not a folder");
            run = TrainingRun.create(s, dir).prepare();
            w.printf("training on %s: shape %s, %d + %d points, %d epochs, %s lr %s, seed %d -> %s%n", image,
                    initModel != null ? initModel : shape, points, validation, s.epochs(), s.optimizer(), s.lr(), seed, dir);
        }
        run.prepare(); // bad --image / --init-model fail here, before the progress bar (no-op if done above)
        if (trackRadius != 0 && !track) throw new BadInputException("--track-radius needs --track");
        if (trackRegions != null && !track) throw new BadInputException("--track-regions needs --track");
        RunTracking.RegionTableFormat regions = RunTracking.RegionTableFormat.parse(trackRegions == null ? "csv" : trackRegions);
        if (track) attachTracking(run, trackRadius, regions);
        w.println("kernels: " + atlas.train.FlatModel.kernels() + ", " + run.spec().precision() + ", " + run.spec().threads() + " threads");
        w.flush();
        TrainingRun r = run;
        Thread hook = new Thread(() -> {
            r.requestStop();
            r.awaitFinished(20_000);
        }, "atlas-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        TrainingRun.Outcome o;
        try (ProgressBar bar = ProgressBars.openWithSpeed("epochs", run.spec().epochs())) {
            o = run.onProgress(p -> {
                bar.stepTo(p.epoch());
                bar.setExtraMessage(String.format(Locale.ROOT, "train %.5f val %.5f regions %s", p.trainLoss(), p.valLoss(), p.regionsLabel())
                        + (p.epoch() >= r.spec().epochs() ? ", writing the movie and final files" : ""));
            }).run();
        } catch (CancellationException e) {
            throw new ExitException(ExitCodes.INTERRUPTED, e.getMessage());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) { /* already shutting down */ }
        }
        w.printf(Locale.ROOT, "epoch %d: train loss %.6f, validation loss %.6f, %d exact regions, %.1f s%n",
                o.epochs(), o.trainLoss(), o.valLoss(), o.regions(), o.seconds());
        w.println("wrote " + o.dir() + ": config.json, metrics.csv, metrics.png, model.json, models/, checkpoint.bin"
                + (o.gif() != null ? ", frames/, final.png, training.gif" : "") + (o.mp4() != null ? ", training.mp4" : "") + (track ? ", track/" : ""));
        if (track && java.nio.file.Files.isRegularFile(o.dir().resolve("track").resolve("summary.txt"))) {
            try {
                w.print(java.nio.file.Files.readString(o.dir().resolve("track").resolve("summary.txt")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        w.flush();
        return ExitCodes.OK;
    }
}
