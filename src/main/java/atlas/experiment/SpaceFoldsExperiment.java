package atlas.experiment;

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
 * the median (and mean) of that statistic over the 100 pairs. Only nets whose test accuracy reaches
 * {@code minAccuracy} count in the depth trend, as in the paper.
 *
 * <p>Writes, into the report folder: {@code folding.csv} (one row per net), {@code pairs.csv} (one row per net and
 * pair), {@code folding_vs_depth.png}, {@code models/<arch>.json} and {@code summary.md}; the files are rewritten
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
     * @param seed         seed of the initialisation, the shuffles and the paths
     * @param pathsPerPair paths per ordered pair of classes (the paper: up to 1,000,000)
     * @param minAccuracy  test accuracy a net needs to count in the depth trend
     * @param outputs      include the output units' signs in the patterns
     * @param trainLimit   training images used (0: all)
     * @param threads      training threads
     */
    public record Config(String dataset, Path dataDir, Path out, List<int[]> archs, double epochs, long seed, int pathsPerPair,
                         double minAccuracy, boolean outputs, int trainLimit, int threads) {
        public Config {
            if (archs.isEmpty()) throw new IllegalArgumentException("give at least one architecture");
            if (!(epochs >= 0)) throw new IllegalArgumentException("--epochs must be >= 0");
            if (pathsPerPair < 1) throw new IllegalArgumentException("--paths must be at least 1");
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
     * @param accuracy        test accuracy
     * @param counted         accuracy &gt;= minAccuracy
     * @param phiMedian       median over pairs of the per-pair median of non-zero max running chi
     * @param phiMean         mean of the same per-pair values
     * @param chiMedian       median over pairs of the per-pair median of non-zero chi (end of path)
     * @param foldedFraction  share of all paths with chi &gt; 0
     * @param meanRegions     mean regions crossed per path
     * @param paths           paths folded
     * @param trainSeconds    training time
     * @param foldSeconds     folding time
     */
    public record NetResult(String arch, int depth, double accuracy, boolean counted, double phiMedian, double phiMean,
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
        MnistData data = loadData(cfg.dataset(), cfg.dataDir(), cfg.seed());
        ImageDataset train = cfg.trainLimit() > 0 ? data.train().head(cfg.trainLimit()) : data.train();
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
            if (byClass.get(c).size() < 2) throw new IllegalArgumentException("class " + c + " has fewer than 2 test images");
        int pairs = classes * classes, n = pairs * cfg.pathsPerPair();
        int[] from = new int[n], to = new int[n];
        SplittableRandom rnd = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
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
        StringBuilder pairCsv = new StringBuilder("arch,depth,from_class,to_class,paths,phi_max_running,phi_chi,folded_fraction,mean_regions\n");
        for (int[] h : cfg.archs()) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
            String arch = archName(h);
            log.accept("training " + arch + " for " + cfg.epochs() + " epochs on " + train.count() + " images");
            Network net;
            double trainSeconds;
            try (MnistTrainer t = new MnistTrainer(train, h, cfg.seed(), 1e-3, Double.NaN, 128, 1e-3, cfg.threads())) {
                t.advanceTo(cfg.epochs());
                net = t.network();
                trainSeconds = t.trainSeconds();
            }
            double acc = MnistTrainer.accuracy(net, test, test.count());
            ModelFormat.write(net, cfg.out().resolve("models").resolve(arch + ".json"));
            log.accept(String.format(Locale.ROOT, "%s: test accuracy %.4f (%.1f s); folding %d paths", arch, acc, trainSeconds, n));
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
                pairCsv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.3f%n", arch, h.length, pr / classes, pr % classes,
                        cfg.pathsPerPair(), pairPhi[pr], pairChi[pr], folded / (double) cfg.pathsPerPair(), reg / (double) cfg.pathsPerPair()));
            }
            NetResult r = new NetResult(arch, h.length, acc, acc >= cfg.minAccuracy(), median(pairPhi), Arrays.stream(pairPhi).average().orElse(0),
                    median(pairChi), batch.foldedFraction(), batch.meanRegions(), n, trainSeconds, batch.seconds());
            results.add(r);
            log.accept(String.format(Locale.ROOT, "%s: median over pairs of the median non-zero max running chi %.4f (mean %.4f), %.1f regions per path, %.1f%% folded, %.1f s",
                    arch, r.phiMedian(), r.phiMean(), r.meanRegions(), 100 * r.foldedFraction(), r.foldSeconds()));
            writeReport(cfg, results, pairCsv.toString(), train.count(), test.count());
        }
        return results;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    private static void writeReport(Config cfg, List<NetResult> results, String pairCsv, int trainCount, int testCount) {
        StringBuilder csv = new StringBuilder("arch,depth,test_accuracy,counted,phi_median_over_pairs,phi_mean_over_pairs,chi_median_over_pairs,folded_fraction,mean_regions,paths,train_seconds,fold_seconds\n");
        for (NetResult r : results)
            csv.append(String.format(Locale.ROOT, "%s,%d,%.5f,%b,%.6f,%.6f,%.6f,%.6f,%.3f,%d,%.2f,%.2f%n", r.arch(), r.depth(), r.accuracy(), r.counted(),
                    r.phiMedian(), r.phiMean(), r.chiMedian(), r.foldedFraction(), r.meanRegions(), r.paths(), r.trainSeconds(), r.foldSeconds()));
        AtomicFiles.writeString(cfg.out().resolve("folding.csv"), csv.toString());
        AtomicFiles.writeString(cfg.out().resolve("pairs.csv"), pairCsv);
        List<MetricPlots.Series> series = new ArrayList<>();
        double[] d = results.stream().filter(NetResult::counted).mapToDouble(NetResult::depth).toArray();
        series.add(new MetricPlots.Series("median over pairs (nets with accuracy >= " + cfg.minAccuracy() + ")", d,
                results.stream().filter(NetResult::counted).mapToDouble(NetResult::phiMedian).toArray()));
        series.add(new MetricPlots.Series("mean over pairs", d, results.stream().filter(NetResult::counted).mapToDouble(NetResult::phiMean).toArray()));
        double[] dAll = results.stream().mapToDouble(NetResult::depth).toArray();
        series.add(new MetricPlots.Series("median over pairs, all nets", dAll, results.stream().mapToDouble(NetResult::phiMedian).toArray()));
        XYChart c = MetricPlots.chart("Space folding vs depth (" + cfg.dataset() + ", 60 hidden neurons, exact)",
                "median of non-zero max running chi", series, false, 900, 560);
        c.setXAxisTitle("hidden layers");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        ImageFiles.writePng(BitmapEncoder.getBufferedImage(c), cfg.out().resolve("folding_vs_depth.png"));
        StringBuilder md = new StringBuilder();
        md.append("# Space folding vs depth (Lewandowski et al., Algorithm 2, exact)\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s, %d training images, %d test images. Training: %s epochs, Adam lr 1e-3, batch 128, "
                        + "He-normal weights, seed %d. Paths: %d per ordered pair of classes (%d pairs), between random test images; "
                        + "patterns over the hidden units%s. Nets with test accuracy >= %.3f count in the trend.%n%n",
                cfg.dataset(), trainCount, testCount, fmt(cfg.epochs()), cfg.seed(), cfg.pathsPerPair(), 100,
                cfg.outputs() ? " and the output signs" : "", cfg.minAccuracy()));
        md.append("| net | depth | test accuracy | counted | median over pairs of median non-zero max running chi | mean over pairs | median over pairs of median non-zero chi | folded paths | regions per path | train s | fold s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (NetResult r : results)
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %s | %.4f | %.4f | %.4f | %.1f%% | %.1f | %.1f | %.2f |%n", r.arch(), r.depth(), r.accuracy(),
                    r.counted() ? "yes" : "no", r.phiMedian(), r.phiMean(), r.chiMedian(), 100 * r.foldedFraction(), r.meanRegions(), r.trainSeconds(), r.foldSeconds()));
        md.append("\nFiles: folding.csv (this table), pairs.csv (per net and ordered pair), folding_vs_depth.png, models/*.json.\n");
        AtomicFiles.writeString(cfg.out().resolve("summary.md"), md.toString());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
