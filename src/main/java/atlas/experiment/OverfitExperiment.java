package atlas.experiment;

import atlas.error.BadInputException;

import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.io.AtomicFiles;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The shrinking-data study of the ring experiments: the same net (30x30 by default), seed and epochs trained on
 * 5000, 2500, 1250, 625 and 312 points, each with the same 1000 validation points count. Writes into the
 * report folder:
 * <pre>
 * runs/points-NNNNN/   one full training run folder per size (see TrainingRun)
 * overfit.csv          per size: final train / validation loss, best validation loss and its epoch, the ratio of the
 *                      final to the best validation loss, exact regions, the epoch the ring emerged, ring IoU, seconds
 * final-frames.png     the final frames side by side (top: output with exact regions, bottom: output)
 * curves.png           validation loss (log) and exact region count against the epoch, one curve per size
 * summary.md           the numbers and what they say
 * </pre>
 * "The ring emerged" at the first epoch whose validation MSE is at most half the variance of the validation
 * targets (the network explains half of the image's variance); "ring IoU" is the intersection over union of
 * the dark sets (value &lt; 0.5) of the final output and of the image on a 256 x 256 grid.
 */
public final class OverfitExperiment {
    private OverfitExperiment() {}

    /**
     * @param base  the run settings shared by every size (its points are replaced by each size)
     * @param sizes training-set sizes, in order
     */
    public record Config(RunSpec base, int[] sizes) {
        public Config {
            if (sizes.length == 0) throw new BadInputException("give at least one training-set size");
            for (int s : sizes) if (s <= 0) throw new BadInputException("training-set sizes must be positive, got " + s);
            sizes = sizes.clone();
        }

        @Override public int[] sizes() { return sizes.clone(); }
    }

    /** Defaults small enough for a laptop (a few minutes): ring, 30x30, 1000 epochs, regions every 250 epochs, panel 300 px. */
    public static Config defaults() {
        return new Config(RunSpec.defaults().withEpochs(1000, 250).withFrames(true, 300, false), new int[]{5000, 2500, 1250, 625, 312});
    }

    /** The figures of one size. emergedEpoch is -1 when the ring never emerged. */
    public record SizeResult(int points, double finalTrain, double finalVal, double minVal, int minValEpoch, int regions,
                             int emergedEpoch, double ringIoU, double seconds) {}

    public record Result(Path dir, List<SizeResult> sizes, double emergenceLevel) {
        public Result { sizes = List.copyOf(sizes); }
    }

    /** Runs every size in turn; {@code log} gets a line per finished size. */
    public static Result run(Config c, Path dir, Consumer<String> log, Consumer<TrainingRun.Progress> progress) {
        List<SizeResult> results = new ArrayList<>();
        List<Path> finals = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<MetricPlots.Series> val = new ArrayList<>(), regions = new ArrayList<>();
        TargetImage img = c.base().loadImage();
        double level = Double.NaN;
        for (int n : c.sizes()) {
            RunSpec s = c.base().withPoints(n, c.base().validation());
            Path runDir = dir.resolve("runs").resolve(String.format(Locale.ROOT, "points-%05d", n));
            RingDemo.clear(runDir);
            TrainingRun.Outcome o = TrainingRun.create(s, runDir).onProgress(progress).run();
            PixelSample sample = PixelSample.draw(img, n, s.validation(), s.seed());
            double var = img.isClassification() ? Double.NaN : ImageRuns.targetVariance(sample.validationSet(img).targets());
            level = 0.5 * var;
            List<MetricsRow> rows = o.metrics();
            MetricsRow best = rows.stream().filter(r -> !Double.isNaN(r.valLoss())).min((a, b) -> Double.compare(a.valLoss(), b.valLoss())).orElse(rows.get(0));
            int emerged = Double.isNaN(level) ? -1 : ImageRuns.firstEpochAtOrBelow(rows, level);
            double iou = img.isClassification() ? Double.NaN : ImageRuns.darkIoU(o.network(), img);
            SizeResult r = new SizeResult(n, o.trainLoss(), o.valLoss(), best.valLoss(), best.epoch(), o.regions(), emerged, iou, o.seconds());
            results.add(r);
            log.accept(String.format(Locale.ROOT, "%5d points: train %.5f, val %.5f (best %.5f at epoch %d), %d regions, ring emerged: %s, IoU %.3f, %.1f s",
                    n, r.finalTrain(), r.finalVal(), r.minVal(), r.minValEpoch(), r.regions(), emerged < 0 ? "never" : "epoch " + emerged, iou, r.seconds()));
            if (o.finalFrame() != null) {
                finals.add(o.finalFrame());
                labels.add(String.format(Locale.ROOT, "%d pts: val %.4f, %d regions", n, r.finalVal(), r.regions()));
            }
            double[] e = rows.stream().mapToDouble(MetricsRow::epoch).toArray();
            val.add(new MetricPlots.Series(n + " points", e, rows.stream().mapToDouble(MetricsRow::valLoss).toArray()));
            List<MetricsRow> snaps = rows.stream().filter(x -> x.regions() >= 0).toList();
            regions.add(new MetricPlots.Series(n + " points", snaps.stream().mapToDouble(MetricsRow::epoch).toArray(),
                    snaps.stream().mapToDouble(MetricsRow::regions).toArray()));
        }
        if (!finals.isEmpty()) ImageFiles.writePng(ImageRuns.finalFrames(finals, c.base().panelSize(), labels), dir.resolve("final-frames.png"));
        ImageFiles.writePng(MetricPlots.lossesAndRegions("validation loss, " + c.base().shape() + " on " + img.name() + " (same seed and epochs)",
                val, regions, 1000, 800), dir.resolve("curves.png"));
        List<String> lines = new ArrayList<>();
        for (SizeResult r : results)
            lines.add(String.format(Locale.ROOT, "%d,%d,%.8g,%.8g,%.8g,%d,%.4f,%d,%s,%.4f,%.2f", r.points(), c.base().epochs(), r.finalTrain(), r.finalVal(),
                    r.minVal(), r.minValEpoch(), r.finalVal() / r.minVal(), r.regions(), r.emergedEpoch() < 0 ? "" : Integer.toString(r.emergedEpoch()), r.ringIoU(), r.seconds()));
        ImageRuns.writeCsv(dir.resolve("overfit.csv"),
                "points,epochs,final_train_loss,final_val_loss,min_val_loss,min_val_epoch,final_over_min_val,regions,ring_emerged_epoch,ring_iou,seconds", lines);
        Result res = new Result(dir, results, level);
        AtomicFiles.writeString(dir.resolve("summary.md"), summary(c, res));
        return res;
    }

    /** A clause for a ring that emerged but whose final validation loss is above the level again. */
    private static String lostAgain(SizeResult s, double level) {
        if (s.emergedEpoch() < 0 || !(s.finalVal() > level)) return "";
        return String.format(Locale.ROOT, ", but the last epoch is above the level again (validation loss %.4f; the loss oscillates)", s.finalVal());
    }

    static String summary(Config c, Result r) {
        RunSpec b = c.base();
        StringBuilder sb = new StringBuilder();
        sb.append("# Shrinking the training set: does the ring still emerge?\n\n");
        sb.append(String.format(Locale.ROOT, "Network %s (leaky ReLU %s), image `%s`, %d validation points, %d epochs, batch %d, %s lr %s, seed %d; "
                        + "exact regions on [0,1]^2 every %d epochs. Training sets: %s points.%n%n",
                b.shape(), b.leak(), b.image(), b.validation(), b.epochs(), b.batch(), b.optimizer(), b.lr(), b.seed(), b.every(), Arrays.toString(c.sizes())));
        sb.append(String.format(Locale.ROOT, "The ring counts as emerged at the first epoch whose validation MSE is at most %.5f (half the variance of the "
                + "validation targets). Ring IoU compares the dark set (< 0.5) of the final output with the image's on a 256 x 256 grid.%n%n", r.emergenceLevel()));
        sb.append("| points | final train loss | final val loss | best val loss (epoch) | final / best val | exact regions | ring emerged | ring IoU | seconds |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SizeResult s : r.sizes())
            sb.append(String.format(Locale.ROOT, "| %d | %.5f | %.5f | %.5f (%d) | %.3f | %d | %s | %.3f | %.1f |%n", s.points(), s.finalTrain(), s.finalVal(),
                    s.minVal(), s.minValEpoch(), s.finalVal() / s.minVal(), s.regions(), s.emergedEpoch() < 0 ? "never" : "epoch " + s.emergedEpoch(), s.ringIoU(), s.seconds()));
        sb.append('\n');
        SizeResult first = r.sizes().get(0);
        sb.append(String.format(Locale.ROOT, "- %d points: %s%s.%n", first.points(),
                first.emergedEpoch() < 0 ? "the ring did not emerge within " + b.epochs() + " epochs" : "the ring emerged at epoch " + first.emergedEpoch(),
                lostAgain(first, r.emergenceLevel())));
        for (SizeResult s : r.sizes()) {
            if (s == first) continue;
            String emerged = s.emergedEpoch() < 0 ? "the ring did not emerge within " + b.epochs() + " epochs"
                    : first.emergedEpoch() < 0 ? "the ring emerged at epoch " + s.emergedEpoch() + " (not at all with " + first.points() + " points)"
                    : String.format(Locale.ROOT, "the ring emerged at epoch %d, %s than with %d points (epoch %d)", s.emergedEpoch(),
                    s.emergedEpoch() > first.emergedEpoch() ? (s.emergedEpoch() - first.emergedEpoch()) + " epochs later"
                            : s.emergedEpoch() < first.emergedEpoch() ? (first.emergedEpoch() - s.emergedEpoch()) + " epochs earlier" : "no later",
                    first.points(), first.emergedEpoch());
            String gap = String.format(Locale.ROOT, "validation / train loss %.2f", s.finalVal() / s.finalTrain());
            sb.append(String.format(Locale.ROOT, "- %d points: %s%s; %s; final validation loss %.3f x the best.%n", s.points(), emerged,
                    lostAgain(s, r.emergenceLevel()), gap, s.finalVal() / s.minVal()));
        }
        sb.append("\nNote: an epoch is one pass over the training points, so a smaller set also gets fewer updates per epoch "
                + "(ceil(points / batch) minibatches); \"later\" is counted in epochs, as in the original study.\n");
        sb.append("\nFiles: `overfit.csv`, `curves.png`, `final-frames.png`, and one run folder per size under `runs/`.\n");
        return sb.toString();
    }
}
