package atlas.experiment;

import atlas.concurrent.Futures;
import atlas.error.BadInputException;

import atlas.data.Dataset;
import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import atlas.render.GifWriter;
import atlas.render.ImageFiles;
import atlas.render.MetricPlots;
import atlas.render.TrainingFrame;
import atlas.train.Checkpoint;
import atlas.train.FlatModel;
import atlas.train.ShapeSpec;
import atlas.train.TrainConfig;
import atlas.train.Trainer;
import atlas.train.TrainingDivergedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A training run on an image, written to a run folder:
 * <pre>
 * config.json          the RunSpec, the network shape, parameter count, image, loss, and every resume
 * metrics.csv          epoch,train_loss,val_loss,regions,seconds (see {@link MetricsRow}), one row per epoch
 * checkpoint.bin       the latest checkpoint (atomic; see {@link Checkpoint}), for --resume
 * models/epoch-NNNNNN.json   relu-atlas-model/1 snapshot every `every` epochs (and epochs 0 and last)
 * frames/epoch-NNNNNN.png    the three-panel frame of each snapshot (with frames on)
 * model.json           the final network
 * final.png            the last frame
 * training.gif         the movie (looping GIF); training.mp4 too when ffmpeg is on the PATH
 * metrics.png          losses and region counts against the epoch
 * </pre>
 * Every file is written atomically; a checkpoint is written at every snapshot, at least once a minute, and when a stop is requested
 * ({@link #requestStop()}, e.g. from a Ctrl-C hook), so an interrupted run continues with {@link #resume}
 * exactly as if it had not been interrupted.
 *
 * <p>Use: {@code TrainingRun.create(spec, dir).onProgress(p -> ...).run()}.
 */
public final class TrainingRun {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String FORMAT = "relu-atlas-run/1";
    /** Between snapshots, a checkpoint (and metrics.csv) is also written when this many seconds have passed. */
    public static final double CHECKPOINT_SECONDS = 60;

    /** Progress after each epoch. */
    public record Progress(int epoch, int totalEpochs, double trainLoss, double valLoss, int regions, double seconds) {
        /** The region count for a progress line: "..." until the first snapshot's regions are done. */
        public String regionsLabel() { return regions < 0 ? "..." : Integer.toString(regions); }
    }

    /**
     * The result of a finished run.
     *
     * @param finalFrame the last frame (null without frames); gif, mp4 likewise (mp4 null without ffmpeg)
     */
    public record Outcome(Path dir, Network network, int epochs, double trainLoss, double valLoss, int regions,
                          double seconds, List<MetricsRow> metrics, Path finalFrame, Path gif, Path mp4, Path plot) {
        public Outcome {
            metrics = List.copyOf(metrics);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunSpec spec;
    private final Path dir;
    private final Checkpoint resumeFrom;
    private final List<MetricsRow> rows = new ArrayList<>();
    private final ObjectNode config;
    private Consumer<Progress> listener = p -> { };
    private EpochHook hook = (e, loss, t) -> { };
    private SnapshotListener snapshotListener;
    private volatile boolean stopRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    private TargetImage image;
    private PixelSample sample;
    /** The starting network of a new run (null when resuming); set by {@link #prepare()}. */
    private Network initial;
    private BufferedImage targetPanel;
    private double[] trainXY, validXY;
    /**
     * The snapshots' exact regions, frame and listener run on this one thread while training goes on (the training's
     * threads leave gaps between minibatches that the partition and the picture fill): one snapshot at most in flight, in epoch
     * order. The row it fills and its future; both touched by the training thread only.
     */
    private ExecutorService snapshotThread;
    private Future<Integer> pendingSnapshot;
    private int pendingRow = -1;

    private TrainingRun(RunSpec spec, Path dir, Checkpoint ck, ObjectNode config) {
        this.spec = spec;
        this.dir = dir;
        this.resumeFrom = ck;
        this.config = config;
    }

    /**
     * A new run of {@code spec} in {@code dir} (created if missing).
     *
     * @throws IllegalArgumentException when {@code dir} already holds a run (use {@link #resume} or another folder)
     */
    public static TrainingRun create(RunSpec spec, Path dir) {
        if (Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(CONFIG)))
            throw new BadInputException("run folder " + dir + " already holds a run; continue it with --resume " + dir + " or choose another --out");
        return new TrainingRun(spec, dir, null, JSON.createObjectNode());
    }

    /**
     * Continues the run in {@code dir} from its checkpoint.
     *
     * @param epochs    new total epochs, or null to keep
     * @param optimizer new optimiser (fresh moments when it differs), or null to keep
     * @param lr        new learning rate, or null to keep
     * @throws IllegalArgumentException when {@code dir} has no run or its files are damaged
     */
    public static TrainingRun resume(Path dir, Integer epochs, String optimizer, Double lr) {
        Path cfg = dir.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) throw new BadInputException("no run to resume in " + dir + " (no " + CONFIG + ")");
        ObjectNode config;
        RunSpec spec;
        try {
            config = (ObjectNode) JSON.readTree(cfg.toFile());
            if (!FORMAT.equals(config.path("format").asText())) throw new BadInputException(cfg + " is not a " + FORMAT + " file");
            spec = JSON.treeToValue(config.get("spec"), RunSpec.class);
        } catch (IOException | ClassCastException e) {
            throw new BadInputException("cannot read " + cfg + ": " + e.getMessage().split("\n")[0]);
        }
        Checkpoint ck = Checkpoint.read(dir.resolve(CHECKPOINT));
        RunSpec s = spec.withEpochs(epochs != null ? epochs : spec.epochs(), spec.every())
                .withOptimizer(optimizer != null ? optimizer : ck.optimizer().label(), lr != null ? lr : ck.lr());
        if (s.epochs() < ck.epoch())
            throw new BadInputException("the run is already at epoch " + ck.epoch() + "; ask for --epochs of at least that");
        TrainingRun run = new TrainingRun(s, dir, ck, config);
        ArrayNode resumes = config.has("resumes") ? (ArrayNode) config.get("resumes") : config.putArray("resumes");
        ObjectNode r = resumes.addObject();
        r.put("epoch", ck.epoch());
        r.put("epochs", s.epochs());
        r.put("optimizer", s.optimizer());
        r.put("lr", s.lr());
        r.put("optimizer_state", ck.optimizer().label().equals(s.optimizer()) ? "kept" : "fresh");
        return run;
    }

    public TrainingRun onProgress(Consumer<Progress> l) {
        this.listener = l;
        return this;
    }

    public RunSpec spec() { return spec; }

    /** Called at every snapshot with the exact partition the run computed anyway (e.g. to track region lineage). */
    public interface SnapshotListener {
        /** @param rows the metrics so far (the snapshot's own epoch not yet among them) */
        void snapshot(int epoch, Network net, PlanePartition partition, double trainLoss, double valLoss, List<MetricsRow> rows);
    }

    /** Sets the snapshot listener ({@code atlas train --track}). */
    public TrainingRun onSnapshot(SnapshotListener l) {
        this.snapshotListener = l;
        return this;
    }

    /** The training and validation points, row-major (after {@link #prepare()}). */
    public double[][] points() {
        prepare();
        return new double[][]{sample.trainingSet(image).inputs(), sample.validationSet(image).inputs()};
    }

    /** The epoch of the checkpoint a resumed run starts from (0 for a new run). */
    public int startEpoch() { return resumeFrom == null ? 0 : resumeFrom.epoch(); }

    /** Called after every epoch (and for epoch 0) with the trainer, for experiments that inspect the network. */
    interface EpochHook {
        void after(int epoch, double trainLoss, Trainer trainer);
    }

    /** Sets the epoch hook (experiments in this package). */
    TrainingRun onEpoch(EpochHook h) {
        this.hook = h;
        return this;
    }

    public Path dir() { return dir; }

    /** Asks the run to stop at the next epoch boundary, writing a checkpoint first (thread-safe). */
    public void requestStop() { stopRequested = true; }

    /** Waits until {@link #run()} has returned or thrown; true if it did within the time. */
    public boolean awaitFinished(long millis) {
        try {
            return finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Loads and checks the inputs (the image, the pixel sample and, for a new run, the initial network from
     * {@code --init-model} or the shape) so that bad input fails with a one-line message before any progress is
     * shown or any file is written. {@link #run()} calls it when the caller has not; calling it twice is harmless.
     *
     * @return this run
     * @throws IllegalArgumentException or {@link atlas.net.ModelException} naming the bad input
     */
    public TrainingRun prepare() {
        if (image != null) return this;
        TargetImage img = spec.loadImage();
        PixelSample s = PixelSample.draw(img, spec.points(), spec.validation(), spec.seed());
        Network init = resumeFrom == null ? initialNetwork(img) : null;
        image = img;
        sample = s;
        initial = init;
        return this;
    }

    /**
     * Trains to {@code spec.epochs()}, writing the run folder.
     *
     * @throws TrainingDivergedException on NaN or divergence (metrics so far are written)
     * @throws CancellationException     when stopped or interrupted (a checkpoint of the last whole epoch is written)
     */
    public Outcome run() {
        try {
            return doRun();
        } finally {
            finished.countDown();
        }
    }

    private Outcome doRun() {
        long t0 = System.nanoTime();
        prepare();
        Dataset train = sample.trainingSet(image), val = sample.validationSet(image);
        trainXY = train.inputs();
        validXY = val.inputs();
        TrainConfig cfg = new TrainConfig(spec.batch(), RunSpec.lossFor(image), spec.optimizerKind(), spec.lr(), spec.seed(),
                spec.threads(), TrainConfig.DEFAULT_DIVERGENCE, spec.precisionKind());
        double secondsBefore = 0;
        Trainer trainer;
        if (resumeFrom != null) {
            trainer = Trainer.resume(resumeFrom, train, val, cfg);
            secondsBefore = resumeFrom.seconds();
            Path mf = dir.resolve(METRICS);
            if (Files.exists(mf)) for (MetricsRow r : MetricsRow.read(mf)) if (r.epoch() <= resumeFrom.epoch()) rows.add(r);
        } else {
            trainer = new Trainer(initial, train, val, cfg);
        }
        writeConfig(trainer.network());
        snapshotThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "atlas-snapshot");
            t.setDaemon(true);
            return t;
        });
        try (trainer) {
            int lastRegions = -1;
            for (MetricsRow r : rows) if (r.regions() >= 0) lastRegions = r.regions();
            if (resumeFrom == null) {
                double tl = trainer.meanLoss(train), vl = trainer.validationLoss();
                rows.add(new MetricsRow(0, tl, vl, -1, seconds(t0, secondsBefore)));
                startSnapshot(trainer, tl, vl, seconds(t0, secondsBefore));
                MetricsRow.write(dir.resolve(METRICS), rows);
                listener.accept(new Progress(0, spec.epochs(), tl, vl, lastRegions, seconds(t0, secondsBefore)));
                hook.after(0, tl, trainer);
            } else if (!rows.isEmpty()) {
                // the run stopped exactly at its last epoch, or was killed while this snapshot was in flight: redo it
                MetricsRow last = rows.get(rows.size() - 1);
                if (last.regions() < 0 && last.epoch() == trainer.epochsDone() && isSnapshotEpoch(last.epoch()))
                    startSnapshot(trainer, last.trainLoss(), last.valLoss(), last.seconds());
            }
            double tl = Double.NaN, vl = Double.NaN;
            double lastSave = seconds(t0, secondsBefore);
            while (trainer.epochsDone() < spec.epochs()) {
                if (stopRequested || Thread.currentThread().isInterrupted()) {
                    awaitSnapshot();
                    trainer.checkpoint(seconds(t0, secondsBefore)).write(dir.resolve(CHECKPOINT));
                    MetricsRow.write(dir.resolve(METRICS), rows);
                    throw new CancellationException("stopped at epoch " + trainer.epochsDone() + "; checkpoint saved, continue with --resume " + dir);
                }
                try {
                    tl = trainer.trainEpoch();
                    vl = trainer.validationLoss();
                } catch (TrainingDivergedException e) {
                    awaitSnapshot();
                    MetricsRow.write(dir.resolve(METRICS), rows);
                    throw e;
                }
                int e = trainer.epochsDone();
                hook.after(e, tl, trainer);
                boolean snap = isSnapshotEpoch(e);
                if (snap) {
                    int done = awaitSnapshot();
                    if (done >= 0) lastRegions = done;
                }
                rows.add(new MetricsRow(e, tl, vl, -1, seconds(t0, secondsBefore)));
                if (snap) {
                    startSnapshot(trainer, tl, vl, seconds(t0, secondsBefore));
                    MetricsRow.write(dir.resolve(METRICS), rows);
                    lastSave = seconds(t0, secondsBefore);
                } else if (seconds(t0, secondsBefore) - lastSave >= CHECKPOINT_SECONDS) {
                    trainer.checkpoint(seconds(t0, secondsBefore)).write(dir.resolve(CHECKPOINT));
                    MetricsRow.write(dir.resolve(METRICS), rows);
                    lastSave = seconds(t0, secondsBefore);
                }
                listener.accept(new Progress(e, spec.epochs(), tl, vl, lastRegions, seconds(t0, secondsBefore)));
            }
            int done = awaitSnapshot();
            if (done >= 0) lastRegions = done;
            MetricsRow.write(dir.resolve(METRICS), rows);
            Network fin = trainer.network();
            ModelFormat.write(fin, dir.resolve("model.json"));
            return finish(fin, lastRegions, seconds(t0, secondsBefore));
        } finally {
            // an exception on the training thread: the snapshot in flight is abandoned, its thread stopped
            if (pendingSnapshot != null) pendingSnapshot.cancel(true);
            snapshotThread.shutdownNow();
        }
    }

    private boolean isSnapshotEpoch(int e) {
        return e == 0 || e == spec.epochs() || (spec.every() > 0 && e % spec.every() == 0);
    }

    private static double seconds(long t0, double before) { return before + (System.nanoTime() - t0) / 1e9; }

    /** The initial network: the init model, or Kaiming-normal (fan-in) with the spec's biases. */
    private Network initialNetwork(TargetImage img) {
        if (spec.initModel() != null) {
            Network net = ModelFormat.read(Path.of(spec.initModel()));
            if (net.inputDim() != 2) throw new BadInputException("--init-model has " + net.inputDim() + " inputs; an image needs 2");
            if (net.outputDim() != img.outputDim())
                throw new BadInputException("--init-model has " + net.outputDim() + " outputs; " + img + " needs " + img.outputDim());
            return net;
        }
        int[] hidden = ShapeSpec.parse(spec.shape());
        Network template = Networks.kaiming(spec.seed(), 2, hidden, img.outputDim(), spec.hiddenActivation(), spec.leak(), spec.biasInit());
        FlatModel m = FlatModel.of(template);
        return m.toNetwork(m.initialise(spec.seed(), spec.biasInit(), spec.biasStd()));
    }

    private void writeConfig(Network net) {
        config.put("format", FORMAT);
        config.set("spec", JSON.valueToTree(spec));
        config.put("network", net.shape());
        config.put("parameters", net.parameterCount());
        config.put("loss", RunSpec.lossFor(image).label());
        ObjectNode img = config.putObject("image");
        img.put("name", image.name());
        img.put("width", image.width());
        img.put("height", image.height());
        img.put("classes", image.classes());
        config.put("domain", "[0,1]^2, pixel (i,j) at x=j/W, y=i/H");
        try {
            AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the snapshot of the current state for the last row of {@code rows}: writes the model and the
     * checkpoint here, and hands the exact regions, the frame and the listener to the snapshot thread; the row's
     * region count is filled in by {@link #awaitSnapshot()}. What the snapshot thread reads is immutable (the
     * network, the frame's class panel computed here) or copied here (the rows so far).
     */
    private void startSnapshot(Trainer trainer, double trainLoss, double valLoss, double seconds) {
        int e = trainer.epochsDone();
        Network net = trainer.network();
        String tag = String.format(Locale.ROOT, "epoch-%06d", e);
        ModelFormat.write(net, dir.resolve("models").resolve(tag + ".json"));
        trainer.checkpoint(seconds).write(dir.resolve(CHECKPOINT));
        BufferedImage classPanel = spec.frames() && image.isClassification() ? classRaster(trainer, spec.panelSize()) : null;
        List<MetricsRow> rowsBefore = List.copyOf(rows.subList(0, rows.size() - 1));
        pendingRow = rows.size() - 1;
        pendingSnapshot = snapshotThread.submit(() -> {
            if (!spec.frames() && snapshotListener == null) {
                // nothing reads the regions themselves, only their number (metrics.csv): no region records are built
                return TiledPlanePartitioner.countRegions(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            }
            if (snapshotListener == null && spec.frames()) {
                // the frame reads the boundaries, the count and (a grey-value image's) the maps of the regions that hold
                // a pixel centre: no region records (neighbours, patterns, areas, the other maps) are built. A classifier's
                // output panel comes from the trainer, and each strip's boundaries are drawn as soon as the strip is cut.
                // The same pixels as from the records.
                IntFunction<List<String>> lines = count -> frameLines(net, e, trainLoss, valLoss, count);
                TrainingFrame.Drawn drawn = classPanel != null
                        ? TrainingFrame.renderClassifier(net, classPanel, targetPanel(), trainXY, validXY, lines, spec.panelSize())
                        : TrainingFrame.renderShaded(net, 0, 1, targetPanel(), trainXY, validXY, lines, spec.panelSize());
                ImageFiles.writePng(drawn.image(), dir.resolve("frames").resolve(tag + ".png"));
                return drawn.regions();
            }
            PlanePartition part = PlanePartitioner.compute(net, Rectangle.UNIT);
            if (spec.frames()) ImageFiles.writePng(frame(net, classPanel, part, e, trainLoss, valLoss), dir.resolve("frames").resolve(tag + ".png"));
            if (snapshotListener != null) snapshotListener.snapshot(e, net, part, trainLoss, valLoss, rowsBefore);
            return part.count();
        });
    }

    /**
     * Waits for the snapshot in flight, if any, and writes its region count into its row.
     *
     * @return the count, or -1 when no snapshot was in flight
     */
    private int awaitSnapshot() {
        if (pendingSnapshot == null) return -1;
        int count;
        try {
            count = Futures.getUninterruptibly(pendingSnapshot);
        } finally {
            pendingSnapshot = null;
        }
        MetricsRow r = rows.get(pendingRow);
        rows.set(pendingRow, new MetricsRow(r.epoch(), r.trainLoss(), r.valLoss(), count, r.seconds()));
        return count;
    }

    /** The three-panel frame (run on the snapshot thread; {@code classPanel} is null for a regression image). */
    private BufferedImage frame(Network net, BufferedImage classPanel, PlanePartition part, int epoch, double tl, double vl) {
        return TrainingFrame.render(new TrainingFrame.Content(part, classPanel, 0, 1, targetPanel(), trainXY, validXY,
                frameLines(net, epoch, tl, vl, part.count()), spec.panelSize()));
    }

    /** The target image scaled to a panel (made once, on the snapshot thread). */
    private BufferedImage targetPanel() {
        if (targetPanel == null) targetPanel = TrainingFrame.scaledPanel(image.toBufferedImage(), spec.panelSize());
        return targetPanel;
    }

    /** A frame's header lines. */
    private List<String> frameLines(Network net, int epoch, double tl, double vl, int regions) {
        return List.of(
                String.format(Locale.ROOT, "epoch %d/%d   train loss %.6f   val loss %.6f   regions %d", epoch, spec.epochs(), tl, vl, regions),
                String.format(Locale.ROOT, "%s   seed %d   points %d+%d   %s lr %s   batch %d   %s", net.shape(), spec.seed(),
                        spec.points(), spec.validation(), spec.optimizer(), fmt(spec.lr()), spec.batch(), spec.precision()));
    }

    /** The predicted class colour at each panel pixel centre (a classifier's output panel), y up: row 0 is y = 1. */
    private BufferedImage classRaster(Trainer trainer, int p) {
        double[] in = new double[2 * p * p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) {
            in[2 * (i * p + j)] = (j + 0.5) / p;
            in[2 * (i * p + j) + 1] = 1 - (i + 0.5) / p;
        }
        return TrainingFrame.classPanel(trainer.predict(in, p * p), p, image.classes(), image::classColour);
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private Outcome finish(Network fin, int regions, double seconds) {
        MetricsRow last = rows.get(rows.size() - 1);
        List<MetricsRow> snaps = rows.stream().filter(r -> r.regions() >= 0).toList();
        Path plot = dir.resolve("metrics.png");
        ImageFiles.writePng(plot(), plot);
        Path finalFrame = null, gif = null, mp4 = null;
        if (spec.frames()) {
            List<Path> frames = new ArrayList<>();
            for (MetricsRow r : snaps) {
                Path f = dir.resolve("frames").resolve(String.format(Locale.ROOT, "epoch-%06d.png", r.epoch()));
                if (Files.exists(f) && (frames.isEmpty() || !frames.get(frames.size() - 1).equals(f))) frames.add(f);
            }
            if (!frames.isEmpty()) {
                finalFrame = dir.resolve("final.png");
                copy(frames.get(frames.size() - 1), finalFrame);
                gif = dir.resolve("training.gif");
                GifWriter.write(gif, frames.size(), k -> readPng(frames.get(k)), GifWriter.watchableDelayMs(frames.size(), spec.gifDelayMs()), true);
                if (spec.mp4()) mp4 = Movies.mp4(frames, dir.resolve("training.mp4"), Math.max(1, Math.round(1000f / GifWriter.watchableDelayMs(frames.size(), spec.gifDelayMs()))));
            }
        }
        return new Outcome(dir, fin, last.epoch(), last.trainLoss(), last.valLoss(), regions, seconds, rows, finalFrame, gif, mp4, plot);
    }

    /** The metrics picture of this run. */
    private BufferedImage plot() {
        double[] e = rows.stream().mapToDouble(MetricsRow::epoch).toArray();
        double[] tl = rows.stream().mapToDouble(MetricsRow::trainLoss).toArray();
        double[] vl = rows.stream().mapToDouble(MetricsRow::valLoss).toArray();
        List<MetricsRow> snaps = rows.stream().filter(r -> r.regions() >= 0).toList();
        double[] se = snaps.stream().mapToDouble(MetricsRow::epoch).toArray();
        double[] rc = snaps.stream().mapToDouble(MetricsRow::regions).toArray();
        return MetricPlots.lossesAndRegions("losses: " + image.name() + ", " + config.path("network").asText(),
                List.of(new MetricPlots.Series("train loss", e, tl), new MetricPlots.Series("validation loss", e, vl)),
                List.of(new MetricPlots.Series("regions", se, rc)), 900, 700);
    }

    static BufferedImage readPng(Path f) {
        try {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) throw new IOException("not an image");
            return img;
        } catch (IOException e) {
            throw new BadInputException("cannot read frame " + f + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path from, Path to) {
        AtomicFiles.write(to, out -> Files.copy(from, out));
    }

    /** Reads the {@code spec} of a run folder's config.json. */
    public static RunSpec readSpec(Path dir) {
        try {
            JsonNode n = JSON.readTree(dir.resolve(CONFIG).toFile());
            return JSON.treeToValue(n.get("spec"), RunSpec.class);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + dir.resolve(CONFIG) + ": " + e.getMessage().split("\n")[0]);
        }
    }

}
