package atlas.experiment.jobs;

import atlas.error.BadInputException;

import atlas.data.BuiltinImages;
import atlas.data.Dataset;
import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.experiment.RunSpec;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartitioner;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;
import atlas.train.FlatModel;
import atlas.train.OptimizerKind;
import atlas.train.Precision;
import atlas.train.TrainConfig;
import atlas.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * A depth x width sweep of the ring experiment: for every depth, width and seed, a leaky-ReLU net
 * 2 -> [width]x depth -> 1 is trained on points sampled from the built-in ring (Adam, MSE, the settings of
 * {@code atlas train}) and its exact linear regions on [0,1]^2 are counted at initialisation and after training.
 * One unit of work per net ({@link NetJob}). Writes {@code ring-sweep.csv} (one row per net, in the order depth,
 * width, seed), {@code summary.md}, {@code regions_vs_depth.png}, and the sweep's {@code units/} and
 * {@code timings.csv}.
 */
public final class RingSweep {
    private RingSweep() {}

    public static final String CSV = "ring-sweep.csv";
    public static final String HEADER = "depth,width,seed,hidden_neurons,parameters,epochs,train_loss,val_loss,regions_init,regions_trained";

    /**
     * @param depths     hidden layers of the nets
     * @param widths     units per hidden layer
     * @param seeds      one net per depth, width and seed (seed of the sample, the initialisation and the shuffles)
     * @param epochs     training epochs
     * @param points     training points drawn from the image
     * @param validation validation points
     * @param batch      minibatch size
     * @param lr         Adam learning rate
     * @param imageSize  side of the built-in ring in pixels
     * @param precision  training arithmetic (float or double)
     */
    public record Config(List<Integer> depths, List<Integer> widths, List<Long> seeds, int epochs, int points, int validation,
                         int batch, double lr, int imageSize, String precision) {
        public Config {
            depths = List.copyOf(depths);
            widths = List.copyOf(widths);
            seeds = List.copyOf(seeds);
            if (depths.isEmpty() || widths.isEmpty() || seeds.isEmpty()) throw new BadInputException("give at least one depth, width and seed");
            for (int d : depths) if (d < 1 || d > 200) throw new BadInputException("--depths must be between 1 and 200, got " + d);
            for (int w : widths) if (w < 1 || w > 1000) throw new BadInputException("--widths must be between 1 and 1000, got " + w);
            if (epochs < 0) throw new BadInputException("--epochs must not be negative");
            if (points < 1 || validation < 0) throw new BadInputException("--points must be positive and --validation not negative");
            if (batch < 1 || !(lr > 0)) throw new BadInputException("--batch and --lr must be positive");
            if (imageSize < 8 || imageSize > 8192) throw new BadInputException("--image-size must be between 8 and 8192");
            Precision.fromLabel(precision);
        }

        /** Every setting that changes a result, one per line (the sweep's identity). */
        public String settings() {
            return "experiment=ring-sweep\ndepths=" + depths + "\nwidths=" + widths + "\nseeds=" + seeds + "\nepochs=" + epochs + "\npoints=" + points
                    + "\nvalidation=" + validation + "\nbatch=" + batch + "\nlr=" + lr + "\nimage=ring " + imageSize + "\nprecision=" + precision + "\n";
        }

        /** The units, in result order. */
        public List<NetJob> jobs() {
            List<NetJob> jobs = new ArrayList<>();
            for (int d : depths) for (int w : widths) for (long s : seeds)
                jobs.add(new NetJob(d, w, s, epochs, points, validation, batch, lr, imageSize, precision));
            return jobs;
        }
    }

