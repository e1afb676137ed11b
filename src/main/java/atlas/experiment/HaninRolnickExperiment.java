package atlas.experiment;

import atlas.error.BadInputException;

import atlas.data.mnist.DatasetSpec;
import atlas.data.mnist.DatasetStore;
import atlas.data.mnist.ImageDataset;
import atlas.data.mnist.MnistData;
import atlas.data.mnist.SyntheticImages;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.measure.BoundaryDistance;
import atlas.measure.LineDensity;
import atlas.measure.PlaneCounts;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.regions.PlaneSlice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Hanin and Rolnick's measurements on MNIST ("Complexity of linear regions in deep networks", ICML 2019; "Deep
 * ReLU networks have surprisingly few activation patterns", NeurIPS 2019), exactly: for each architecture, a net is
 * trained (softmax cross-entropy, Adam, He-normal init, see {@link MnistTrainer}) and at each snapshot epoch
 * <ul>
 *   <li>regions along lines, exactly ({@link LineDensity}): origin -> test image and test image -> test image;
 *       regions per unit length, and over N;</li>
 *   <li>regions on planes, exactly ({@link PlaneCounts}): through three training images (circumcentre
 *       construction, [-1,1]^2) and through the origin and two training images ([-20,20]^2); count, /N, /N^2;</li>
 *   <li>the distance to the nearest boundary ({@link BoundaryDistance}) of test, training and Gaussian-noise points
 *       (per-pixel training mean and standard deviation); the mean, and mean x N;</li>
 *   <li>test accuracy.</li>
 * </ul>
 * The probes (which images, lines and planes) are drawn once per run from the seed and shared by every net and
 * epoch. Optionally, the memorisation study: a net trained with a fraction of random labels, regions on lines from
 * the origin to test images at each snapshot.
 *
 * <p>Units of work: one (architecture, snapshot) measurement, or one (noise level, snapshot) of the memorisation
 * study. Each finished unit is written to {@code units/} atomically, so an interrupted run resumed with the same
 * settings skips finished units (training is deterministic and cheap, so a resumed architecture is retrained to its
 * first unfinished snapshot). The report ({@link HaninRolnickReport}) is rewritten after every architecture and
 * when the run stops; until every unit is done it says that it is partial.
 */
public final class HaninRolnickExperiment {

