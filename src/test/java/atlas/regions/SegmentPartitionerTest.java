package atlas.regions;

import atlas.TestTolerances;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The exact 1-D kernel: intervals tile [0, 1] in order, their maps and patterns are the network's, neighbours
 * differ in one unit, and the breakpoints agree with a brute-force oracle ({@link SegmentOracle}: fine sampling
 * plus bisection) on 1-input nets and on 784-input nets along segments.
 */
class SegmentPartitionerTest {

    static Network net(long seed, int inputDim, int width, int depth, Activation act, boolean skips) {
        return RandomNets.random(seed, inputDim, Networks.uniform(width, depth), inputDim == 1 ? 1 : 10, act, 0.05, skips);
    }

    static double[] randomPoint(Random rnd, int dim, double lo, double hi) {
        double[] x = new double[dim];
        for (int k = 0; k < dim; k++) x[k] = lo + (hi - lo) * rnd.nextDouble();
        return x;
    }

    /** Properties every segment partition has, checked against the network. */
    static void assertSegmentProperties(Network net, SegmentPartition sp) {
        RegionChecks.assertTilesUnitInterval(sp);
        RegionChecks.assertPerLayerCounts(net, sp);
        assertThat(RegionChecks.maxMapError(net, sp)).as("max map error").isLessThanOrEqualTo(TestTolerances.MAP);
        List<SegmentInterval> iv = sp.intervals();
        for (int k = 0; k < iv.size(); k++) {
            SegmentInterval s = iv.get(k);
            if (s.length() > 1e-9) {
                ActivationPattern at = ActivationPattern.of(net.trace(sp.pointAt(s.midpoint())).activeBits(net));
                assertThat(at).as("pattern at the midpoint of interval %d", k).isEqualTo(s.pattern());
            }
            if (k > 0) assertThat(s.pattern().hamming(iv.get(k - 1).pattern())).as("units changing at breakpoint %d", k).isEqualTo(1);
        }
    }

    /** Oracle breakpoints are exact breakpoints; exact breakpoints between intervals longer than 2/G are found. */
    static void assertAgreesWithOracle(Network net, double[] p, double[] q, SegmentPartition sp, int grid) {
        double[] oracle = SegmentOracle.breakpoints(net, p, q, grid);
        double[] exact = sp.breakpoints();
        for (double t : oracle) {
            int k = nearest(exact, t);
            if (k < 0 || Math.abs(exact[k] - t) > TestTolerances.POSITION)
                fail("the oracle's breakpoint %s is not an exact breakpoint (nearest %s)", t, k < 0 ? "none" : exact[k]);
        }
        int checked = 0;
        for (int k = 0; k < exact.length; k++) {
            double left = sp.intervals().get(k).length(), right = sp.intervals().get(k + 1).length();
            if (left <= 2.0 / grid || right <= 2.0 / grid) continue;
            checked++;
            int j = nearest(oracle, exact[k]);
            if (j < 0 || Math.abs(oracle[j] - exact[k]) > TestTolerances.POSITION)
                fail("the exact breakpoint %s (between intervals of length %s and %s) was not found by the oracle", exact[k], left, right);
        }
        assertThat(checked).as("breakpoints checked against the oracle").isGreaterThanOrEqualTo(exact.length / 2);
    }

    private static int nearest(double[] sorted, double t) {
        int best = -1;
        for (int k = 0; k < sorted.length; k++) if (best < 0 || Math.abs(sorted[k] - t) < Math.abs(sorted[best] - t)) best = k;
        return best;
    }

    @ParameterizedTest(name = "1 -> [{1}]x{2} {3}, skips {4}, seed {0}")
    @CsvSource({"1,8,1,RELU,false", "2,16,2,RELU,false", "3,30,3,LEAKY_RELU,false", "4,12,4,RELU,true",
            "5,20,2,LEAKY_RELU,true", "6,64,1,RELU,false", "7,10,6,LEAKY_RELU,true", "8,5,8,RELU,false"})
    void oneInputNetsMatchTheBruteForceOracle(long seed, int width, int depth, Activation act, boolean skips) {
        Network net = net(seed, 1, width, depth, act, skips);
        double[] p = {-3}, q = {3};
        SegmentPartition sp = SegmentPartitioner.compute(net, p, q);
        assertThat(sp.count()).isGreaterThan(1);
        assertSegmentProperties(net, sp);
        assertAgreesWithOracle(net, p, q, sp, 20_000);
    }

    @ParameterizedTest(name = "784 -> [{1}]x{2} {3}, skips {4}, seed {0}")
    @CsvSource({"11,16,2,RELU,false", "12,32,3,RELU,false", "13,24,2,LEAKY_RELU,true", "14,64,3,RELU,true"})
    void mnistSizedNetsAlongSegmentsMatchTheOracle(long seed, int width, int depth, Activation act, boolean skips) {
        Network net = net(seed, 784, width, depth, act, skips);
        Random rnd = new Random(seed);
        double[] p = randomPoint(rnd, 784, 0, 1), q = randomPoint(rnd, 784, 0, 1);
        SegmentPartition sp = SegmentPartitioner.compute(net, p, q);
        assertThat(sp.count()).isGreaterThan(1);
        assertSegmentProperties(net, sp);
        assertAgreesWithOracle(net, p, q, sp, 3_000);
    }

    @Test
    void aSegmentThatCrossesNoCutIsOneInterval() {
        // three lines through the unit square; the segment stays in the cell x > 1/2, y > 1/2, x + y > 3/4
        Network net = Networks.lines(new double[]{1, 0, 1}, new double[]{0, 1, 1}, new double[]{-0.5, -0.5, -0.75});
        SegmentPartition sp = SegmentPartitioner.compute(net, new double[]{0.6, 0.9}, new double[]{0.95, 0.55});
        assertThat(sp.count()).isEqualTo(1);
        assertThat(sp.intervals().get(0).pattern().toBitString()).isEqualTo("111");
        assertThat(sp.piecesPerLayer()).containsExactly(1, 1, 1);
    }

    @Test
    void aSegmentAlongACutOrEndingOnOneAddsNoBreakpoint() {
        Network net = Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-0.5, -0.5});
        // along the line x = 1/2: the unit is 0 everywhere on it (off), y crosses 1/2 once
        SegmentPartition along = SegmentPartitioner.compute(net, new double[]{0.5, 0}, new double[]{0.5, 1});
        assertThat(along.count()).isEqualTo(2);
        assertThat(along.breakpoints()[0]).isEqualTo(0.5);
        // ending exactly on x = 1/2 and starting on y = 1/2: no breakpoint inside
        SegmentPartition ends = SegmentPartitioner.compute(net, new double[]{0.1, 0.5}, new double[]{0.5, 0.9});
        assertThat(ends.count()).isEqualTo(1);
        // through the crossing point of both lines: one breakpoint where both units change
        SegmentPartition through = SegmentPartitioner.compute(net, new double[]{0, 0}, new double[]{1, 1});
        assertThat(through.count()).isEqualTo(2);
        assertThat(through.intervals().get(0).pattern().hamming(through.intervals().get(1).pattern())).isEqualTo(2);
    }

    @Test
    void badSegmentsAreRejectedWithAOneLineMessage() {
        Network net = Networks.sawtooth(2);
        assertThatThrownBy(() -> SegmentPartitioner.compute(net, new double[]{0.5}, new double[]{0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero length");
        assertThatThrownBy(() -> SegmentPartitioner.compute(net, new double[]{0, 0}, new double[]{1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs");
        assertThatThrownBy(() -> SegmentPartitioner.compute(net, new double[]{Double.NaN}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
}
