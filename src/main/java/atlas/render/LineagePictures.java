package atlas.render;

import atlas.measure.lineage.Fate;
import atlas.measure.lineage.Lineage;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Pictures of region lineage: a frame per step (the later partition, with the regions that were born outlined in
 * one colour and the regions that are dying outlined in another) and the plot of geometry and map change against
 * the epoch with the loss on the same time axis.
 */
public final class LineagePictures {
    private LineagePictures() {}

    /** Outline of regions with a new pattern (BORN or MERGED), drawn from the later partition. */
    public static final Color BORN = new Color(20, 90, 230);
    /** Outline of regions whose pattern vanishes (DIED or SPLIT), drawn from the earlier partition. */
    public static final Color DYING = new Color(220, 30, 30);
    /** Height of one legend line under the axes (three lines are drawn). */
    static final int LEGEND = 18;

    /**
     * The frame of one step: the later partition in pattern colours (lightened, so that outlines stand out), its
     * boundaries in grey, dying regions of the earlier partition outlined in {@link #DYING} and born regions of the
     * later partition in {@link #BORN}; axes with y up, a title and a legend line.
     *
     * @param size longer side of the picture inside the axes, in pixels
     */
    public static BufferedImage frame(Lineage l, int size, String title) {
        PlanePartition after = l.after(), before = l.before();
        Viewport v = Viewport.fit(after.domain(), size, false);
        BufferedImage inner = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
        RegionRenderer.paintPatternColours(inner, after, v);
        int[] px = inner.getRGB(0, 0, v.width(), v.height(), null, 0, v.width());
        for (int k = 0; k < px.length; k++) px[k] = lighten(px[k]);
        inner.setRGB(0, 0, v.width(), v.height(), px, 0, v.width());
        Graphics2D gi = inner.createGraphics();
        try {
            RegionRenderer.drawBoundaries(gi, after, v, new Color(150, 150, 150), Math.max(0.5f, v.width() / 1600f));
            gi.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float w = Math.max(1.2f, v.width() / 500f);
            gi.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Fate[] fb = l.beforeFate(), fa = l.afterFate();
            gi.setColor(DYING);
            for (LinearRegion r : before.regions())
                if (fb[r.id()] == Fate.DIED || fb[r.id()] == Fate.SPLIT) gi.draw(outline(r, v));
            gi.setColor(BORN);
            for (LinearRegion r : after.regions())
                if (fa[r.id()] == Fate.BORN || fa[r.id()] == Fate.MERGED) gi.draw(outline(r, v));
        } finally {
            gi.dispose();
        }
        int born = l.summary().born() + l.summary().merged(), dying = l.summary().died() + l.summary().split();
        BufferedImage img = new BufferedImage(v.width() + Axes.LEFT + Axes.RIGHT, v.height() + Axes.TOP + Axes.BOTTOM + 3 * LEGEND,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(inner, Axes.LEFT, Axes.TOP, null);
            boolean input = after.slice().description().equals("input plane");
            Axes.draw(g, v, input ? "x1 (input 1)" : "s (plane coordinate 1)", input ? "x2 (input 2)" : "t (plane coordinate 2)", title);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int y = img.getHeight() - 2 * LEGEND - 6;
            legendItem(g, 8, y, BORN, "born or merged (new pattern): " + born);
            legendItem(g, 8, y + LEGEND, DYING, "dying or split (pattern gone): " + dying);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(java.util.Locale.ROOT, "pattern kept on %.1f%% of the area, map changed on %.1f%%",
                    100 * l.summary().patternSurvivedShare(), 100 * l.summary().mapChangedShare()), 8, y + 2 * LEGEND);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int legendItem(Graphics2D g, int x, int y, Color c, String text) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2.5f));
        g.drawRect(x, y - 10, 14, 10);
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, x + 20, y);
        return x + 20 + g.getFontMetrics().stringWidth(text);
    }

    private static Path2D.Double outline(LinearRegion r, Viewport v) {
        Path2D.Double p = new Path2D.Double();
        for (int k = 0; k < r.vertexCount(); k++) {
            if (k == 0) p.moveTo(v.px(r.x(k)), v.py(r.y(k)));
            else p.lineTo(v.px(r.x(k)), v.py(r.y(k)));
        }
        p.closePath();
        return p;
    }

    /** Halfway to white. */
    private static int lighten(int rgb) {
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        return ((r + 255) / 2 << 16) | ((g + 255) / 2 << 8) | ((b + 255) / 2);
    }

    /**
     * Two stacked charts on one epoch axis: {@code losses} (log scale, with {@code spikeEpochs} marked) above,
     * {@code shares} (fractions of the domain) below.
     */
    public static BufferedImage changePlot(String title, List<MetricPlots.Series> losses, double[] spikeEpochs, double[] spikeLosses,
                                           String lowerTitle, String lowerAxis, List<MetricPlots.Series> shares, boolean logLower,
                                           int width, int height) {
        int h1 = XyCharts.upperHeight(height);
        double maxX = maxX(losses, shares);
        XYChart top = MetricPlots.chart(title, "loss", losses, true, width, h1);
        if (spikeEpochs.length > 0) {
            XYSeries s = top.addSeries("loss spikes", spikeEpochs, spikeLosses);
            s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(Color.RED);
        }
        XYChart bottom = MetricPlots.chart(lowerTitle, lowerAxis, shares, logLower, width, height - h1);
        if (!logLower) bottom.getStyler().setYAxisDecimalPattern("0.###");
        sameX(top, maxX);
        sameX(bottom, maxX);
        return XyCharts.stacked(top, bottom, width, height);
    }

    private static double maxX(List<MetricPlots.Series> a, List<MetricPlots.Series> b) {
        double m = 0;
        for (List<MetricPlots.Series> l : List.of(a, b))
            for (MetricPlots.Series s : l) for (double x : s.x()) if (Double.isFinite(x)) m = Math.max(m, x);
        return m;
    }

    /** Relative slack so that a last epoch exactly on a tick does not round up to the next one. */
    private static final double ROUND_SLACK = 1e-9;

    /** Both charts end at the same round epoch, so that their time axes line up. */
    private static void sameX(XYChart c, double maxX) {
        if (!(maxX > 0)) return;
        double[] t = Axes.ticks(0, maxX, 6);
        double step = t.length > 1 ? t[1] - t[0] : maxX;
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(Math.ceil(maxX / step - ROUND_SLACK) * step);
        // about six ticks on both charts (XChart's own spacing depends on the number of points)
        c.getStyler().setXAxisTickMarkSpacingHint(Math.max(60, c.getWidth() / 9));
        // the legends differ in width; a fixed plot width keeps the two x axes aligned
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    }
}
