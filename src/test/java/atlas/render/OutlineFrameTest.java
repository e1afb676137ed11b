package atlas.render;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlaneOutline;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A training frame drawn from the partition's outline (the lean path of a classification run's snapshot: no region
 * records) is the frame drawn from the partition's records, pixel for pixel, with the same region count in its header;
 * on seeded nets in 1 strip and in the default strips.
 */
class OutlineFrameTest {

    /** A classifier-like output panel: the sign of output 0 at each pixel centre, row 0 at y = 1. */
    static BufferedImage classPanel(Network net, int p) {
        BufferedImage img = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) img.setRGB(j, i, net.forward(new double[]{(j + 0.5) / p, 1 - (i + 0.5) / p})[0] > 0 ? 0xf0c040 : 0x4060c0);
        return img;
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** The index of the first pixel where the two pictures differ, -1 when they are the same (a short failure message). */
    static int firstDifference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        return java.util.Arrays.mismatch(pixels(a), pixels(b));
    }

    @Test
    void outlineFrameIsTheRecordsFramePixelForPixel() {
        int p = 160;
        BufferedImage target = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
        double[] train = {0.2, 0.3, 0.7, 0.6}, valid = {0.5, 0.5};
        Network[] nets = {
                Networks.kaiming(5, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1), // 1 strip
                Networks.kaiming(6, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1), // 2 strips
                Networks.kaiming(8, 2, new int[]{40, 40, 40, 40}, 1, Activation.RELU, 0, 0.1),
                Networks.kaiming(3, 2, Networks.uniform(30, 8), 1, Activation.LEAKY_RELU, 0.01, 1.5), // many regions in [0,1]^2
        };
        for (Network net : nets) {
            BufferedImage classes = classPanel(net, p);
            PlanePartition part = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            PlaneOutline outline = TiledPlanePartitioner.outline(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            List<String> lines = List.of("regions " + part.count(), net.shape());
            BufferedImage full = TrainingFrame.render(new TrainingFrame.Content(part, classes, 0, 1, target, train, valid, lines, p));
            TrainingFrame.Content lean = TrainingFrame.Content.ofOutline(outline, classes, target, train, valid, lines, p);
            assertThat(lean.count()).as(net.shape()).isEqualTo(part.count());
            assertThat(firstDifference(TrainingFrame.render(lean), full)).as(net.shape()).isEqualTo(-1);
            // and the boundaries are there: a frame with the boundaries of a single region (none inside) differs
            PlaneOutline none = TiledPlanePartitioner.outline(Networks.lines(new double[]{1}, new double[]{0}, new double[]{5}),
                    PlaneSlice.inputPlane(), Rectangle.UNIT);
            assertThat(none.count()).isEqualTo(1);
            assertThat(firstDifference(TrainingFrame.render(TrainingFrame.Content.ofOutline(none, classes, target, train, valid, lines, p)), full))
                    .as(net.shape()).isNotEqualTo(-1);
        }
    }

    @Test
    void shadedFrameFromTheOutlineWithMapsIsTheRecordsFrame() {
        // a grey-value run's frame (the ring's): output 0 shaded from the maps of the regions holding a pixel centre,
        // made on demand from the outline, against the records' maps; 1 strip and the default strips, 1 and 2 outputs
        double[] train = {0.2, 0.3, 0.7, 0.6}, valid = {0.5, 0.5};
        Network[] nets = {
                Networks.kaiming(5, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1),
                Networks.kaiming(6, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1),
                Networks.kaiming(8, 2, new int[]{40, 40, 40, 40}, 2, Activation.RELU, 0, 0.1),
                Networks.kaiming(3, 2, Networks.uniform(30, 8), 1, Activation.LEAKY_RELU, 0.01, 1.5),
        };
        for (Network net : nets) {
            PlanePartition part = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            PlaneOutline outline = TiledPlanePartitioner.outlineWithMaps(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            assertThat(outline.count()).as(net.shape()).isEqualTo(part.count());
            for (int r = 0; r < part.count(); r++) {
                atlas.regions.AffineMap a = outline.map(r), b = part.regions().get(r).map();
                assertThat(a.matrix()).as(net.shape() + ", region " + r).isEqualTo(b.matrix());
                assertThat(a.offset()).as(net.shape() + ", region " + r).isEqualTo(b.offset());
            }
            double[] range = RegionRenderer.outputRange(part, 0);
            for (int p : new int[]{48, 160}) {
                BufferedImage target = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
                String what = net.shape() + ", " + part.count() + " regions, panel " + p;
                BufferedImage full = TrainingFrame.render(new TrainingFrame.Content(part, null, range[0], range[1], target, train, valid,
                        List.of("regions " + part.count()), p));
                TrainingFrame.Drawn drawn = TrainingFrame.renderShaded(net, range[0], range[1], target, train, valid, n -> List.of("regions " + n), p);
                assertThat(drawn.regions()).as(what).isEqualTo(part.count());
                assertThat(firstDifference(drawn.image(), full)).as(what).isEqualTo(-1);
            }
        }
        // an outline made without maps says so
        PlaneOutline bare = TiledPlanePartitioner.outline(nets[0], PlaneSlice.inputPlane(), Rectangle.UNIT);
        assertThat(bare.hasMaps()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bare.map(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void frameDrawnWhileTheStripsAreCutIsTheRecordsFrame() {
        // panels small enough for the boundary colour to reach its floor (the strips' parts are then drawn early) and
        // large enough for it not to (everything drawn at the end); 1 strip and the default strips
        Network[] nets = {
                Networks.kaiming(5, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1),
                Networks.kaiming(6, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1),
                Networks.kaiming(3, 2, Networks.uniform(30, 8), 1, Activation.LEAKY_RELU, 0.01, 1.5),
                Networks.kaiming(11, 2, new int[]{130}, 1, Activation.RELU, 0, 0.1), // a wide first layer: long regions across the border
        };
        int early = 0;
        for (Network net : nets) {
            PlanePartition part = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
            for (int p : new int[]{24, 48, 160}) {
                BufferedImage target = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
                BufferedImage classes = classPanel(net, p);
                double[] train = {0.2, 0.3}, valid = {0.5, 0.5};
                String what = net.shape() + ", " + part.count() + " regions, panel " + p;
                List<String> lines = List.of("regions " + part.count());
                BufferedImage full = TrainingFrame.render(new TrainingFrame.Content(part, classes, 0, 1, target, train, valid, lines, p));
                TrainingFrame.Drawn drawn = TrainingFrame.renderClassifier(net, classes, target, train, valid, n -> List.of("regions " + n), p);
                assertThat(drawn.regions()).as(what).isEqualTo(part.count());
                assertThat(firstDifference(drawn.image(), full)).as(what).isEqualTo(-1);
                // the boundaries alone, through the listener, to see that strips were drawn early on some nets
                BufferedImage a = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB), b = new BufferedImage(p, p, BufferedImage.TYPE_INT_RGB);
                Viewport v = new Viewport(Rectangle.UNIT, p, p, false);
                RegionRenderer.Boundaries strips = new RegionRenderer.Boundaries(a, 0, 0, v, n -> TrainingFrame.boundaryColour(n, p));
                PlaneOutline outline = TiledPlanePartitioner.outline(net, PlaneSlice.inputPlane(), Rectangle.UNIT, strips);
                strips.finish(outline);
                RegionRenderer.drawBoundaries(b, 0, 0, part, v, TrainingFrame.boundaryColour(part.count(), p));
                assertThat(firstDifference(a, b)).as(what).isEqualTo(-1);
                early += strips.stripsDrawn();
            }
        }
        assertThat(early).isGreaterThan(2);
    }
}
