package atlas.experiment;

import atlas.experiment.HaninRolnickExperiment.MemoRow;
import atlas.experiment.HaninRolnickExperiment.Result;
import atlas.experiment.HaninRolnickExperiment.Row;
import atlas.io.AtomicFiles;
import atlas.render.ImageFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import static atlas.experiment.HaninRolnickExperiment.num;

/**
 * The report folder of {@link HaninRolnickExperiment}: {@code measurements.csv} (every snapshot), one CSV per plot
 * with exactly the plotted series, the PNG plots, and {@code summary.md}, which states for each claim of Hanin and
 * Rolnick the test applied, whether it held and the numbers. A partial report (interrupted run, or units left) says
 * so in its first lines.
 */
final class HaninRolnickReport {
    /** Where epoch 0 is drawn on the logarithmic epoch axes. */
    static final double EPOCH0_AT = 1.0 / 64;
    /** The reference constants of the distance plot: 0.4/N and 2/N. */
    static final double REF_LOW = 0.4, REF_HIGH = 2.0;

    private final HaninRolnickConfig cfg;
    private final int trainCount, testCount;

    HaninRolnickReport(HaninRolnickConfig cfg, int trainCount, int testCount) {
        this.cfg = cfg;
        this.trainCount = trainCount;
        this.testCount = testCount;
    }

    /** PNG writes, run after the CSVs and the summary so that those exist even if a picture cannot be drawn. */
    private final List<Runnable> pictures = new ArrayList<>();

