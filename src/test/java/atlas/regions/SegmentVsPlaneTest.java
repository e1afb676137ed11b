package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The two exact kernels agree: the regions a segment crosses, found by walking it through the plane partition
 * (clipping it against every region's polygon), are the segment kernel's intervals, in order, with the same
 * patterns and breakpoints.
 */
class SegmentVsPlaneTest {

    /** A piece of the segment inside one region's polygon. */
    record Piece(double t0, double t1, ActivationPattern pattern) {}

    /** Clips a -> b (plane coordinates) against every region (Cyrus-Beck on convex CCW polygons). */
    static List<Piece> walk(PlanePartition p, double[] a, double[] b) {
        double dx = b[0] - a[0], dy = b[1] - a[1];
        List<Piece> out = new ArrayList<>();
        for (LinearRegion r : p.regions()) {
            double lo = 0, hi = 1;
            int n = r.vertexCount();
            for (int k = 0; k < n && lo < hi; k++) {
                int q = (k + 1) % n;
                double ex = r.x(q) - r.x(k), ey = r.y(q) - r.y(k);
                double f0 = ex * (a[1] - r.y(k)) - ey * (a[0] - r.x(k)); // inside: f0 + t df >= 0
                double df = ex * dy - ey * dx;
                if (df == 0) { if (f0 < 0) hi = -1; continue; }
                double t = -f0 / df;
                if (df > 0) lo = Math.max(lo, t); else hi = Math.min(hi, t);
            }
            if (hi - lo > 1e-12) out.add(new Piece(lo, hi, r.pattern()));
        }
        out.sort(Comparator.comparingDouble(Piece::t0));
        return out;
    }

    static void assertSameCrossing(List<Piece> walked, SegmentPartition sp) {
        assertThat(walked).as("regions crossed, by walking the plane partition").hasSize(sp.count());
        for (int k = 0; k < walked.size(); k++) {
            SegmentInterval iv = sp.intervals().get(k);
            assertThat(walked.get(k).pattern()).as("pattern of piece %d", k).isEqualTo(iv.pattern());
            assertThat(walked.get(k).t0()).isCloseTo(iv.t0(), within(TestTolerances.POSITION));
            assertThat(walked.get(k).t1()).isCloseTo(iv.t1(), within(TestTolerances.POSITION));
        }
    }

    @ParameterizedTest(name = "2 -> [{1}]x{2} {3}, skips {4}, seed {0}")
    @CsvSource({"1,8,2,RELU,false", "2,16,3,LEAKY_RELU,false", "3,30,2,RELU,true", "4,10,5,LEAKY_RELU,true", "5,64,1,RELU,false"})
    void segmentsThroughA2dNetCrossTheRegionsThePlanePartitionHas(long seed, int width, int depth, Activation act, boolean skips) {
        Network net = RandomNets.random(seed, 2, Networks.uniform(width, depth), 1, act, 0.05, skips);
        Rectangle domain = Rectangle.centred(1);
        PlanePartition p = new PlanePartitioner(net, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT).getResult();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 10; trial++) {
            double[] a = {2 * rnd.nextDouble() - 1, 2 * rnd.nextDouble() - 1};
            double[] b = {2 * rnd.nextDouble() - 1, 2 * rnd.nextDouble() - 1};
            SegmentPartition sp = SegmentPartitioner.compute(net, a, b);
            assertSameCrossing(walk(p, a, b), sp);
        }
    }

    @ParameterizedTest(name = "784 -> [{1}]x{2}, seed {0}")
    @CsvSource({"11,16,2", "12,32,2", "13,12,4"})
    void segmentsBetweenThePointsOfAHaninRolnickPlaneAgreeWithItsPartition(long seed, int width, int depth) {
        Network net = RandomNets.random(seed, 784, Networks.uniform(width, depth), 10, Activation.RELU, 0, false);
        Random rnd = new Random(seed);
        double[][] pts = new double[3][];
        for (int k = 0; k < 3; k++) pts[k] = SegmentPartitionerTest.randomPoint(rnd, 784, 0, 1);
        PlaneSlice slice = PlaneSlice.throughPoints(pts[0], pts[1], pts[2]);
        PlanePartition p = new PlanePartitioner(net, slice, Rectangle.centred(1), Tolerance.DEFAULT).getResult();
        for (int i = 0; i < 3; i++) {
            int j = (i + 1) % 3;
            double[] a = planeCoordinates(slice, pts[i]), b = planeCoordinates(slice, pts[j]);
            // the plane passes through the points
            assertThat(dist(slice.toInput(a[0], a[1]), pts[i])).isLessThan(1e-9);
            SegmentPartition sp = SegmentPartitioner.compute(net, pts[i], pts[j]);
            assertThat(sp.count()).isGreaterThan(1);
            assertSameCrossing(walk(p, a, b), sp);
        }
    }

    /** (s, t) of a point of the plane (its axes are orthogonal). */
    static double[] planeCoordinates(PlaneSlice slice, double[] x) {
        double[] o = slice.origin(), u1 = slice.u1(), u2 = slice.u2();
        double s = 0, t = 0, n1 = 0, n2 = 0;
        for (int k = 0; k < x.length; k++) {
            s += (x[k] - o[k]) * u1[k];
            t += (x[k] - o[k]) * u2[k];
            n1 += u1[k] * u1[k];
            n2 += u2[k] * u2[k];
        }
        return new double[]{s / n1, t / n2};
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.sqrt(s);
    }
}
