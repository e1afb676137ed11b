package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks shared by the region tests: each verifies one property of a {@link PlanePartition} or
 * {@link SegmentPartition} against the network itself (never against the kernel's own bookkeeping).
 */
final class RegionChecks {
    private RegionChecks() {}

    /** Region areas are positive, at least minVolume times the domain's area, and sum to the domain's area. */
    static void assertTilesDomain(PlanePartition p) {
        double domainArea = p.domain().area();
        double sum = 0;
        for (LinearRegion r : p.regions()) {
            assertThat(r.area()).as("area of region %d", r.id())
                    .isGreaterThanOrEqualTo(Tolerance.DEFAULT.minVolume() * domainArea).isPositive();
            sum += r.area();
        }
        assertThat(Math.abs(sum - domainArea)).as("sum of areas %s vs domain area %s", sum, domainArea)
                .isLessThanOrEqualTo(TestTolerances.AREA * domainArea);
    }

    /** The polygon's area recomputed by the shoelace formula equals the stored area; vertices lie in the domain. */
    static void assertPolygonsConsistent(PlanePartition p) {
        Rectangle d = p.domain();
        double slack = TestTolerances.POSITION * Math.hypot(d.width(), d.height());
        for (LinearRegion r : p.regions()) {
            double a = 0;
            int n = r.vertexCount();
            for (int k = 0; k < n; k++) {
                int q = (k + 1) % n;
                // relative to vertex 0: absolute coordinates far from the origin cancel catastrophically
                a += (r.x(k) - r.x(0)) * (r.y(q) - r.y(0)) - (r.x(q) - r.x(0)) * (r.y(k) - r.y(0));
                assertThat(r.x(k)).isBetween(d.xmin() - slack, d.xmax() + slack);
                assertThat(r.y(k)).isBetween(d.ymin() - slack, d.ymax() + slack);
            }
            assertThat(Math.abs(a / 2 - r.area())).as("shoelace area of region %d", r.id())
                    .isLessThanOrEqualTo(TestTolerances.AREA * d.area());
        }
    }

    /**
     * The largest relative difference between a region's affine map and the network's forward pass, at each
     * region's interior point and at points near each vertex (pulled {@link TestTolerances#INWARD} of the way
     * towards the centroid), for the original (not restricted) network on the slice.
     */
    static double maxMapError(Network net, PlanePartition p) {
        PlaneSlice slice = p.slice();
        double worst = 0;
        for (LinearRegion r : p.regions()) {
            double[] c = r.interiorPoint();
            worst = Math.max(worst, mapError(net, slice, r, c[0], c[1]));
            for (int k = 0; k < r.vertexCount(); k++) {
                double s = r.x(k) + TestTolerances.INWARD * (c[0] - r.x(k));
                double t = r.y(k) + TestTolerances.INWARD * (c[1] - r.y(k));
                worst = Math.max(worst, mapError(net, slice, r, s, t));
            }
        }
        return worst;
    }

    private static double mapError(Network net, PlaneSlice slice, LinearRegion r, double s, double t) {
        double[] y = net.forward(slice.toInput(s, t));
        double[] m = r.map().apply(s, t);
        double e = 0;
        for (int o = 0; o < y.length; o++) e = Math.max(e, Math.abs(y[o] - m[o]) / (1 + Math.abs(y[o])));
        return e;
    }

    /** Distance from (s, t) to the nearest edge line of a convex polygon (positive inside). */
    static double distanceToBoundary(LinearRegion r, double s, double t) {
        double best = Double.POSITIVE_INFINITY;
        int n = r.vertexCount();
        for (int k = 0; k < n; k++) {
            int q = (k + 1) % n;
            double ex = r.x(q) - r.x(k), ey = r.y(q) - r.y(k);
            double len = Math.hypot(ex, ey);
            if (len == 0) continue;
            double cross = ex * (t - r.y(k)) - ey * (s - r.x(k));
            best = Math.min(best, cross / len);
        }
        return best;
    }

    /** The network's own activation pattern at plane point (s, t). */
    static ActivationPattern patternAt(Network net, PlaneSlice slice, double s, double t) {
        return ActivationPattern.of(net.trace(slice.toInput(s, t)).activeBits(net));
    }

    /**
     * The pattern of the network at each region's interior point equals the region's pattern. Regions whose
     * interior point is within {@link TestTolerances#BOUNDARY_MARGIN} of their boundary are skipped; returns
     * how many were skipped.
     */
    static int assertPatternsAtInteriorPoints(Network net, PlanePartition p) {
        double margin = TestTolerances.BOUNDARY_MARGIN * Math.hypot(p.domain().width(), p.domain().height());
        int skipped = 0;
        for (LinearRegion r : p.regions()) {
            double[] c = r.interiorPoint();
            if (distanceToBoundary(r, c[0], c[1]) <= margin) { skipped++; continue; }
            assertThat(patternAt(net, p.slice(), c[0], c[1])).as("pattern at the interior point of region %d", r.id())
                    .isEqualTo(r.pattern());
        }
        return skipped;
    }

    /** The interior point is strictly inside its polygon. */
    static void assertInteriorPointsInside(PlanePartition p) {
        for (LinearRegion r : p.regions()) {
            double[] c = r.interiorPoint();
            assertThat(distanceToBoundary(r, c[0], c[1])).as("interior point of region %d", r.id()).isPositive();
        }
    }

    /** Neighbour lists are symmetric, contain no self loop, and are ids of existing regions. */
    static void assertAdjacencySymmetric(PlanePartition p) {
        List<LinearRegion> rs = p.regions();
        for (LinearRegion r : rs) {
            assertThat(rs.get(r.id())).as("region at index %d", r.id()).isSameAs(r);
            for (int nb : r.neighbours()) {
                assertThat(nb).as("neighbour of %d", r.id()).isBetween(0, rs.size() - 1).isNotEqualTo(r.id());
                assertThat(rs.get(nb).neighbours()).as("neighbours of %d (a neighbour of %d)", nb, r.id()).contains(r.id());
            }
        }
    }

    /**
     * Every pair of neighbours differs in exactly one unit (true for generic nets), or, where the kernel declined
     * cuts (a sliver below minVolume merged into its larger neighbour, so one region's pattern holds beyond a
     * cut), in at least one.
     */
    static void assertNeighboursDifferInOneUnit(PlanePartition p) {
        for (LinearRegion r : p.regions())
            for (int nb : r.neighbours()) {
                int h = r.pattern().hamming(p.regions().get(nb).pattern());
                if (p.declinedCuts() == 0) assertThat(h).as("hamming distance of neighbours %d and %d", r.id(), nb).isEqualTo(1);
                else assertThat(h).as("hamming distance of neighbours %d and %d (%d declined cuts)", r.id(), nb, p.declinedCuts()).isPositive();
            }
    }

    /** No two regions share a pattern (the set of inputs with one pattern is convex, so it is one region). */
    static void assertPatternsUnique(PlanePartition p) {
        Set<ActivationPattern> seen = new HashSet<>();
        for (LinearRegion r : p.regions())
            assertThat(seen.add(r.pattern())).as("pattern %s of region %d seen before", r.pattern(), r.id()).isTrue();
    }

    /** regionsPerLayer starts at 1, never decreases, and ends at count(). */
    static void assertPerLayerCounts(Network net, PlanePartition p) {
        int[] per = p.regionsPerLayer();
        assertThat(per).hasSize(net.depth() + 1);
        assertThat(per[0]).isEqualTo(1);
        for (int i = 1; i < per.length; i++) assertThat(per[i]).as("regions after layer %d", i).isGreaterThanOrEqualTo(per[i - 1]);
        assertThat(per[per.length - 1]).isEqualTo(p.count());
    }

    /** All properties that hold for every net, generic or not. */
    static void assertAll(Network net, PlanePartitioner pp) {
        assertAll(net, pp, TestTolerances.MAP);
    }

    /** All properties that hold for every net, maps compared within {@code mapTolerance}. */
    static void assertAll(Network net, PlanePartitioner pp, double mapTolerance) {
        PlanePartition p = pp.getResult();
        pp.checkInvariants();
        assertThat(p.anomalies()).as("anomalies").isZero();
        assertTilesDomain(p);
        assertPolygonsConsistent(p);
        assertAdjacencySymmetric(p);
        assertPatternsUnique(p);
        assertPerLayerCounts(net, p);
        assertInteriorPointsInside(p);
        // a declined cut leaves a sliver (below minVolume) inside a region whose map is its larger side's: points
        // near that region's vertices may lie in the sliver, off by the slope times its width (which scales with
        // the domain)
        double tolerance = p.declinedCuts() == 0 ? mapTolerance
                : Math.max(mapTolerance, TestTolerances.MAP_NEAR_DEGENERATE * Math.max(1, Math.hypot(p.domain().width(), p.domain().height())));
        assertThat(maxMapError(net, p)).as("max map error").isLessThanOrEqualTo(tolerance);
    }

    /** Pattern -> area, for comparing two partitions whose patterns are related by a bit map. */
    static Map<ActivationPattern, LinearRegion> byPattern(PlanePartition p) {
        Map<ActivationPattern, LinearRegion> m = new HashMap<>();
        for (LinearRegion r : p.regions()) m.put(r.pattern(), r);
        return m;
    }

    /** The pattern whose bit k is bit {@code map[k]} of {@code p}. */
    static ActivationPattern select(ActivationPattern p, int[] map) {
        boolean[] b = new boolean[map.length];
        for (int k = 0; k < map.length; k++) b[k] = p.get(map[k]);
        return ActivationPattern.of(b);
    }

    // ---- segments ----

    /** Intervals start at 0, end at 1, follow each other without gap or overlap, and have positive length. */
    static void assertTilesUnitInterval(SegmentPartition sp) {
        List<SegmentInterval> iv = sp.intervals();
        assertThat(iv).isNotEmpty();
        assertThat(iv.get(0).t0()).isEqualTo(0.0);
        assertThat(iv.get(iv.size() - 1).t1()).isEqualTo(1.0);
        for (int k = 0; k < iv.size(); k++) {
            assertThat(iv.get(k).t1()).as("interval %d", k).isGreaterThan(iv.get(k).t0());
            if (k > 0) assertThat(iv.get(k).t0()).as("start of interval %d", k).isEqualTo(iv.get(k - 1).t1());
        }
    }

    /** Max relative difference between each interval's map and the network at its midpoint and near its ends. */
    static double maxMapError(Network net, SegmentPartition sp) {
        double worst = 0;
        for (SegmentInterval iv : sp.intervals()) {
            double len = iv.length();
            for (double t : new double[]{iv.midpoint(), iv.t0() + TestTolerances.INWARD * len, iv.t1() - TestTolerances.INWARD * len}) {
                double[] y = net.forward(sp.pointAt(t));
                double[] m = iv.map().apply(t);
                for (int o = 0; o < y.length; o++) worst = Math.max(worst, Math.abs(y[o] - m[o]) / (1 + Math.abs(y[o])));
            }
        }
        return worst;
    }

    /** piecesPerLayer starts at 1, never decreases and ends at count(). */
    static void assertPerLayerCounts(Network net, SegmentPartition sp) {
        int[] per = sp.piecesPerLayer();
        assertThat(per).hasSize(net.depth() + 1);
        assertThat(per[0]).isEqualTo(1);
        for (int i = 1; i < per.length; i++) assertThat(per[i]).isGreaterThanOrEqualTo(per[i - 1]);
        assertThat(per[per.length - 1]).isEqualTo(sp.count());
    }
}