    /** One measured snapshot of one architecture. */
    public record Row(String arch, int depth, int neurons, double epoch, double testAccuracy, double trainLoss,
                      double originLineDensity, double imageLineDensity, double originLineRegions, double imageLineRegions,
                      double plane3Count, double planeOriginCount, double distTest, double distTrain, double distNoise,
                      double samplesPerSecond, double seconds) {
        static final String HEADER = "arch,depth,neurons,epoch,test_accuracy,train_loss,origin_line_density,image_line_density,"
                + "origin_line_regions,image_line_regions,plane3_count,plane_origin_count,dist_test,dist_train,dist_noise,samples_per_s,seconds";

        String csv() {
            return String.join(",", arch, Integer.toString(depth), Integer.toString(neurons), num(epoch), num(testAccuracy), num(trainLoss),
                    num(originLineDensity), num(imageLineDensity), num(originLineRegions), num(imageLineRegions), num(plane3Count),
                    num(planeOriginCount), num(distTest), num(distTrain), num(distNoise), num(samplesPerSecond), num(seconds));
        }

        static Row parse(String line) {
            String[] f = line.split(",");
            if (f.length != 17) throw new BadInputException("bad unit line: " + line);
            double[] v = new double[17];
            for (int k = 3; k < 17; k++) v[k] = Double.parseDouble(f[k]);
            return new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                    v[11], v[12], v[13], v[14], v[15], v[16]);
        }
    }

    /** One snapshot of the memorisation study. */
    public record MemoRow(double noise, double epoch, double trainAccuracy, double testAccuracy, double lineRegions, double lineDensity) {
        static final String HEADER = "noise,epoch,train_accuracy_noisy_labels,test_accuracy,line_regions,line_density";

        String csv() { return String.join(",", num(noise), num(epoch), num(trainAccuracy), num(testAccuracy), num(lineRegions), num(lineDensity)); }

        static MemoRow parse(String line) {
            String[] f = line.split(",");
            if (f.length != 6) throw new BadInputException("bad unit line: " + line);
            return new MemoRow(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        }
    }

    /** What a run produced. */
    public record Result(Path out, List<Row> rows, List<MemoRow> memo, int unitsDone, int unitsTotal, boolean partial, double wallSeconds) {
        public Result {
            rows = List.copyOf(rows);
            memo = List.copyOf(memo);
        }
    }

    private final HaninRolnickConfig cfg;
    private final MnistData data;
    private final ImageDataset train;
    private final ImageDataset test;
    private Consumer<String> progress = s -> { };
    private Runnable unitDone = () -> { };
    private ExecutorService workers;

    /** The probes shared by all nets: input-space points. */
    private final List<double[][]> originLines = new ArrayList<>(), imageLines = new ArrayList<>();
    private final List<double[][]> planeTriples = new ArrayList<>(), planePairs = new ArrayList<>();
    private final List<double[]> testPoints = new ArrayList<>(), trainPoints = new ArrayList<>(), noisePoints = new ArrayList<>();

    public HaninRolnickExperiment(HaninRolnickConfig cfg, MnistData data) {
        this.cfg = cfg;
        this.data = data;
        this.train = cfg.trainLimit() > 0 ? data.train().head(cfg.trainLimit()) : data.train();
        this.test = cfg.testLimit() > 0 ? data.test().head(cfg.testLimit()) : data.test();
        chooseProbes();
    }

    /** Loads the configured data set: from the cache (or the Debian package), or generated ("synthetic"). */
    public static MnistData loadData(HaninRolnickConfig cfg) {
        if (cfg.dataset().equals("synthetic")) return SyntheticImages.generate(cfg.seed(), 3000, 500, 12, 10);
        DatasetStore store = new DatasetStore(cfg.dataDir() != null ? cfg.dataDir() : DatasetStore.defaultRoot());
        return store.load(DatasetSpec.byId(cfg.dataset()));
    }

    /** Called with one-line status messages (architecture, speed). */
    public HaninRolnickExperiment onMessage(Consumer<String> c) { this.progress = c; return this; }

    /** Called once per finished (or skipped, already done) unit: for progress bars. */
    public HaninRolnickExperiment onUnitDone(Runnable r) { this.unitDone = r; return this; }

    /** The number of units of work of this configuration. */
    public int unitsTotal() {
        int n = cfg.architectures().size() * cfg.epochs().length;
        if (cfg.memorisation() != null) n += cfg.memorisation().noise().length * cfg.memorisation().epochs().length;
        return n;
    }

    private void chooseProbes() {
        Random r = new Random(cfg.seed() * 31 + 7);
        int d = train.dim();
        for (int k = 0; k < cfg.lines(); k++) {
            originLines.add(new double[][]{new double[d], test.features(r.nextInt(test.count()), null)});
            int a = r.nextInt(test.count()), b = r.nextInt(test.count());
            if (test.count() > 1) while (b == a) b = r.nextInt(test.count());
            imageLines.add(new double[][]{test.features(a, null), test.features(b, null)});
        }
        for (int k = 0; k < cfg.planes(); k++) {
            planeTriples.add(new double[][]{train.features(r.nextInt(train.count()), null), train.features(r.nextInt(train.count()), null),
                    train.features(r.nextInt(train.count()), null)});
            planePairs.add(new double[][]{train.features(r.nextInt(train.count()), null), train.features(r.nextInt(train.count()), null)});
        }
        double[][] ms = train.pixelMeanStd();
        for (int k = 0; k < cfg.distancePoints(); k++) {
            testPoints.add(test.features(r.nextInt(test.count()), null));
            trainPoints.add(train.features(r.nextInt(train.count()), null));
            double[] x = new double[d];
            for (int j = 0; j < d; j++) x[j] = ms[0][j] + ms[1][j] * r.nextGaussian();
            noisePoints.add(x);
        }
    }

    /**
     * Runs every unfinished unit and writes the report.
     *
     * @throws CancellationException when interrupted, after writing a partial report
     */
    public Result run() {
        long t0 = System.nanoTime();
        Path units = cfg.out().resolve("units");
        try {
            Files.createDirectories(units);
        } catch (IOException e) {
            throw new BadInputException("cannot create " + units + ": " + e.getMessage(), e);
        }
        if (!cfg.resume()) clearUnits(units);
        writeConfig();
        workers = Executors.newFixedThreadPool(cfg.threads(), r -> {
            Thread t = new Thread(r, "hanin-rolnick-measure");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int[] hidden : cfg.architectures()) {
                runArchitecture(hidden, units);
                report(units, t0, false);
            }
            if (cfg.memorisation() != null)
                for (double noise : cfg.memorisation().noise()) runMemorisation(noise, units);
        } catch (CancellationException | ArithmeticException e) {
            boolean interrupted = Thread.interrupted(); // interruptible file channels would refuse to write the report
            try {
                report(units, t0, true);
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            throw e;
        } finally {
            workers.shutdownNow();
        }
        return report(units, t0, false);
    }

    private void runArchitecture(int[] hidden, Path units) {
        String arch = HaninRolnickConfig.name(hidden);
        double[] epochs = cfg.epochs();
        int first = 0;
        while (first < epochs.length && Files.exists(unitFile(units, arch, first))) first++;
        for (int k = 0; k < first; k++) unitDone.run();
        if (first == epochs.length) {
            progress.accept(arch + ": all " + epochs.length + " snapshots already measured (resumed)");
            return;
        }
        progress.accept(arch + ": training from scratch to epoch " + num(epochs[epochs.length - 1]) + (first > 0 ? ", measuring from snapshot " + first : ""));
        try (MnistTrainer t = new MnistTrainer(train, hidden, seedOf(hidden), cfg.biasStd(), Double.NaN,
                cfg.batch(), cfg.lr(), cfg.threads())) {
            for (int k = 0; k < epochs.length; k++) {
                t.advanceTo(epochs[k]);
                if (k < first) continue;
                long s0 = System.nanoTime();
                Network net = t.network();
                Row row = measure(arch, hidden.length, net, t.epoch(), t.lastLoss(), t.samplesPerSecond(), s0);
                writeUnit(unitFile(units, arch, k), Row.HEADER, row.csv());
                if (k == epochs.length - 1) ModelFormat.write(net, cfg.out().resolve("nets").resolve(arch + "-final.json"));
                unitDone.run();
            }
            progress.accept(String.format(Locale.ROOT, "%s: trained %.2f epochs at %.0f samples/s", arch, t.epoch(), t.samplesPerSecond()));
        }
    }

    /** The worker pool of a unit of a sweep (see {@link HaninRolnickSweep}): made once, daemon threads, shared by the units of this JVM. */
    private synchronized void ensureWorkers() {
        if (workers == null) workers = Executors.newFixedThreadPool(cfg.threads(), r -> {
            Thread t = new Thread(r, "hanin-rolnick-measure");
            t.setDaemon(true);
            return t;
        });
    }

    /** The training set of the architectures (after --train). */
    ImageDataset trainingSet() { return train; }

    /** The test set used for accuracy and probes (after --test). */
    ImageDataset testSet() { return test; }

    /** The seed of an architecture's net. */
    long seedOf(int[] hidden) { return cfg.seed() + hidden.length * 1000L + hidden[0]; }

    /** One snapshot's measurements as a sweep unit: no timings in the row (speed and seconds are NaN; the sweep's timings.csv has them). */
    Row measureUnit(String arch, int depth, Network net, double epoch, double loss) {
        ensureWorkers();
        Row r = measure(arch, depth, net, epoch, loss, Double.NaN, System.nanoTime());
        return new Row(r.arch(), r.depth(), r.neurons(), r.epoch(), r.testAccuracy(), r.trainLoss(), r.originLineDensity(), r.imageLineDensity(),
                r.originLineRegions(), r.imageLineRegions(), r.plane3Count(), r.planeOriginCount(), r.distTest(), r.distTrain(), r.distNoise(),
                Double.NaN, Double.NaN);
    }

    /** The memorisation study's noisy training set for one noise level. */
    ImageDataset noisyTrainingSet(double noise) {
        return data.train().head(cfg.memorisation().trainLimit()).withLabelNoise(noise, cfg.seed() + 17);
    }

    /** The memorisation study's lines (origin to test images), the same for every noise level and snapshot. */
    List<double[][]> memorisationLines() {
        List<double[][]> lines = new ArrayList<>();
        Random r = new Random(cfg.seed() * 53 + 3);
        for (int k = 0; k < cfg.memorisation().lines(); k++) lines.add(new double[][]{new double[test.dim()], test.features(r.nextInt(test.count()), null)});
        return lines;
    }

    /** One memorisation snapshot as a sweep unit. */
    MemoRow measureMemoUnit(double noise, ImageDataset noisy, Network net, double epoch) {
        ensureWorkers();
        List<LineDensity> ld = lines(net, memorisationLines());
        return new MemoRow(noise, epoch, MnistTrainer.accuracy(net, noisy, Integer.MAX_VALUE), MnistTrainer.accuracy(net, test, Integer.MAX_VALUE),
                LineDensity.meanRegions(ld), LineDensity.meanDensity(ld));
    }

    /** Writes the report of a sweep's rows (every unit done). */
    Result writeReport(List<Row> rows, List<MemoRow> memo) {
        Result res = new Result(cfg.out(), rows, memo, unitsTotal(), unitsTotal(), false, Double.NaN);
        new HaninRolnickReport(cfg, train.count(), test.count()).write(res);
        return res;
    }

    /** Every setting that changes a result, one per line. */
    String settingsText() { return configText(); }

    private Row measure(String arch, int depth, Network net, double epoch, double loss, double speed, long s0) {
        int n = net.hiddenNeurons();
        double acc = MnistTrainer.accuracy(net, test, Integer.MAX_VALUE);
        List<LineDensity> ol = lines(net, originLines), il = lines(net, imageLines);
        double p3 = 0, po = 0;
        for (double[][] p : planeTriples) { check(); p3 += PlaneCounts.of(net, PlaneSlice.throughPoints(p[0], p[1], p[2]), Rectangle.centred(1)).count(); }
        for (double[][] p : planePairs) { check(); po += PlaneCounts.of(net, PlaneCounts.originPlane(p[0], p[1]), Rectangle.centred(20)).count(); }
        double dt = meanDistance(net, testPoints), dtr = meanDistance(net, trainPoints), dn = meanDistance(net, noisePoints);
        return new Row(arch, depth, n, epoch, acc, epoch == 0 ? Double.NaN : loss, LineDensity.meanDensity(ol), LineDensity.meanDensity(il),
                LineDensity.meanRegions(ol), LineDensity.meanRegions(il), planeTriples.isEmpty() ? Double.NaN : p3 / planeTriples.size(),
                planePairs.isEmpty() ? Double.NaN : po / planePairs.size(), dt, dtr, dn, epoch == 0 ? Double.NaN : speed, (System.nanoTime() - s0) / 1e9);
    }

    /** Regions along each segment, in order; segments are spread over the worker threads. */
    private List<LineDensity> lines(Network net, List<double[][]> segments) {
        List<Callable<LineDensity>> tasks = new ArrayList<>(segments.size());
        Thread caller = Thread.currentThread();
        for (double[][] l : segments) tasks.add(() -> {
            if (caller.isInterrupted()) throw new CancellationException("interrupted");
            return LineDensity.of(net, l[0], l[1]);
        });
        return invokeAll(tasks);
    }

    /**
     * The mean boundary distance of the points: one {@link BoundaryDistance} workspace per chunk of points, chunks
     * spread over the worker threads, the sum taken in point order (so the result does not depend on threads).
     */
    private double meanDistance(Network net, List<double[]> pts) {
        if (pts.isEmpty()) return Double.NaN;
        int chunks = Math.min(pts.size(), cfg.threads());
        int per = (pts.size() + chunks - 1) / chunks;
        Thread caller = Thread.currentThread();
        List<Callable<double[]>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = c * per, to = Math.min(pts.size(), from + per);
            tasks.add(() -> {
                BoundaryDistance bd = new BoundaryDistance(net);
                double[] d = new double[Math.max(0, to - from)];
                for (int k = from; k < to; k++) {
                    if (caller.isInterrupted()) throw new CancellationException("interrupted");
                    d[k - from] = bd.distance(pts.get(k));
                }
                return d;
            });
        }
        double s = 0;
        for (double[] d : invokeAll(tasks)) for (double v : d) s += v;
        return s / pts.size();
    }

    /** Runs the tasks on the worker pool and returns their results in order; interruption cancels them. */
    private <T> List<T> invokeAll(List<Callable<T>> tasks) {
        check();
        List<Future<T>> fs = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) fs.add(workers.submit(t));
        List<T> out = new ArrayList<>(tasks.size());
        try {
            for (Future<T> f : fs) out.add(f.get());
        } catch (InterruptedException e) {
            for (Future<T> f : fs) f.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            for (Future<T> f : fs) f.cancel(true);
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("measurement failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    private void runMemorisation(double noise, Path units) {
        HaninRolnickConfig.Memorisation m = cfg.memorisation();
        double[] epochs = m.epochs();
        String tag = "memo-" + num(noise);
        int first = 0;
        while (first < epochs.length && Files.exists(unitFile(units, tag, first))) first++;
        for (int k = 0; k < first; k++) unitDone.run();
        if (first == epochs.length) return;
        ImageDataset noisy = data.train().head(m.trainLimit()).withLabelNoise(noise, cfg.seed() + 17);
        progress.accept("memorisation: label noise " + num(noise) + ", " + noisy.count() + " images, to epoch " + num(epochs[epochs.length - 1]));
        List<double[][]> lines = new ArrayList<>();
        Random r = new Random(cfg.seed() * 53 + 3);
        for (int k = 0; k < m.lines(); k++) lines.add(new double[][]{new double[test.dim()], test.features(r.nextInt(test.count()), null)});
        int[] hidden = m.hidden();
        try (MnistTrainer t = new MnistTrainer(noisy, hidden, cfg.seed() + 99, cfg.biasStd(), Double.NaN, cfg.batch(), cfg.lr(), cfg.threads())) {
            for (int k = 0; k < epochs.length; k++) {
                t.advanceTo(epochs[k]);
                if (k < first) continue;
                Network net = t.network();
                List<LineDensity> ld = lines(net, lines);
                MemoRow row = new MemoRow(noise, t.epoch(), MnistTrainer.accuracy(net, noisy, Integer.MAX_VALUE),
                        MnistTrainer.accuracy(net, test, Integer.MAX_VALUE), LineDensity.meanRegions(ld), LineDensity.meanDensity(ld));
                writeUnit(unitFile(units, tag, k), MemoRow.HEADER, row.csv());
                unitDone.run();
            }
        }
    }

    private static void check() {
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
    }

    private static Path unitFile(Path units, String tag, int snapshot) {
        return units.resolve(tag + "_" + String.format(Locale.ROOT, "%02d", snapshot) + ".csv");
    }

    private static void writeUnit(Path file, String header, String line) {
        AtomicFiles.writeString(file, header + "\n" + line + "\n");
    }

    private void clearUnits(Path units) {
        try (var s = Files.list(units)) {
            for (Path p : s.toList()) if (p.getFileName().toString().endsWith(".csv")) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new BadInputException("cannot clear " + units + ": " + e.getMessage(), e);
        }
    }

    /** The settings; a resumed run must have the same ones. */
    private void writeConfig() {
        String text = configText();
        Path file = cfg.out().resolve("config.txt");
        if (cfg.resume() && Files.exists(file)) {
            String old;
            try {
                old = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!old.equals(text))
                throw new BadInputException(cfg.out() + " holds a run with other settings (see its config.txt): resume with the same settings or use another --out");
        }
        AtomicFiles.writeString(file, text);
    }

    private String configText() {
        StringBuilder sb = new StringBuilder();
        sb.append("dataset=").append(cfg.dataset()).append('\n');
        sb.append("architectures=");
        for (int[] a : cfg.architectures()) sb.append(HaninRolnickConfig.name(a)).append(' ');
        sb.append("\nepochs=");
        for (double e : cfg.epochs()) sb.append(num(e)).append(' ');
        sb.append("\ntrain_images=").append(train.count()).append("\ntest_images=").append(test.count());
        sb.append("\nlines=").append(cfg.lines()).append("\nplanes=").append(cfg.planes()).append("\ndistance_points=").append(cfg.distancePoints());
        sb.append("\nseed=").append(cfg.seed()).append("\nbias_std=").append(cfg.biasStd()).append("\nbatch=").append(cfg.batch())
                .append("\nlr=").append(cfg.lr()).append('\n');
        if (cfg.memorisation() != null) {
            HaninRolnickConfig.Memorisation m = cfg.memorisation();
            sb.append("memorisation=").append(HaninRolnickConfig.name(m.hidden())).append(" noise ");
            for (double f : m.noise()) sb.append(num(f)).append(' ');
            sb.append("epochs ");
            for (double e : m.epochs()) sb.append(num(e)).append(' ');
            sb.append("train_images ").append(m.trainLimit()).append(" lines ").append(m.lines()).append('\n');
        }
        return sb.toString();
    }

    private Result report(Path units, long t0, boolean stopped) {
        List<Row> rows = new ArrayList<>();
        List<MemoRow> memo = new ArrayList<>();
        int done = 0;
        for (int[] hidden : cfg.architectures()) {
            String arch = HaninRolnickConfig.name(hidden);
            for (int k = 0; k < cfg.epochs().length; k++) {
                Path f = unitFile(units, arch, k);
                if (Files.exists(f)) { rows.add(Row.parse(lastLine(f))); done++; }
            }
        }
        if (cfg.memorisation() != null)
            for (double noise : cfg.memorisation().noise())
                for (int k = 0; k < cfg.memorisation().epochs().length; k++) {
                    Path f = unitFile(units, "memo-" + num(noise), k);
                    if (Files.exists(f)) { memo.add(MemoRow.parse(lastLine(f))); done++; }
                }
        int total = unitsTotal();
        boolean partial = stopped || done < total;
        Result res = new Result(cfg.out(), rows, memo, done, total, partial, (System.nanoTime() - t0) / 1e9);
        new HaninRolnickReport(cfg, train.count(), test.count()).write(res);
        return res;
    }

    private static String lastLine(Path f) {
        try {
            List<String> l = Files.readAllLines(f, StandardCharsets.UTF_8);
            return l.get(l.size() - 1);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e") || !s.contains(".")) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
