package atlas.experiment;

import atlas.error.BadInputException;

import atlas.data.TargetImage;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Depth and bottlenecks on the ring: the 6x14, the bottleneck 10x10,2,3x10 and the deep 40x20 nets, trained with the
 * same settings. Every epoch the training loss is checked for a <em>spike</em>: a loss above {@code spikeFactor}
 * times the lowest loss of the previous {@code window} epochs (consecutive spike epochs form one event, reported at
 * its first epoch). At each spike (up to {@code maxSpikes} per net) the exact partitions of [0,1]^2 before and
 * after the spike epoch are compared: the <em>surviving fraction</em> is the share of the regions before whose
 * activation pattern still labels a region after. The same figure between the last two epochs of the run is the
 * quiet baseline. Writes:
 * <pre>
 * runs/&lt;shape&gt;/      one training run folder per net
 * depth.csv         per net: parameters, final losses, exact regions, spikes, quiet surviving fraction, seconds
 * spikes.csv        per spike: net, epoch, loss before and at the spike, factor, regions before/after, surviving fraction
 * curves.png        training loss (log) and exact region count against the epoch, one curve per net
 * final-frames.png  final frames side by side
 * summary.md        the numbers
 * </pre>
 */
public final class DepthExperiment {
    private DepthExperiment() {}

    /**
     * @param base        run settings shared by the nets (shape replaced by each of {@code shapes})
     * @param shapes      hidden shapes
     * @param spikeFactor a spike is a training loss above this multiple of the recent minimum
     * @param window      epochs of the recent minimum
     * @param maxSpikes   most spikes analysed per net
     */
    public record Config(RunSpec base, List<String> shapes, double spikeFactor, int window, int maxSpikes) {
        public Config {
            if (shapes.isEmpty()) throw new BadInputException("give at least one shape");
            shapes = List.copyOf(shapes);
            if (!(spikeFactor > 1)) throw new BadInputException("--spike-factor must exceed 1, got " + spikeFactor);
            if (window < 1) throw new BadInputException("--spike-window must be positive, got " + window);
            if (maxSpikes < 0) throw new BadInputException("--max-spikes must not be negative");
        }
    }

    /** Defaults small enough for a laptop: 600 epochs, regions every 100, spikes at 1.5 x the minimum of 20 epochs. */
    public static Config defaults() {
        return new Config(RunSpec.defaults().withEpochs(600, 100).withFrames(true, 300, false),
                List.of("6x14", "10x10,2,3x10", "40x20"), 1.5, 20, 8);
    }

    public record Spike(String shape, int epoch, double lossBefore, double lossAtSpike, int regionsBefore, int regionsAfter, Change change) {
        public double factor() { return lossAtSpike / lossBefore; }
        public double survivingFraction() { return change.survivingFraction(); }
    }

    public record ShapeResult(String shape, String network, long parameters, double finalTrain, double finalVal, int regions,
                              int spikeCount, Change quiet, double seconds) {
        public double quietSurvival() { return quiet == null ? Double.NaN : quiet.survivingFraction(); }
    }

    /**
     * How much a partition changed from one network to the next.
     *
     * @param survivingFraction share of the regions before whose activation pattern labels a region after
     * @param survivingArea     share of the domain's area covered by those regions
     * @param meanFlippedUnits  mean over the regions before (at most {@link #SAMPLE} of them, evenly spread) of the
     *                          number of cutting units whose sign differs after, at the region's interior point
     */
    public record Change(double survivingFraction, double survivingArea, double meanFlippedUnits) {}

    /** The most regions at which flipped units are counted. */
    public static final int SAMPLE = 4000;

    /** The change from {@code before} to {@code after} (a partition of {@code afterNet}). */
    public static Change change(PlanePartition before, PlanePartition after, Network afterNet) {
        Set<ActivationPattern> next = new HashSet<>();
        for (LinearRegion r : after.regions()) next.add(r.pattern());
        int kept = 0;
        double keptArea = 0, area = 0;
        for (LinearRegion r : before.regions()) {
            area += r.area();
            if (next.contains(r.pattern())) {
                kept++;
                keptArea += r.area();
            }
        }
        int n = before.count();
        int step = Math.max(1, n / SAMPLE);
        long flipped = 0;
        int counted = 0;
        for (int k = 0; k < n; k += step) {
            LinearRegion r = before.regions().get(k);
            ActivationPattern q = ActivationPattern.of(afterNet.trace(before.slice().toInput(r.interiorPoint()[0], r.interiorPoint()[1])).activeBits(afterNet));
            flipped += r.pattern().hamming(q);
            counted++;
        }
        return new Change(n == 0 ? 1 : (double) kept / n, area == 0 ? 1 : keptArea / area, counted == 0 ? 0 : (double) flipped / counted);
    }

    public record Result(Path dir, List<ShapeResult> shapes, List<Spike> spikes) {
        public Result {
            shapes = List.copyOf(shapes);
            spikes = List.copyOf(spikes);
        }
    }

