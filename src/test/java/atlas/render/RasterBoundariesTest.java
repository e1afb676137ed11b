package atlas.render;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** The raster boundary drawing of the training frames against Java2D's stroking of the same edges (the oracle). */
class RasterBoundariesTest {
    private static BufferedImage white(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** Darkness (0 white .. 765 black) summed over the rectangle [x0, x0 + w) x [y0, y0 + h). */
    private static long ink(BufferedImage img, int x0, int y0, int w, int h) {
        long s = 0;
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++) {
                int c = img.getRGB(x, y);
                s += 765 - ((c >> 16 & 0xff) + (c >> 8 & 0xff) + (c & 0xff));
            }
        return s;
    }

    @Test
    void aVerticalCutIsInkedInTheColumnsBesideItAndNowhereElse() {
        // one ReLU unit x - 0.5: two regions split by the line x = 0.5, i.e. between pixel columns 49 and 50 of 100
        Network net = Networks.lines(new double[]{1}, new double[]{0}, new double[]{-0.5});
        PlanePartition p = PlanePartitioner.compute(net, Rectangle.UNIT);
        BufferedImage img = white(120, 110);
        RegionRenderer.drawBoundaries(img, 10, 5, p, new Viewport(Rectangle.UNIT, 100, 100, false), new Color(230, 20, 20));
        for (int y = 5; y < 105; y++) {
            Color left = new Color(img.getRGB(10 + 49, y)), right = new Color(img.getRGB(10 + 50, y));
            // the line runs along the columns' shared border: each gets half the ink, red over white
            assertThat(left.getRed()).isGreaterThan(200);
            assertThat(left.getGreen()).isBetween(100, 160);
            assertThat(right.getGreen()).isBetween(100, 160);
        }
        assertThat(ink(img, 0, 0, 120, 110)).isEqualTo(ink(img, 10 + 49, 5, 2, 100)); // no ink anywhere else
    }

    @Test
    void manyEdgesLeaveAboutAsMuchInkInTheSamePlacesAsJava2d() {
        Network net = Networks.kaiming(4, 2, Networks.uniform(12, 4), 1, Activation.RELU, 0, 0.1);
        PlanePartition p = PlanePartitioner.compute(net, new Rectangle(-1, 1, -1, 1));
        Viewport v = new Viewport(p.domain(), 200, 200, false);
        Color colour = TrainingFrame.boundaryColour(p.count(), 200);
        BufferedImage raster = white(200, 200), java2d = white(200, 200);
        RegionRenderer.drawBoundaries(raster, 0, 0, p, v, colour);
        Graphics2D g = java2d.createGraphics();
        RegionRenderer.drawBoundaries(g, p, v, colour, 1f);
        g.dispose();
        long a = ink(raster, 0, 0, 200, 200), b = ink(java2d, 0, 0, 200, 200);
        assertThat(a).isBetween(b * 6 / 10, b * 14 / 10); // Java2D's round caps and wider diagonals add some
        // in each 20 x 20 block, inked by one exactly when by the other (blocks with a trace of ink aside)
        long total = ink(java2d, 0, 0, 200, 200);
        for (int by = 0; by < 200; by += 20)
            for (int bx = 0; bx < 200; bx += 20) {
                long ia = ink(raster, bx, by, 20, 20), ib = ink(java2d, bx, by, 20, 20);
                if (Math.max(ia, ib) < total / 2000) continue;
                assertThat(ia).as("block %d,%d", bx, by).isBetween(ib / 3, ib * 3 + 50);
            }
    }
}