    void write(Result res) {
        // in-memory image streams: ImageIO's file cache registers a shutdown hook, refused while Ctrl-C shuts down
        javax.imageio.ImageIO.setUseCache(false);
        pictures.clear();
        Path out = cfg.out();
        Map<String, List<Row>> byArch = byArch(res.rows());
        StringBuilder all = new StringBuilder(Row.HEADER).append('\n');
        for (Row r : res.rows()) all.append(r.csv()).append('\n');
        text(out.resolve("measurements.csv"), all.toString());

        // regions per length vs N, at initialisation and at the last measured epoch
        StringBuilder lines = new StringBuilder("arch,depth,neurons,epoch,origin_line_density,image_line_density,origin_density_per_N,image_density_per_N\n");
        XYChart lc = chart("Regions per unit length along lines vs N", "N (hidden neurons)", "regions per unit length", false);
        List<double[]> o0 = new ArrayList<>(), i0 = new ArrayList<>(), o1 = new ArrayList<>(), i1 = new ArrayList<>();
        for (List<Row> rs : byArch.values()) {
            Row first = rs.get(0), last = rs.get(rs.size() - 1);
            for (Row r : first == last ? List.of(first) : List.of(first, last)) {
                lines.append(String.join(",", r.arch(), Integer.toString(r.depth()), Integer.toString(r.neurons()), num(r.epoch()),
                        num(r.originLineDensity()), num(r.imageLineDensity()), num(r.originLineDensity() / r.neurons()),
                        num(r.imageLineDensity() / r.neurons()))).append('\n');
            }
            if (first.epoch() == 0) { o0.add(new double[]{first.neurons(), first.originLineDensity()}); i0.add(new double[]{first.neurons(), first.imageLineDensity()}); }
            if (last.epoch() > 0) { o1.add(new double[]{last.neurons(), last.originLineDensity()}); i1.add(new double[]{last.neurons(), last.imageLineDensity()}); }
        }
        addPoints(lc, "origin -> image, epoch 0", o0);
        addPoints(lc, "image -> image, epoch 0", i0);
        addPoints(lc, "origin -> image, last epoch", o1);
        addPoints(lc, "image -> image, last epoch", i1);
        text(out.resolve("lines_vs_N.csv"), lines.toString());
        png(lc, out.resolve("lines_vs_N.png"));

        // regions per length / N vs epoch
        seriesPlot(byArch, "lines_per_N_vs_epoch", "Regions per unit length / N along origin -> image lines", "regions per length / N",
                r -> r.originLineDensity() / r.neurons(), false);
        // distance x N vs epoch with the 0.4/N and 2/N references
        StringBuilder dist = new StringBuilder("arch,neurons,epoch,dist_test,dist_train,dist_noise,dist_test_xN,dist_train_xN,dist_noise_xN\n");
        for (Row r : res.rows())
            dist.append(String.join(",", r.arch(), Integer.toString(r.neurons()), num(r.epoch()), num(r.distTest()), num(r.distTrain()),
                    num(r.distNoise()), num(r.distTest() * r.neurons()), num(r.distTrain() * r.neurons()), num(r.distNoise() * r.neurons()))).append('\n');
        text(out.resolve("distance_vs_epoch.csv"), dist.toString());
        for (String kind : List.of("test", "train", "noise")) {
            ToDoubleFunction<Row> f = switch (kind) {
                case "test" -> r -> r.distTest() * r.neurons();
                case "train" -> r -> r.distTrain() * r.neurons();
                default -> r -> r.distNoise() * r.neurons();
            };
            XYChart c = epochChart(byArch, "Mean distance to the nearest boundary x N (" + kind + " points)", "mean distance x N", f);
            double[] xs = {EPOCH0_AT, Math.max(2 * EPOCH0_AT, maxEpoch(res.rows()))};
            reference(c, "0.4/N", xs, REF_LOW);
            reference(c, "2/N", xs, REF_HIGH);
            png(c, out.resolve("distance_x_N_vs_epoch_" + kind + ".png"));
        }
        // planes
        StringBuilder planes = new StringBuilder("arch,neurons,epoch,plane3_count,plane3_per_N,plane3_per_N2,plane_origin_count,plane_origin_per_N,plane_origin_per_N2\n");
        for (Row r : res.rows()) {
            double n = r.neurons();
            planes.append(String.join(",", r.arch(), Integer.toString(r.neurons()), num(r.epoch()), num(r.plane3Count()), num(r.plane3Count() / n),
                    num(r.plane3Count() / (n * n)), num(r.planeOriginCount()), num(r.planeOriginCount() / n), num(r.planeOriginCount() / (n * n)))).append('\n');
        }
        text(out.resolve("planes_vs_epoch.csv"), planes.toString());
        png(epochChart(byArch, "Regions / N^2 on planes through three training images ([-1,1]^2)", "count / N^2",
                r -> r.plane3Count() / ((double) r.neurons() * r.neurons())), out.resolve("plane3_per_N2_vs_epoch.png"));
        png(epochChart(byArch, "Regions / N^2 on planes through the origin and two images ([-20,20]^2)", "count / N^2",
                r -> r.planeOriginCount() / ((double) r.neurons() * r.neurons())), out.resolve("plane_origin_per_N2_vs_epoch.png"));
        // distance and plane counts against N, at epoch 0 and at the last epoch
        StringBuilder dn = new StringBuilder("arch,neurons,epoch,dist_test,dist_train,dist_noise,plane3_count,plane_origin_count\n");
        XYChart dc = chart("Mean distance to the nearest boundary vs N", "N (hidden neurons)", "mean distance", false);
        XYChart pc = chart("Regions on planes vs N", "N (hidden neurons)", "regions", false);
        dc.getStyler().setXAxisLogarithmic(true);
        dc.getStyler().setYAxisLogarithmic(true);
        pc.getStyler().setXAxisLogarithmic(true);
        pc.getStyler().setYAxisLogarithmic(true);
        List<double[]> d0 = new ArrayList<>(), d1 = new ArrayList<>(), p30 = new ArrayList<>(), p31 = new ArrayList<>(), po0 = new ArrayList<>(), po1 = new ArrayList<>();
        double nMin = Double.POSITIVE_INFINITY, nMax = 0;
        for (List<Row> rs : byArch.values()) {
            Row first = rs.get(0), last = rs.get(rs.size() - 1);
            for (Row r : first == last ? List.of(first) : List.of(first, last))
                dn.append(String.join(",", r.arch(), Integer.toString(r.neurons()), num(r.epoch()), num(r.distTest()), num(r.distTrain()),
                        num(r.distNoise()), num(r.plane3Count()), num(r.planeOriginCount()))).append('\n');
            nMin = Math.min(nMin, first.neurons());
            nMax = Math.max(nMax, first.neurons());
            if (first.epoch() == 0) {
                d0.add(new double[]{first.neurons(), first.distTest()});
                p30.add(new double[]{first.neurons(), first.plane3Count()});
                po0.add(new double[]{first.neurons(), first.planeOriginCount()});
            }
            if (last.epoch() > 0) {
                d1.add(new double[]{last.neurons(), last.distTest()});
                p31.add(new double[]{last.neurons(), last.plane3Count()});
                po1.add(new double[]{last.neurons(), last.planeOriginCount()});
            }
        }
        text(out.resolve("distance_and_planes_vs_N.csv"), dn.toString());
        addPoints(dc, "test points, epoch 0", positive(d0));
        addPoints(dc, "test points, last epoch", positive(d1));
        addPoints(pc, "three-image planes, epoch 0", positive(p30));
        addPoints(pc, "three-image planes, last epoch", positive(p31));
        addPoints(pc, "origin planes, epoch 0", positive(po0));
        addPoints(pc, "origin planes, last epoch", positive(po1));
        if (nMax > 0) {
            double[] xs = nMin == nMax ? new double[]{nMin / 1.5, nMax * 1.5} : new double[]{nMin, nMax};
            XYSeries lo = dc.addSeries("0.4/N", xs, new double[]{REF_LOW / xs[0], REF_LOW / xs[1]});
            lo.setMarker(SeriesMarkers.NONE);
            lo.setLineColor(Color.GRAY);
            XYSeries hi = dc.addSeries("2/N", xs, new double[]{REF_HIGH / xs[0], REF_HIGH / xs[1]});
            hi.setMarker(SeriesMarkers.NONE);
            hi.setLineColor(Color.DARK_GRAY);
        }
        if (!d0.isEmpty() || !d1.isEmpty()) png(dc, out.resolve("distance_vs_N.png"));
        if (!p30.isEmpty() || !p31.isEmpty()) png(pc, out.resolve("planes_vs_N.png"));
        // memorisation
        if (!res.memo().isEmpty()) {
            StringBuilder m = new StringBuilder(MemoRow.HEADER).append('\n');
            for (MemoRow r : res.memo()) m.append(r.csv()).append('\n');
            text(out.resolve("memorisation.csv"), m.toString());
            XYChart c = chart("Memorisation: regions per line (origin -> test image) vs epoch", "epoch (epoch 0 drawn at 1/64)", "mean regions per line", true);
            Map<Double, List<double[]>> byNoise = new TreeMap<>();
            for (MemoRow r : res.memo()) byNoise.computeIfAbsent(r.noise(), k -> new ArrayList<>()).add(new double[]{ex(r.epoch()), r.lineRegions()});
            for (var e : byNoise.entrySet()) addLine(c, "label noise " + num(e.getKey()), e.getValue());
            png(c, out.resolve("memorisation_regions_vs_epoch.png"));
        }
        text(out.resolve("summary.md"), summary(res, byArch));
        for (Runnable r : pictures) r.run();
    }

