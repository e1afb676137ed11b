package atlas.measure;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpaceFoldingTest {

    private static ActivationPattern p(String bits) { return ActivationPattern.parse(bits); }

    @Test
    void handExamples() {
        FoldingResult straight = SpaceFolding.ofPatterns(List.of(p("00"), p("01"), p("11")));
        assertThat(straight.r1()).isEqualTo(2);
        assertThat(straight.r2()).isEqualTo(2);
        assertThat(straight.chi()).isZero();
        FoldingResult back = SpaceFolding.ofPatterns(List.of(p("00"), p("01"), p("11"), p("10")));
        // distances from 00: 1, 2, 1; steps 1, 1, 1
        assertThat(back.r1()).isEqualTo(2);
        assertThat(back.r2()).isEqualTo(3);
        assertThat(back.chi()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(back.runningChi()).containsExactly(new double[]{0, 0, 0, 1.0 / 3}, within(1e-15));
        assertThat(back.maxRunningChi()).isCloseTo(1.0 / 3, within(1e-15));
        FoldingResult single = SpaceFolding.ofPatterns(List.of(p("0101")));
        assertThat(single.chi()).isZero();
        assertThat(single.r2()).isZero();
    }

    @Test
    void runningMaximumCanExceedTheFinalChi() {
        // out 1, back 1, out 1 elsewhere (r1 = 1, r2 = 3), then far away: running chi peaks at 2/3, ends at 1 - 3/5
        FoldingResult r = SpaceFolding.ofPatterns(List.of(p("000"), p("100"), p("000"), p("001"), p("011"), p("111")));
        assertThat(r.runningChi()).containsExactly(new double[]{0, 0, 0.5, 2.0 / 3, 0.5, 0.4}, within(1e-15));
        assertThat(r.chi()).isCloseTo(0.4, within(1e-15));
        assertThat(r.maxRunningChi()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void closedWalksFoldAtLeastHalf() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int bits = 1 + rnd.nextInt(70);
            List<ActivationPattern> walk = new ArrayList<>();
            boolean[] start = new boolean[bits];
            for (int k = 0; k < bits; k++) start[k] = rnd.nextBoolean();
            walk.add(ActivationPattern.of(start));
            int steps = 1 + rnd.nextInt(12);
            for (int s = 0; s < steps; s++) {
                boolean[] b = new boolean[bits];
                for (int k = 0; k < bits; k++) b[k] = rnd.nextInt(4) == 0 ? !start[k] : start[k];
                walk.add(ActivationPattern.of(b));
            }
            walk.add(ActivationPattern.of(start));
            FoldingResult r = SpaceFolding.ofPatterns(walk);
            if (r.r2() > 0) assertThat(r.chi()).as("closed walk %s", walk).isGreaterThanOrEqualTo(0.5);
        }
    }

    @Test
    void repeatedPatternsDoNotChangeChi() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int bits = 1 + rnd.nextInt(20);
            List<ActivationPattern> walk = new ArrayList<>(), repeated = new ArrayList<>();
            for (int s = 0; s < 2 + rnd.nextInt(10); s++) {
                boolean[] b = new boolean[bits];
                for (int k = 0; k < bits; k++) b[k] = rnd.nextBoolean();
                ActivationPattern q = ActivationPattern.of(b);
                walk.add(q);
                for (int r = 0; r <= rnd.nextInt(4); r++) repeated.add(q);
            }
            FoldingResult a = SpaceFolding.ofPatterns(walk), b = SpaceFolding.ofPatterns(repeated);
            assertThat(b.r1()).isEqualTo(a.r1());
            assertThat(b.r2()).isEqualTo(a.r2());
            assertThat(b.chi()).isEqualTo(a.chi());
            assertThat(b.maxRunningChi()).isEqualTo(a.maxRunningChi());
        }
    }

    @Test
    void pathInsideOneRegionHasChiZero() {
        Network net = Networks.kaiming(3, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        PlanePartition part = PlanePartitioner.compute(net, Rectangle.UNIT);
        int checked = 0;
        for (LinearRegion r : part.regions()) {
            if (r.area() < 1e-4) continue;
            double[] c = r.interiorPoint();
            // a segment from the centroid halfway to each vertex stays inside the convex region
            double[] v = {0.5 * (c[0] + r.x(0)), 0.5 * (c[1] + r.y(0))};
            if (Math.hypot(v[0] - c[0], v[1] - c[1]) < 1e-9) continue;
            FoldingResult f = SpaceFolding.exact(net, c, v, false);
            assertThat(f.regions()).isEqualTo(1);
            assertThat(f.chi()).isZero();
            checked++;
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void straightPathsNeverEndInTheirStartingPattern() {
        // regions are convex: a straight path cannot leave its first region and come back to the same pattern
        Network net = Networks.kaiming(11, 6, new int[]{10, 10, 10}, 2, Activation.LEAKY_RELU, 0.01, 0.0);
        Random rnd = new Random(5);
        for (int k = 0; k < 100; k++) {
            double[] a = gauss(rnd, 6), b = gauss(rnd, 6);
            List<PathPiece> pieces = SpaceFolding.exactPieces(net, a, b, true, Tolerance.DEFAULT);
            for (int i = 1; i < pieces.size(); i++)
                assertThat(pieces.get(i).pattern()).isNotEqualTo(pieces.get(0).pattern());
        }
    }

    @Test
    void sampledPatternsAreASubsequenceOfTheExactOnes() {
        Network net = Networks.kaiming(13, 4, new int[]{12, 12, 12}, 3, Activation.RELU, 0, 0.05);
        Random rnd = new Random(9);
        for (int k = 0; k < 30; k++) {
            double[] a = gauss(rnd, 4), b = gauss(rnd, 4);
            for (boolean outs : new boolean[]{false, true}) {
                List<ActivationPattern> exact = SpaceFolding.patternsOf(SpaceFolding.exactPieces(net, a, b, outs, Tolerance.DEFAULT));
                int at = 0;
                int n = 997;
                double[] x = new double[4];
                for (int i = 0; i < n; i++) {
                    double t = (double) i / (n - 1);
                    for (int d = 0; d < 4; d++) x[d] = a[d] + t * (b[d] - a[d]);
                    ActivationPattern s = SpaceFolding.patternAt(net, x, outs);
                    while (at < exact.size() && !exact.get(at).equals(s)) at++;
                    assertThat(at).as("sample %d of path %d not in the exact sequence", i, k).isLessThan(exact.size());
                }
                // sampled chi equals the exact one when the samples hit every region
                FoldingResult sampled = SpaceFolding.sampled(net, a, b, n, outs);
                if (sampled.regions() > 0 && countDistinctRuns(net, a, b, n, outs) == exact.size())
                    assertThat(sampled.chi()).isEqualTo(SpaceFolding.ofPatterns(exact).chi());
            }
        }
    }

    private static int countDistinctRuns(Network net, double[] a, double[] b, int n, boolean outs) {
        int runs = 0;
        ActivationPattern prev = null;
        double[] x = new double[a.length];
        for (int i = 0; i < n; i++) {
            double t = (double) i / (n - 1);
            for (int d = 0; d < a.length; d++) x[d] = a[d] + t * (b[d] - a[d]);
            ActivationPattern s = SpaceFolding.patternAt(net, x, outs);
            if (!s.equals(prev)) runs++;
            prev = s;
        }
        return runs;
    }

    @Test
    void outputsSplitThePathWhereTheyChangeSign() {
        // one hidden unit relu(x), output x - 0.5: the output adds a cut at x = 0.5
        Network net = new Network(1, List.of(
                new DenseLayer(1, 1, new double[]{1}, new double[]{0}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[]{-0.5}, Activation.IDENTITY, 0)));
        List<PathPiece> plain = SpaceFolding.exactPieces(net, new double[]{-1}, new double[]{1}, false, Tolerance.DEFAULT);
        List<PathPiece> withOut = SpaceFolding.exactPieces(net, new double[]{-1}, new double[]{1}, true, Tolerance.DEFAULT);
        assertThat(plain).hasSize(2);
        assertThat(withOut).hasSize(3);
        assertThat(withOut.get(1).t1()).isCloseTo(0.75, within(1e-15));
        assertThat(withOut.get(0).pattern().toBitString()).isEqualTo("00");
        assertThat(withOut.get(1).pattern().toBitString()).isEqualTo("10");
        assertThat(withOut.get(2).pattern().toBitString()).isEqualTo("11");
    }

    @Test
    void phiIsTheMedianOfNonZeroValues() {
        assertThat(SpaceFolding.phi(new double[]{0, 0.2, 0, 0.4, 0.9})).isEqualTo(0.4);
        assertThat(SpaceFolding.phi(new double[]{0.2, 0.4, 0, 0.6, 0.8})).isCloseTo(0.5, within(1e-15));
        assertThat(SpaceFolding.phi(new double[]{0, 0})).isZero();
    }

    @Test
    void badInputsAreRejected() {
        Network net = Networks.kaiming(1, 3, new int[]{4}, 1, Activation.RELU, 0, 0);
        assertThatThrownBy(() -> SpaceFolding.sampled(net, new double[3], new double[3], 1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpaceFolding.exact(net, new double[2], new double[3], false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathFolder(net, Tolerance.DEFAULT, false).fold(new double[3], new double[3])).hasMessageContaining("zero length");
    }

    static double[] gauss(Random rnd, int n) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) x[k] = rnd.nextGaussian();
        return x;
    }

    static Network skipNet(long seed) {
        Random rnd = new Random(seed);
        int[] sizes = {5, 7, 7, 7, 2};
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            double[] w = new double[sizes[i] * sizes[i - 1]];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian() * Math.sqrt(2.0 / sizes[i - 1]);
            double[] b = new double[sizes[i]];
            for (int k = 0; k < b.length; k++) b[k] = 0.1 * rnd.nextGaussian();
            List<Skip> skips = new ArrayList<>();
            if (i == 3) skips.add(Skip.identity(1));
            if (i == 4) {
                double[] p = new double[sizes[i] * sizes[0]];
                for (int k = 0; k < p.length; k++) p[k] = rnd.nextGaussian();
                skips.add(new Skip(0, p, sizes[0]));
            }
            boolean last = i == sizes.length - 1;
            layers.add(new DenseLayer(sizes[i - 1], sizes[i], w, b, last ? Activation.IDENTITY : Activation.LEAKY_RELU, 0.05, skips));
        }
        return new Network(5, layers);
    }
}
