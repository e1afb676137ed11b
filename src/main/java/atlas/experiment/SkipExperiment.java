package atlas.experiment;

import atlas.data.BuiltinImages;
import atlas.data.Dataset;
import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.SegmentPartitioner;
import atlas.regions.TropicalForm;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;
import atlas.render.RegionPictures;
import atlas.render.Viewport;
import atlas.train.Loss;
import atlas.train.TrainConfig;
import atlas.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Skip connections on the ring image: the same shape {@code 2 -> [W]xD -> 1} (leaky relu 0.01 or relu, Kaiming-normal
 * weights, biases 0.1, one seed) trained with and without residual identity skips (hidden layer i, for odd
 * {@code i >= 3}, adds {@code h_{i-2}}: blocks of two layers, no extra parameters). Both start from the same
 * weights and see the same minibatches (MSE, Adam). At snapshot epochs the exact partition of the unit square is
 * computed: its activation regions, its linear pieces (distinct affine maps) and the mean number of regions on
 * fixed lines across the square.
 *
 * <p>Report folder: {@code curves.csv}, {@code curves.png} (losses and regions), {@code summary.md},
 * {@code plain.png} / {@code skip.png} (final partitions, output shading) and {@code models/}.
 */
public final class SkipExperiment {
    private SkipExperiment() {}

    /**
     * @param out        report folder
     * @param width      hidden width
     * @param depth      hidden layers
     * @param activation relu or leaky_relu (slope 0.01)
     * @param epochs     training epochs (one pass over the training points each)
     * @param snapshots  number of snapshot epochs (evenly spaced, epoch 0 included)
     * @param train      training points of the 1024^2 ring image
     * @param validation validation points
     * @param seed       seed of the weights, the pixel sample and the shuffles
     * @param lines      lines across the square for the 1-D counts
     * @param threads    training threads
     */
    public record Config(Path out, int width, int depth, Activation activation, int epochs, int snapshots, int train, int validation, long seed,
                         int lines, int threads) {
        public Config {
            if (width < 1 || depth < 3) throw new IllegalArgumentException("skips need at least 3 hidden layers and width >= 1");
            if (activation == null || !activation.cuts()) throw new IllegalArgumentException("the activation must be relu or leaky_relu");
            if (epochs < 0 || snapshots < 1 || train < 1 || validation < 0 || lines < 0 || threads < 1)
                throw new IllegalArgumentException("epochs, snapshots, points, lines and threads must be positive");
        }
    }

    /** One snapshot of one variant. */
    public record Row(String variant, int epoch, double trainLoss, double validationLoss, int regions, int pieces, double lineRegions) {}