    /** One unit: train one net and count its exact regions before and after. */
    public record NetJob(int depth, int width, long seed, int epochs, int points, int validation, int batch, double lr, int imageSize,
                         String precision) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return "net-d" + depth + "-w" + width + "-s" + seed; }

        @Override
        public String run(JobContext ctx) {
            TargetImage img = JobContext.shared("ring:" + imageSize, () -> BuiltinImages.create("ring", imageSize));
            PixelSample sample = PixelSample.draw(img, points, validation, seed);
            Dataset train = sample.trainingSet(img), val = sample.validationSet(img);
            int[] hidden = Networks.uniform(width, depth);
            // the initialisation of 'atlas train' (TrainingRun): Kaiming-normal weights, constant bias 0.1
            FlatModel m = FlatModel.of(Networks.kaiming(seed, 2, hidden, img.outputDim(), Activation.LEAKY_RELU, 0.01, 0.1));
            Network init = m.toNetwork(m.initialise(seed, 0.1, 0));
            int regions0 = PlanePartitioner.compute(init, Rectangle.UNIT).count();
            TrainConfig cfg = new TrainConfig(batch, RunSpec.lossFor(img), OptimizerKind.ADAM, lr, seed, 1, TrainConfig.DEFAULT_DIVERGENCE,
                    Precision.fromLabel(precision));
            Network net;
            double tl, vl;
            try (Trainer t = new Trainer(init, train, val, cfg)) {
                tl = t.meanLoss(train);
                for (int e = 0; e < epochs; e++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    tl = t.trainEpoch();
                }
                vl = t.validationLoss();
                net = t.network();
            }
            int regions = PlanePartitioner.compute(net, Rectangle.UNIT).count();
            return String.join(",", Integer.toString(depth), Integer.toString(width), Long.toString(seed), Integer.toString(net.hiddenNeurons()),
                    Long.toString(net.parameterCount()), Integer.toString(epochs), Double.toString(tl), Double.toString(vl),
                    Integer.toString(regions0), Integer.toString(regions)) + "\n";
        }
    }

    /** One row of {@code ring-sweep.csv}. */
    public record Row(int depth, int width, long seed, int neurons, long parameters, int epochs, double trainLoss, double valLoss,
                      int regionsInit, int regionsTrained) {
        static Row parse(String line) {
            String[] f = line.trim().split(",");
            if (f.length != 10) throw new BadInputException("bad ring-sweep unit: " + line);
            return new Row(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    Integer.parseInt(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]));
        }
    }

    /** Runs (or resumes) the sweep and writes its files; returns the rows in order. */
    public static List<Row> run(Config cfg, Sweep sweep) {
        List<String> results = sweep.stage("train-and-count", cfg.jobs());
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        List<Row> rows = new ArrayList<>();
        for (String r : results) {
            csv.append(r);
            rows.add(Row.parse(r));
        }
        Path dir = sweep.dir();
        AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        writeSummary(cfg, rows, dir);
        return rows;
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static void writeSummary(Config cfg, List<Row> rows, Path dir) {
        StringBuilder md = new StringBuilder("# Ring depth x width sweep\n\n");
        md.append(String.format(Locale.ROOT, "Leaky-ReLU nets 2 -> [width] x depth -> 1 on the built-in ring (%d px), %d training + %d validation points, "
                        + "Adam lr %s, batch %d, %d epochs, %s precision, seeds %s. Exact regions on [0,1]^2 (mean over seeds).%n%n",
                cfg.imageSize(), cfg.points(), cfg.validation(), cfg.lr(), cfg.batch(), cfg.epochs(), cfg.precision(), cfg.seeds()));
        md.append("| depth | width | N | regions at init | regions trained | trained / init | train loss | val loss |\n|---|---|---|---|---|---|---|---|\n");
        List<MetricPlots.Series> series = new ArrayList<>();
        for (int w : cfg.widths()) {
            double[] x = new double[cfg.depths().size()], y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int d = cfg.depths().get(i);
                List<Row> same = rows.stream().filter(r -> r.depth() == d && r.width() == w).toList();
                x[i] = d;
                y[i] = mean(same, Row::regionsTrained);
            }
            series.add(new MetricPlots.Series("width " + w + ", trained", x, y));
        }
        for (int d : cfg.depths()) for (int w : cfg.widths()) {
            List<Row> same = rows.stream().filter(r -> r.depth() == d && r.width() == w).toList();
            double r0 = mean(same, Row::regionsInit), r1 = mean(same, Row::regionsTrained);
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %.2f | %.5f | %.5f |%n", d, w, d * w, r0, r1, r1 / r0,
                    mean(same, Row::trainLoss), mean(same, Row::valLoss)));
        }
        md.append("\nFiles: ring-sweep.csv (one row per net), regions_vs_depth.png, units/ (one result per net), timings.csv (seconds per unit).\n");
        AtomicFiles.writeString(dir.resolve("summary.md"), md.toString());
        XYChart c = MetricPlots.chart("Exact regions after training vs depth (ring)", "regions on [0,1]^2", series, true, 900, 560);
        c.setXAxisTitle("hidden layers");
        ImageFiles.writePng(BitmapEncoder.getBufferedImage(c), dir.resolve("regions_vs_depth.png"));
    }
}
