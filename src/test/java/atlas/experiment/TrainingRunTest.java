package atlas.experiment;

import atlas.net.ModelFormat;
import atlas.net.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingRunTest {
    /** A tiny run: 64x64 disc, 3x8 net, 400 + 100 points. */
    static RunSpec tiny(int epochs, int every) {
        return RunSpec.defaults().withImage("disc").withImageSize(64).withShape("3x8").withPoints(400, 100)
                .withEpochs(epochs, every).withBatch(128).withFrames(true, 64, false).withOptimizer("adam", 0.01);
    }

    @Test
    void writesTheRunFolder(@TempDir Path dir) throws Exception {
        TrainingRun.Outcome o = TrainingRun.create(tiny(6, 3), dir).run();
        for (String f : List.of("config.json", "metrics.csv", "checkpoint.bin", "model.json", "final.png", "training.gif", "metrics.png",
                "models/epoch-000000.json", "models/epoch-000003.json", "models/epoch-000006.json",
                "frames/epoch-000000.png", "frames/epoch-000003.png", "frames/epoch-000006.png"))
            assertThat(dir.resolve(f)).as(f).isRegularFile();
        List<MetricsRow> rows = MetricsRow.read(dir.resolve("metrics.csv"));
        assertThat(rows).extracting(MetricsRow::epoch).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(rows).filteredOn(r -> r.regions() >= 0).extracting(MetricsRow::epoch).containsExactly(0, 3, 6);
        assertThat(rows.get(6).trainLoss()).isLessThan(rows.get(0).trainLoss());
        // the final model file is the outcome's network and its exact region count is the last row's
        Network fin = ModelFormat.read(dir.resolve("model.json"));
        assertThat(fin).isEqualTo(o.network());
        assertThat(o.regions()).isEqualTo(rows.get(6).regions()).isPositive();
        assertThat(atlas.regions.PlanePartitioner.compute(fin, atlas.geometry.Rectangle.UNIT).count()).isEqualTo(o.regions());
        // the snapshots run beside the training: each row's count is its own epoch's model's, whichever order they finished in
        for (MetricsRow r : rows) if (r.regions() >= 0) {
            Network snap = ModelFormat.read(dir.resolve(String.format("models/epoch-%06d.json", r.epoch())));
            assertThat(atlas.regions.PlanePartitioner.compute(snap, atlas.geometry.Rectangle.UNIT).count()).as("epoch " + r.epoch()).isEqualTo(r.regions());
        }
        BufferedImage frame = ImageIO.read(dir.resolve("final.png").toFile());
        assertThat(frame.getWidth()).isEqualTo(atlas.render.TrainingFrame.width(64));
        assertThat(Files.readString(dir.resolve("config.json"))).contains("relu-atlas-run/1", "\"shape\" : \"3x8\"", "2 -> [8]x3 -> 1");
        try (var in = ImageIO.createImageInputStream(dir.resolve("training.gif").toFile())) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        TrainingRun.Outcome straight = TrainingRun.create(tiny(8, 4), a).run();
        TrainingRun.create(tiny(4, 4), b).run();
        TrainingRun.Outcome resumed = TrainingRun.resume(b, 8, null, null).run();
        assertThat(resumed.network()).isEqualTo(straight.network());
        List<MetricsRow> ra = MetricsRow.read(a.resolve("metrics.csv")), rb = MetricsRow.read(b.resolve("metrics.csv"));
        assertThat(rb).extracting(MetricsRow::epoch).containsExactlyElementsOf(ra.stream().map(MetricsRow::epoch).toList());
        for (int k = 0; k < ra.size(); k++) {
            assertThat(rb.get(k).trainLoss()).isEqualTo(ra.get(k).trainLoss());
            assertThat(rb.get(k).valLoss()).isEqualTo(ra.get(k).valLoss());
        }
        assertThat(rb.get(rb.size() - 1).regions()).isEqualTo(ra.get(ra.size() - 1).regions());
    }

    @Test
    void aStoppedRunKeepsACheckpointAndResumesExactly(@TempDir Path dir) {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Network straight = TrainingRun.create(tiny(7, 0), a).run().network();
        TrainingRun run = TrainingRun.create(tiny(7, 0), b);
        run.onProgress(p -> { if (p.epoch() == 2) run.requestStop(); });
        assertThatThrownBy(run::run).isInstanceOf(CancellationException.class).hasMessageContaining("--resume");
        assertThat(atlas.train.Checkpoint.read(b.resolve("checkpoint.bin")).epoch()).isEqualTo(2);
        assertThat(TrainingRun.resume(b, null, null, null).run().network()).isEqualTo(straight);
    }

    @Test
    void resumingAStoppedRunAtItsStopEpochClosesIt(@TempDir Path dir) {
        TrainingRun run = TrainingRun.create(tiny(7, 0), dir);
        run.onProgress(p -> { if (p.epoch() == 2) run.requestStop(); });
        assertThatThrownBy(run::run).isInstanceOf(CancellationException.class);
        TrainingRun.Outcome o = TrainingRun.resume(dir, 2, null, null).run();
        assertThat(o.epochs()).isEqualTo(2);
        assertThat(o.regions()).isPositive();
        List<MetricsRow> rows = MetricsRow.read(dir.resolve("metrics.csv"));
        assertThat(rows.get(rows.size() - 1).regions()).isEqualTo(o.regions());
        assertThat(dir.resolve("frames/epoch-000002.png")).isRegularFile();
    }

    @Test
    void resumeWithANewOptimizerIsRecorded(@TempDir Path dir) throws Exception {
        TrainingRun.create(tiny(2, 0), dir).run();
        TrainingRun.Outcome o = TrainingRun.resume(dir, 4, "sgd", 0.05).run();
        assertThat(o.epochs()).isEqualTo(4);
        String cfg = Files.readString(dir.resolve("config.json"));
        assertThat(cfg).contains("\"resumes\"", "\"optimizer\" : \"sgd\"", "\"optimizer_state\" : \"fresh\"");
        assertThat(TrainingRun.readSpec(dir).optimizer()).isEqualTo("sgd");
    }

    @Test
    void aConfigWithoutPrecisionMeansDouble(@TempDir Path dir) throws Exception {
        TrainingRun.create(tiny(1, 0), dir).run();
        assertThat(TrainingRun.readSpec(dir).precision()).isEqualTo("float");
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replaceAll(",\\s*\"precision\" : \"float\"", ""));
        assertThat(TrainingRun.readSpec(dir).precision()).isEqualTo("double");
        assertThatThrownBy(() -> tiny(1, 0).withPrecision("half")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown precision");
    }

    @Test
    void anExistingRunIsNotOverwritten(@TempDir Path dir) {
        TrainingRun.create(tiny(1, 0), dir).run();
        assertThatThrownBy(() -> TrainingRun.create(tiny(1, 0), dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a run");
        assertThatThrownBy(() -> TrainingRun.resume(dir.resolve("none"), null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no run to resume");
    }

    @Test
    void writesAnMp4WhenFfmpegIsOnThePath(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Movies.ffmpeg() != null, "ffmpeg is not on the PATH");
        TrainingRun.Outcome o = TrainingRun.create(tiny(4, 1).withFrames(true, 64, true), dir).run();
        assertThat(o.mp4()).isEqualTo(dir.resolve("training.mp4"));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(o.mp4()), 12);
        assertThat(new String(head, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    @Test
    void trainsAModelWithSkipConnectionsFromAFile(@TempDir Path dir) {
        java.util.Random r = new java.util.Random(3);
        double[] w1 = new double[16], w2 = new double[64], w3 = new double[8], p = new double[16];
        for (double[] a : new double[][]{w1, w2, w3, p}) for (int k = 0; k < a.length; k++) a[k] = r.nextGaussian() * 0.5;
        double[] b = new double[8];
        java.util.Arrays.fill(b, 0.1);
        Network net = new Network(2, List.of(
                new atlas.net.DenseLayer(2, 8, w1, b, atlas.net.Activation.LEAKY_RELU, 0.01),
                new atlas.net.DenseLayer(8, 8, w2, b, atlas.net.Activation.LEAKY_RELU, 0.01,
                        List.of(atlas.net.Skip.identity(1), new atlas.net.Skip(0, p, 2))),
                new atlas.net.DenseLayer(8, 1, w3, new double[]{0.5}, atlas.net.Activation.IDENTITY, 0)));
        Path model = dir.resolve("skip.json");
        ModelFormat.write(net, model);
        TrainingRun.Outcome o = TrainingRun.create(tiny(5, 5).withInitModel(model.toString()), dir.resolve("run")).run();
        assertThat(o.network().layer(2).skips()).hasSize(2);
        assertThat(o.network().layer(2).skips().get(0).isIdentity()).isTrue();
        assertThat(o.network().layer(2).skips().get(1).weights()).isNotEqualTo(p);
        List<MetricsRow> rows = o.metrics();
        assertThat(rows.get(rows.size() - 1).trainLoss()).isLessThan(rows.get(0).trainLoss());
        assertThat(o.regions()).isPositive();
    }

    @Test
    void aClassImageTrainsWithCrossEntropy(@TempDir Path dir) {
        RunSpec s = tiny(3, 3).withImage("ring3");
        TrainingRun.Outcome o = TrainingRun.create(s, dir).run();
        assertThat(o.network().outputDim()).isEqualTo(3);
        assertThat(dir.resolve("final.png")).isRegularFile();
    }
}
