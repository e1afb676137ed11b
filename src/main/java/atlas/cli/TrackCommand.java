package atlas.cli;

import atlas.error.BadInputException;
import atlas.experiment.MetricsRow;
import atlas.experiment.PlaneSpecs;
import atlas.experiment.RunTracking;
import atlas.geometry.Rectangle;
import atlas.measure.lineage.LineageOptions;
import atlas.net.Network;
import atlas.regions.PlaneSlice;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas track}: region lineage through the snapshots of a training run or a list of models. */
@Command(name = "track", mixinStandardHelpOptions = true,
        description = {"Follow the exact regions through a training run (RUN_DIR with models/epoch-*.json) or through a list of models in order:",
                "for each consecutive pair, which region became which (survived, moved, split, died, merged, born), the share of the domain",
                "whose activation pattern survived, the share whose affine map changed, boundary displacement (Hausdorff) and the layers",
                "that caused the changes; a plot against the epoch with the loss, frames, and a summary of what changed at loss spikes."})
final class TrackCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR|MODEL",
            description = "A run folder of `atlas train`, or two or more models in order (" + "relu-atlas-model/1 JSON, ONNX, .pt/.pth, .safetensors).")
    List<Path> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: RUN_DIR/track, or ./track for models).")
    Path out;

    @Option(names = "--every", defaultValue = "1", paramLabel = "K", description = "Use every K-th snapshot of a run (the last always) (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--from", paramLabel = "EPOCH", description = "First epoch of a run to track.")
    Double from;

    @Option(names = "--to", paramLabel = "EPOCH", description = "Last epoch of a run to track.")
    Double to;

    @Option(names = "--epochs", paramLabel = "E1,E2,...", split = ",", description = "Epochs of the models given as files (default: from names like epoch-000150.*, else 0, 1, 2, ...).")
    List<Double> epochs;

    @Option(names = "--metrics", paramLabel = "FILE", description = "A metrics.csv (epoch,train_loss,val_loss,regions,seconds) with the losses of models given as files.")
    Path metrics;

    @Option(names = "--domain", paramLabel = "xmin,xmax,ymin,ymax",
            description = "Rectangle in plane coordinates (default [0,1]^2 for 2-input models, [-1,1]^2 on a --plane).")
    String domain;

    @Option(names = "--plane", paramLabel = "SPEC", description = "The plane for n-input models (as in `atlas regions --plane`).")
    String plane;

    @Option(names = "--map-threshold", defaultValue = "0.01", paramLabel = "T",
            description = "A piece's map changed when the largest change of an output over it exceeds T x that output's range over the domain before (default: ${DEFAULT-VALUE}).")
    double mapThreshold;

    @Option(names = "--spike-factor", defaultValue = "1.5", description = "A loss spike: training loss above this x the lowest of the previous --spike-window epochs (default: ${DEFAULT-VALUE}).")
    double spikeFactor;

    @Option(names = "--spike-window", defaultValue = "20", description = "See --spike-factor (default: ${DEFAULT-VALUE}).")
    int spikeWindow;

    @Option(names = "--local-radius", defaultValue = "0", paramLabel = "R",
            description = "Also count the exact regions in the square of radius R around every training and validation point of the run at each snapshot (local complexity; 0 = off).")
    double localRadius;

    @Option(names = "--no-frames", description = "Do not draw the born/dying frames.")
    boolean noFrames;

    @Option(names = "--frame-size", defaultValue = "480", description = "Longer side of a frame in pixels (default: ${DEFAULT-VALUE}).")
    int frameSize;

    @Option(names = "--regions", defaultValue = "csv", paramLabel = "csv|gz|none",
            description = "Per step, the fate table of every region (regions/step-NNNN.csv: fate, successors and the areas passed on): csv, gz (compressed; large partitions) or none (default: ${DEFAULT-VALUE}).")
    String regions;

    @Option(names = "--continue", description = "Run folder: keep the steps already in the output folder's track.json and track only the snapshots after them.")
    boolean continueTracking;

    @Option(names = "--json", description = "Print the summary as JSON on standard output instead of text.")
    boolean json;

    @Mixin
    ModelImportArgs modelImport;

    @Mixin
    ToleranceMixin toleranceMixin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunTracking.Options o = new RunTracking.Options(new LineageOptions(toleranceMixin.tolerance(), mapThreshold), !noFrames, frameSize,
                spikeFactor, spikeWindow, localRadius, true, RunTracking.RegionTableFormat.parse(regions));
        boolean run = inputs.size() == 1 && Files.isDirectory(inputs.get(0));
        List<RunTracking.Source> sources;
        List<MetricsRow> rows;
        double[][] points = {null, null};
        Path dir;
        String title;
        if (run) {
            Path runDir = inputs.get(0);
            if (epochs != null) throw new BadInputException("--epochs is for models given as files; a run's epochs are in its file names");
            if (continueTracking && (every != 1 || from != null)) throw new BadInputException("--continue tracks every snapshot after the last tracked one: no --every or --from");
            sources = RunTracking.runSources(runDir, every, from == null ? Double.NEGATIVE_INFINITY : from, to == null ? Double.POSITIVE_INFINITY : to);
            rows = metrics != null ? MetricsRow.read(metrics) : RunTracking.runMetrics(runDir);
            if (localRadius > 0) points = RunTracking.runPoints(runDir);
            dir = out != null ? out : runDir.resolve("track");
            title = runDir.getFileName() + (Files.isRegularFile(runDir.resolve("config.json")) ? ", " + runShape(runDir) : "");
        } else {
            for (Path p : inputs) if (Files.isDirectory(p)) throw new BadInputException(p + " is a folder: give one run folder, or model files only");
            if (every != 1 || from != null || to != null || continueTracking)
                throw new BadInputException("--every, --from, --to and --continue are for run folders");
            if (localRadius > 0) throw new BadInputException("--local-radius needs a run folder (its data points); for models use `atlas local MODEL --points FILE`");
            if (epochs != null && epochs.size() != inputs.size())
                throw new BadInputException("--epochs has " + epochs.size() + " values for " + inputs.size() + " models");
            sources = new ArrayList<>();
            for (int k = 0; k < inputs.size(); k++) {
                Path f = inputs.get(k);
                if (!Files.isRegularFile(f)) throw new BadInputException("no such model file: " + f);
                double fromName = RunTracking.epochOf(f);
                double e = epochs != null ? epochs.get(k) : fromName;
                String name = f.getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "");
                sources.add(new RunTracking.Source(name, e, () -> ModelArgs.load(f, modelImport)));
            }
            if (epochs == null && sources.stream().anyMatch(s -> s.epoch() < 0)) {
                List<RunTracking.Source> renumbered = new ArrayList<>();
                for (int k = 0; k < sources.size(); k++) renumbered.add(new RunTracking.Source(sources.get(k).label(), k, sources.get(k).network()));
                sources = renumbered;
            }
            rows = metrics != null ? MetricsRow.read(metrics) : List.of();
            dir = out != null ? out : Path.of("track");
            title = sources.size() + " models";
        }
        if (sources.size() < 2) throw new BadInputException("tracking needs at least two snapshots, found " + sources.size());
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new BadInputException("--out " + dir + " is a file, not a folder");
        // the plane and domain come from the first model (all must share its input dimension)
        Network first = sources.get(0).network().get();
        if (toleranceMixin.exact) { // refused before any work: what the stacked network cannot hold
            List<RunTracking.Source> check = run ? List.of(sources.get(1)) : sources.subList(1, sources.size());
            for (RunTracking.Source src : check) atlas.measure.lineage.RegionLineage.stacked(first, src.network().get());
        }
        PlaneSlice slice;
        if (plane != null) slice = PlaneSpecs.parse(plane, first.inputDim());
        else if (first.inputDim() == 2) slice = PlaneSlice.inputPlane();
        else throw new BadInputException("the models have " + first.inputDim() + " inputs: give a plane with --plane (e.g. --plane random:1)");
        Rectangle rect = domain != null ? Rectangle.parse(domain) : slice.defaultDomain();
        Ranges.plane(first, slice, rect);
        RunTracking.Source firstLoaded = new RunTracking.Source(sources.get(0).label(), sources.get(0).epoch(), () -> first);
        List<RunTracking.Source> all = new ArrayList<>(sources);
        all.set(0, firstLoaded);

        PrintWriter w = spec.commandLine().getOut();
        RunTracking.Outcome res;
        try (ProgressBar bar = ProgressBars.open("snapshots", all.size())) {
            java.util.function.Consumer<RunTracking.Progress> pr = p -> {
                bar.maxHint(p.total());
                bar.stepTo(p.done());
                bar.setExtraMessage(p.label() + ": " + p.stage());
            };
            if (continueTracking) {
                RunTracking t = new RunTracking(dir, o, rect, slice, rows, points[0], points[1], title);
                t.noteNetwork(first);
                t.catchUp(inputs.get(0), to == null ? Double.POSITIVE_INFINITY : to, false, pr);
                res = t.outcome();
            } else {
                res = RunTracking.track(all, dir, o, rect, slice, rows, points[0], points[1], title, pr);
            }
        }
        if (json) {
            w.println(new String(Files.readAllBytes(dir.resolve("summary.json"))).trim());
        } else {
            w.printf(Locale.ROOT, "%d steps tracked in %.1f s -> %s%n", res.steps().size(), res.seconds(), dir);
            w.print(res.report().text());
            if (toleranceMixin.exact)
                w.println("exact: partitions and overlaps certified (each step's common refinement is the exact partition of the two models stacked side by side); areas, map changes and distances are float");
            w.println("wrote track.csv, track.json, track.png, summary.txt, summary.json" + (o.frames() ? ", frames/" : "")
                    + (o.regionTable() != RunTracking.RegionTableFormat.NONE ? ", regions/" : "")
                    + (localRadius > 0 ? ", local.csv, local.png" : ""));
        }
        w.flush();
        return ExitCodes.OK;
    }

    private static String runShape(Path runDir) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("config.json").toFile()).path("network").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
