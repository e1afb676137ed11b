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
            assertThat(pixels(TrainingFrame.render(lean))).as(net.shape()).isEqualTo(pixels(full));
            // and the boundaries are there: a frame with the boundaries of a single region (none inside) differs
            PlaneOutline none = TiledPlanePartitioner.outline(Networks.lines(new double[]{1}, new double[]{0}, new double[]{5}),
                    PlaneSlice.inputPlane(), Rectangle.UNIT);
            assertThat(none.count()).isEqualTo(1);
            assertThat(pixels(TrainingFrame.render(TrainingFrame.Content.ofOutline(none, classes, target, train, valid, lines, p))))
                    .as(net.shape()).isNotEqualTo(pixels(full));
        }
    }
}
