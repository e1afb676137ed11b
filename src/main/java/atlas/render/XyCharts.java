package atlas.render;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The house style of x-y charts for experiment reports: a white 900 x 600 chart with the legend outside, lines with
 * markers, scatter series sorted by x, dashed grey reference levels. Experiments compose charts from these and never
 * style them themselves.
 */
public final class XyCharts {
    private XyCharts() {}

    /** An empty chart with a title, axis titles and optionally a logarithmic x axis. */
    public static XYChart chart(String title, String x, String y, boolean logX) {
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(6);
        return c;
    }

    /** A line with circle markers through the points (x, y) in the given order; nothing when empty. */
    public static void line(XYChart c, String name, List<double[]> pts) {
        if (pts.isEmpty()) return;
        double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray(), ys = pts.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /** Scatter points (x, y), sorted by x; nothing when empty. */
    public static void points(XYChart c, String name, List<double[]> pts) {
        if (pts.isEmpty()) return;
        List<double[]> sorted = new ArrayList<>(pts);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] xs = sorted.stream().mapToDouble(p -> p[0]).toArray(), ys = sorted.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    /** A dashed grey horizontal reference level y over the x values. */
    public static void reference(XYChart c, String name, double[] xs, double y) {
        XYSeries s = c.addSeries(name, xs, new double[]{y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
    }

    /** A solid guide line without markers through (xs, ys), grey or (darker) dark grey. */
    public static void guide(XYChart c, String name, double[] xs, double[] ys, boolean darker) {
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(darker ? Color.DARK_GRAY : Color.GRAY);
    }

    /**
     * Two charts stacked on one white, antialiased picture: {@code top} fills the upper {@code height / 2} pixels and
     * {@code bottom} the rest (build them at those sizes, e.g. with {@link #upperHeight}).
     */
    public static BufferedImage stacked(XYChart top, XYChart bottom, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int h1 = upperHeight(height);
            top.paint(g, width, h1);
            Graphics2D g2 = (Graphics2D) g.create(0, h1, width, height - h1);
            bottom.paint(g2, width, height - h1);
            g2.dispose();
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The height of the upper chart of a {@link #stacked} picture {@code height} pixels high. */
    public static int upperHeight(int height) {
        return height / 2;
    }

    /** The chart as a picture. */
    public static BufferedImage image(XYChart c) {
        return BitmapEncoder.getBufferedImage(c);
    }
}
