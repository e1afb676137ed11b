package atlas.experiment;

import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.error.BadInputException;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.measure.LocalComplexity;
import atlas.measure.lineage.Lineage;
import atlas.measure.lineage.LineageOptions;
import atlas.measure.lineage.LineageSummary;
import atlas.measure.lineage.LossSpikes;
import atlas.measure.lineage.RegionTable;
import atlas.measure.lineage.TrackReport;
import atlas.measure.lineage.TrackStep;
import atlas.measure.lineage.Tracker;
import atlas.net.Network;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.render.ImageFiles;
import atlas.render.LineagePictures;
import atlas.render.MetricPlots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Region lineage through a sequence of snapshots, written to a folder (see docs/lineage.md). Used by
 * {@code atlas track} (snapshots read from a run folder or model files) and {@code atlas train --track} (snapshots
 * handed over while training, with the partition the run computes anyway).
 * <pre>
 * track.csv        one row per step: the lineage figures (and local complexity at the later snapshot)
 * track.json       the same steps, the options and the report
 * track.png        geometry change and map change against the epoch, the loss above on the same axis
 * local.csv        with a local-complexity radius: per snapshot, mean and quantiles of the region counts near the points
 * local.png        the same against the epoch, the loss above
 * summary.txt      the answer: when did the loss spike, did the geometry or the maps change then
 * summary.json     the same as data ({@link TrackReport})
 * frames/step-NNNN.png   born regions outlined in blue, dying ones in red (off with frames = false)
 * regions/step-NNNN.csv   the step's fate table: one row per region of both snapshots, its fate and the areas it
 *                         passed to (or took from) the other snapshot's regions ({@link RegionTable}; .csv.gz when
 *                         compressed, none when off)
 * </pre>
 * Every file is rewritten (atomically) after each step, so an interrupted tracking leaves whole files describing the
 * steps done so far.
 */
