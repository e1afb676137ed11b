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
import atlas.experiment.jobs.Job;
import atlas.experiment.jobs.JobContext;
import atlas.experiment.jobs.JobOutcome;
import atlas.experiment.jobs.LocalRunner;
import atlas.experiment.jobs.Sweep;
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
import java.util.stream.IntStream;

/**
 * The MNIST study of Lewandowski et al. (their Algorithm 2), with exact folding: nets of 60 hidden relu neurons
 * at several depths are trained on fixed seeds; for every ordered pair (a, b) of digit classes, straight paths
 * from random test images of class a to random test images of class b are folded exactly ({@link PathFolder});
 * per pair the statistic is the median of the non-zero maxima of the running chi, and the nets are compared by
 * the median (and mean) of that statistic over the pairs. Only nets whose validation accuracy (images held out
 * from the training set) reaches {@code minAccuracy} count in the depth trend, as in the paper; several seeds per
 * architecture give the spread.
 *
 * <p>Units of work ({@link atlas.experiment.jobs.Job}), run by a resumable {@link Sweep} on local threads or on
 * Apache Spark: stage "train" has one {@link TrainJob} per net (its result: the accuracies and the model), stage
 * "fold" one {@link FoldJob} per net and group of ordered pairs (its result: per pair the statistic, the folded
 * paths and the regions crossed). The paths of a pair are drawn from a seed made of the first seed and the pair
 * alone, so a pair's numbers do not depend on which other pairs are run, how they are grouped, or where.
 *
 * <p>Writes, into the sweep folder: {@code folding.csv} (one row per net), {@code pairs.csv} (one row per net and
 * pair), {@code folding_vs_depth.png}, {@code pairs.png}, {@code models/<arch>-seed<s>.json} and {@code summary.md};
 * no timings (those are in the sweep's {@code timings.csv}), so the results are the same bytes on every runner.
 */
public final class SpaceFoldsExperiment {
    private SpaceFoldsExperiment() {}

    /** Default paths per fold unit: pairs are grouped up to this many paths (a few seconds of work per unit). */
    public static final int UNIT_PATHS = 50_000;

