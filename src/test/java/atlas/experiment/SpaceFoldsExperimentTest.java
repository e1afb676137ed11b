package atlas.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceFoldsExperimentTest {
    @TempDir
    Path dir;

    @Test
    void smallSyntheticRunWritesAConsistentReport() throws Exception {
        List<String> log = new ArrayList<>();
        var cfg = new SpaceFoldsExperiment.Config("synthetic", null, dir, List.of(new int[]{12, 12}, new int[]{8, 8, 8}), 0.5, 3,
                4, 0.0, false, 0, 1);
        List<SpaceFoldsExperiment.NetResult> res = SpaceFoldsExperiment.run(cfg, log::add);
        assertThat(res).hasSize(2);
        for (var r : res) {
            assertThat(r.paths()).isEqualTo(400);
            assertThat(r.phiMedian()).isBetween(0.0, 1.0);
            assertThat(r.foldedFraction()).isBetween(0.0, 1.0);
            assertThat(r.meanRegions()).isGreaterThanOrEqualTo(1.0);
            assertThat(r.counted()).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("pairs.csv"))).hasSize(1 + 2 * 100);
        assertThat(Files.readAllLines(dir.resolve("folding.csv"))).hasSize(3);
        assertThat(dir.resolve("folding_vs_depth.png")).exists();
        assertThat(dir.resolve("models").resolve("3x8.json")).exists();
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("| 2x12 | 2 |");
    }

    @Test
    void sameSeedSameResult() {
        var cfg = new SpaceFoldsExperiment.Config("synthetic", null, dir, List.<int[]>of(new int[]{6, 6}), 0.25, 5, 2, 0.0, true, 0, 1);
        var a = SpaceFoldsExperiment.run(cfg, s -> { });
        var b = SpaceFoldsExperiment.run(cfg, s -> { });
        assertThat(b.get(0).phiMedian()).isEqualTo(a.get(0).phiMedian());
        assertThat(b.get(0).accuracy()).isEqualTo(a.get(0).accuracy());
    }
}
