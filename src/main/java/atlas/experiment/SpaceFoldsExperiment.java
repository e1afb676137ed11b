package atlas.experiment;

import atlas.error.BadInputException;

import atlas.data.mnist.DatasetSpec;
import atlas.data.mnist.DatasetStore;
import atlas.data.mnist.ImageDataset;
import atlas.data.mnist.MnistData;
import atlas.data.mnist.SyntheticImages;
import atlas.geometry.Tolerance;
import atlas.io.AtomicFiles;
import atlas.measure.FoldingBatch;
import atlas.measure.PathFolder;
import atlas.measure.SpaceFolding;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The MNIST study of Lewandowski et al. (their Algorithm 2), with exact folding: nets of 60 hidden relu neurons
 * at several depths are trained on fixed seeds; for every ordered pair (a, b) of digit classes, straight paths
 * from random test images of class a to random test images of class b are folded exactly ({@link PathFolder});
 * per pair the statistic is the median of the non-zero maxima of the running chi, and the nets are compared by
 * the median (and mean) of that statistic over the 100 pairs. Only nets whose validation accuracy (images held out
 * from the training set) reaches {@code minAccuracy} count in the depth trend, as in the paper; several seeds per
 * architecture give the spread.
 *
 * <p>Writes, into the report folder: {@code folding.csv} (one row per net), {@code pairs.csv} (one row per net and
 * pair), {@code folding_vs_depth.png}, {@code models/<arch>-seed<s>.json} and {@code summary.md}; the files are rewritten
 * after every net, so an interrupted run leaves a consistent partial report.
 */
public final class SpaceFoldsExperiment {
    private SpaceFoldsExperiment() {}

    /**
     * @param dataset      mnist, fashion-mnist or synthetic
     * @param dataDir      data cache (null: the default)
     * @param out          report folder
     * @param archs        hidden widths per net (the paper: 2x30, 3x20, 4x15, 5x12, 6x10, 10x6)
     * @param epochs       training epochs (the paper: 30)
     * @param seeds        seeds of the initialisation and the shuffles, one net per architecture and seed; the first
     *                     also seeds the paths (the same paths for every net)
     * @param pathsPerPair paths per ordered pair of classes (the paper: up to 1,000,000)
     * @param minAccuracy  validation accuracy a net needs to count in the depth trend
     * @param outputs      include the output units' signs in the patterns
     * @param trainLimit   training images used (0: all), before the validation images are held out
     * @param validation   images held out from the end of the training set for the validation accuracy (0: the
     *                     test accuracy decides; -1: a sixth of the training images, at most 10,000)
     * @param threads      training threads
     */
    public record Config(String dataset, Path dataDir, Path out, List<int[]> archs, double epochs, List<Long> seeds, int pathsPerPair,
                         double minAccuracy, boolean outputs, int trainLimit, int validation, int threads) {
        public Config {
            if (archs.isEmpty()) throw new BadInputException("give at least one architecture");
            if (seeds.isEmpty()) throw new BadInputException("give at least one seed");
            if (validation < -1) throw new BadInputException("--validation must be >= 0");
            seeds = List.copyOf(seeds);
            if (!(epochs >= 0) || Double.isInfinite(epochs)) throw new BadInputException("--epochs must be a finite number >= 0, got " + epochs);
            if (!(minAccuracy >= 0 && minAccuracy <= 1))
                throw new BadInputException("--min-accuracy must be in [0, 1], got " + minAccuracy);
            if (pathsPerPair < 1) throw new BadInputException("--paths must be at least 1");
            archs = List.copyOf(archs);
        }

        /** The six nets of the paper. */
        public static List<int[]> publishedArchitectures() {
            return List.of(new int[]{30, 30}, new int[]{20, 20, 20}, new int[]{15, 15, 15, 15}, new int[]{12, 12, 12, 12, 12},
                    new int[]{10, 10, 10, 10, 10, 10}, new int[]{6, 6, 6, 6, 6, 6, 6, 6, 6, 6});
        }
    }

