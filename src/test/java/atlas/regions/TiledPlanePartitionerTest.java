package atlas.regions;

import atlas.geometry.Polygons;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition glued from strips computed on separate threads is the one-thread partition: the same regions
 * (patterns), the same area per region, the same adjacencies (as pairs of patterns) and the same counts per
 * layer, on seeded random nets, domains whose strip borders fall at awkward places, and 1 to 4 strips.
 */
class TiledPlanePartitionerTest {

    static void assertSamePartition(Network net, PlaneSlice slice, Rectangle rect, int tiles) {
        PlanePartition one = new PlanePartitioner(net, slice, rect, Tolerance.DEFAULT).getResult();
        PlanePartition many = TiledPlanePartitioner.compute(net, slice, rect, Tolerance.DEFAULT, tiles, i -> { });
        String what = net.shape() + " in " + tiles + " strips";
        assertThat(many.count()).as(what).isEqualTo(one.count());
        assertThat(many.regionsPerLayer()).as(what).containsExactly(one.regionsPerLayer());
        Map<ActivationPattern, LinearRegion> byPattern = new HashMap<>();
        for (LinearRegion r : one.regions()) byPattern.put(r.pattern(), r);
        double areaSlack = 1e-9 * rect.area();
        for (LinearRegion r : many.regions()) {
            LinearRegion s = byPattern.get(r.pattern());
            assertThat(s).as(what + ": pattern of region " + r.id()).isNotNull();
            assertThat(r.area()).as(what).isCloseTo(s.area(), org.assertj.core.data.Offset.offset(areaSlack));
            // the spliced polygon is the region: its area is the pieces' sum and its centroid lies inside it
            assertThat(Polygons.signedArea(r.vertices())).as(what).isCloseTo(r.area(), org.assertj.core.data.Offset.offset(areaSlack));
            assertThat(s.contains(r.interiorPoint()[0], r.interiorPoint()[1], 1e-9)).as(what).isTrue();
        }
        assertThat(adjacency(many)).as(what).isEqualTo(adjacency(one));
        assertThat(many.totalArea()).isCloseTo(rect.area(), org.assertj.core.data.Offset.offset(areaSlack));
    }

    /** Adjacencies as unordered pairs of patterns (ids differ between the two computations). */
    static Set<Set<ActivationPattern>> adjacency(PlanePartition p) {
        Set<Set<ActivationPattern>> out = new HashSet<>();
        for (LinearRegion r : p.regions()) {
            for (int n : r.neighbours()) {
                assertThat(p.regions().get(n).neighbours()).contains(r.id()); // symmetric
                out.add(Set.of(r.pattern(), p.regions().get(n).pattern()));
            }
        }
        return out;
    }

    @Test
    void sameRegionsAreasAndAdjacencyAsOneThread() {
        for (long seed = 1; seed <= 4; seed++) {
            Network net = Networks.kaiming(seed, 2, new int[]{16, 16, 16}, 1, seed % 2 == 0 ? Activation.RELU : Activation.LEAKY_RELU, 0.1, 0.1);
            Rectangle rect = new Rectangle(-1.3, 0.9 + 0.1 * seed, -1, 1.1);
            for (int tiles = 2; tiles <= 4; tiles++) assertSamePartition(net, PlaneSlice.inputPlane(), rect, tiles);
        }
    }

    @Test
    void countWithoutRecordsIsTheCountOfTheDefaultPartition() {
        // 1 strip (under MIN_TILED_UNITS cutting units) and the default strips (a net of >= 128 units, leaky and ReLU)
        Network small = Networks.kaiming(5, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        Network leaky = Networks.kaiming(6, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1);
        Network relu = Networks.kaiming(8, 2, new int[]{40, 40, 40, 40}, 1, Activation.RELU, 0, 0.1);
        for (Network net : new Network[]{small, leaky, relu}) {
            Rectangle rect = new Rectangle(-1, 1, -0.7, 1.2);
            PlanePartition p = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), rect);
            assertThat(TiledPlanePartitioner.countRegions(net, PlaneSlice.inputPlane(), rect)).as(net.shape()).isEqualTo(p.count());
        }
        assertThat(TiledPlanePartitioner.tilesFor(leaky)).isGreaterThan(1);
    }

    @Test
    void regionsSpanningSeveralStripsAndAPlaneSlice() {
        // few units, many strips: most regions cross several borders
        Network net = Networks.kaiming(7, 2, new int[]{4, 4}, 1, Activation.RELU, 0, 0.1);
        assertSamePartition(net, PlaneSlice.inputPlane(), new Rectangle(-2, 2, -2, 2), 7);
        Network wide = Networks.kaiming(9, 5, new int[]{12, 12}, 2, Activation.RELU, 0, 0.1);
        java.util.Random rnd = new java.util.Random(3);
        double[][] pts = new double[3][wide.inputDim()];
        for (double[] q : pts) for (int k = 0; k < q.length; k++) q[k] = rnd.nextDouble();
        PlaneSlice slice = PlaneSlice.throughPoints(pts[0], pts[1], pts[2]);
        assertSamePartition(wide, slice, new Rectangle(-1, 1, -1, 1), 3);
    }

    @Test
    void aBorderThroughAVertexOfTheArrangement() {
        // lines through the origin: the strip border x = 0 passes through the common vertex
        Network lines = Networks.kaiming(11, 2, new int[]{8}, 1, Activation.RELU, 0, 0.0);
        assertSamePartition(lines, PlaneSlice.inputPlane(), new Rectangle(-1, 1, -1, 1), 2);
    }

    @Test
    void smallNetsUseOneStrip() {
        assertThat(TiledPlanePartitioner.tilesFor(Networks.kaiming(1, 2, new int[]{12, 12, 12, 12}, 1, Activation.RELU, 0, 0.1))).isEqualTo(1);
        assertThat(TiledPlanePartitioner.tilesFor(Networks.kaiming(1, 2, new int[]{64, 64}, 1, Activation.RELU, 0, 0.1))).isEqualTo(KernelParameters.DEFAULT_STRIPS);
    }

    /**
     * A cut that would leave a piece below the minimum area is declined by the strips as by the whole rectangle:
     * the minimum is a fraction of the whole rectangle's area, not of a strip's. Two lines crossing at (0.1, 0.5)
     * enclose, left of the crossing, a wedge of 0.75 x the minimum area (declined) and, right of it, a wedge whose
     * part in every strip is well above the minimum (kept).
     */
    @Test
    void stripsDeclineTheSameSliversAsTheWholeRectangle() {
        Tolerance tol = new Tolerance(Tolerance.Kind.FLOATING, Tolerance.DEFAULT.sideEps(), Tolerance.DEFAULT.mergeEps(), 1e-3);
        // y = 0.5 +- a (0.1 - x): the left wedge has base 0.2 a at x = 0 and length 0.1, area 0.01 a = 0.75e-3
        double a = 0.075;
        Network net = Networks.lines(new double[]{a, -a}, new double[]{1, 1}, new double[]{-0.5 - 0.1 * a, -0.5 + 0.1 * a});
        PlanePartition whole = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT, tol, 1, i -> { });
        assertThat(whole.declinedCuts()).isEqualTo(1);
        assertThat(whole.count()).isEqualTo(3); // above, below, and the right wedge; the left wedge merged
        for (int tiles = 2; tiles <= 3; tiles++) {
            PlanePartition strips = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT, tol, tiles, i -> { });
            assertThat(strips.count()).as("%d strips", tiles).isEqualTo(whole.count());
        }
    }
}
