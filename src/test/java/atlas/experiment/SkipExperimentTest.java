package atlas.experiment;

import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SkipExperimentTest {
    @TempDir
    Path dir;

    @Test
    void skipsGoIntoOddHiddenLayersFromTwoBelow() {
        Network plain = Networks.kaiming(1, 2, Networks.uniform(5, 6), 1, Activation.RELU, 0, 0.1);
        Network skip = SkipExperiment.withSkips(plain);
        for (int i = 1; i <= skip.depth(); i++) {
            boolean want = i >= 3 && i % 2 == 1 && i < skip.depth();
            assertThat(skip.layer(i).skips()).hasSize(want ? 1 : 0);
            if (want) assertThat(skip.layer(i).skips().get(0).from()).isEqualTo(i - 2);
        }
        assertThat(skip.parameterCount()).isEqualTo(plain.parameterCount());
        // h3 = relu(W3 h2 + b3 + h1): check one point by hand
        double[] x = {0.3, -0.7};
        var tp = plain.trace(x);
        double[] z3 = plain.preActivation(3, tp.outputs(), new double[5]);
        var ts = skip.trace(x);
        for (int u = 0; u < 5; u++) assertThat(ts.preActivations()[3][u]).isCloseTo(z3[u] + tp.outputs()[1][u], within(1e-12));
    }

    @Test
    void smallRunWritesTheReport() throws Exception {
        var cfg = new SkipExperiment.Config(dir, 6, 3, Activation.RELU, 2, 2, 300, 100, 3, 2, 1);
        List<SkipExperiment.Row> rows = SkipExperiment.run(cfg, s -> { });
        assertThat(rows).hasSize(6);
        for (var r : rows) {
            assertThat(r.pieces()).isBetween(1, r.regions());
            assertThat(r.lineRegions()).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(Files.readAllLines(dir.resolve("curves.csv"))).hasSize(7);
        assertThat(dir.resolve("plain.png")).exists();
        assertThat(dir.resolve("skip.png")).exists();
        assertThat(dir.resolve("curves.png")).exists();
        assertThat(dir.resolve("models").resolve("skip.json")).exists();
        for (String variant : List.of("plain", "skip")) {
            List<SkipExperiment.Row> mine = rows.stream().filter(r -> r.variant().equals(variant)).toList();
            SkipExperiment.Row first = mine.get(0), last = mine.get(mine.size() - 1);
            assertThat(first.epoch()).isZero();
            // training lowers the loss it reports
            assertThat(last.trainLoss()).as(variant).isLessThan(first.trainLoss());
            // the last row describes the saved model: its region count is the saved net's, and no dense grid of
            // points finds more distinct activation patterns than there are regions
            Network saved = atlas.net.ModelFormat.read(dir.resolve("models").resolve(variant + ".json"));
            assertThat(atlas.regions.PlanePartitioner.compute(saved, atlas.geometry.Rectangle.UNIT).count()).isEqualTo(last.regions());
            java.util.Set<atlas.regions.ActivationPattern> seen = new java.util.HashSet<>();
            for (int i = 0; i < 150; i++) for (int j = 0; j < 150; j++)
                seen.add(atlas.regions.ActivationPattern.of(saved.trace(new double[]{(i + 0.5) / 150, (j + 0.5) / 150}).activeBits(saved)));
            assertThat(seen.size()).isBetween(1, last.regions());
            if (variant.equals("skip")) assertThat(saved.layer(3).skips()).hasSize(1);
        }
    }

    @Test
    void mnistPartOnSyntheticImages() throws Exception {
        var cfg = new SkipExperiment.MnistConfig("synthetic", null, dir, 8, 3, 1, 500, 3, 1, 200, 2, 1);
        List<SkipExperiment.MnistRow> rows = SkipExperiment.runMnist(cfg, s -> { });
        assertThat(rows).hasSize(2);
        for (var r : rows) {
            assertThat(r.accuracy()).isBetween(0.0, 1.0);
            assertThat(r.trainLoss()).hasSize(2);
            assertThat(r.planePieces()).isLessThanOrEqualTo(r.planeRegions());
            assertThat(r.lineRegions()).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(Files.readAllLines(dir.resolve("mnist-curves.csv"))).hasSize(1 + 2 * 2);
        assertThat(Files.readString(dir.resolve("mnist.md"))).contains("| skip |");
    }
}
