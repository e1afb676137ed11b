package atlas.measure;

import atlas.error.BadInputException;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ActivationPattern;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The folding kernel against independent truths: closed-form crossings of one-hidden-layer nets, dense sampling
 * of deep nets through the plain forward pass ({@link Network#trace}), and a hand-worked declined cut.
 */
class PathFolderTest {

    /**
     * One hidden layer: unit u is zero at {@code t_u = (w.p + b) / (w.p - w.q)}; the pieces are the intervals
     * between the t_u in (0, 1), each pattern is the signs at the piece's midpoint, and since every unit flips
     * at most once, r1 = r2 = the number of crossings.
     */
    @Test
    void shallowNetsMatchClosedFormCrossings() {
        Random rnd = new Random(17);
        int in = 4, units = 12;
        for (int trial = 0; trial < 20; trial++) {
            double[] w = new double[units * in], b = new double[units];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian();
            for (int k = 0; k < units; k++) b[k] = 0.5 * rnd.nextGaussian();
            Network net = new Network(in, List.of(new DenseLayer(in, units, w, b, Activation.RELU, 0),
                    new DenseLayer(units, 1, new double[units], new double[1], Activation.IDENTITY, 0)));
            PathFolder folder = new PathFolder(net, Tolerance.DEFAULT, false);
            for (int path = 0; path < 10; path++) {
                double[] p = SpaceFoldingTest.gauss(rnd, in), q = SpaceFoldingTest.gauss(rnd, in);
                List<Double> ts = new ArrayList<>();
                for (int u = 0; u < units; u++) {
                    double zp = b[u], zq = b[u];
                    for (int k = 0; k < in; k++) { zp += w[u * in + k] * p[k]; zq += w[u * in + k] * q[k]; }
                    if (zp * zq < 0) ts.add(zp / (zp - zq));
                }
                ts.sort(null);
                FoldingResult r = folder.fold(p, q);
                List<PathPiece> pieces = folder.pieces();
                assertThat(r.regions()).isEqualTo(ts.size() + 1);
                assertThat(r.r2()).isEqualTo(ts.size());
                assertThat(r.r1()).isEqualTo(ts.size());
                for (int j = 0; j < pieces.size(); j++) {
                    PathPiece piece = pieces.get(j);
                    double t0 = j == 0 ? 0 : ts.get(j - 1), t1 = j == ts.size() ? 1 : ts.get(j);
                    assertThat(piece.t0()).isCloseTo(t0, within(1e-12));
                    assertThat(piece.t1()).isCloseTo(t1, within(1e-12));
                    double tm = 0.5 * (t0 + t1);
                    boolean[] bits = new boolean[units];
                    for (int u = 0; u < units; u++) {
                        double z = b[u];
                        for (int k = 0; k < in; k++) z += w[u * in + k] * (p[k] + tm * (q[k] - p[k]));
                        bits[u] = z > 0;
                    }
                    assertThat(piece.pattern()).isEqualTo(ActivationPattern.of(bits));
                }
            }
        }
    }

    /**
     * Deep nets (relu, leaky relu, skips; outputs appended or not): the pattern of every piece is the pattern
     * the plain forward pass finds at its midpoint, consecutive pieces differ, every dense sample away from the
     * breakpoints has its piece's pattern, and r1 / r2 / running chi equal those of the pattern walk.
     */
    @Test
    void deepNetsMatchDenseSamplingOfTheForwardPass() {
        List<Network> nets = List.of(
                Networks.kaiming(1, 6, Networks.uniform(10, 6), 4, Activation.RELU, 0, 0.0),
                Networks.kaiming(2, 3, new int[]{16, 4, 16}, 2, Activation.LEAKY_RELU, 0.01, 0.1),
                SpaceFoldingTest.skipNet(3));
        Random rnd = new Random(17);
        int samples = 4001;
        for (Network net : nets) {
            for (boolean outs : new boolean[]{false, true}) {
                PathFolder folder = new PathFolder(net, Tolerance.DEFAULT, outs);
                for (int k = 0; k < 8; k++) {
                    double[] a = SpaceFoldingTest.gauss(rnd, net.inputDim()), b = SpaceFoldingTest.gauss(rnd, net.inputDim());
                    FoldingResult fast = folder.fold(a, b);
                    List<PathPiece> pieces = folder.pieces();
                    assertThat(pieces.get(0).t0()).isZero();
                    assertThat(pieces.get(pieces.size() - 1).t1()).isEqualTo(1.0);
                    for (int j = 0; j < pieces.size(); j++) {
                        PathPiece piece = pieces.get(j);
                        if (j > 0) {
                            assertThat(piece.t0()).isEqualTo(pieces.get(j - 1).t1());
                            assertThat(piece.pattern()).isNotEqualTo(pieces.get(j - 1).pattern());
                        }
                        assertThat(piece.pattern()).isEqualTo(SpaceFolding.patternAt(net, at(a, b, 0.5 * (piece.t0() + piece.t1())), outs));
                    }
                    int j = 0, checked = 0;
                    for (int s = 0; s < samples; s++) {
                        double t = (double) s / (samples - 1);
                        while (t > pieces.get(j).t1()) j++;
                        PathPiece piece = pieces.get(j);
                        if (t - piece.t0() < 1e-7 || piece.t1() - t < 1e-7) continue; // too near a breakpoint
                        assertThat(SpaceFolding.patternAt(net, at(a, b, t), outs)).as("pattern at t = %s", t).isEqualTo(piece.pattern());
                        checked++;
                    }
                    assertThat(checked).isGreaterThan(samples / 2);
                    FoldingResult walk = SpaceFolding.ofPatterns(SpaceFolding.patternsOf(pieces));
                    assertThat(fast.regions()).isEqualTo(pieces.size());
                    assertThat(fast.r1()).isEqualTo(walk.r1());
                    assertThat(fast.r2()).isEqualTo(walk.r2());
                    assertThat(fast.maxRunningChi()).isEqualTo(walk.maxRunningChi());
                }
            }
        }
    }

    /**
     * Units zero at t = 0.5 and t = 0.5002 with a minimum length of 1e-3: the second cut would leave a piece of
     * length 2e-4, so it is declined and the unit takes the bit of the longer side (on). Two pieces, 00 then 11,
     * in the folding kernel and in the segment partitioner alike.
     */
    @Test
    void aCutLeavingATooShortPieceIsDeclined() {
        Network net = new Network(1, List.of(
                new DenseLayer(1, 2, new double[]{1, 1}, new double[]{-0.5, -0.5002}, Activation.RELU, 0),
                new DenseLayer(2, 1, new double[]{1, 1}, new double[1], Activation.IDENTITY, 0)));
        Tolerance tol = new Tolerance(Tolerance.Kind.FLOATING, 1e-9, 1e-9, 1e-3);
        PathFolder folder = new PathFolder(net, tol, false);
        FoldingResult r = folder.fold(new double[]{0}, new double[]{1});
        List<PathPiece> pieces = folder.pieces();
        assertThat(r.regions()).isEqualTo(2);
        assertThat(pieces.get(0).t1()).isCloseTo(0.5, within(1e-15));
        assertThat(pieces.get(0).pattern()).isEqualTo(ActivationPattern.of(new boolean[]{false, false}));
        assertThat(pieces.get(1).pattern()).isEqualTo(ActivationPattern.of(new boolean[]{true, true}));
        assertThat(r.r1()).isEqualTo(2);
        assertThat(r.r2()).isEqualTo(2);
        SegmentPartition sp = new SegmentPartitioner(net, new double[]{0}, new double[]{1}, tol).getResult();
        assertThat(sp.count()).isEqualTo(2);
        assertThat(sp.intervals().get(1).pattern()).isEqualTo(pieces.get(1).pattern());
        // with the default minimum length both cuts are made
        assertThat(new PathFolder(net, Tolerance.DEFAULT, false).fold(new double[]{0}, new double[]{1}).regions()).isEqualTo(3);
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

    @Test
    void unimplementedToleranceKindsAreRejected() {
        assertThatThrownBy(() -> new Tolerance(Tolerance.Kind.SNAPPED, 1e-9, 1e-9, 1e-16))
                .isInstanceOf(BadInputException.class).hasMessageContaining("SNAPPED is not implemented");
    }

    private static double[] at(double[] a, double[] b, double t) {
        double[] x = new double[a.length];
        for (int k = 0; k < x.length; k++) x[k] = a[k] + t * (b[k] - a[k]);
        return x;
    }

}
