package atlas.experiment;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImageExperimentsTest {
    @Test
    void spikeDetectorFlagsTheFirstEpochOfAnExcursionOnly() {
        DepthExperiment.SpikeDetector d = new DepthExperiment.SpikeDetector(1.5, 3);
        double[] losses = {1.0, 0.9, 0.8, 0.7, 2.0, 3.0, 0.7, 0.65, 0.6, 1.0, 0.6};
        List<Integer> at = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        for (int k = 0; k < losses.length; k++) {
            double b = d.accept(losses[k]);
            if (!Double.isNaN(b)) { at.add(k); before.add(b); }
        }
        // 2.0 > 1.5 x min(0.9, 0.8, 0.7) starts a spike and 3.0 continues it; 1.0 > 1.5 x min(0.7, 0.65, 0.6) starts another
        assertThat(at).containsExactly(4, 9);
        assertThat(before).containsExactly(0.7, 0.6);
    }

    @Test
    void survivingFractionIsOneForTheSameNetAndLessAfterAChange() {
        Network a = Networks.kaiming(3, 2, new int[]{8, 8}, 1, Activation.LEAKY_RELU, 0.01, 0.1);
        Network b = Networks.kaiming(4, 2, new int[]{8, 8}, 1, Activation.LEAKY_RELU, 0.01, 0.1);
        PlanePartition pa = PlanePartitioner.compute(a, Rectangle.UNIT);
        assertThat(DepthExperiment.survivingFraction(pa, PlanePartitioner.compute(a, Rectangle.UNIT))).isEqualTo(1.0);
        double f = DepthExperiment.survivingFraction(pa, PlanePartitioner.compute(b, Rectangle.UNIT));
        assertThat(f).isBetween(0.0, 1.0).isLessThan(1.0);
        DepthExperiment.Change same = DepthExperiment.change(pa, PlanePartitioner.compute(a, Rectangle.UNIT), a);
        assertThat(same.survivingFraction()).isEqualTo(1.0);
        assertThat(same.survivingArea()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(same.meanFlippedUnits()).isZero();
        DepthExperiment.Change other = DepthExperiment.change(pa, PlanePartitioner.compute(b, Rectangle.UNIT), b);
        assertThat(other.meanFlippedUnits()).isPositive().isLessThanOrEqualTo(16);
        assertThat(other.survivingArea()).isBetween(0.0, 1.0);
    }

    @Test
    void ringIoUIsOneForAPerfectPredictorAndZeroForAWhiteOne() {
        var img = atlas.data.BuiltinImages.create("disc", 256);
        // constant output 1 (white everywhere): no dark prediction, IoU 0
        Network white = new Network(2, List.of(new atlas.net.DenseLayer(2, 1, new double[]{0, 0}, new double[]{1}, Activation.IDENTITY, 0)));
        assertThat(ImageRuns.darkIoU(white, img)).isZero();
        Network black = new Network(2, List.of(new atlas.net.DenseLayer(2, 1, new double[]{0, 0}, new double[]{0}, Activation.IDENTITY, 0)));
        // all dark: IoU = disc area / square area = pi 0.25^2
        assertThat(ImageRuns.darkIoU(black, img)).isCloseTo(Math.PI / 16, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void overfitStudyWritesItsReport(@TempDir Path dir) throws Exception {
        RunSpec base = TrainingRunTest.tiny(4, 2);
        OverfitExperiment.Result r = OverfitExperiment.run(new OverfitExperiment.Config(base, new int[]{400, 100}), dir, s -> { }, p -> { });
        assertThat(r.sizes()).extracting(OverfitExperiment.SizeResult::points).containsExactly(400, 100);
        for (String f : List.of("summary.md", "overfit.csv", "curves.png", "final-frames.png", "runs/points-00400/metrics.csv", "runs/points-00100/final.png"))
            assertThat(dir.resolve(f)).as(f).isRegularFile();
        assertThat(Files.readAllLines(dir.resolve("overfit.csv"))).hasSize(3);
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("| 400 |", "| 100 |");
    }

    @Test
    void depthStudyWritesItsReport(@TempDir Path dir) throws Exception {
        RunSpec base = TrainingRunTest.tiny(4, 2);
        DepthExperiment.Result r = DepthExperiment.run(new DepthExperiment.Config(base, List.of("2x6", "2x4,2,1x4"), 1.5, 2, 2), dir, s -> { }, p -> { });
        assertThat(r.shapes()).hasSize(2);
        assertThat(r.shapes().get(1).network()).isEqualTo("2 -> [4, 4, 2, 4] -> 1");
        assertThat(r.shapes()).allSatisfy(s -> assertThat(s.quietSurvival()).isBetween(0.0, 1.0));
        // parameter counts by hand: 2-6-6-1 has (2*6+6) + (6*6+6) + (6+1) = 67; 2-4-4-2-4-1 has 12 + 20 + 10 + 12 + 5 = 59
        assertThat(r.shapes()).extracting(DepthExperiment.ShapeResult::parameters).containsExactly(67L, 59L);
        List<String> csv = Files.readAllLines(dir.resolve("depth.csv"));
        assertThat(csv).hasSize(3);
        for (int k = 0; k < 2; k++) {
            DepthExperiment.ShapeResult s = r.shapes().get(k);
            assertThat(s.regions()).isPositive();
            assertThat(s.finalTrain()).isPositive().isFinite();
            // the CSV row carries the same region count and parameter count as the result
            assertThat(csv.get(k + 1)).containsPattern("\"\\Q" + s.network() + "\\E\"," + s.parameters() + ",[^,]*,[^,]*," + s.regions() + ",");
        }
        for (String f : List.of("summary.md", "depth.csv", "spikes.csv", "curves.png", "final-frames.png"))
            assertThat(dir.resolve(f)).as(f).isRegularFile();
    }
}
