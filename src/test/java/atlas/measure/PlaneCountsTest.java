package atlas.measure;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Line and plane counts on 784-input nets against the same sets computed another way: a segment inside a plane,
 * cut by the 1-D kernel in input space, against the walk of that segment through the exact plane partition; and
 * the plane partition against forward passes of the 784-D net at sampled plane points.
 */
class PlaneCountsTest {

    static double[] image(Random r) {
        double[] x = new double[784];
        for (int k = 0; k < 784; k++) x[k] = r.nextDouble() < 0.2 ? r.nextDouble() : 0;
        return x;
    }

    static Network net(long seed, int[] hidden) {
        return BoundaryDistanceTest.withBiases(Networks.kaiming(seed, 784, hidden, 10, Activation.RELU, 0, 0), new Random(seed + 1), 0.05);
    }

    /** The parameter interval [tin, tout] of the plane segment a -> b inside a convex ccw polygon, or null. */
    static double[] clip(double[] poly, double[] a, double[] b) {
        double tin = 0, tout = 1;
        int m = poly.length / 2;
        for (int k = 0; k < m; k++) {
            double x0 = poly[2 * k], y0 = poly[2 * k + 1], x1 = poly[2 * ((k + 1) % m)], y1 = poly[2 * ((k + 1) % m) + 1];
            // inside: cross((x1-x0, y1-y0), (p - p0)) >= 0
            double ex = x1 - x0, ey = y1 - y0;
            double fa = ex * (a[1] - y0) - ey * (a[0] - x0);
            double fb = ex * (b[1] - y0) - ey * (b[0] - x0);
            if (fa < 0 && fb < 0) return null;
            if (fa < 0) tin = Math.max(tin, fa / (fa - fb));
            else if (fb < 0) tout = Math.min(tout, fa / (fa - fb));
        }
        return tout > tin ? new double[]{tin, tout} : null;
    }

    @Test
    void aSegmentInsideThePlaneCrossesTheSameRegionsInBothKernels() {
        Random r = new Random(21);
        Network net = net(4, new int[]{20, 20, 20});
        PlaneSlice slice = PlaneSlice.throughPoints(image(r), image(r), image(r));
        Rectangle dom = Rectangle.centred(1);
        PlanePartition part = PlanePartitioner.compute(net, slice, dom);
        assertThat(part.count()).isGreaterThan(20);
        for (int line = 0; line < 4; line++) {
            double[] a = {-0.9 + 0.3 * r.nextDouble(), -0.95 + 1.9 * r.nextDouble()};
            double[] b = {0.6 + 0.3 * r.nextDouble(), -0.95 + 1.9 * r.nextDouble()};
            // walk: every polygon the plane segment passes through, ordered by entry parameter
            List<double[]> walk = new ArrayList<>();
            List<ActivationPattern> walkPatterns = new ArrayList<>();
            for (LinearRegion reg : part.regions()) {
                double[] iv = clip(reg.vertices(), a, b);
                if (iv != null && iv[1] - iv[0] > 1e-9) { walk.add(iv); walkPatterns.add(reg.pattern()); }
            }
            Integer[] order = new Integer[walk.size()];
            for (int k = 0; k < order.length; k++) order[k] = k;
            java.util.Arrays.sort(order, (p, q) -> Double.compare(walk.get(p)[0], walk.get(q)[0]));
            // the 1-D kernel on the 784-D end points
            SegmentPartition seg = SegmentPartitioner.compute(net, slice.toInput(a[0], a[1]), slice.toInput(b[0], b[1]));
            assertThat(seg.count()).isEqualTo(walk.size());
            for (int k = 0; k < order.length; k++) {
                SegmentInterval iv = seg.intervals().get(k);
                double[] w = walk.get(order[k]);
                assertThat(iv.t0()).isCloseTo(w[0], within(1e-7));
                assertThat(iv.t1()).isCloseTo(w[1], within(1e-7));
                assertThat(iv.pattern()).isEqualTo(walkPatterns.get(order[k]));
            }
            LineDensity ld = LineDensity.of(net, slice.toInput(a[0], a[1]), slice.toInput(b[0], b[1]));
            assertThat(ld.regions()).isEqualTo(walk.size());
            assertThat(ld.length()).isCloseTo(seg.length(), within(1e-12));
        }
    }