    /**
     * @param dataset      mnist, fashion-mnist or synthetic
     * @param dataDir      data cache (null: the default)
     * @param out          report folder (the sweep's folder)
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
     * @param threads      training threads inside one training unit (results do not depend on it)
     * @param pairs        the ordered pairs {a, b} to fold, in report order, or null for all of them
     * @param unitPaths    paths per fold unit: consecutive pairs are grouped up to this many paths (a pair is never
     *                     split); changes how the work is cut, never a result
     */
    public record Config(String dataset, Path dataDir, Path out, List<int[]> archs, double epochs, List<Long> seeds, int pathsPerPair,
                         double minAccuracy, boolean outputs, int trainLimit, int validation, int threads, List<int[]> pairs, int unitPaths) {
        public Config {
            if (archs.isEmpty()) throw new BadInputException("give at least one architecture");
            if (seeds.isEmpty()) throw new BadInputException("give at least one seed");
            if (validation < -1) throw new BadInputException("--validation must be >= 0");
            seeds = List.copyOf(seeds);
            if (!(epochs >= 0) || Double.isInfinite(epochs)) throw new BadInputException("--epochs must be a finite number >= 0, got " + epochs);
            if (!(minAccuracy >= 0 && minAccuracy <= 1))
                throw new BadInputException("--min-accuracy must be in [0, 1], got " + minAccuracy);
            if (pathsPerPair < 1) throw new BadInputException("--paths must be at least 1");
            if (threads < 1) throw new BadInputException("--threads must be positive");
            if (unitPaths < 1) throw new BadInputException("--unit-paths must be positive");
            archs = List.copyOf(archs.stream().map(int[]::clone).toList());
            if (pairs != null) {
                if (pairs.isEmpty()) throw new BadInputException("--pairs needs at least one pair");
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (int[] p : pairs) {
                    if (p.length != 2 || p[0] < 0 || p[1] < 0) throw new BadInputException("--pairs takes class pairs like 0-1,3-8");
                    if (!seen.add(p[0] * 100_000L + p[1])) throw new BadInputException("--pairs names " + p[0] + "-" + p[1] + " twice");
                }
                pairs = List.copyOf(pairs.stream().map(int[]::clone).toList());
            }
        }

        /** The same settings without a pair selection (every ordered pair). */
        public Config(String dataset, Path dataDir, Path out, List<int[]> archs, double epochs, List<Long> seeds, int pathsPerPair,
                      double minAccuracy, boolean outputs, int trainLimit, int validation, int threads) {
            this(dataset, dataDir, out, archs, epochs, seeds, pathsPerPair, minAccuracy, outputs, trainLimit, validation, threads, null, UNIT_PATHS);
        }

        /** The six nets of the paper. */
        public static List<int[]> publishedArchitectures() {
            return List.of(new int[]{30, 30}, new int[]{20, 20, 20}, new int[]{15, 15, 15, 15}, new int[]{12, 12, 12, 12, 12},
                    new int[]{10, 10, 10, 10, 10, 10}, new int[]{6, 6, 6, 6, 6, 6, 6, 6, 6, 6});
        }

        /** Every setting that changes a result, one per line (the sweep's identity; threads and the folder are not in it). */
        public String settings() {
            StringBuilder sb = new StringBuilder("experiment=space-folds\ndataset=").append(dataset).append("\narchs=");
            for (int[] h : archs) sb.append(archName(h)).append(' ');
            sb.append("\nepochs=").append(fmt(epochs)).append("\nseeds=").append(seeds).append("\npaths_per_pair=").append(pathsPerPair)
                    .append("\nmin_accuracy=").append(minAccuracy).append("\noutputs=").append(outputs).append("\ntrain_limit=").append(trainLimit)
                    .append("\nvalidation=").append(validation).append("\npairs=").append(pairs == null ? "all" : pairList(pairs)).append('\n');
            return sb.toString();
        }

        String dataDirText() { return dataDir == null ? null : dataDir.toAbsolutePath().toString(); }

        /** The training units, one per architecture and seed, in report order. */
        public List<TrainJob> trainJobs() {
            List<TrainJob> jobs = new ArrayList<>();
            for (int[] h : archs) for (long s : seeds)
                jobs.add(new TrainJob(dataset, dataDirText(), seeds.get(0), h, s, epochs, trainLimit, validation, threads));
            return jobs;
        }
    }