public final class RunTracking {
    public static final String FORMAT = "relu-atlas-track/1";
    /** Snapshot model files of a run folder: models/epoch-NNNNNN.json. */
    static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d+)\\.[A-Za-z]+$");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Settings.
     *
     * @param lineage      the lineage options (tolerance, map-change threshold)
     * @param frames       draw a frame per step
     * @param frameSize    longer side of a frame's picture in pixels
     * @param spikeFactor  a loss spike is a training loss above this multiple of the recent minimum
     * @param spikeWindow  ... of this many previous epochs
     * @param localRadius  half the side of the squares of local complexity around the data points; 0 = off
     * @param lineageOn    compare consecutive snapshots (off: local complexity only, {@code atlas local RUN_DIR})
     * @param regionTable  the per-step fate table: plain CSV, gzip-compressed CSV (large partitions: about 170 bytes a
     *                     row, so some 170 MB a step at half a million regions a side) or none
     */
    public record Options(LineageOptions lineage, boolean frames, int frameSize, double spikeFactor, int spikeWindow, double localRadius,
                          boolean lineageOn, RegionTableFormat regionTable) {
        public Options {
            if (lineage == null) throw new BadInputException("lineage options are null");
            if (frameSize < 16 || frameSize > 8192) throw new BadInputException("--frame-size must be between 16 and 8192 pixels, got " + frameSize);
            if (!(spikeFactor > 1)) throw new BadInputException("--spike-factor must exceed 1, got " + spikeFactor);
            if (spikeWindow < 1) throw new BadInputException("--spike-window must be at least 1, got " + spikeWindow);
            if (!(localRadius >= 0 && Double.isFinite(localRadius))) throw new BadInputException("--local-radius must be a number >= 0, got " + localRadius);
            if (regionTable == null) throw new BadInputException("the region table format is null");
        }

        public static Options defaults() {
            return new Options(LineageOptions.DEFAULT, true, 480, LossSpikes.DEFAULT_FACTOR, LossSpikes.DEFAULT_WINDOW, 0, true, RegionTableFormat.CSV);
        }

        /** Local complexity only, no lineage. */
        public Options localOnly(double r) { return new Options(lineage, false, frameSize, spikeFactor, spikeWindow, r, false, RegionTableFormat.NONE); }

        public Options withFrames(boolean f, int size) { return new Options(lineage, f, size, spikeFactor, spikeWindow, localRadius, lineageOn, regionTable); }

        public Options withLocalRadius(double r) { return new Options(lineage, frames, frameSize, spikeFactor, spikeWindow, r, lineageOn, regionTable); }

        public Options withLineage(LineageOptions l) { return new Options(l, frames, frameSize, spikeFactor, spikeWindow, localRadius, lineageOn, regionTable); }

        public Options withSpikes(double factor, int window) { return new Options(lineage, frames, frameSize, factor, window, localRadius, lineageOn, regionTable); }

        public Options withRegionTable(RegionTableFormat f) { return new Options(lineage, frames, frameSize, spikeFactor, spikeWindow, localRadius, lineageOn, f); }
    }

    /** How the per-step fate tables are written (regions/step-NNNN.csv). */
    public enum RegionTableFormat {
        CSV, GZ, NONE;

        /** {@code csv}, {@code gz} or {@code none} (the command-line spelling). */
        public static RegionTableFormat parse(String s) {
            for (RegionTableFormat f : values()) if (f.name().equalsIgnoreCase(s)) return f;
            throw new BadInputException("the region table is csv, gz or none, got '" + s + "'");
        }
    }

    /** One snapshot to track: its name, epoch and a way to load its network. */
    public record Source(String label, double epoch, Supplier<Network> network) {}

    /** Progress: {@code done} of {@code total} snapshots, the one being worked on, and what is happening. */
    public record Progress(int done, int total, String label, String stage) {}

    /** Local complexity at one snapshot: the counts at the training and validation points. */
    public record LocalRow(double epoch, String label, double trainLoss, LocalComplexity.Result train, LocalComplexity.Result validation) {}

    /** The result of a tracking. */
    public record Outcome(Path dir, List<TrackStep> steps, List<LocalRow> local, TrackReport report, double seconds) {
        public Outcome {
            steps = List.copyOf(steps);
            local = List.copyOf(local);
        }
    }

    private final Path out;
    private final Options options;
    private final Tracker tracker;
    private final Rectangle domain;
    private final PlaneSlice slice;
    private double[] lossEpochs, trainLoss, valLoss;
    private final double[] trainPoints, validPoints;
    private final List<LocalRow> local = new ArrayList<>();
    private final String title;
    /** Units with an activation bit in the latest network (for the flipped-unit share in the plot). */
    private int units;
    private final long t0 = System.nanoTime();

    /**
     * A tracking that writes to {@code out}.
     *
     * @param metrics per-epoch losses (a run's metrics.csv), or empty
     * @param trainPoints   2-D points for local complexity (row-major), or null
     * @param validPoints   the same for validation points, or null
     * @param title         what is tracked, for the pictures' titles
     */
    public RunTracking(Path out, Options options, Rectangle domain, PlaneSlice slice, List<MetricsRow> metrics,
                       double[] trainPoints, double[] validPoints, String title) {
        this.out = out;
        this.options = options;
        this.tracker = new Tracker(options.lineage());
        this.domain = domain;
        this.slice = slice;
        this.lossEpochs = metrics.stream().mapToDouble(MetricsRow::epoch).toArray();
        this.trainLoss = metrics.stream().mapToDouble(MetricsRow::trainLoss).toArray();
        this.valLoss = metrics.stream().mapToDouble(MetricsRow::valLoss).toArray();
        this.trainPoints = trainPoints;
        this.validPoints = validPoints;
        this.title = title;
        if (options.localRadius() > 0 && trainPoints == null)
            throw new BadInputException("local complexity needs data points (a run folder, or --points)");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new BadInputException("cannot create " + out + ": " + e.getMessage());
        }
    }

    public Path dir() { return out; }

    /** Notes the tracked networks' unit count (for the flipped-unit share in the plot) when no snapshot was added. */
    public void noteNetwork(Network net) { units = net.cuttingUnits(); }

    /** Replaces the per-epoch losses (a run in progress hands over its metrics at each snapshot). */
    public void setMetrics(List<MetricsRow> metrics) {
        lossEpochs = metrics.stream().mapToDouble(MetricsRow::epoch).toArray();
        trainLoss = metrics.stream().mapToDouble(MetricsRow::trainLoss).toArray();
        valLoss = metrics.stream().mapToDouble(MetricsRow::valLoss).toArray();
    }

    /**
     * Seeds the comparison with a snapshot that is already tracked (the last one before a resume): the next
     * {@link #add} is compared with it, and nothing is written for it.
     */
    public void prime(String label, double epoch, Network net, PlanePartition partition) {
        if (options.lineageOn()) tracker.primeWith(label, epoch, net, partition);
        units = net.cuttingUnits();
    }

    public List<TrackStep> steps() { return tracker.steps(); }

    /**
     * Continues a tracking whose earlier steps are in {@code out}/track.json (a resumed training run): the steps up to
     * and including {@code lastEpoch} are kept, the rest dropped.
     */
    public void restore(double lastEpoch) {
        Path f = out.resolve("track.json");
        if (!Files.isRegularFile(f)) return;
        try {
            JsonNode root = JSON.readTree(f.toFile());
            List<TrackStep> kept = new ArrayList<>();
            for (JsonNode s : root.path("steps")) {
                TrackStep st = stepFromJson(s);
                if (st.epochAfter() <= lastEpoch) kept.add(st);
            }
            tracker.restore(kept);
            for (JsonNode s : root.path("local")) {
                if (s.path("epoch").asDouble() > lastEpoch) continue;
                double[] tr = doubles(s.path("train_counts")), va = doubles(s.path("validation_counts"));
                LocalComplexity.Options lo = new LocalComplexity.Options(options.localRadius() > 0 ? options.localRadius() : 1,
                        LocalComplexity.Mode.BOX, 1, 1, Integer.MAX_VALUE, options.lineage().tolerance());
                local.add(new LocalRow(s.path("epoch").asDouble(), s.path("label").asText(), num(s.path("train_loss")),
                        new LocalComplexity.Result(lo, tr, 0, 0), va.length == 0 ? null : new LocalComplexity.Result(lo, va, 0, 0)));
            }
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot continue the tracking in " + f + ": " + e.getMessage());
        }
    }

    /**
     * Adds the next snapshot with its exact partition (of this tracking's domain and plane), writes the step's frame
     * and rewrites every table, plot and the summary.
     *
     * @return the lineage from the previous snapshot, null for the first
     */
    public Lineage add(String label, double epoch, Network net, PlanePartition partition, double partitionSeconds) {
        double[] losses = lossesAt(epoch);
        return add(label, epoch, net, partition, partitionSeconds, losses[0], losses[1]);
    }

    /** {@link #add(String, double, Network, PlanePartition, double)} with the snapshot's losses given (a run in progress). */
    public Lineage add(String label, double epoch, Network net, PlanePartition partition, double partitionSeconds,
                       double trainLossNow, double valLossNow) {
        Lineage l = options.lineageOn() ? tracker.add(label, epoch, net, partition, partitionSeconds) : null;
        units = net.cuttingUnits();
        double[] losses = {trainLossNow, valLossNow};
        if (l != null) {
            tracker.setLastLosses(losses[0], losses[1]);
            if (options.frames()) {
                TrackStep s = last();
                String t = String.format(Locale.ROOT, "%s -> %s: %d -> %d regions", s.labelBefore(), s.labelAfter(),
                        s.summary().regionsBefore(), s.summary().regionsAfter());
                ImageFiles.writePng(LineagePictures.frame(l, options.frameSize(), t),
                        out.resolve("frames").resolve(String.format(Locale.ROOT, "step-%04d.png", s.index())));
            }
            if (options.regionTable() != RegionTableFormat.NONE) {
                boolean gz = options.regionTable() == RegionTableFormat.GZ;
                AtomicFiles.write(out.resolve("regions").resolve(RegionTable.fileName(last().index(), gz)), os -> {
                    if (!gz) {
                        RegionTable.write(l, os);
                        return;
                    }
                    GZIPOutputStream z = new GZIPOutputStream(os, 1 << 16);
                    RegionTable.write(l, z);
                    z.finish(); // the file's stream is closed by AtomicFiles
                });
            }
        }
        if (options.localRadius() > 0) {
            LocalComplexity.Result tr = LocalComplexity.countsInPartition(partition, net, trainPoints, options.localRadius(), options.lineage().tolerance());
            LocalComplexity.Result va = validPoints == null || validPoints.length == 0 ? null
                    : LocalComplexity.countsInPartition(partition, net, validPoints, options.localRadius(), options.lineage().tolerance());
            local.add(new LocalRow(epoch, label, losses[0], tr, va));
        }
        write();
        return l;
    }

    private TrackStep last() {
        List<TrackStep> s = tracker.steps();
        return s.get(s.size() - 1);
    }

    /** Train and validation loss at {@code epoch} from the metrics (NaN when unknown). */
    private double[] lossesAt(double epoch) {
        for (int k = lossEpochs.length - 1; k >= 0; k--) if (lossEpochs[k] == epoch) return new double[]{trainLoss[k], valLoss[k]};
        return new double[]{Double.NaN, Double.NaN};
    }

    /** The report of the steps so far. */
    public TrackReport report() {
        List<TrackStep> steps = tracker.steps();
        if (lossEpochs.length > 0) return TrackReport.of(steps, lossEpochs, trainLoss, options.spikeFactor(), options.spikeWindow());
        // no per-epoch metrics: the losses at the snapshots, with a window of a few snapshots
        double[] e = steps.stream().mapToDouble(TrackStep::epochAfter).toArray();
        double[] l = steps.stream().mapToDouble(TrackStep::trainLoss).toArray();
        return TrackReport.of(steps, e, l, options.spikeFactor(), Math.min(options.spikeWindow(), Math.max(1, steps.size() / 4)));
    }

    /** Rewrites track.csv, track.json, track.png, summary.txt, summary.json (and local.csv, local.png). */
    public void write() {
        List<TrackStep> steps = tracker.steps();
        TrackReport rep = report();
        if (options.lineageOn()) AtomicFiles.writeString(out.resolve("track.csv"), csv(steps));
        if (!local.isEmpty()) AtomicFiles.writeString(out.resolve("local.csv"), localCsv());
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("title", title);
            ObjectNode o = root.putObject("options");
            o.put("domain", domain.xmin() + "," + domain.xmax() + "," + domain.ymin() + "," + domain.ymax());
            o.put("plane", slice.description());
            o.put("map_threshold", options.lineage().mapThreshold());
            o.put("spike_factor", options.spikeFactor());
            o.put("spike_window", options.spikeWindow());
            o.put("local_radius", options.localRadius());
            ArrayNode arr = root.putArray("steps");
            for (TrackStep s : steps) arr.add(stepJson(s));
            if (!local.isEmpty()) {
                ArrayNode la = root.putArray("local");
                for (LocalRow r : local) la.add(localJson(r));
            }
            root.set("report", reportJson(rep));
            AtomicFiles.writeString(out.resolve(options.lineageOn() ? "track.json" : "local.json"), JSON.writeValueAsString(root) + "\n");
            if (options.lineageOn()) AtomicFiles.writeString(out.resolve("summary.json"), JSON.writeValueAsString(reportJson(rep)) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (options.lineageOn()) AtomicFiles.writeString(out.resolve("summary.txt"), title + "\n" + rep.text());
        if (!steps.isEmpty()) ImageFiles.writePng(changePlot(steps, rep), out.resolve("track.png"));
        if (!local.isEmpty()) ImageFiles.writePng(localPlot(), out.resolve("local.png"));
    }

    /** The outcome so far. */
    public Outcome outcome() {
        return new Outcome(out, tracker.steps(), local, report(), (System.nanoTime() - t0) / 1e9);
    }

    // ---- whole sequences

    /**
     * Tracks {@code sources} in order: each network's exact partition of {@code domain} on {@code slice}, compared
     * with the one before.
     *
     * @throws CancellationException when the thread is interrupted (the files of the steps done are whole)
     */
    public static Outcome track(List<Source> sources, Path out, Options options, Rectangle domain, PlaneSlice slice,
                                List<MetricsRow> metrics, double[] trainPoints, double[] validPoints, String title,
                                Consumer<Progress> progress) {
        if (sources.size() < 2 && options.lineageOn()) throw new BadInputException("tracking needs at least two snapshots, got " + sources.size());
        RunTracking t = new RunTracking(out, options, domain, slice, metrics, trainPoints, validPoints, title);
        t.trackSources(sources, false, progress);
        return t.outcome();
    }

    /**
     * Adds {@code sources} in order, computing each exact partition; with {@code primeFirst} the first source is
     * only the starting point (already tracked) and nothing is written for it.
     *
     * @throws CancellationException when the thread is interrupted (the files of the steps done are whole)
     */
    public void trackSources(List<Source> sources, boolean primeFirst, Consumer<Progress> progress) {
        int k = 0;
        for (Source s : sources) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted after " + k + " snapshots; the files hold the steps done");
            progress.accept(new Progress(k, sources.size(), s.label(), "loading"));
            Network net = s.network().get();
            if (net.inputDim() != slice.inputDim())
                throw new BadInputException(s.label() + " has " + net.inputDim() + " inputs, the plane lives in " + slice.inputDim() + " dimensions");
            progress.accept(new Progress(k, sources.size(), s.label(), "exact partition"));
            PlanePartition part = new PlanePartitioner(net, slice, domain, options.lineage().tolerance()).getResult();
            progress.accept(new Progress(k, sources.size(), s.label(), part.count() + " regions, " + (options.lineageOn() ? "lineage" : "local complexity")));
            if (primeFirst && k == 0) prime(s.label(), s.epoch(), net, part);
            else add(s.label(), s.epoch(), net, part, part.seconds());
            k++;
            progress.accept(new Progress(k, sources.size(), s.label(), part.count() + " regions"));
        }
    }

    /**
     * Continues the tracking of a run folder written to this tracking's folder: keeps the steps in its track.json up
     * to {@code upTo}, then tracks the run's snapshots after the last tracked one, up to {@code upTo} (a resumed
     * {@code atlas train --track}, or {@code atlas track RUN_DIR --continue}).
     *
     * @return the number of snapshots newly tracked
     */
    public int catchUp(Path runDir, double upTo, Consumer<Progress> progress) {
        return catchUp(runDir, upTo, true, progress);
    }

    /**
     * {@link #catchUp(Path, double, Consumer)}; with {@code primeWhenIdle} false and no new snapshot, the last
     * tracked snapshot's partition is not computed (only the report and plots are rewritten).
     */
    public int catchUp(Path runDir, double upTo, boolean primeWhenIdle, Consumer<Progress> progress) {
        restore(upTo);
        double last = Double.NEGATIVE_INFINITY;
        for (TrackStep s : tracker.steps()) last = Math.max(last, s.epochAfter());
        for (LocalRow r : local) last = Math.max(last, r.epoch());
        List<Source> todo = runSources(runDir, 1, last, upTo);
        boolean prime = last > Double.NEGATIVE_INFINITY && !todo.isEmpty() && todo.get(0).epoch() == last;
        if (primeWhenIdle || !(prime && todo.size() == 1)) trackSources(todo, prime, progress);
        write(); // the report and plots anew, also when nothing was left to track
        return prime ? todo.size() - 1 : todo.size();
    }

    /**
     * The snapshots of a run folder (models/epoch-NNNNNN.json), every {@code every}-th of them (the last always
     * kept), between {@code from} and {@code to} epochs inclusive.
     */
    public static List<Source> runSources(Path runDir, int every, double from, double to) {
        if (every < 1) throw new BadInputException("--every must be at least 1, got " + every);
        Path models = runDir.resolve("models");
        if (!Files.isDirectory(models)) throw new BadInputException(runDir + " is not a run folder (no models/ inside)");
        List<Path> files;
        try (var st = Files.list(models)) {
            files = st.filter(p -> EPOCH_FILE.matcher(p.getFileName().toString()).find()).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("cannot list " + models + ": " + e.getMessage());
        }
        List<Source> all = new ArrayList<>();
        for (Path f : files) {
            double e = epochOf(f);
            if (e < from || e > to) continue;
            all.add(new Source("epoch " + (long) e, e, () -> atlas.net.formats.ModelFiles.read(f, atlas.net.formats.ImportOptions.DEFAULT)));
        }
        all.sort((a, b) -> Double.compare(a.epoch(), b.epoch()));
        List<Source> picked = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) if (k % every == 0 || k == all.size() - 1) picked.add(all.get(k));
        return picked;
    }

    /** The epoch in a snapshot file's name (epoch-000150.json -> 150), or -1. */
    public static double epochOf(Path f) {
        Matcher m = EPOCH_FILE.matcher(f.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The training and validation points of an image run (the run's own seeded sample). */
    public static double[][] runPoints(Path runDir) {
        RunSpec spec = TrainingRun.readSpec(runDir);
        TargetImage img = spec.loadImage();
        PixelSample s = PixelSample.draw(img, spec.points(), spec.validation(), spec.seed());
        return new double[][]{s.trainingSet(img).inputs(), s.validationSet(img).inputs()};
    }

    /** The metrics of a run folder, or empty when it has none. */
    public static List<MetricsRow> runMetrics(Path runDir) {
        Path f = runDir.resolve(TrainingRun.METRICS);
        return Files.isRegularFile(f) ? MetricsRow.read(f) : List.of();
    }

    // ---- tables

    static final String CSV_HEADER = "step,epoch_before,epoch_after,label_before,label_after,regions_before,regions_after,survived,moved,split,died,"
            + "merged,born,pattern_survived_share,geometry_changed_share,map_changed_share,map_changed_survived_share,mean_map_change,"
            + "hausdorff_mean,hausdorff_median,hausdorff_max,conservation_error,train_loss,val_loss,changed_share_by_first_layer,"
            + "flipped_units_by_layer,lineage_seconds,partition_seconds";

    static String csv(List<TrackStep> steps) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (TrackStep s : steps) {
            LineageSummary m = s.summary();
            sb.append(s.index()).append(',').append(g(s.epochBefore())).append(',').append(g(s.epochAfter())).append(',')
                    .append(label(s.labelBefore())).append(',').append(label(s.labelAfter())).append(',')
                    .append(m.regionsBefore()).append(',').append(m.regionsAfter()).append(',').append(m.survived()).append(',')
                    .append(m.moved()).append(',').append(m.split()).append(',').append(m.died()).append(',').append(m.merged()).append(',')
                    .append(m.born()).append(',').append(g(m.patternSurvivedShare())).append(',').append(g(m.geometryChangedShare())).append(',')
                    .append(g(m.mapChangedShare())).append(',').append(g(m.mapChangedSurvivedShare())).append(',').append(g(m.meanMapChange())).append(',')
                    .append(g(m.hausdorffMean())).append(',').append(g(m.hausdorffMedian())).append(',').append(g(m.hausdorffMax())).append(',')
                    .append(g(m.conservationError())).append(',').append(g(s.trainLoss())).append(',').append(g(s.valLoss())).append(',')
                    .append(list(m.changedShareByFirstLayer())).append(',').append(list(m.flippedUnitsByLayer())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", m.seconds())).append(',').append(String.format(Locale.ROOT, "%.3f", s.partitionSeconds()))
                    .append('\n');
        }
        return sb.toString();
    }

    private String localCsv() {
        StringBuilder sb = new StringBuilder("epoch,label,train_loss,radius,points,mean,p10,median,p90,max,validation_points,validation_mean,validation_median\n");
        for (LocalRow r : local) {
            sb.append(g(r.epoch())).append(',').append(label(r.label())).append(',').append(g(r.trainLoss())).append(',')
                    .append(g(options.localRadius())).append(',').append(r.train().counts().length).append(',').append(g(r.train().mean())).append(',')
                    .append(g(r.train().quantile(0.1))).append(',').append(g(r.train().quantile(0.5))).append(',').append(g(r.train().quantile(0.9)))
                    .append(',').append(g(r.train().max())).append(',');
            if (r.validation() != null)
                sb.append(r.validation().counts().length).append(',').append(g(r.validation().mean())).append(',').append(g(r.validation().quantile(0.5)));
            else sb.append("0,,");
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String label(String s) { return s.replace(',', ';').replace('\n', ' '); }

    private static String list(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < v.length; k++) sb.append(k == 0 ? "" : ";").append(g(v[k]));
        return sb.toString();
    }

    private static String g(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    // ---- JSON

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    private static double num(JsonNode n) { return n.isNumber() ? n.asDouble() : Double.NaN; }

    private static double[] doubles(JsonNode n) {
        double[] d = new double[n.size()];
        for (int k = 0; k < d.length; k++) d[k] = num(n.get(k));
        return d;
    }

    private static ArrayNode array(ObjectNode o, String k, double[] v) {
        ArrayNode a = o.putArray(k);
        for (double x : v) {
            if (Double.isFinite(x)) a.add(x);
            else a.addNull();
        }
        return a;
    }

    static ObjectNode stepJson(TrackStep s) {
        ObjectNode o = JSON.createObjectNode();
        LineageSummary m = s.summary();
        o.put("step", s.index());
        o.put("label_before", s.labelBefore());
        o.put("label_after", s.labelAfter());
        put(o, "epoch_before", s.epochBefore());
        put(o, "epoch_after", s.epochAfter());
        put(o, "train_loss", s.trainLoss());
        put(o, "val_loss", s.valLoss());
        o.put("regions_before", m.regionsBefore());
        o.put("regions_after", m.regionsAfter());
        o.put("survived", m.survived());
        o.put("moved", m.moved());
        o.put("split", m.split());
        o.put("died", m.died());
        o.put("merged", m.merged());
        o.put("born", m.born());
        put(o, "pattern_survived_share", m.patternSurvivedShare());
        put(o, "geometry_changed_share", m.geometryChangedShare());
        put(o, "map_changed_share", m.mapChangedShare());
        put(o, "map_changed_survived_share", m.mapChangedSurvivedShare());
        put(o, "mean_map_change", m.meanMapChange());
        put(o, "hausdorff_mean", m.hausdorffMean());
        put(o, "hausdorff_median", m.hausdorffMedian());
        put(o, "hausdorff_max", m.hausdorffMax());
        array(o, "changed_share_by_first_layer", m.changedShareByFirstLayer());
        array(o, "flipped_units_by_layer", m.flippedUnitsByLayer());
        put(o, "conservation_error", m.conservationError());
        put(o, "lineage_seconds", m.seconds());
        put(o, "partition_seconds", s.partitionSeconds());
        return o;
    }

    static TrackStep stepFromJson(JsonNode o) {
        LineageSummary m = new LineageSummary(o.path("regions_before").asInt(), o.path("regions_after").asInt(), o.path("survived").asInt(),
                o.path("moved").asInt(), o.path("split").asInt(), o.path("died").asInt(), o.path("merged").asInt(), o.path("born").asInt(),
                num(o.path("pattern_survived_share")), num(o.path("map_changed_share")), num(o.path("map_changed_survived_share")),
                num(o.path("mean_map_change")), num(o.path("hausdorff_mean")), num(o.path("hausdorff_median")), num(o.path("hausdorff_max")),
                doubles(o.path("changed_share_by_first_layer")), doubles(o.path("flipped_units_by_layer")), num(o.path("conservation_error")),
                num(o.path("lineage_seconds")));
        return new TrackStep(o.path("step").asInt(), o.path("label_before").asText(), o.path("label_after").asText(),
                num(o.path("epoch_before")), num(o.path("epoch_after")), num(o.path("train_loss")), num(o.path("val_loss")), m,
                num(o.path("partition_seconds")));
    }

    private ObjectNode localJson(LocalRow r) {
        ObjectNode o = JSON.createObjectNode();
        put(o, "epoch", r.epoch());
        o.put("label", r.label());
        put(o, "train_loss", r.trainLoss());
        put(o, "radius", options.localRadius());
        put(o, "mean", r.train().mean());
        put(o, "p10", r.train().quantile(0.1));
        put(o, "median", r.train().quantile(0.5));
        put(o, "p90", r.train().quantile(0.9));
        put(o, "max", r.train().max());
        array(o, "train_counts", r.train().counts());
        if (r.validation() != null) {
            put(o, "validation_mean", r.validation().mean());
            array(o, "validation_counts", r.validation().counts());
        }
        return o;
    }

    private static ObjectNode reportJson(TrackReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("loss_known", r.lossKnown());
        put(o, "ordinary_geometry_change_units_flipped", r.ordinaryGeometry());
        put(o, "ordinary_map_changed_share", r.ordinaryMap());
        put(o, "late_geometry_change_units_flipped", r.lateGeometry());
        put(o, "late_map_changed_share", r.lateMap());
        put(o, "late_map_changed_survived_share", r.lateMapSurvived());
        put(o, "unusual_ratio", TrackReport.UNUSUAL_RATIO);
        o.put("geometry_measure", "mean number of units whose activation bit flipped at a point of the domain");
        o.put("spiky_steps", r.spikySteps());
        put(o, "spike_geometry_correlation", r.spikeGeometryCorrelation());
        put(o, "spike_map_correlation", r.spikeMapCorrelation());
        ArrayNode a = o.putArray("spikes");
        for (TrackReport.SpikeStep s : r.spikes()) {
            ObjectNode x = a.addObject();
            put(x, "epoch", s.spike().epoch());
            put(x, "end_epoch", s.spike().endEpoch());
            put(x, "baseline_loss", s.spike().baseline());
            put(x, "peak_loss", s.spike().peak());
            put(x, "factor", s.spike().factor());
            x.put("step", s.step());
            put(x, "step_epoch_before", s.epochBefore());
            put(x, "step_epoch_after", s.epochAfter());
            put(x, "geometry_change_units_flipped", s.geometryChanged());
            put(x, "map_changed_share", s.mapChanged());
            x.put("unusual_geometry", s.unusualGeometry());
            x.put("unusual_map", s.unusualMap());
            x.put("verdict", s.verdict());
        }
        o.put("text", r.text());
        return o;
    }

    // ---- plots

    private List<MetricPlots.Series> lossSeries(List<TrackStep> steps) {
        List<MetricPlots.Series> losses = new ArrayList<>();
        if (lossEpochs.length > 0) {
            losses.add(new MetricPlots.Series("train loss", lossEpochs, trainLoss));
            losses.add(new MetricPlots.Series("validation loss", lossEpochs, valLoss));
        } else {
            double[] e = steps.stream().mapToDouble(TrackStep::epochAfter).toArray();
            losses.add(new MetricPlots.Series("train loss", e, steps.stream().mapToDouble(TrackStep::trainLoss).toArray()));
            losses.add(new MetricPlots.Series("validation loss", e, steps.stream().mapToDouble(TrackStep::valLoss).toArray()));
        }
        return losses;
    }

    private java.awt.image.BufferedImage changePlot(List<TrackStep> steps, TrackReport rep) {
        double[] e = steps.stream().mapToDouble(TrackStep::epochAfter).toArray();
        List<MetricPlots.Series> shares = List.of(
                new MetricPlots.Series("pattern changed", e, steps.stream().mapToDouble(s -> s.summary().geometryChangedShare()).toArray()),
                new MetricPlots.Series("units flipped at a mean point / units", e,
                        steps.stream().mapToDouble(s -> units > 0 ? Arrays.stream(s.summary().flippedUnitsByLayer()).sum() / units : Double.NaN).toArray()),
                new MetricPlots.Series("map changed", e, steps.stream().mapToDouble(s -> s.summary().mapChangedShare()).toArray()),
                new MetricPlots.Series("map changed, pattern kept", e, steps.stream().mapToDouble(s -> s.summary().mapChangedSurvivedShare()).toArray()));
        double[] se = rep.spikes().stream().mapToDouble(s -> s.spike().epoch()).toArray();
        double[] sl = rep.spikes().stream().mapToDouble(s -> s.spike().peak()).toArray();
        return LineagePictures.changePlot("loss: " + title, lossSeries(steps), se, sl,
                String.format(Locale.ROOT, "share of the domain changed since the previous snapshot (map threshold %.3g)", options.lineage().mapThreshold()),
                "share of the domain", shares, false, 900, 700);
    }

    private java.awt.image.BufferedImage localPlot() {
        double[] e = local.stream().mapToDouble(LocalRow::epoch).toArray();
        List<MetricPlots.Series> s = new ArrayList<>(List.of(
                new MetricPlots.Series("mean (train points)", e, local.stream().mapToDouble(r -> r.train().mean()).toArray()),
                new MetricPlots.Series("10% quantile", e, local.stream().mapToDouble(r -> r.train().quantile(0.1)).toArray()),
                new MetricPlots.Series("median", e, local.stream().mapToDouble(r -> r.train().quantile(0.5)).toArray()),
                new MetricPlots.Series("90% quantile", e, local.stream().mapToDouble(r -> r.train().quantile(0.9)).toArray())));
        if (local.stream().allMatch(r -> r.validation() != null))
            s.add(new MetricPlots.Series("mean (validation points)", e, local.stream().mapToDouble(r -> r.validation().mean()).toArray()));
        List<MetricPlots.Series> losses = new ArrayList<>();
        if (lossEpochs.length > 0) {
            losses.add(new MetricPlots.Series("train loss", lossEpochs, trainLoss));
            losses.add(new MetricPlots.Series("validation loss", lossEpochs, valLoss));
        } else {
            losses.add(new MetricPlots.Series("train loss", e, local.stream().mapToDouble(LocalRow::trainLoss).toArray()));
        }
        return LineagePictures.changePlot("loss: " + title, losses, new double[0], new double[0],
                String.format(Locale.ROOT, "local complexity: exact regions meeting the square of radius %.3g around each point", options.localRadius()),
                "regions", s, false, 900, 700);
    }
}
