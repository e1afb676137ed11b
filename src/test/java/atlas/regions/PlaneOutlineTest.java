package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition's outline ({@link TiledPlanePartitioner#outline}, no region records) is its records' polygons: the same
 * count, and region by region the same vertices, bit for bit, in the same order from the same first vertex (what a
 * picture drawn from either needs to come out the same), in 1 strip and in the default strips.
 */
class PlaneOutlineTest {

    static void assertOutlineOfRecords(Network net, Rectangle rect) {
        PlanePartition p = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), rect);
        PlaneOutline o = TiledPlanePartitioner.outline(net, PlaneSlice.inputPlane(), rect);
        String what = net.shape() + " on " + rect;
        assertThat(o.count()).as(what).isEqualTo(p.count());
        assertThat(o.domain()).as(what).isEqualTo(p.domain());
        int total = 0;
        for (LinearRegion r : p.regions()) {
            assertThat(o.vertices(r.id())).as(what + ": region " + r.id()).isEqualTo(r.vertices());
            total += r.vertexCount();
        }
        assertThat(o.vertexTotal()).as(what).isEqualTo(total);
        // the outline made from the records is the same again
        PlaneOutline copy = PlaneOutline.of(p);
        assertThat(copy.count()).isEqualTo(o.count());
        for (int r = 0; r < o.count(); r++) assertThat(copy.vertices(r)).isEqualTo(o.vertices(r));
    }

    @Test
    void outlineIsTheRecordsPolygonsInOneStripAndInStrips() {
        Network small = Networks.kaiming(5, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        Network leaky = Networks.kaiming(6, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1);
        Network relu = Networks.kaiming(8, 2, new int[]{40, 40, 40, 40}, 1, Activation.RELU, 0, 0.1);
        Network ring = Networks.kaiming(1, 2, Networks.uniform(30, 6), 1, Activation.LEAKY_RELU, 0.01, 0.1);
        assertThat(TiledPlanePartitioner.tilesFor(small)).isEqualTo(1);
        assertThat(TiledPlanePartitioner.tilesFor(leaky)).isGreaterThan(1);
        for (Network net : new Network[]{small, leaky, relu, ring}) {
            assertOutlineOfRecords(net, new Rectangle(-1, 1, -0.7, 1.2));
            assertOutlineOfRecords(net, Rectangle.UNIT);
        }
    }

    @Test
    void aFewUnitsCrossingTheStripBorderAreSplicedLikeTheRecords() {
        // wide enough for the default strips, with few regions: most of them cross the border between the strips
        Network lines = Networks.kaiming(11, 2, new int[]{130}, 1, Activation.RELU, 0, 0.1);
        assertThat(TiledPlanePartitioner.tilesFor(lines)).isGreaterThan(1);
        assertOutlineOfRecords(lines, new Rectangle(-3, 2, -2, 2));
    }
}