    /**
     * One trained net.
     *
     * @param arch            e.g. 3x20
     * @param depth           hidden layers
     * @param seed            training seed
     * @param validationAccuracy accuracy on the held-out training images (NaN when none are held out)
     * @param accuracy        test accuracy
     * @param counted         validation (or, without one, test) accuracy &gt;= minAccuracy
     * @param phiMedian       median over pairs of the per-pair median of non-zero max running chi
     * @param phiMean         mean of the same per-pair values
     * @param chiMedian       median over pairs of the per-pair median of non-zero chi (end of path)
     * @param foldedFraction  share of all paths with chi &gt; 0
     * @param meanRegions     mean regions crossed per path
     * @param paths           paths folded
     * @param trainSeconds    training time
     * @param foldSeconds     folding time
     */
    public record NetResult(String arch, int depth, long seed, double validationAccuracy, double accuracy, boolean counted, double phiMedian, double phiMean,
                            double chiMedian, double foldedFraction, double meanRegions, int paths, double trainSeconds, double foldSeconds) {}

    public static MnistData loadData(String dataset, Path dataDir, long seed) {
        if (dataset.equals("synthetic")) return SyntheticImages.generate(seed, 3000, 500, 12, 10);
        DatasetStore store = new DatasetStore(dataDir != null ? dataDir : DatasetStore.defaultRoot());
        return store.load(DatasetSpec.byId(dataset));
    }