    /** The net with identity skips into hidden layers 3, 5, 7, ... from two layers below. */
    public static Network withSkips(Network plain) {
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i <= plain.depth(); i++) {
            DenseLayer l = plain.layer(i);
            boolean hidden = i < plain.depth();
            List<Skip> skips = hidden && i >= 3 && i % 2 == 1 && plain.size(i - 2) == l.units() ? List.of(Skip.identity(i - 2)) : List.of();
            layers.add(new DenseLayer(l.inputSize(), l.units(), l.weights(), l.bias(), l.activation(), l.leak(), skips));
        }
        return new Network(plain.inputDim(), layers);
    }

    public static List<Row> run(Config c, Consumer<String> log) {
        TargetImage image = BuiltinImages.create("ring");
        PixelSample sample = PixelSample.draw(image, c.train(), c.validation(), c.seed());
        Dataset train = sample.trainingSet(image), val = sample.validationSet(image);
        Network plain = Networks.kaiming(c.seed(), 2, Networks.uniform(c.width(), c.depth()), 1, c.activation(), 0.01, 0.1);
        Network skip = withSkips(plain);
        double[][] lineEnds = lines(c.lines(), c.seed());
        List<Row> rows = new ArrayList<>();
        List<int[]> snaps = new ArrayList<>();
        int[] snapEpochs = new int[c.snapshots() + 1];
        for (int s = 0; s <= c.snapshots(); s++) snapEpochs[s] = (int) Math.round((double) s * c.epochs() / c.snapshots());
        snaps.add(snapEpochs);
        TrainConfig tc = new TrainConfig(TrainConfig.DEFAULT_BATCH, Loss.MSE, atlas.train.OptimizerKind.ADAM, TrainConfig.DEFAULT_LR, c.seed(),
                c.threads(), TrainConfig.DEFAULT_DIVERGENCE);
        PlanePartition[] last = new PlanePartition[2];
        Network[] finals = new Network[2];
        String[] names = {"plain", "skip"};
        Network[] starts = {plain, skip};
        for (int v = 0; v < 2; v++) {
            log.accept("training " + names[v] + " " + starts[v] + " for " + c.epochs() + " epochs");
            try (Trainer t = new Trainer(starts[v], train, val, tc)) {
                double trainLoss = t.meanLoss(train);
                int next = 0;
                for (int e = 0; e <= c.epochs(); e++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    if (e > 0) trainLoss = t.trainEpoch();
                    if (next < snapEpochs.length && e == snapEpochs[next]) {
                        Network net = t.network();
                        Row r = snapshot(names[v], e, trainLoss, t.validationLoss(), net, lineEnds);
                        rows.add(r);
                        if (e == c.epochs()) { last[v] = PlanePartitioner.compute(net, Rectangle.UNIT); finals[v] = net; }
                        log.accept(String.format(Locale.ROOT, "  %s epoch %d: train %.5f val %.5f, %d regions, %d linear pieces, %.1f regions per line",
                                names[v], e, r.trainLoss(), r.validationLoss(), r.regions(), r.pieces(), r.lineRegions()));
                        next++;
                    }
                }
            }
        }
        writeReport(c, rows, last, finals);
        return rows;
    }

    static Row snapshot(String variant, int epoch, double trainLoss, double valLoss, Network net, double[][] lineEnds) {
        PlanePartition p = PlanePartitioner.compute(net, Rectangle.UNIT);
        List<AffineMap> maps = new ArrayList<>(p.count());
        for (LinearRegion r : p.regions()) maps.add(r.map());
        int pieces = TropicalForm.distinctMaps(maps, 1e-9);
        double lineSum = 0;
        for (double[] l : lineEnds) lineSum += SegmentPartitioner.compute(net, new double[]{l[0], l[1]}, new double[]{l[2], l[3]}).count();
        return new Row(variant, epoch, trainLoss, valLoss, p.count(), pieces, lineEnds.length == 0 ? Double.NaN : lineSum / lineEnds.length);
    }

    /** Seeded lines across the unit square: from a point on the left edge to one on the right edge, or bottom to top. */
    static double[][] lines(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 17);
        double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            double a = r.nextDouble(), b = r.nextDouble();
            out[k] = k % 2 == 0 ? new double[]{0, a, 1, b} : new double[]{a, 0, b, 1};
        }
        return out;
    }

    private static void writeReport(Config c, List<Row> rows, PlanePartition[] last, Network[] finals) {
        StringBuilder csv = new StringBuilder("variant,epoch,train_loss,validation_loss,regions,linear_pieces,regions_per_line\n");
        for (Row r : rows)
            csv.append(String.format(Locale.ROOT, "%s,%d,%.8g,%.8g,%d,%d,%.3f%n", r.variant(), r.epoch(), r.trainLoss(), r.validationLoss(), r.regions(), r.pieces(), r.lineRegions()));
        AtomicFiles.writeString(c.out().resolve("curves.csv"), csv.toString());
        List<MetricPlots.Series> losses = new ArrayList<>(), counts = new ArrayList<>();
        for (String v : new String[]{"plain", "skip"}) {
            List<Row> rs = rows.stream().filter(r -> r.variant().equals(v)).toList();
            double[] e = rs.stream().mapToDouble(Row::epoch).toArray();
            losses.add(new MetricPlots.Series(v + " train", e, rs.stream().mapToDouble(Row::trainLoss).toArray()));
            losses.add(new MetricPlots.Series(v + " validation", e, rs.stream().mapToDouble(Row::validationLoss).toArray()));
            counts.add(new MetricPlots.Series(v + " regions", e, rs.stream().mapToDouble(Row::regions).toArray()));
            counts.add(new MetricPlots.Series(v + " linear pieces", e, rs.stream().mapToDouble(Row::pieces).toArray()));
        }
        ImageFiles.writePng(MetricPlots.lossesAndRegions("ring, 2 -> [" + c.width() + "]x" + c.depth() + " -> 1: plain vs residual skips",
                losses, counts, 1000, 800), c.out().resolve("curves.png"));
        String[] names = {"plain", "skip"};
        for (int v = 0; v < 2; v++) {
            if (last[v] == null) continue;
            RegionPictures.writePng(last[v], new Viewport(Rectangle.UNIT, 800, 800, true), RegionPictures.Shading.OUTPUT, c.out().resolve(names[v] + ".png"));
            ModelFormat.write(finals[v], c.out().resolve("models").resolve(names[v] + ".json"));
        }
        StringBuilder md = new StringBuilder("# Skip connections on the ring\n\n");
        md.append(String.format(Locale.ROOT, "Shape 2 -> [%d]x%d -> 1, %s, Kaiming normal, biases 0.1, seed %d; the skip variant adds "
                        + "h_{i-2} to hidden layer i for i = 3, 5, ... (same weights at the start, no extra parameters). %d training and %d validation "
                        + "pixels of the 1024^2 ring image, MSE, Adam lr 1e-3, batch 1024, %d epochs. Regions: exact partition of [0,1]^2; linear "
                        + "pieces: its distinct affine maps; regions per line: mean over %d seeded lines across the square.%n%n",
                c.width(), c.depth(), c.activation() == Activation.RELU ? "relu" : "leaky relu 0.01", c.seed(), c.train(), c.validation(), c.epochs(), c.lines()));
        md.append("| variant | epoch | train loss | validation loss | regions | linear pieces | regions per line |\n|---|---|---|---|---|---|---|\n");
        for (Row r : rows)
            md.append(String.format(Locale.ROOT, "| %s | %d | %.5f | %.5f | %d | %d | %.1f |%n", r.variant(), r.epoch(), r.trainLoss(), r.validationLoss(),
                    r.regions(), r.pieces(), r.lineRegions()));
        md.append("\nFiles: curves.csv, curves.png, plain.png and skip.png (final partitions, output shading, boundaries in red), models/.\n");
        AtomicFiles.writeString(c.out().resolve("summary.md"), md.toString());
    }
}
