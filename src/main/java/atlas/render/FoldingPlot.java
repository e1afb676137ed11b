package atlas.render;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The space folding of one path as a picture: above, the Hamming distance of each region's pattern from the first
 * one against t (a step function over the exact pieces); below, the running chi. Drawing only.
 */
public final class FoldingPlot {
    private FoldingPlot() {}

    /**
     * @param t0       start of each piece, in path order. Not modified.
     * @param t1       end of each piece. Not modified.
     * @param distance Hamming distance of each piece's pattern from the first one. Not modified.
     * @param running  running chi per piece. Not modified.
     */
    public static BufferedImage render(double[] t0, double[] t1, int[] distance, double[] running, String title, int width, int height) {
        int n = t0.length;
        if (t1.length != n || distance.length != n || running.length != n) throw new IllegalArgumentException("piece arrays differ in length");
        double[] t = new double[2 * n], dist = new double[2 * n], chi = new double[2 * n];
        for (int k = 0; k < n; k++) {
            t[2 * k] = t0[k];
            t[2 * k + 1] = t1[k];
            dist[2 * k] = dist[2 * k + 1] = distance[k];
            chi[2 * k] = chi[2 * k + 1] = running[k];
        }
        int h1 = XyCharts.upperHeight(height);
        return XyCharts.stacked(chart(title, "Hamming distance from the first pattern", t, dist, new Color(30, 90, 200), width, h1),
                chart("running chi = 1 - r1/r2", "chi", t, chi, new Color(200, 60, 30), width, height - h1), width, height);
    }

    private static XYChart chart(String title, String yTitle, double[] x, double[] y, Color colour, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("t").yAxisTitle(yTitle).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        XYSeries s = c.addSeries(yTitle, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        return c;
    }

    public static void writePng(double[] t0, double[] t1, int[] distance, double[] running, String title, Path file) {
        ImageFiles.writePng(render(t0, t1, distance, running, title, 1000, 700), file);
    }

    
}