    // ---------------------------------------------------------------- summary

    private String summary(Result res, Map<String, List<Row>> byArch) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Hanin-Rolnick measurements on ").append(cfg.dataset()).append("\n\n");
        if (res.partial())
            sb.append("**PARTIAL RESULTS**: ").append(res.unitsDone()).append(" of ").append(res.unitsTotal())
                    .append(" units of work are done (the run was interrupted or is still going). Resume with the same command and `--resume`.\n\n");
        sb.append(Double.isNaN(res.wallSeconds()) ? "Run as a sweep (seconds per unit in timings.csv). " : String.format(Locale.ROOT, "Wall time of this run: %.1f s. ", res.wallSeconds()));
        sb.append(String.format(Locale.ROOT, "Training images: %d, test images: %d. Snapshot epochs: %s. "
                        + "Probes per snapshot: %d lines of each kind, %d planes of each kind, %d points of each kind for distances. Seed %d.%n%n",
                trainCount, testCount, join(cfg.epochs()), cfg.lines(), cfg.planes(), cfg.distancePoints(), cfg.seed()));
        sb.append("All counts are exact (1-D and 2-D region kernels); distances are min over hidden units of |z(x)|/||grad z(x)||, "
                + "which is the exact distance to the boundary of x's region.\n\n");
        sb.append("| arch | N | test acc. epoch 0 | test acc. last | last epoch | train samples/s | regions/length (origin lines) first -> last | dist x N (test) first -> last | plane3 count/N^2 first -> last |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (List<Row> rs : byArch.values()) {
            Row f = rs.get(0), l = rs.get(rs.size() - 1);
            double n = f.neurons();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %s | %s | %.3f -> %.3f | %.3f -> %.3f | %.4f -> %.4f |%n", f.arch(), f.neurons(),
                    f.testAccuracy(), l.testAccuracy(), num(l.epoch()), Double.isNaN(l.samplesPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", l.samplesPerSecond()),
                    f.originLineDensity(), l.originLineDensity(), f.distTest() * n, l.distTest() * n, f.plane3Count() / (n * n), l.plane3Count() / (n * n)));
        }
        sb.append("\n## Claims\n\n");
        claimLinesLinear(sb, byArch);
        claimLinesTraining(sb, byArch);
        claimDistance(sb, res.rows(), byArch);
        claimPlanes(sb, byArch);
        claimMemorisation(sb, res.memo());
        sb.append("\n## Files\n\n");
        sb.append("- `measurements.csv`: every snapshot of every architecture (all columns).\n");
        sb.append("- `lines_vs_N.png` / `lines_vs_N.csv`: regions per unit length along lines vs N, at epoch 0 and the last epoch.\n");
        sb.append("- `lines_per_N_vs_epoch.png` / `.csv`: regions per unit length / N vs epoch.\n");
        sb.append("- `distance_x_N_vs_epoch_{test,train,noise}.png` / `distance_vs_epoch.csv`: mean distance to the boundary x N vs epoch, reference lines 0.4/N and 2/N.\n");
        sb.append("- `distance_vs_N.png`, `planes_vs_N.png` / `distance_and_planes_vs_N.csv`: mean distance (test points) and plane counts vs N, at epoch 0 and the last epoch (log-log; references 0.4/N and 2/N).\n");
        sb.append("- `plane3_per_N2_vs_epoch.png`, `plane_origin_per_N2_vs_epoch.png` / `planes_vs_epoch.csv`: regions on planes / N^2 vs epoch.\n");
        if (!res.memo().isEmpty()) sb.append("- `memorisation_regions_vs_epoch.png` / `memorisation.csv`: the label-noise study.\n");
        sb.append("- `nets/<arch>-final.json`: the trained nets (relu-atlas-model/1); `units/`: one file per finished unit (resume); `config.txt`.\n");
        sb.append("\nEpoch axes are logarithmic; epoch 0 is drawn at 1/64.\n");
        return sb.toString();
    }

    private static List<Row> firsts(Map<String, List<Row>> byArch) {
        List<Row> l = new ArrayList<>();
        for (List<Row> rs : byArch.values()) if (rs.get(0).epoch() == 0) l.add(rs.get(0));
        return l;
    }

    private void claimLinesLinear(StringBuilder sb, Map<String, List<Row>> byArch) {
        sb.append("### 1. At initialisation, regions per unit length along a line grow linearly in N (not exponentially in depth)\n\n");
        List<Row> init = firsts(byArch);
        if (init.size() < 2) { sb.append("Not tested: needs epoch 0 of at least two architectures.\n\n"); return; }
        double[] n = init.stream().mapToDouble(Row::neurons).toArray();
        double so = slope(n, init.stream().mapToDouble(Row::originLineDensity).toArray());
        double si = slope(n, init.stream().mapToDouble(Row::imageLineDensity).toArray());
        double[] per = init.stream().mapToDouble(r -> r.originLineDensity() / r.neurons()).toArray();
        double spread = max(per) / min(per);
        boolean held = so >= 0.5 && so <= 1.5 && spread <= 2.5;
        sb.append(String.format(Locale.ROOT, "Test: the log-log slope of regions per length against N over the %d architectures lies in [0.5, 1.5], and "
                + "(regions per length)/N varies by at most a factor 2.5.%n%n", init.size()));
        sb.append(String.format(Locale.ROOT, "Found: slope %.2f (origin -> image lines), %.2f (image -> image); (regions per length)/N from %.4f to %.4f (factor %.2f). ",
                so, si, min(per), max(per), spread));
        sb.append("Per architecture: ");
        for (Row r : init) sb.append(String.format(Locale.ROOT, "%s %.4f; ", r.arch(), r.originLineDensity() / r.neurons()));
        sb.append("\n\n**").append(held ? "Held." : "Did not hold.").append("**\n\n");
    }

    private void claimLinesTraining(StringBuilder sb, Map<String, List<Row>> byArch) {
        sb.append("### 2. During training the number of regions along lines stays of the same order (no exponential growth)\n\n");
        List<String> parts = new ArrayList<>();
        double worst = 0;
        for (List<Row> rs : byArch.values()) {
            Row f = rs.get(0), l = rs.get(rs.size() - 1);
            if (f.epoch() != 0 || l.epoch() == 0) continue;
            double ratio = l.originLineDensity() / f.originLineDensity();
            worst = Math.max(worst, ratio);
            parts.add(String.format(Locale.ROOT, "%s %.2f", f.arch(), ratio));
        }
        if (parts.isEmpty()) { sb.append("Not tested: needs epoch 0 and a later epoch.\n\n"); return; }
        sb.append("Test: for every architecture, regions per length at the last epoch / at epoch 0 is at most 2.\n\n");
        sb.append("Found (last / epoch 0, origin -> image lines): ").append(String.join("; ", parts)).append(".\n\n**")
                .append(worst <= 2 ? "Held." : "Did not hold.").append("**\n\n");
    }

    private void claimDistance(StringBuilder sb, List<Row> rows, Map<String, List<Row>> byArch) {
        sb.append("### 3. The mean distance to the nearest boundary scales like c/N (reference lines 0.4/N and 2/N), at initialisation and during training\n\n");
        if (rows.isEmpty()) { sb.append("Not tested: no snapshot measured.\n\n"); return; }
        int in = 0, total = 0;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Row r : rows)
            for (double v : new double[]{r.distTest() * r.neurons(), r.distTrain() * r.neurons()}) {
                if (Double.isNaN(v)) continue;
                total++;
                if (v >= REF_LOW && v <= REF_HIGH) in++;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        List<Row> init = firsts(byArch);
        double spread = Double.NaN;
        if (init.size() >= 2) {
            double[] v = init.stream().mapToDouble(r -> r.distTest() * r.neurons()).toArray();
            spread = max(v) / min(v);
        }
        double frac = total == 0 ? Double.NaN : in / (double) total;
        boolean held = total > 0 && frac >= 0.8 && (Double.isNaN(spread) || spread <= 2);
        sb.append("Test: at least 80% of the (architecture, epoch, test/train) values of mean distance x N lie in [0.4, 2], and at epoch 0 "
                + "mean distance x N (test points) varies across architectures by at most a factor 2.\n\n");
        sb.append(String.format(Locale.ROOT, "Found: %d of %d values in [0.4, 2] (%.0f%%), range %.3f to %.3f; spread at epoch 0 across architectures: %s. ",
                in, total, 100 * frac, lo, hi, Double.isNaN(spread) ? "n/a (one architecture)" : String.format(Locale.ROOT, "factor %.2f", spread)));
        sb.append("Epoch 0 -> last, test points: ");
        for (List<Row> rs : byArch.values()) {
            Row f = rs.get(0), l = rs.get(rs.size() - 1);
            sb.append(String.format(Locale.ROOT, "%s %.3f -> %.3f; ", f.arch(), f.distTest() * f.neurons(), l.distTest() * l.neurons()));
        }
        sb.append("noise points: ");
        for (List<Row> rs : byArch.values()) {
            Row f = rs.get(0), l = rs.get(rs.size() - 1);
            sb.append(String.format(Locale.ROOT, "%s %.3f -> %.3f; ", f.arch(), f.distNoise() * f.neurons(), l.distNoise() * l.neurons()));
        }
        sb.append("\n\n**").append(held ? "Held." : "Did not hold.").append("**\n\n");
    }

    private void claimPlanes(StringBuilder sb, Map<String, List<Row>> byArch) {
        sb.append("### 4. On 2-D planes, count/N^2 stays bounded, at initialisation and during training\n\n");
        if (cfg.planes() == 0) { sb.append("Not tested: no planes requested (--planes 0).\n\n"); return; }
        List<String> parts = new ArrayList<>();
        double init3 = 0, initO = 0, peak3 = 0, peakO = 0;
        int nInit = 0, later = 0;
        for (List<Row> rs : byArch.values()) {
            Row f = rs.get(0);
            double n2 = (double) f.neurons() * f.neurons();
            double p3 = 0, pO = 0;
            for (Row r : rs) {
                p3 = Math.max(p3, r.plane3Count() / n2);
                pO = Math.max(pO, r.planeOriginCount() / n2);
                if (r.epoch() > 0) later++;
            }
            peak3 = Math.max(peak3, p3);
            peakO = Math.max(peakO, pO);
            if (f.epoch() == 0) { init3 += f.plane3Count() / n2; initO += f.planeOriginCount() / n2; nInit++; }
            parts.add(String.format(Locale.ROOT, "%s (N=%d): three-image planes %.4f at epoch %s, peak %.4f; origin planes %.4f, peak %.4f",
                    f.arch(), f.neurons(), f.plane3Count() / n2, num(f.epoch()), p3, f.planeOriginCount() / n2, pO));
        }
        sb.append("Test: for each plane kind, the largest count/N^2 over all architectures and snapshots is at most 3 times the mean over "
                + "architectures of count/N^2 at epoch 0 (bounded in N and in training time).\n\n");
        if (nInit == 0 || later == 0) { sb.append("Not tested: needs epoch 0 and a later epoch.\n\n"); return; }
        init3 /= nInit;
        initO /= nInit;
        boolean held = peak3 <= 3 * init3 && peakO <= 3 * initO;
        sb.append(String.format(Locale.ROOT, "Found: mean at epoch 0 %.4f (three-image planes, [-1,1]^2) and %.4f (origin planes, [-20,20]^2); "
                + "largest anywhere %.4f and %.4f (ratios %.2f and %.2f). Per architecture: ", init3, initO, peak3, peakO, peak3 / init3, peakO / initO));
        sb.append(String.join("; ", parts)).append(".\n\n**").append(held ? "Held." : "Did not hold.").append("**\n\n");
    }

    private void claimMemorisation(StringBuilder sb, List<MemoRow> memo) {
        if (cfg.memorisation() == null) return;
        sb.append("### 5. Memorisation: nets trained with more random labels have more regions along lines (at the end of training)\n\n");
        Map<Double, MemoRow> last = new TreeMap<>();
        for (MemoRow r : memo) { MemoRow o = last.get(r.noise()); if (o == null || r.epoch() > o.epoch()) last.put(r.noise(), r); }
        if (last.size() < 2) { sb.append("Not tested: needs at least two finished noise levels.\n\n"); return; }
        sb.append("Test: mean regions per line (origin -> test image) at the last epoch is larger at the highest label noise than at the lowest.\n\nFound (last epoch): ");
        for (MemoRow r : last.values())
            sb.append(String.format(Locale.ROOT, "noise %s: %.2f regions, accuracy on its own noisy labels %.3f, test accuracy %.3f (epoch %s); ",
                    num(r.noise()), r.lineRegions(), r.trainAccuracy(), r.testAccuracy(), num(r.epoch())));
        MemoRow lowest = last.values().iterator().next(), highest = null;
        for (MemoRow r : last.values()) highest = r;
        boolean held = highest.lineRegions() > lowest.lineRegions();
        sb.append("\n\n**").append(held ? "Held." : "Did not hold.").append("**\n\n");
    }

    // ---------------------------------------------------------------- plots

    private static Map<String, List<Row>> byArch(List<Row> rows) {
        Map<String, List<Row>> m = new LinkedHashMap<>();
        for (Row r : rows) m.computeIfAbsent(r.arch(), k -> new ArrayList<>()).add(r);
        return m;
    }

    private void seriesPlot(Map<String, List<Row>> byArch, String file, String title, String yLabel, ToDoubleFunction<Row> f, boolean unused) {
        StringBuilder csv = new StringBuilder("arch,neurons,epoch,value\n");
        for (List<Row> rs : byArch.values())
            for (Row r : rs) csv.append(r.arch()).append(',').append(r.neurons()).append(',').append(num(r.epoch())).append(',').append(num(f.applyAsDouble(r))).append('\n');
        text(cfg.out().resolve(file + ".csv"), csv.toString());
        png(epochChart(byArch, title, yLabel, f), cfg.out().resolve(file + ".png"));
    }

    private static XYChart epochChart(Map<String, List<Row>> byArch, String title, String yLabel, ToDoubleFunction<Row> f) {
        XYChart c = chart(title, "epoch (epoch 0 drawn at 1/64)", yLabel, true);
        for (var e : byArch.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            for (Row r : e.getValue()) {
                double v = f.applyAsDouble(r);
                if (Double.isFinite(v)) pts.add(new double[]{ex(r.epoch()), v});
            }
            addLine(c, e.getKey() + " (N=" + e.getValue().get(0).neurons() + ")", pts);
        }
        return c;
    }

    /** The points with both coordinates positive (for logarithmic axes). */
    private static List<double[]> positive(List<double[]> pts) {
        List<double[]> l = new ArrayList<>();
        for (double[] p : pts) if (p[0] > 0 && p[1] > 0 && Double.isFinite(p[1])) l.add(p);
        return l;
    }

    private static double ex(double epoch) { return epoch <= 0 ? EPOCH0_AT : epoch; }

    private static double maxEpoch(List<Row> rows) {
        double m = 0;
        for (Row r : rows) m = Math.max(m, r.epoch());
        return m;
    }

    private static XYChart chart(String title, String x, String y, boolean logX) {
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(6);
        return c;
    }

    private static void addLine(XYChart c, String name, List<double[]> pts) {
        if (pts.isEmpty()) return;
        double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray(), ys = pts.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static void addPoints(XYChart c, String name, List<double[]> pts) {
        if (pts.isEmpty()) return;
        List<double[]> sorted = new ArrayList<>(pts);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] xs = sorted.stream().mapToDouble(p -> p[0]).toArray(), ys = sorted.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    private static void reference(XYChart c, String name, double[] xs, double y) {
        XYSeries s = c.addSeries(name, xs, new double[]{y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
    }

    private void png(XYChart c, Path file) {
        pictures.add(() -> retry(() -> ImageFiles.writePng(BitmapEncoder.getBufferedImage(c), file)));
    }

    private static void text(Path file, String content) {
        retry(() -> AtomicFiles.writeString(file, content));
    }

    /**
     * Runs a file write, once more if it fails: when the JVM shuts down (Ctrl-C), the partial report is written
     * while the atomic-write cleanup hook may delete a temporary file being written at that very moment.
     */
    private static void retry(Runnable write) {
        try {
            write.run();
        } catch (java.io.UncheckedIOException e) {
            write.run();
        }
    }

    // ---------------------------------------------------------------- numbers

    /** Least-squares slope of log y against log x (points with non-positive values skipped). */
    static double slope(double[] x, double[] y) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int k = 0; k < x.length; k++) {
            if (!(x[k] > 0 && y[k] > 0)) continue;
            double lx = Math.log(x[k]), ly = Math.log(y[k]);
            sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly; n++;
        }
        double den = n * sxx - sx * sx;
        return n < 2 || den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    private static double max(double[] v) { double m = Double.NEGATIVE_INFINITY; for (double d : v) m = Math.max(m, d); return m; }

    private static double min(double[] v) { double m = Double.POSITIVE_INFINITY; for (double d : v) m = Math.min(m, d); return m; }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < v.length; k++) sb.append(k == 0 ? "" : ", ").append(num(v[k]));
        return sb.toString();
    }
}
