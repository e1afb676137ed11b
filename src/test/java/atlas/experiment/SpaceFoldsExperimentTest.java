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
        var cfg = new SpaceFoldsExperiment.Config("synthetic", null, dir, List.of(new int[]{12, 12}, new int[]{8, 8, 8}), 0.5, List.of(3L),
                4, 0.0, false, 0, 500, 1);
        List<SpaceFoldsExperiment.NetResult> res = SpaceFoldsExperiment.run(cfg, log::add);
        assertThat(res).hasSize(2);
        for (var r : res) {
            assertThat(r.paths()).isEqualTo(400L);
            assertThat(r.phiMedian()).isBetween(0.0, 1.0);
            assertThat(r.foldedFraction()).isBetween(0.0, 1.0);
            assertThat(r.meanRegions()).isGreaterThanOrEqualTo(1.0);
            assertThat(r.counted()).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("pairs.csv"))).hasSize(1 + 2 * 100);
        assertThat(Files.readAllLines(dir.resolve("folding.csv"))).hasSize(3);
        // per-net figures are the exact merge of the per-pair lines
        List<String> pairs = Files.readAllLines(dir.resolve("pairs.csv"));
        assertThat(pairs.get(1)).startsWith("2x12,2,3,0,0,4,");
        assertThat(pairs.get(100)).startsWith("2x12,2,3,9,9,4,");
        double foldedMean = pairs.subList(1, 101).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[8])).average().orElseThrow();
        assertThat(res.get(0).foldedFraction()).isCloseTo(foldedMean, org.assertj.core.data.Offset.offset(1e-3));
        // a run over some of the pairs gives those pairs' lines unchanged: each pair draws its paths from its own stream
        Path sub = dir.resolve("sub");
        var subCfg = new SpaceFoldsExperiment.Config("synthetic", null, sub, List.of(new int[]{12, 12}), 0.5, List.of(3L), 4, 0.0, false, 0, 500, 1,
                SpaceFoldsExperiment.parsePairs("9-9,0-0,3-7"), 8);
        SpaceFoldsExperiment.run(subCfg, s -> { });
        List<String> subLines = Files.readAllLines(sub.resolve("pairs.csv"));
        assertThat(subLines).containsExactly(pairs.get(0), pairs.get(100), pairs.get(1), pairs.get(1 + 37));
        assertThat(dir.resolve("folding_vs_depth.png")).exists();
        assertThat(dir.resolve("pairs.png")).exists();
        assertThat(dir.resolve("models").resolve("3x8-seed3.json")).exists();
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("| 2x12 | 2 | 3 |");
        for (var r : res) assertThat(r.validationAccuracy()).isBetween(0.0, 1.0);
        // the per-net figures are the aggregates of the per-pair rows: median of phi, means of folded share and regions
        for (var r : res) {
            List<double[]> rows = new ArrayList<>();
            for (String line : pairs.subList(1, pairs.size())) {
                String[] f = line.split(",");
                if (!f[0].equals(r.arch())) continue;
                rows.add(new double[]{Double.parseDouble(f[6]), Double.parseDouble(f[8]), Double.parseDouble(f[9])});
            }
            assertThat(rows).hasSize(100);
            double[] phi = rows.stream().mapToDouble(x -> x[0]).sorted().toArray();
            assertThat(r.phiMedian()).isCloseTo(0.5 * (phi[49] + phi[50]), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.foldedFraction()).isCloseTo(rows.stream().mapToDouble(x -> x[1]).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.meanRegions()).isCloseTo(rows.stream().mapToDouble(x -> x[2]).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-3));
            // a pair none of whose paths fold has phi 0 (phi is the median of the non-zero values, 0 when there are none)
            for (double[] x : rows) if (x[1] == 0) assertThat(x[0]).isZero();
        }
    }

    @Test
    void sameSeedSameResult() {
        var cfg = new SpaceFoldsExperiment.Config("synthetic", null, dir.resolve("a"), List.<int[]>of(new int[]{6, 6}), 0.25, List.of(5L, 6L), 2, 0.0, true, 0, 0, 1);
        var a = SpaceFoldsExperiment.run(cfg, s -> { });
        var cfgB = new SpaceFoldsExperiment.Config("synthetic", null, dir.resolve("b"), List.<int[]>of(new int[]{6, 6}), 0.25, List.of(5L, 6L), 2, 0.0, true, 0, 0, 2);
        var b = SpaceFoldsExperiment.run(cfgB, s -> { });
        assertThat(a).hasSize(2);
        assertThat(b).isEqualTo(a);
        assertThat(Double.isNaN(a.get(0).validationAccuracy())).isTrue();
        var s = SpaceFoldsExperiment.summarise(a);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).nets()).isEqualTo(2);
    }
}
