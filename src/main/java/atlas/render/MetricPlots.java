package atlas.render;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Line plots of training metrics drawn with XChart onto Java2D: losses (log scale) and exact region counts
 * against the epoch, stacked in one picture.
 */
public final class MetricPlots {
    private MetricPlots() {}

    /**
     * One curve.
     *
     * @param name legend text
     * @param x    x values (epochs)
     * @param y    y values; non-finite and (on log axes) non-positive points are dropped
     */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            x = x.clone();
            y = y.clone();
        }
    }

    /**
     * Two stacked charts: {@code losses} on a log scale above, {@code counts} (region counts) below.
     *
     * @param title title of the upper chart
     */
    public static BufferedImage lossesAndRegions(String title, List<Series> losses, List<Series> counts, int width, int height) {
        int h1 = XyCharts.upperHeight(height);
        return XyCharts.stacked(chart(title, "loss", losses, true, width, h1),
                chart("exact linear regions on the image domain", "regions", counts, false, width, height - h1), width, height);
    }

    /** One chart of {@code series} against the epoch. */
    public static XYChart chart(String title, String yTitle, List<Series> series, boolean logY, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        c.getStyler().setYAxisLogarithmic(logY);
        if (!logY) c.getStyler().setYAxisDecimalPattern("#,##0");
        c.getStyler().setXAxisDecimalPattern("#0");
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(true);
        // beside the plot, so it never hides the last points
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        boolean any = false;
        for (Series s : series) {
            int n = 0;
            for (int k = 0; k < s.x().length; k++) if (keep(s.y()[k], logY) && Double.isFinite(s.x()[k])) n++;
            if (n == 0) continue;
            double[] xs = new double[n], ys = new double[n];
            int j = 0;
            for (int k = 0; k < s.x().length; k++) {
                if (keep(s.y()[k], logY) && Double.isFinite(s.x()[k])) { xs[j] = s.x()[k]; ys[j] = s.y()[k]; j++; }
            }
            XYSeries xy = c.addSeries(s.name(), xs, ys);
            xy.setMarker(n <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        if (any) {
            // x from 0 to a round number, so that the ticks fall on round epochs (0, 50, 100 rather than 0, 11, 22)
            double maxX = 0;
            for (Series s : series) for (double x : s.x()) if (Double.isFinite(x)) maxX = Math.max(maxX, x);
            if (maxX > 0) {
                double[] t = Axes.ticks(0, maxX, 6);
                double step = t.length > 1 ? t[1] - t[0] : maxX;
                c.getStyler().setXAxisMin(0.0);
                c.getStyler().setXAxisMax(Math.ceil(maxX / step - 1e-9) * step);
            }
        }
        if (!any) {
            XYSeries xy = c.addSeries("(no data)", new double[]{0}, new double[]{1});
            xy.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    private static boolean keep(double y, boolean logY) { return Double.isFinite(y) && (!logY || y > 0); }
}