    @Test
    void everySampledPatternOfThe784DNetIsARegionOfThePlane() {
        Random r = new Random(8);
        Network net = net(9, new int[]{16, 16});
        PlaneSlice slice = PlaneCounts.originPlane(image(r), image(r));
        Rectangle dom = Rectangle.centred(20);
        PlanePartition part = PlanePartitioner.compute(net, slice, dom);
        PlaneCounts pc = PlaneCounts.of(net, slice, dom);
        assertThat(pc.count()).isEqualTo(part.count());
        assertThat(pc.neurons()).isEqualTo(32);
        assertThat(pc.perNeuronSquared()).isEqualTo(part.count() / 1024.0);
        Set<ActivationPattern> exact = new HashSet<>();
        for (LinearRegion reg : part.regions()) {
            assertThat(exact.add(reg.pattern())).as("one polygon per pattern").isTrue();
            double[] c = reg.interiorPoint();
            assertThat(ActivationPattern.of(net.trace(slice.toInput(c[0], c[1])).activeBits(net))).isEqualTo(reg.pattern());
        }
        Set<ActivationPattern> sampled = new HashSet<>();
        int g = 120;
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++) {
                double s = -20 + 40 * (j + 0.5) / g, t = -20 + 40 * (i + 0.5) / g;
                sampled.add(ActivationPattern.of(net.trace(slice.toInput(s, t)).activeBits(net)));
            }
        assertThat(exact).containsAll(sampled);
        // the plane axes are orthonormal, so plane distances are input distances
        double[] p = slice.toInput(3, 4);
        double nrm = 0;
        for (double v : p) nrm += v * v;
        assertThat(Math.sqrt(nrm)).isCloseTo(5, within(1e-12));
    }

    @Test
    void lineCountsMatchSampledPatternChangesAndGrowWithTheSegment() {
        Random r = new Random(2);
        Network net = net(3, new int[]{20, 20, 20});
        double[] p = new double[784], q = image(r);
        LineDensity whole = LineDensity.of(net, p, q);
        SegmentPartition seg = SegmentPartitioner.compute(net, p, q);
        // each interval's pattern is the 784-D forward pattern at its midpoint; neighbours differ
        for (int k = 0; k < seg.count(); k++) {
            SegmentInterval iv = seg.intervals().get(k);
            assertThat(ActivationPattern.of(net.trace(seg.pointAt(iv.midpoint())).activeBits(net))).isEqualTo(iv.pattern());
            if (k > 0) assertThat(iv.pattern()).isNotEqualTo(seg.intervals().get(k - 1).pattern());
        }
        assertThat(whole.regions()).isEqualTo(seg.count());
        assertThat(whole.density()).isCloseTo(seg.count() / seg.length(), within(1e-12));
        // the first half of the segment holds no more regions than the whole
        double[] mid = seg.pointAt(0.5);
        assertThat(LineDensity.of(net, p, mid).regions()).isBetween(1, whole.regions());
    }

    @Test
    void lineAndPlaneCountsEqualTheNDimensionalEnumerationOfTheRestrictedNet() {
        // an independent algorithm: BFS over facet-adjacent regions with LPs (RegionEnumerator) on the network
        // restricted to the plane (2 inputs) or the line (1 input), against the two slice kernels on the 784-D net
        Random r = new Random(33);
        Network net = net(12, new int[]{10, 10, 8});
        PlaneSlice slice = PlaneSlice.throughPoints(image(r), image(r), image(r));
        PlanePartition part = PlanePartitioner.compute(net, slice, Rectangle.centred(1));
        atlas.regions.RegionSet enumerated = atlas.regions.RegionEnumerator.enumerate(slice.restrict(net),
                atlas.geometry.HPolytope.box(new double[]{-1, -1}, new double[]{1, 1}));
        assertThat(enumerated.complete()).isTrue();
        assertThat(enumerated.count()).isEqualTo(part.count());
        Set<ActivationPattern> a = new HashSet<>(), b = new HashSet<>();
        for (LinearRegion reg : part.regions()) a.add(reg.pattern());
        for (atlas.regions.RegionPolytope p : enumerated.regions()) b.add(p.pattern());
        assertThat(b).isEqualTo(a);

        double[] p = image(r), q = image(r);
        double[] dir = new double[784];
        for (int k = 0; k < 784; k++) dir[k] = q[k] - p[k];
        atlas.regions.RegionSet onLine = atlas.regions.RegionEnumerator.enumerate(net.restrictTo(p, dir),
                atlas.geometry.HPolytope.box(new double[]{0}, new double[]{1}));
        assertThat(onLine.complete()).isTrue();
        assertThat(LineDensity.of(net, p, q).regions()).isEqualTo(onLine.count());
    }
}
