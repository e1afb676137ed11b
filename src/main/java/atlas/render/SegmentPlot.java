package atlas.render;

import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * A plot of a network's outputs along a segment. The function is exactly piecewise linear, so drawing
 * straight lines between the breakpoints is the exact graph; the breakpoints are marked.
 */
public final class SegmentPlot {
    private SegmentPlot() {}

    public static BufferedImage render(SegmentPartition p, int width, int height, String title) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("t (segment parameter)").yAxisTitle("output").build();
        chart.getStyler().setLegendVisible(p.intervals().get(0).map().outputs() > 1);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(4);
        int n = p.count();
        int outputs = p.intervals().get(0).map().outputs();
        for (int o = 0; o < outputs; o++) {
            double[] t = new double[n + 1], y = new double[n + 1];
            for (int k = 0; k < n; k++) {
                SegmentInterval iv = p.intervals().get(k);
                t[k] = iv.t0();
                y[k] = iv.map().apply(iv.t0())[o];
            }
            SegmentInterval last = p.intervals().get(n - 1);
            t[n] = last.t1();
            y[n] = last.map().apply(last.t1())[o];
            XYSeries s = chart.addSeries("output " + o, t, y);
            s.setMarker(n <= 400 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    public static void writePng(SegmentPartition p, Path file, int width, int height, String title) {
        ImageFiles.writePng(render(p, width, height, title), file);
    }
}