    /** "0-1,3-8" (a-b pairs, comma-separated). */
    public static List<int[]> parsePairs(String s) {
        List<int[]> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String[] ab = part.trim().split("-");
            try {
                if (ab.length != 2) throw new NumberFormatException();
                out.add(new int[]{Integer.parseInt(ab[0].trim()), Integer.parseInt(ab[1].trim())});
            } catch (NumberFormatException e) {
                throw new BadInputException("--pairs takes class pairs like 0-1,3-8, got '" + part.trim() + "'");
            }
        }
        return out;
    }

    static String pairList(List<int[]> pairs) {
        StringBuilder sb = new StringBuilder();
        for (int[] p : pairs) sb.append(sb.length() == 0 ? "" : ",").append(p[0]).append('-').append(p[1]);
        return sb.toString();
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
     */
    public record NetResult(String arch, int depth, long seed, double validationAccuracy, double accuracy, boolean counted, double phiMedian, double phiMean,
                            double chiMedian, double foldedFraction, double meanRegions, long paths) {}

    public static MnistData loadData(String dataset, Path dataDir, long seed) {
        if (dataset.equals("synthetic")) return SyntheticImages.generate(seed, 3000, 500, 12, 10);
        DatasetStore store = new DatasetStore(dataDir != null ? dataDir : DatasetStore.defaultRoot());
        return store.load(DatasetSpec.byId(dataset));
    }

    /** The data set, once per JVM (every unit of a sweep on this machine shares it). */
    static MnistData sharedData(String dataset, String dataDir, long seed0) {
        String key = "space-folds-data:" + dataset + ":" + dataDir + (dataset.equals("synthetic") ? ":" + seed0 : "");
        return JobContext.shared(key, () -> loadData(dataset, dataDir == null ? null : Path.of(dataDir), seed0));
    }

    public static String archName(int[] h) {
        boolean same = Arrays.stream(h).allMatch(v -> v == h[0]);
        if (same) return h.length + "x" + h[0];
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < h.length; k++) sb.append(k == 0 ? "" : "-").append(h[k]);
        return sb.toString();
    }

    /** Training images, validation images (or null) and test images, split as the config says. */
    record Split(ImageDataset train, ImageDataset val, ImageDataset test) {
        static Split of(MnistData data, int trainLimit, int validation) {
            ImageDataset all = trainLimit > 0 ? data.train().head(trainLimit) : data.train();
            int nVal = validation >= 0 ? validation : Math.min(10_000, all.count() / 6);
            if (nVal >= all.count()) throw new BadInputException("--validation " + nVal + " leaves no training images of " + all.count());
            int nTrain = all.count() - nVal;
            ImageDataset train = all.subset(IntStream.range(0, nTrain).toArray(), all.name());
            ImageDataset val = nVal == 0 ? null : all.subset(IntStream.range(nTrain, all.count()).toArray(), all.name() + "/validation");
            return new Split(train, val, data.test());
        }
    }

    /** One unit of stage "train": train one net; its result is its two accuracies and the model as JSON. */
    public record TrainJob(String dataset, String dataDir, long seed0, int[] hidden, long seed, double epochs, int trainLimit, int validation,
                           int threads) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return "train-" + archName(hidden) + "-s" + seed; }

        @Override
        public String run(JobContext ctx) {
            Split sp = Split.of(sharedData(dataset, dataDir, seed0), trainLimit, validation);
            Network net;
            try (MnistTrainer t = new MnistTrainer(sp.train(), hidden, seed, 1e-3, Double.NaN, 128, 1e-3, threads)) {
                t.advanceTo(epochs);
                net = t.network();
            }
            double acc = MnistTrainer.accuracy(net, sp.test(), sp.test().count());
            double vacc = sp.val() == null ? Double.NaN : MnistTrainer.accuracy(net, sp.val(), sp.val().count());
            return "validation_accuracy=" + vacc + "\ntest_accuracy=" + acc + "\n" + ModelFormat.toJson(net) + "\n";
        }
    }

    /** A training unit's result read back. */
    record Trained(double validationAccuracy, double accuracy, String modelJson) {
        static Trained parse(String text) {
            String[] l = text.split("\n", 3);
            if (l.length != 3 || !l[0].startsWith("validation_accuracy=") || !l[1].startsWith("test_accuracy="))
                throw new IllegalStateException("bad training unit result");
            return new Trained(Double.parseDouble(l[0].substring(20)), Double.parseDouble(l[1].substring(14)), l[2].strip());
        }
    }

    /**
     * One unit of stage "fold": the paths of some ordered pairs through one trained net. Its result has one line per
     * pair: {@code a,b,paths,phi_max_running,phi_chi,folded,regions} (the statistics as exact decimal doubles, the
     * folded paths and the regions crossed as counts), so per-net figures merge exactly.
     */
    public record FoldJob(String dataset, String dataDir, long seed0, String arch, long seed, String modelJson, boolean outputs, int pathsPerPair,
                          int[] pairs) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            String first = pairs[0] / 100 + "_" + pairs[0] % 100;
            return "fold-" + arch + "-s" + seed + "-" + first + (pairs.length > 1 ? "-x" + pairs.length : "");
        }

        @Override
        public String run(JobContext ctx) {
            ImageDataset test = sharedData(dataset, dataDir, seed0).test();
            List<int[]> byClass = JobContext.shared("space-folds-classes:" + dataset + ":" + dataDir + ":" + seed0, () -> classIndex(test));
            Network net = ModelFormat.parse(modelJson);
            StringBuilder out = new StringBuilder();
            for (int code : pairs) {
                int a = code / 100, b = code % 100;
                if (a >= byClass.size() || b >= byClass.size())
                    throw new BadInputException("pair " + a + "-" + b + ": the data set has classes 0.." + (byClass.size() - 1));
                int[] A = byClass.get(a), B = byClass.get(b);
                if (A.length < 2 || B.length < 2) throw new BadInputException("class " + (A.length < 2 ? a : b) + " has fewer than 2 test images");
                // the pair's own stream: the same paths whatever else runs, and for every net
                SplittableRandom rnd = new SplittableRandom(seed0 * 0x9E3779B97F4A7C15L + 0x5DEECE66DL + 1_000_003L * (a * 1024L + b));
                int n = pathsPerPair;
                int[] from = new int[n], to = new int[n];
                // only the images the pair uses are projected through the net
                java.util.Map<Integer, Integer> local = new java.util.HashMap<>();
                List<double[]> pts = new ArrayList<>();
                for (int p = 0; p < n; p++) {
                    int f = A[rnd.nextInt(A.length)], t;
                    do t = B[rnd.nextInt(B.length)]; while (t == f);
                    from[p] = local.computeIfAbsent(f, i -> { pts.add(test.features(i, new double[test.dim()])); return pts.size() - 1; });
                    to[p] = local.computeIfAbsent(t, i -> { pts.add(test.features(i, new double[test.dim()])); return pts.size() - 1; });
                }
                if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                FoldingBatch batch = PathFolder.foldAll(net, Tolerance.DEFAULT, outputs, pts.toArray(new double[0][]), from, to, null);
                double[] chi = batch.chi();
                int[] regions = batch.regions();
                long folded = 0, reg = 0;
                for (int k = 0; k < n; k++) { if (chi[k] > 0) folded++; reg += regions[k]; }
                out.append(a).append(',').append(b).append(',').append(n).append(',').append(SpaceFolding.phi(batch.maxRunningChi())).append(',')
                        .append(SpaceFolding.phi(chi)).append(',').append(folded).append(',').append(reg).append('\n');
            }
            return out.toString();
        }
    }

    static List<int[]> classIndex(ImageDataset test) {
        int classes = test.classes();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < test.count(); i++) byClass.get(test.label(i)).add(i);
        return byClass.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** One pair's line of a fold unit's result. */
    record PairStat(int a, int b, long paths, double phi, double phiChi, long folded, long regions) {
        static PairStat parse(String line) {
            String[] f = line.split(",");
            if (f.length != 7) throw new IllegalStateException("bad fold unit line: " + line);
            return new PairStat(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]));
        }
    }

    /** Runs the study on local threads ({@code cfg.threads()} units at once) in {@code cfg.out()}; {@code log} gets one line per unit. */
    public static List<NetResult> run(Config cfg, Consumer<String> log) {
        Sweep.Listener l = new Sweep.Listener() {
            @Override public void stage(String stage, int total, int resumed) { log.accept(stage + ": " + total + " units" + (resumed > 0 ? ", " + resumed + " already done" : "")); }
            @Override public void unit(JobOutcome o, int done, int total) { log.accept(String.format(Locale.ROOT, "[%d/%d] %s %s", done, total, o.id(), o.ok() ? "done" : "FAILED: " + o.error())); }
        };
        try (LocalRunner r = new LocalRunner(cfg.threads())) {
            return run(cfg, new Sweep(cfg.out(), cfg.settings(), r, 1, l));
        }
    }

    /** Runs the study's units in {@code sweep} (resuming finished ones) and writes the report into the sweep's folder. */
    public static List<NetResult> run(Config cfg, Sweep sweep) {
        long seed0 = cfg.seeds().get(0);
        MnistData data = sharedData(cfg.dataset(), cfg.dataDirText(), seed0);
        Split sp = Split.of(data, cfg.trainLimit(), cfg.validation());
        int classes = sp.test().classes();
        if (classes > 100) throw new BadInputException("space-folds handles at most 100 classes, the data set has " + classes);
        List<int[]> pairs = cfg.pairs();
        if (pairs == null) {
            pairs = new ArrayList<>();
            for (int a = 0; a < classes; a++) for (int b = 0; b < classes; b++) pairs.add(new int[]{a, b});
        }
        for (int[] p : pairs)
            if (p[0] >= classes || p[1] >= classes) throw new BadInputException("--pairs " + p[0] + "-" + p[1] + ": the data set has classes 0.." + (classes - 1));
        for (List<Integer> c : classIndex(sp.test()).stream().map(a -> Arrays.stream(a).boxed().toList()).toList())
            if (c.size() < 2) throw new BadInputException("a class has fewer than 2 test images");
        List<TrainJob> trainJobs = cfg.trainJobs();
        List<String> trained = sweep.stage("train", trainJobs);
        // pairs grouped into units of at most UNIT_PATHS paths, in report order
        int group = Math.max(1, Math.min(pairs.size(), cfg.unitPaths() / cfg.pathsPerPair()));
        List<FoldJob> foldJobs = new ArrayList<>();
        for (int k = 0; k < trainJobs.size(); k++) {
            TrainJob tj = trainJobs.get(k);
            String json = Trained.parse(trained.get(k)).modelJson();
            for (int s = 0; s < pairs.size(); s += group) {
                int[] codes = pairs.subList(s, Math.min(pairs.size(), s + group)).stream().mapToInt(p -> p[0] * 100 + p[1]).toArray();
                foldJobs.add(new FoldJob(cfg.dataset(), cfg.dataDirText(), seed0, archName(tj.hidden()), tj.seed(), json, cfg.outputs(), cfg.pathsPerPair(), codes));
            }
        }
        List<String> folded = sweep.stage("fold", foldJobs);
        // merge in job order: nets in (architecture, seed) order, pairs in the given order
        List<NetResult> results = new ArrayList<>();
        List<String> gridTitles = new ArrayList<>();
        List<double[][]> grids = new ArrayList<>();
        StringBuilder pairCsv = new StringBuilder("arch,depth,seed,from_class,to_class,paths,phi_max_running,phi_chi,folded_fraction,mean_regions\n");
        int unitsPerNet = foldJobs.size() / trainJobs.size();
        for (int k = 0; k < trainJobs.size(); k++) {
            TrainJob tj = trainJobs.get(k);
            String arch = archName(tj.hidden());
            Trained t = Trained.parse(trained.get(k));
            AtomicFiles.writeString(cfg.out().resolve("models").resolve(arch + "-seed" + tj.seed() + ".json"), t.modelJson() + "\n");
            List<PairStat> stats = new ArrayList<>();
            for (int u = 0; u < unitsPerNet; u++)
                for (String line : folded.get(k * unitsPerNet + u).split("\n")) if (!line.isEmpty()) stats.add(PairStat.parse(line));
            double[] pairPhi = new double[stats.size()], pairChi = new double[stats.size()];
            long paths = 0, foldedPaths = 0, regions = 0;
            double[][] grid = new double[classes][classes];
            for (double[] row : grid) Arrays.fill(row, Double.NaN);
            for (int i = 0; i < stats.size(); i++) {
                PairStat ps = stats.get(i);
                pairPhi[i] = ps.phi();
                pairChi[i] = ps.phiChi();
                paths += ps.paths();
                foldedPaths += ps.folded();
                regions += ps.regions();
                grid[ps.a()][ps.b()] = ps.phi();
                pairCsv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.3f%n", arch, tj.hidden().length, tj.seed(), ps.a(), ps.b(),
                        ps.paths(), ps.phi(), ps.phiChi(), ps.folded() / (double) ps.paths(), ps.regions() / (double) ps.paths()));
            }
            if (tj.seed() == seed0) {
                gridTitles.add(String.format(Locale.ROOT, "%s (seed %d, accuracy %.3f)", arch, tj.seed(), t.accuracy()));
                grids.add(grid);
            }
            double chosen = sp.val() == null ? t.accuracy() : t.validationAccuracy();
            results.add(new NetResult(arch, tj.hidden().length, tj.seed(), t.validationAccuracy(), t.accuracy(), chosen >= cfg.minAccuracy(), median(pairPhi),
                    Arrays.stream(pairPhi).average().orElse(0), median(pairChi), foldedPaths / (double) paths, regions / (double) paths, paths));
        }
        ImageFiles.writePng(atlas.render.PairGrid.render(gridTitles, grids.toArray(new double[0][][]),
                "per ordered pair (row: from-class, column: to-class): median of the non-zero maxima of the running chi"), cfg.out().resolve("pairs.png"));
        writeReport(cfg, results, pairCsv.toString(), pairs.size(), sp.train().count(), sp.val() == null ? 0 : sp.val().count(), sp.test().count());
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

    private static void writeReport(Config cfg, List<NetResult> results, String pairCsv, int pairCount, int trainCount, int valCount, int testCount) {
        StringBuilder csv = new StringBuilder("arch,depth,seed,validation_accuracy,test_accuracy,counted,phi_median_over_pairs,phi_mean_over_pairs,chi_median_over_pairs,folded_fraction,mean_regions,paths\n");
        for (NetResult r : results)
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.5f,%.5f,%b,%.6f,%.6f,%.6f,%.6f,%.3f,%d%n", r.arch(), r.depth(), r.seed(), r.validationAccuracy(),
                    r.accuracy(), r.counted(), r.phiMedian(), r.phiMean(), r.chiMedian(), r.foldedFraction(), r.meanRegions(), r.paths()));
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
                        + "He-normal weights, seeds %s. Paths: %d per ordered pair of classes (%s), between random test images (the same for "
                        + "every net); patterns over the hidden units%s. Per pair: the median of the non-zero maxima of the running chi; per net: "
                        + "the median over pairs. Nets with %s accuracy >= %.3f count.%n%n",
                cfg.dataset(), trainCount, valCount > 0 ? " (" + valCount + " more held out for validation)" : "", testCount, fmt(cfg.epochs()),
                cfg.seeds(), cfg.pathsPerPair(), cfg.pairs() == null ? "all " + pairCount + " pairs" : pairCount + " pairs: " + pairList(cfg.pairs()),
                cfg.outputs() ? " and the output signs" : "", valCount > 0 ? "validation" : "test", cfg.minAccuracy()));
        md.append("## Per architecture (counted nets)\n\n| net | depth | nets | counted | mean | sd | min | max | mean test accuracy |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ArchSummary a : arch)
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f |%n", a.arch(), a.depth(), a.nets(), a.counted(),
                    a.meanPhi(), a.sdPhi(), a.minPhi(), a.maxPhi(), a.meanAccuracy()));
        md.append("\n## Per net\n\n| net | depth | seed | validation accuracy | test accuracy | counted | median over pairs | mean over pairs | median non-zero chi | folded paths | regions per path |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (NetResult r : results)
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %s | %.4f | %.4f | %.4f | %.1f%% | %.1f |%n", r.arch(), r.depth(), r.seed(),
                    r.validationAccuracy(), r.accuracy(), r.counted() ? "yes" : "no", r.phiMedian(), r.phiMean(), r.chiMedian(), 100 * r.foldedFraction(),
                    r.meanRegions()));
        md.append("\nFiles: folding.csv (per net), pairs.csv (per net and ordered pair), pairs.png (the per-pair values of the first seed), folding_vs_depth.png, "
                + "models/<arch>-seed<s>.json; the sweep's units/ (one result per unit) and timings.csv (seconds per unit).\n");
        AtomicFiles.writeString(cfg.out().resolve("summary.md"), md.toString());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