    /** Share of {@code before}'s regions whose pattern labels some region of {@code after}. */
    public static double survivingFraction(PlanePartition before, PlanePartition after) {
        Set<ActivationPattern> next = new HashSet<>();
        for (LinearRegion r : after.regions()) next.add(r.pattern());
        int kept = 0;
        for (LinearRegion r : before.regions()) if (next.contains(r.pattern())) kept++;
        return before.count() == 0 ? 1 : (double) kept / before.count();
    }

    /** The spike detector, fed one training loss per epoch. */
    static final class SpikeDetector {
        private final double factor;
        private final int window;
        private final ArrayDeque<Double> recent = new ArrayDeque<>();
        private boolean inSpike;

        SpikeDetector(double factor, int window) {
            this.factor = factor;
            this.window = window;
        }

        /** Returns the recent minimum when {@code loss} starts a spike, NaN otherwise. */
        double accept(double loss) {
            double min = Double.POSITIVE_INFINITY;
            for (double v : recent) min = Math.min(min, v);
            boolean full = recent.size() == window;
            boolean spike = full && loss > factor * min;
            double res = spike && !inSpike ? min : Double.NaN;
            inSpike = spike;
            if (!spike) {
                recent.addLast(loss);
                if (recent.size() > window) recent.removeFirst();
            }
            return res;
        }
    }

    private record Pending(int epoch, double before, double at, Network prev, Network cur) {}

    public static Result run(Config c, Path dir, Consumer<String> log, Consumer<TrainingRun.Progress> progress) {
        List<ShapeResult> results = new ArrayList<>();
        List<Spike> spikes = new ArrayList<>();
        List<Path> finals = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<MetricPlots.Series> losses = new ArrayList<>(), counts = new ArrayList<>();
        TargetImage img = c.base().loadImage();
        for (String shape : c.shapes()) {
            RunSpec s = c.base().withShape(shape);
            Path runDir = dir.resolve("runs").resolve(shape.replaceAll("[^0-9A-Za-z]+", "_"));
            RingDemo.clear(runDir);
            SpikeDetector det = new SpikeDetector(c.spikeFactor(), c.window());
            List<Pending> pending = new ArrayList<>();
            Network[] last = new Network[2]; // [0] = previous epoch, [1] = current
            int[] spikeCount = {0};
            TrainingRun run = TrainingRun.create(s, runDir).onProgress(progress).onEpoch((e, loss, trainer) -> {
                Network cur = trainer.network();
                if (e > 0) {
                    double before = det.accept(loss);
                    if (!Double.isNaN(before)) {
                        spikeCount[0]++;
                        if (pending.size() < c.maxSpikes()) pending.add(new Pending(e, before, loss, last[1], cur));
                    }
                }
                last[0] = last[1];
                last[1] = cur;
            });
            TrainingRun.Outcome o = run.run();
            for (Pending p : pending) {
                PlanePartition a = PlanePartitioner.compute(p.prev(), Rectangle.UNIT), b = PlanePartitioner.compute(p.cur(), Rectangle.UNIT);
                spikes.add(new Spike(shape, p.epoch(), p.before(), p.at(), a.count(), b.count(), change(a, b, p.cur())));
            }
            Change quiet = null;
            if (last[0] != null) quiet = change(PlanePartitioner.compute(last[0], Rectangle.UNIT), PlanePartitioner.compute(last[1], Rectangle.UNIT), last[1]);
            ShapeResult r = new ShapeResult(shape, o.network().shape(), o.network().parameterCount(), o.trainLoss(), o.valLoss(), o.regions(),
                    spikeCount[0], quiet, o.seconds());
            results.add(r);
            log.accept(String.format(Locale.ROOT, "%s (%s, %d parameters): train %.5f, val %.5f, %d regions, %d loss spikes; last epoch: %s",
                    shape, r.network(), r.parameters(), r.finalTrain(), r.finalVal(), r.regions(), r.spikeCount(), describe(quiet)));
            for (Spike sp : spikes) if (sp.shape().equals(shape))
                log.accept(String.format(Locale.ROOT, "  spike at epoch %d: loss %.5f -> %.5f (x%.2f), regions %d -> %d, %s",
                        sp.epoch(), sp.lossBefore(), sp.lossAtSpike(), sp.factor(), sp.regionsBefore(), sp.regionsAfter(), describe(sp.change())));
            if (o.finalFrame() != null) {
                finals.add(o.finalFrame());
                labels.add(String.format(Locale.ROOT, "%s: val %.4f, %d regions", shape, r.finalVal(), r.regions()));
            }
            List<MetricsRow> rows = o.metrics();
            losses.add(new MetricPlots.Series(shape, rows.stream().mapToDouble(MetricsRow::epoch).toArray(), rows.stream().mapToDouble(MetricsRow::trainLoss).toArray()));
            List<MetricsRow> snaps = rows.stream().filter(x -> x.regions() >= 0).toList();
            counts.add(new MetricPlots.Series(shape, snaps.stream().mapToDouble(MetricsRow::epoch).toArray(), snaps.stream().mapToDouble(MetricsRow::regions).toArray()));
        }
        if (!finals.isEmpty()) ImageFiles.writePng(ImageRuns.finalFrames(finals, c.base().panelSize(), labels), dir.resolve("final-frames.png"));
        ImageFiles.writePng(MetricPlots.lossesAndRegions("training loss on " + img.name() + " (same seed and settings)", losses, counts, 1000, 800), dir.resolve("curves.png"));
        List<String> rows = new ArrayList<>();
        for (ShapeResult r : results)
            rows.add(String.format(Locale.ROOT, "\"%s\",\"%s\",%d,%.8g,%.8g,%d,%d,%.4f,%.4f,%.3f,%.2f", r.shape(), r.network(), r.parameters(), r.finalTrain(), r.finalVal(),
                    r.regions(), r.spikeCount(), r.quietSurvival(), r.quiet() == null ? Double.NaN : r.quiet().survivingArea(),
                    r.quiet() == null ? Double.NaN : r.quiet().meanFlippedUnits(), r.seconds()));
        ImageRuns.writeCsv(dir.resolve("depth.csv"), "shape,network,parameters,final_train_loss,final_val_loss,regions,spikes,"
                + "quiet_surviving_fraction,quiet_surviving_area,quiet_mean_flipped_units,seconds", rows);
        List<String> sp = new ArrayList<>();
        for (Spike s : spikes)
            sp.add(String.format(Locale.ROOT, "\"%s\",%d,%.8g,%.8g,%.4f,%d,%d,%.4f,%.4f,%.3f", s.shape(), s.epoch(), s.lossBefore(), s.lossAtSpike(), s.factor(),
                    s.regionsBefore(), s.regionsAfter(), s.survivingFraction(), s.change().survivingArea(), s.change().meanFlippedUnits()));
        ImageRuns.writeCsv(dir.resolve("spikes.csv"), "shape,epoch,loss_before,loss_at_spike,factor,regions_before,regions_after,surviving_fraction,"
                + "surviving_area,mean_flipped_units", sp);
        Result res = new Result(dir, results, spikes);
        AtomicFiles.writeString(dir.resolve("summary.md"), summary(c, res));
        return res;
    }

