package atlas.render;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pictures that used to mislead: training frames drawn y down and untitled, metrics plots, GIF timing. */
class PictureRegressionTest {

    static int grey(BufferedImage img, int x, int y) { return new Color(img.getRGB(x, y)).getGreen(); }

    static boolean hasDarkPixel(BufferedImage img, int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() + c.getGreen() + c.getBlue() < 200) return true;
            }
        return false;
    }

    @Test
    void trainingFrameShowsYUpInEveryPanelWithTitles() {
        // f(x, y) = y: white at the top of a y-up picture, black at the bottom
        Network yOnly = new Network(2, List.of(new DenseLayer(2, 1, new double[]{0, 1}, new double[]{0}, Activation.IDENTITY, 0)));
        PlanePartition part = PlanePartitioner.compute(yOnly, Rectangle.UNIT);
        // the target in image orientation: row i is y = i/H, grey = y (row 0 black)
        BufferedImage target = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) { int g = i * 255 / 7; target.setRGB(j, i, g << 16 | g << 8 | g); }
        int p = 100;
        BufferedImage f = TrainingFrame.render(new TrainingFrame.Content(part, null, 0, 1, target,
                new double[]{0.1, 0.9}, new double[]{0.9, 0.1}, List.of("line one", "line two"), p));
        int y0 = TrainingFrame.HEADER, gap = TrainingFrame.GAP;
        int[] xs = {gap, 2 * gap + p, 3 * gap + 2 * p};
        for (int x : xs) {
            int cx = x + p / 2 + 7; // off the centre column, away from the dots
            assertThat(grey(f, cx, y0 + 3)).as("top of the panel at x=%d is y = 1: white", x).isGreaterThan(200);
            assertThat(grey(f, cx, y0 + p - 4)).as("bottom of the panel at x=%d is y = 0: black", x).isLessThan(50);
            assertThat(hasDarkPixel(f, x, y0 - 20, p, 18)).as("a title above the panel at x=%d", x).isTrue();
        }
        // the training point (0.1, 0.9) is red near the top left of the target panel; the validation point (0.9, 0.1) blue near the bottom right
        Color train = new Color(f.getRGB(xs[2] + 10, y0 + 10));
        Color valid = new Color(f.getRGB(xs[2] + 90, y0 + 90));
        assertThat(train.getRed()).isGreaterThan(200);
        assertThat(train.getBlue()).isLessThan(60);
        assertThat(valid.getBlue()).isGreaterThan(200);
        assertThat(valid.getRed()).isLessThan(60);
    }

    @Test
    void metricsPlotKeepsTheLegendBesideTheDataAndRoundsTheEpochAxis() {
        double[] x22 = new double[23], y22 = new double[23];
        for (int k = 0; k <= 22; k++) { x22[k] = k; y22[k] = 1.0 / (k + 1); }
        XYChart c = MetricPlots.chart("t", "loss", List.of(new MetricPlots.Series("train", x22, y22)), true, 600, 300);
        assertThat(c.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideE);
        // 0..22 epochs: ticks every 5 (Axes.ticks), so the axis ends at 25 rather than at 22 with ticks 0, 11, 22
        assertThat(c.getStyler().getXAxisMin()).isEqualTo(0.0);
        assertThat(c.getStyler().getXAxisMax()).isEqualTo(25.0);
        double[] x300 = new double[301], y300 = new double[301];
        for (int k = 0; k <= 300; k++) { x300[k] = k; y300[k] = 1 + k; }
        XYChart c2 = MetricPlots.chart("t", "regions", List.of(new MetricPlots.Series("regions", x300, y300)), false, 600, 300);
        assertThat(c2.getStyler().getXAxisMax()).isEqualTo(300.0);
    }

    @Test
    void shortMoviesLastLongEnoughToWatch() {
        // 21 frames at the requested 80 ms used to play in 1.7 s
        int d = GifWriter.watchableDelayMs(21, 80);
        assertThat(21 * d).isGreaterThanOrEqualTo(GifWriter.MIN_MOVIE_MS);
        assertThat(GifWriter.watchableDelayMs(1000, 80)).isEqualTo(80);
        assertThat(GifWriter.watchableDelayMs(2, 80)).isEqualTo(GifWriter.MAX_FRAME_MS);
    }

    @Test
    void regionsPngIsYUpWithAxes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // the demo draws its pictures with the same y-up viewport (Demo: new Viewport(UNIT, 1024, 1024, false))
        Network yOnly = new Network(2, List.of(new DenseLayer(2, 1, new double[]{0, 1}, new double[]{0}, Activation.IDENTITY, 0)));
        java.nio.file.Path model = dir.resolve("y.json"), png = dir.resolve("y.png");
        atlas.net.ModelFormat.write(yOnly, model);
        int code = atlas.cli.AtlasCommand.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("regions", model.toString(), "--shade", "output", "--size", "200", "--png", png.toString());
        assertThat(code).isZero();
        BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        int w = img.getWidth() - Axes.LEFT - Axes.RIGHT, h = img.getHeight() - Axes.TOP - Axes.BOTTOM;
        int cx = Axes.LEFT + w / 2 + 5;
        assertThat(grey(img, cx, Axes.TOP + 5)).as("y = 1 at the top: white").isGreaterThan(200);
        assertThat(grey(img, cx, Axes.TOP + h - 6)).as("y = 0 at the bottom: black").isLessThan(50);
        assertThat(hasDarkPixel(img, 0, Axes.TOP, Axes.LEFT - 2, h)).as("tick labels left of the picture").isTrue();
        assertThat(hasDarkPixel(img, Axes.LEFT, 0, w, Axes.TOP - 2)).as("a title above the picture").isTrue();
    }
}