    public static String archName(int[] h) {
        boolean same = Arrays.stream(h).allMatch(v -> v == h[0]);
        if (same) return h.length + "x" + h[0];
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < h.length; k++) sb.append(k == 0 ? "" : "-").append(h[k]);
        return sb.toString();
    }

    /** Runs the study; {@code log} gets one line per step. */
    public static List<NetResult> run(Config cfg, Consumer<String> log) {
        long seed0 = cfg.seeds().get(0);
        MnistData data = loadData(cfg.dataset(), cfg.dataDir(), seed0);
        ImageDataset all = cfg.trainLimit() > 0 ? data.train().head(cfg.trainLimit()) : data.train();
        int nVal = cfg.validation() >= 0 ? cfg.validation() : Math.min(10_000, all.count() / 6);
        if (nVal >= all.count()) throw new BadInputException("--validation " + nVal + " leaves no training images of " + all.count());
        int nTrain = all.count() - nVal;
        ImageDataset train = all.subset(java.util.stream.IntStream.range(0, nTrain).toArray(), all.name());
        ImageDataset val = nVal == 0 ? null
                : all.subset(java.util.stream.IntStream.range(nTrain, all.count()).toArray(), all.name() + "/validation");
        ImageDataset test = data.test();
        int classes = test.classes();
        double[][] pool = new double[test.count()][];
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < test.count(); i++) {
            pool[i] = test.features(i, new double[test.dim()]);
            byClass.get(test.label(i)).add(i);
        }
        for (int c = 0; c < classes; c++)
            if (byClass.get(c).size() < 2) throw new BadInputException("class " + c + " has fewer than 2 test images");
        int pairs = classes * classes, n = pairs * cfg.pathsPerPair();
        int[] from = new int[n], to = new int[n];
        SplittableRandom rnd = new SplittableRandom(seed0 ^ 0x5DEECE66DL);
        for (int a = 0, k = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                List<Integer> A = byClass.get(a), B = byClass.get(b);
                for (int p = 0; p < cfg.pathsPerPair(); p++, k++) {
                    from[k] = A.get(rnd.nextInt(A.size()));
                    do to[k] = B.get(rnd.nextInt(B.size())); while (to[k] == from[k]);
                }
            }
        }
        List<NetResult> results = new ArrayList<>();
        List<String> gridTitles = new ArrayList<>();
        List<double[][]> grids = new ArrayList<>();
        StringBuilder pairCsv = new StringBuilder("arch,depth,seed,from_class,to_class,paths,phi_max_running,phi_chi,folded_fraction,mean_regions\n");
        for (int[] h : cfg.archs()) for (long seed : cfg.seeds()) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
            String arch = archName(h);
            log.accept("training " + arch + " (seed " + seed + ") for " + cfg.epochs() + " epochs on " + train.count() + " images");
            Network net;
            double trainSeconds;
            try (MnistTrainer t = new MnistTrainer(train, h, seed, 1e-3, Double.NaN, 128, 1e-3, cfg.threads())) {
                t.advanceTo(cfg.epochs());
                net = t.network();
                trainSeconds = t.trainSeconds();
            }
            double acc = MnistTrainer.accuracy(net, test, test.count());
            double vacc = val == null ? Double.NaN : MnistTrainer.accuracy(net, val, val.count());
            ModelFormat.write(net, cfg.out().resolve("models").resolve(arch + "-seed" + seed + ".json"));
            log.accept(String.format(Locale.ROOT, "%s (seed %d): validation accuracy %.4f, test accuracy %.4f (%.1f s); folding %d paths",
                    arch, seed, vacc, acc, trainSeconds, n));
            FoldingBatch batch = PathFolder.foldAll(net, Tolerance.DEFAULT, cfg.outputs(), pool, from, to, null);
            double[] maxRun = batch.maxRunningChi(), chi = batch.chi();
            int[] regions = batch.regions();
            double[] pairPhi = new double[pairs], pairChi = new double[pairs];
            for (int pr = 0; pr < pairs; pr++) {
                int s = pr * cfg.pathsPerPair(), e = s + cfg.pathsPerPair();
                pairPhi[pr] = SpaceFolding.phi(Arrays.copyOfRange(maxRun, s, e));
                pairChi[pr] = SpaceFolding.phi(Arrays.copyOfRange(chi, s, e));
                int folded = 0;
                long reg = 0;
                for (int k = s; k < e; k++) { if (chi[k] > 0) folded++; reg += regions[k]; }
                pairCsv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.3f%n", arch, h.length, seed, pr / classes, pr % classes,
                        cfg.pathsPerPair(), pairPhi[pr], pairChi[pr], folded / (double) cfg.pathsPerPair(), reg / (double) cfg.pathsPerPair()));
            }
            if (seed == seed0) {
                double[][] grid = new double[classes][classes];
                for (int pr = 0; pr < pairs; pr++) grid[pr / classes][pr % classes] = pairPhi[pr];
                gridTitles.add(String.format(Locale.ROOT, "%s (seed %d, accuracy %.3f)", arch, seed, acc));
                grids.add(grid);
                ImageFiles.writePng(atlas.render.PairGrid.render(gridTitles, grids.toArray(new double[0][][]),
                        "per ordered pair (row: from-class, column: to-class): median of the non-zero maxima of the running chi"),
                        cfg.out().resolve("pairs.png"));
            }
            NetResult r = new NetResult(arch, h.length, seed, vacc, acc, (val == null ? acc : vacc) >= cfg.minAccuracy(), median(pairPhi), Arrays.stream(pairPhi).average().orElse(0),
                    median(pairChi), batch.foldedFraction(), batch.meanRegions(), n, trainSeconds, batch.seconds());
            results.add(r);
            log.accept(String.format(Locale.ROOT, "%s: median over pairs of the median non-zero max running chi %.4f (mean %.4f), %.1f regions per path, %.1f%% folded, %.1f s",
                    arch, r.phiMedian(), r.phiMean(), r.meanRegions(), 100 * r.foldedFraction(), r.foldSeconds()));
            writeReport(cfg, results, pairCsv.toString(), train.count(), nVal, test.count());
        }
        return results;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    /** Per architecture: the nets that count, and the mean and spread of their statistic. */
    public record ArchSummary(String arch, int depth, int nets, int counted, double meanPhi, double sdPhi, double minPhi, double maxPhi,
                              double meanAccuracy) {}

    public static List<ArchSummary> summarise(List<NetResult> results) {
        List<ArchSummary> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (NetResult r : results) {
            if (seen.contains(r.arch())) continue;
            seen.add(r.arch());
            List<NetResult> same = results.stream().filter(x -> x.arch().equals(r.arch())).toList();
            double[] phis = same.stream().filter(NetResult::counted).mapToDouble(NetResult::phiMedian).toArray();
            double mean = Arrays.stream(phis).average().orElse(Double.NaN);
            double sd = phis.length < 2 ? Double.NaN : Math.sqrt(Arrays.stream(phis).map(v -> (v - mean) * (v - mean)).sum() / (phis.length - 1));
            out.add(new ArchSummary(r.arch(), r.depth(), same.size(), phis.length, mean, sd, Arrays.stream(phis).min().orElse(Double.NaN),
                    Arrays.stream(phis).max().orElse(Double.NaN), same.stream().mapToDouble(NetResult::accuracy).average().orElse(Double.NaN)));
        }
        return out;
    }

    private static void writeReport(Config cfg, List<NetResult> results, String pairCsv, int trainCount, int valCount, int testCount) {
        StringBuilder csv = new StringBuilder("arch,depth,seed,validation_accuracy,test_accuracy,counted,phi_median_over_pairs,phi_mean_over_pairs,chi_median_over_pairs,folded_fraction,mean_regions,paths,train_seconds,fold_seconds\n");
        for (NetResult r : results)
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.5f,%.5f,%b,%.6f,%.6f,%.6f,%.6f,%.3f,%d,%.2f,%.2f%n", r.arch(), r.depth(), r.seed(), r.validationAccuracy(),
                    r.accuracy(), r.counted(), r.phiMedian(), r.phiMean(), r.chiMedian(), r.foldedFraction(), r.meanRegions(), r.paths(), r.trainSeconds(), r.foldSeconds()));
        AtomicFiles.writeString(cfg.out().resolve("folding.csv"), csv.toString());
        AtomicFiles.writeString(cfg.out().resolve("pairs.csv"), pairCsv);
        List<ArchSummary> arch = summarise(results);
        List<MetricPlots.Series> series = new ArrayList<>();
        List<ArchSummary> counted = arch.stream().filter(a -> a.counted() > 0).toList();
        series.add(new MetricPlots.Series("mean over counted nets (accuracy >= " + cfg.minAccuracy() + ")",
                counted.stream().mapToDouble(ArchSummary::depth).toArray(), counted.stream().mapToDouble(ArchSummary::meanPhi).toArray()));
        for (long seed : cfg.seeds()) {
            List<NetResult> rs = results.stream().filter(r -> r.seed() == seed).toList();
            series.add(new MetricPlots.Series("seed " + seed + ", all nets", rs.stream().mapToDouble(NetResult::depth).toArray(),
                    rs.stream().mapToDouble(NetResult::phiMedian).toArray()));
        }
        XYChart c = MetricPlots.chart("Space folding vs depth (" + cfg.dataset() + ", exact chi)",
                "folding (median over pairs)", series, false, 900, 560);
        c.getStyler().setYAxisDecimalPattern("0.000");
        c.setXAxisTitle("hidden layers");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        ImageFiles.writePng(BitmapEncoder.getBufferedImage(c), cfg.out().resolve("folding_vs_depth.png"));
        StringBuilder md = new StringBuilder();
        md.append("# Space folding vs depth (Lewandowski et al., Algorithm 2, exact)\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s, %d training images%s, %d test images. Training: %s epochs, Adam lr 1e-3, batch 128, "
                        + "He-normal weights, seeds %s. Paths: %d per ordered pair of classes (100 pairs), between random test images (the same for "
                        + "every net); patterns over the hidden units%s. Per pair: the median of the non-zero maxima of the running chi; per net: "
                        + "the median over pairs. Nets with %s accuracy >= %.3f count.%n%n",
                cfg.dataset(), trainCount, valCount > 0 ? " (" + valCount + " more held out for validation)" : "", testCount, fmt(cfg.epochs()),
                cfg.seeds(), cfg.pathsPerPair(), cfg.outputs() ? " and the output signs" : "", valCount > 0 ? "validation" : "test", cfg.minAccuracy()));
        md.append("## Per architecture (counted nets)\n\n| net | depth | nets | counted | mean | sd | min | max | mean test accuracy |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ArchSummary a : arch)
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f |%n", a.arch(), a.depth(), a.nets(), a.counted(),
                    a.meanPhi(), a.sdPhi(), a.minPhi(), a.maxPhi(), a.meanAccuracy()));
        md.append("\n## Per net\n\n| net | depth | seed | validation accuracy | test accuracy | counted | median over pairs | mean over pairs | median non-zero chi | folded paths | regions per path | train s | fold s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (NetResult r : results)
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %s | %.4f | %.4f | %.4f | %.1f%% | %.1f | %.1f | %.2f |%n", r.arch(), r.depth(), r.seed(),
                    r.validationAccuracy(), r.accuracy(), r.counted() ? "yes" : "no", r.phiMedian(), r.phiMean(), r.chiMedian(), 100 * r.foldedFraction(),
                    r.meanRegions(), r.trainSeconds(), r.foldSeconds()));
        md.append("\nFiles: folding.csv (per net), pairs.csv (per net and ordered pair), pairs.png (the per-pair values of the first seed), folding_vs_depth.png, models/<arch>-seed<s>.json.\n");
        AtomicFiles.writeString(cfg.out().resolve("summary.md"), md.toString());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