    static String describe(Change c) {
        if (c == null) return "n/a";
        return String.format(Locale.ROOT, "%.1f%% of regions (%.1f%% of the area) keep their pattern, %.2f units flip per region",
                100 * c.survivingFraction(), 100 * c.survivingArea(), c.meanFlippedUnits());
    }

    static String summary(Config c, Result r) {
        RunSpec b = c.base();
        StringBuilder sb = new StringBuilder("# Depth, bottlenecks and loss spikes\n\n");
        sb.append(String.format(Locale.ROOT, "Image `%s`, %d + %d points, %d epochs, batch %d, %s lr %s, seed %d, exact regions on [0,1]^2 every %d epochs. "
                        + "A spike is an epoch whose training loss exceeds %.2f x the lowest loss of the previous %d epochs; at each (at most %d per net) "
                        + "the exact partitions before and after the spike epoch are compared.%n%n",
                b.image(), b.points(), b.validation(), b.epochs(), b.batch(), b.optimizer(), b.lr(), b.seed(), b.every(), c.spikeFactor(), c.window(), c.maxSpikes()));
        sb.append("| shape | network | parameters | final train loss | final val loss | exact regions | loss spikes | last epoch: surviving regions | surviving area | flipped units per region | seconds |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ShapeResult s : r.shapes())
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.5f | %.5f | %d | %d | %.3f | %.3f | %.2f | %.1f |%n", s.shape(), s.network(), s.parameters(),
                    s.finalTrain(), s.finalVal(), s.regions(), s.spikeCount(), s.quietSurvival(), s.quiet() == null ? Double.NaN : s.quiet().survivingArea(),
                    s.quiet() == null ? Double.NaN : s.quiet().meanFlippedUnits(), s.seconds()));
        sb.append("\nThe last-epoch columns compare the partitions after the last two epochs (the baseline for one epoch of training): the share of "
                + "regions whose activation pattern survives, the share of the area they cover, and the mean number of units whose sign flips at a "
                + "region's interior point.\n\n");
        if (r.spikes().isEmpty()) sb.append("No loss spikes were found with these settings.\n");
        else {
            sb.append("## Spikes\n\n| shape | epoch | loss before | loss at spike | factor | regions before | regions after | surviving regions | surviving area | flipped units per region |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Spike s : r.spikes())
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.5f | %.5f | %.2f | %d | %d | %.3f | %.3f | %.2f |%n", s.shape(), s.epoch(), s.lossBefore(), s.lossAtSpike(),
                        s.factor(), s.regionsBefore(), s.regionsAfter(), s.survivingFraction(), s.change().survivingArea(), s.change().meanFlippedUnits()));
        }
        sb.append("\nFiles: `depth.csv`, `spikes.csv`, `curves.png`, `final-frames.png`, one run folder per net under `runs/`.\n");
        return sb.toString();
    }
}
