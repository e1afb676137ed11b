package atlas.experiment;

import atlas.error.BadInputException;

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
            if (width < 1 || depth < 3) throw new BadInputException("skips need at least 3 hidden layers and width >= 1");
            if (activation == null || !activation.cuts()) throw new BadInputException("the activation must be relu or leaky_relu");
            if (epochs < 0 || snapshots < 1 || train < 1 || validation < 0 || lines < 0 || threads < 1)
                throw new BadInputException("epochs, snapshots, points, lines and threads must be positive");
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
        int pieces = TropicalForm.distinctMaps(maps, atlas.geometry.Tolerance.DEFAULT);
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

    // ---------------------------------------------------------------------------------------------- MNIST

    /**
     * The MNIST part: {@code 784 -> [W]xD -> 10} relu classifiers with and without the same residual skips.
     *
     * @param dataset    mnist, fashion-mnist or synthetic
     * @param dataDir    data cache (null: the default)
     * @param out        report folder
     * @param width      hidden width
     * @param depth      hidden layers (at least 3)
     * @param epochs     training epochs
     * @param trainCount training images (the first N)
     * @param lines      lines between random test images for the 1-D counts
     * @param planes     planes through three random test images (domain [-1,1]^2) for the 2-D counts
     * @param paths      paths between random test images for the folding measure
     * @param seed       seed
     * @param threads    training threads
     */
    public record MnistConfig(String dataset, Path dataDir, Path out, int width, int depth, int epochs, int trainCount, int lines,
                              int planes, int paths, long seed, int threads) {
        public MnistConfig {
            if (width < 1 || depth < 3) throw new BadInputException("skips need at least 3 hidden layers and width >= 1");
            if (epochs < 0 || trainCount < 1 || lines < 1 || planes < 0 || paths < 1 || threads < 1)
                throw new BadInputException("epochs, images, lines, planes, paths and threads must be positive");
        }
    }

    /**
     * One MNIST variant after training.
     *
     * @param trainLoss       training loss per epoch (index 0: before training)
     * @param validationLoss  loss on the test images per epoch (both arrays are copied)
     */
    public record MnistRow(String variant, double accuracy, double[] trainLoss, double[] validationLoss, double lineRegions,
                           double planeRegions, double planePieces, double phi, double foldedFraction) {
        /** Copies the loss arrays; their accessors return the record's own copies (do not modify them). */
        public MnistRow {
            trainLoss = trainLoss.clone();
            validationLoss = validationLoss.clone();
        }
    }

    public static List<MnistRow> runMnist(MnistConfig c, Consumer<String> log) {
        atlas.data.mnist.MnistData data = SpaceFoldsExperiment.loadData(c.dataset(), c.dataDir(), c.seed());
        atlas.data.mnist.ImageDataset trainImages = data.train().head(c.trainCount()), test = data.test();
        Dataset train = toDataset(trainImages), val = toDataset(test);
        int dim = trainImages.dim(), classes = trainImages.classes();
        Network plain = Networks.kaiming(c.seed(), dim, Networks.uniform(c.width(), c.depth()), classes, Activation.RELU, 0, 0.01);
        Network skip = withSkips(plain);
        SplittableRandom rnd = new SplittableRandom(c.seed() + 99);
        double[][] pool = new double[test.count()][];
        for (int i = 0; i < test.count(); i++) pool[i] = test.features(i, null);
        int[][] linePairs = new int[c.lines()][];
        for (int k = 0; k < c.lines(); k++) linePairs[k] = distinct(rnd, test.count(), 2);
        int[][] planeTriples = new int[c.planes()][];
        for (int k = 0; k < c.planes(); k++) planeTriples[k] = distinct(rnd, test.count(), 3);
        int[] from = new int[c.paths()], to = new int[c.paths()];
        for (int k = 0; k < c.paths(); k++) { int[] p = distinct(rnd, test.count(), 2); from[k] = p[0]; to[k] = p[1]; }
        TrainConfig tc = new TrainConfig(128, Loss.CROSS_ENTROPY, atlas.train.OptimizerKind.ADAM, TrainConfig.DEFAULT_LR, c.seed(), c.threads(),
                TrainConfig.DEFAULT_DIVERGENCE);
        List<MnistRow> rows = new ArrayList<>();
        String[] names = {"plain", "skip"};
        Network[] starts = {plain, skip};
        for (int v = 0; v < 2; v++) {
            log.accept("MNIST: training " + names[v] + " " + starts[v].shape() + (v == 1 ? " with skips" : "") + " for " + c.epochs() + " epochs on " + train.size() + " images");
            double[] tl = new double[c.epochs() + 1], vl = new double[c.epochs() + 1];
            Network net;
            try (Trainer t = new Trainer(starts[v], train, val, tc)) {
                tl[0] = t.meanLoss(train);
                vl[0] = t.validationLoss();
                for (int e = 1; e <= c.epochs(); e++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    tl[e] = t.trainEpoch();
                    vl[e] = t.validationLoss();
                    log.accept(String.format(Locale.ROOT, "  %s epoch %d: train %.4f, test %.4f", names[v], e, tl[e], vl[e]));
                }
                net = t.network();
            }
            double acc = MnistTrainer.accuracy(net, test, test.count());
            double lineSum = 0;
            for (int[] p : linePairs) lineSum += SegmentPartitioner.compute(net, pool[p[0]], pool[p[1]]).count();
            double planeSum = 0, pieceSum = 0;
            for (int[] tri : planeTriples) {
                atlas.regions.PlaneSlice slice = atlas.regions.PlaneSlice.throughPoints(pool[tri[0]], pool[tri[1]], pool[tri[2]]);
                PlanePartition part = PlanePartitioner.compute(net, slice, slice.defaultDomain());
                List<AffineMap> maps = new ArrayList<>(part.count());
                for (LinearRegion r : part.regions()) maps.add(r.map());
                planeSum += part.count();
                pieceSum += TropicalForm.distinctMaps(maps, atlas.geometry.Tolerance.DEFAULT);
            }
            atlas.measure.FoldingBatch fb = atlas.measure.PathFolder.foldAll(net, atlas.geometry.Tolerance.DEFAULT, false, pool, from, to, null);
            MnistRow row = new MnistRow(names[v], acc, tl, vl, lineSum / c.lines(), c.planes() == 0 ? Double.NaN : planeSum / c.planes(),
                    c.planes() == 0 ? Double.NaN : pieceSum / c.planes(), fb.phiOfMaxima(), fb.foldedFraction());
            rows.add(row);
            ModelFormat.write(net, c.out().resolve("models").resolve("mnist-" + names[v] + ".json"));
            log.accept(String.format(Locale.ROOT, "  %s: accuracy %.4f, %.1f regions per line, %.0f regions and %.0f linear pieces per plane, Phi %.4f",
                    names[v], acc, row.lineRegions(), row.planeRegions(), row.planePieces(), row.phi()));
        }
        writeMnistReport(c, rows, train.size());
        return rows;
    }

    private static int[] distinct(SplittableRandom r, int n, int k) {
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            boolean again;
            do {
                out[i] = r.nextInt(n);
                again = false;
                for (int j = 0; j < i; j++) again |= out[j] == out[i];
            } while (again);
        }
        return out;
    }

    private static Dataset toDataset(atlas.data.mnist.ImageDataset images) {
        int d = images.dim(), n = images.count();
        double[] in = new double[n * d];
        int[] lab = new int[n];
        double[] buf = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.features(i, buf), 0, in, i * d, d);
            lab[i] = images.label(i);
        }
        return new Dataset(d, in, null, 0, lab, images.classes());
    }

    private static void writeMnistReport(MnistConfig c, List<MnistRow> rows, int trainCount) {
        StringBuilder csv = new StringBuilder("variant,epoch,train_loss,test_loss\n");
        for (MnistRow r : rows)
            for (int e = 0; e < r.trainLoss().length; e++)
                csv.append(String.format(Locale.ROOT, "%s,%d,%.8g,%.8g%n", r.variant(), e, r.trainLoss()[e], r.validationLoss()[e]));
        AtomicFiles.writeString(c.out().resolve("mnist-curves.csv"), csv.toString());
        StringBuilder md = new StringBuilder("# Skip connections on MNIST\n\n");
        md.append(String.format(Locale.ROOT, "%s, 784 -> [%d]x%d -> 10 relu (Kaiming normal, biases 0.01, seed %d), with and without identity skips into "
                        + "hidden layers 3, 5, ... from two layers below; cross-entropy, Adam lr 1e-3, batch 128, %d epochs on the first %d training images. "
                        + "Regions per line: mean over %d lines between random test images; per plane: mean over %d planes through three test images "
                        + "(circumcentre construction, [-1,1]^2); Phi: median of the non-zero max running chi over %d paths between test images.%n%n",
                c.dataset(), c.width(), c.depth(), c.seed(), c.epochs(), trainCount, c.lines(), c.planes(), c.paths()));
        md.append("| variant | test accuracy | final train loss | final test loss | regions per line | regions per plane | linear pieces per plane | Phi | folded paths |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (MnistRow r : rows) {
            int e = r.trainLoss().length - 1;
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.1f | %.0f | %.0f | %.4f | %.1f%% |%n", r.variant(), r.accuracy(), r.trainLoss()[e],
                    r.validationLoss()[e], r.lineRegions(), r.planeRegions(), r.planePieces(), r.phi(), 100 * r.foldedFraction()));
        }
        md.append("\nFiles: mnist-curves.csv (losses per epoch), models/mnist-*.json.\n");
        AtomicFiles.writeString(c.out().resolve("mnist.md"), md.toString());
    }
}
