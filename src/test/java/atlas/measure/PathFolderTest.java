package atlas.measure;

import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PathFolderTest {

    @Test
    void singlePathsMatchTheSegmentPartitionerSequence() {
        List<Network> nets = List.of(
                Networks.kaiming(1, 6, Networks.uniform(10, 6), 4, Activation.RELU, 0, 0.0),
                Networks.kaiming(2, 3, new int[]{16, 4, 16}, 2, Activation.LEAKY_RELU, 0.01, 0.1),
                SpaceFoldingTest.skipNet(3));
        Random rnd = new Random(17);
        for (Network net : nets) {
            for (boolean outs : new boolean[]{false, true}) {
                PathFolder folder = new PathFolder(net, Tolerance.DEFAULT, outs);
                for (int k = 0; k < 40; k++) {
                    double[] a = SpaceFoldingTest.gauss(rnd, net.inputDim()), b = SpaceFoldingTest.gauss(rnd, net.inputDim());
                    FoldingResult fast = folder.fold(a, b);
                    List<PathPiece> fastPieces = folder.pieces();
                    List<PathPiece> ref = SpaceFolding.exactPieces(net, a, b, outs, Tolerance.DEFAULT);
                    assertThat(fastPieces).hasSameSizeAs(ref);
                    for (int i = 0; i < ref.size(); i++) {
                        assertThat(fastPieces.get(i).pattern()).isEqualTo(ref.get(i).pattern());
                        assertThat(fastPieces.get(i).t1()).isCloseTo(ref.get(i).t1(), org.assertj.core.api.Assertions.within(1e-9));
                    }
                    FoldingResult slow = SpaceFolding.ofPatterns(SpaceFolding.patternsOf(ref));
                    assertThat(fast.r1()).isEqualTo(slow.r1());
                    assertThat(fast.r2()).isEqualTo(slow.r2());
                    assertThat(fast.maxRunningChi()).isEqualTo(slow.maxRunningChi());
                }
            }
        }
    }

    @Test
    void batchEqualsSinglePaths() {
        Network net = SpaceFoldingTest.skipNet(8);
        Random rnd = new Random(4);
        double[][] pts = new double[30][];
        for (int k = 0; k < pts.length; k++) pts[k] = SpaceFoldingTest.gauss(rnd, 5);
        int n = 700;
        int[] from = new int[n], to = new int[n];
        for (int k = 0; k < n; k++) {
            from[k] = rnd.nextInt(pts.length);
            do to[k] = rnd.nextInt(pts.length); while (to[k] == from[k]);
        }
        FoldingBatch batch = PathFolder.foldAll(net, Tolerance.DEFAULT, true, pts, from, to, null);
        PathFolder single = new PathFolder(net, Tolerance.DEFAULT, true);
        for (int k = 0; k < n; k++) {
            FoldingResult r = single.fold(pts[from[k]], pts[to[k]]);
            assertThat(batch.regions()[k]).isEqualTo(r.regions());
            assertThat(batch.chi(k)).isEqualTo(r.chi());
            assertThat(batch.maxRunningChi()[k]).isEqualTo(r.maxRunningChi());
        }
        assertThat(batch.phi()).isBetween(0.0, 1.0);
    }

    @Test
    void reversedPathsCrossTheSameRegions() {
        Network net = Networks.kaiming(5, 8, Networks.uniform(12, 4), 2, Activation.RELU, 0, 0.0);
        Random rnd = new Random(1);
        PathFolder f = new PathFolder(net, Tolerance.DEFAULT, false);
        for (int k = 0; k < 50; k++) {
            double[] a = SpaceFoldingTest.gauss(rnd, 8), b = SpaceFoldingTest.gauss(rnd, 8);
            int n1 = f.fold(a, b).regions();
            List<PathPiece> fwd = f.pieces();
            int n2 = f.fold(b, a).regions();
            List<PathPiece> back = f.pieces();
            assertThat(n2).isEqualTo(n1);
            for (int i = 0; i < n1; i++) assertThat(back.get(n1 - 1 - i).pattern()).isEqualTo(fwd.get(i).pattern());
        }
    }
}
