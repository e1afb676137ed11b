package atlas;

import atlas.data.Dataset;
import atlas.error.BadInputException;
import atlas.geometry.Rectangle;
import atlas.net.ModelException;
import atlas.net.Networks;
import atlas.regions.Partition;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.PointRegion;
import atlas.regions.Region;
import atlas.regions.RegionSet;
import atlas.regions.SegmentPartition;
import atlas.train.Loss;
import atlas.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The facade against closed forms: a line arrangement's cells, the sawtooth's 2^k pieces, a point's pattern. */
class AtlasTest {

    /** Lines x = 0.5 and y = 0.5: four cells of area 1/4 in the unit square. */
    static Atlas cross() {
        return Atlas.of(Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-0.5, -0.5}));
    }

    @Test
    void planeSegmentAndBoxSeeTheSameFourCells() {
        Atlas net = cross();
        PlanePartition plane = net.plane(0, 1, 0, 1).regions();
        SegmentPartition diagonal = net.segment(new double[]{0, 0}, new double[]{1, 1});
        RegionSet box = net.box(new double[]{0, 0}, new double[]{1, 1}).enumerate();
        assertThat(plane.count()).isEqualTo(4);
        assertThat(box.count()).isEqualTo(4);
        assertThat(box.complete()).isTrue();
        assertThat(diagonal.count()).isEqualTo(2);   // the diagonal crosses both lines at (1/2, 1/2)
        for (Partition<? extends Region> p : List.<Partition<? extends Region>>of(plane, box)) {
            assertThat(p.totalMeasure()).isCloseTo(1.0, within(TestTolerances.AREA));
            p.stream().forEach(r -> assertThat(r.measure()).isCloseTo(0.25, within(TestTolerances.AREA)));
            assertThat(p.stream().map(Region::pattern).distinct().count()).isEqualTo(4);
            assertThat(p.stream().allMatch(r -> r.dimension() == 2 && r.vertices().length == 8)).isTrue();
        }
        assertThat(diagonal.totalMeasure()).isCloseTo(1.0, within(TestTolerances.AREA));
        assertThat(diagonal.regions().get(0).vertices()).containsExactly(0, 0.5);
    }

    @Test
    void segmentOfTheSawtoothHasTwoToTheKPieces() {
        for (int k = 1; k <= 8; k++)
            assertThat(Atlas.of(Networks.sawtooth(k)).segment(new double[]{0}, new double[]{1}).count()).isEqualTo(1 << k);
    }

    @Test
    void pointGivesThePatternAndTheExactDistanceToTheBoundary() {
        PointRegion p = cross().point(0.2, 0.9);
        // unit 0 is x - 0.5 (off at x = 0.2), unit 1 is y - 0.5 (on at y = 0.9)
        assertThat(p.pattern().toBitString()).isEqualTo("01");
        assertThat(p.unitDistance()).isCloseTo(0.3, within(TestTolerances.AREA));
        assertThat(cross().output(0.75, 0.75)).containsExactly(0.5);
    }

    @Test
    void planeThroughInputSpaceByText() {
        // the plane x = 0.5 + s, y = 0.5 + t of the 2-D input: the two lines meet at its origin
        Atlas net = cross();
        PlanePartition p = net.plane(Rectangle.centred(1), "origin:0.5,0.5;1,0;0,1").regions();
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.slice().origin()).containsExactly(0.5, 0.5);
        assertThat(net.plane(Rectangle.UNIT, PlaneSlice.inputPlane()).regions().count()).isEqualTo(4);
    }

    @Test
    void trainingLowersTheLossAndReturnsAModel(@TempDir Path dir) {
        // y = |x - 0.5| sampled at 64 points, a 1 -> 8 -> 1 relu net
        int n = 64;
        double[] x = new double[n], y = new double[n];
        for (int k = 0; k < n; k++) { x[k] = (k + 0.5) / n; y[k] = Math.abs(x[k] - 0.5); }
        Dataset data = new Dataset(1, x, y, 1, null, 0);
        Atlas net = Atlas.of(Networks.kaiming(3, 1, new int[]{8}, 1, atlas.net.Activation.RELU, 0, 0.01));
        Training t = net.train(data, null, new TrainConfig(16, Loss.MSE, atlas.train.OptimizerKind.ADAM, 1e-2, 1, 1, 1e6), 40);
        assertThat(t.trainLoss()).hasSize(40);
        assertThat(t.finalLoss()).isLessThan(t.trainLoss()[0] / 4);
        assertThat(t.validationLoss()[0]).isNaN();
        Path file = dir.resolve("m.json");
        t.model().save(file);
        assertThat(Atlas.load(file).network()).isEqualTo(t.model().network());
    }

    /**
     * Atlas.load reads every model format the CLI reads: the ONNX CNN fixture, its relu-atlas-model/2 JSON (conv
     * layers kept structured) and its dense /1 twin load to one network, which is PyTorch's at a point.
     */
    @Test
    void loadReadsOnnxAndBothJsonVersions(@TempDir Path dir) throws Exception {
        Path onnx = Path.of(AtlasTest.class.getResource("/fixtures/models/cnn.onnx").toURI());
        Atlas fromOnnx = Atlas.load(onnx);
        Path v2 = dir.resolve("cnn.json");
        atlas.net.formats.ModelFiles.write(atlas.net.formats.ModelFiles.readStructured(onnx, atlas.net.formats.ImportOptions.DEFAULT),
                v2, atlas.net.formats.DType.F32);
        assertThat(java.nio.file.Files.readString(v2)).contains("relu-atlas-model/2");
        Path v1 = dir.resolve("dense.json");
        fromOnnx.save(v1);
        assertThat(java.nio.file.Files.readString(v1)).contains("relu-atlas-model/1");
        assertThat(Atlas.load(v2).network()).isEqualTo(fromOnnx.network());
        assertThat(Atlas.load(v1).network()).isEqualTo(fromOnnx.network());
        assertThat(fromOnnx.network().inputDim()).isGreaterThan(2);
    }

    @Test
    void badInputIsBadInputException(@TempDir Path dir) {
        assertThatThrownBy(() -> Atlas.load(dir.resolve("missing.json"))).isInstanceOf(ModelException.class)
                .isInstanceOf(BadInputException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> cross().point(1, 2, 3)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> cross().segment(new double[]{0, 0}, new double[]{0, 0})).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> cross().box(new double[]{0, 0}, new double[]{1, 1}).threads(0)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> Atlas.of(Networks.sawtooth(2)).plane(0, 1, 0, 1)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("1 inputs");
    }
}
