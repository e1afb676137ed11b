package atlas.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axes around a picture of a plane rectangle: a frame, ticks at round values (1, 2 or 5 times a power of ten)
 * with their labels, axis names and a title. The picture itself is drawn by the caller into the inner
 * rectangle at ({@link #LEFT}, {@link #TOP}); y grows upwards as in a plot ({@link Viewport} with yDown false).
 */
public final class Axes {
    private Axes() {}

    /** Margins around the picture in pixels. */
    public static final int LEFT = 78, TOP = 34, RIGHT = 24, BOTTOM = 52;

    /** Round tick values covering [lo, hi], about {@code target} of them. */
    public static double[] ticks(double lo, double hi, int target) {
        double span = hi - lo;
        if (!(span > 0) || !Double.isFinite(span)) return new double[]{lo};
        double raw = span / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[]{1, 2, 5, 10}) {
            step = m * mag;
            if (step >= raw) break;
        }
        List<Double> out = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int k = 0; k < 100; k++) {
            double t = first + k * step;
            if (t > hi + step * 1e-9) break;
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A tick label: plain digits for moderate values, scientific notation otherwise. */
    public static String label(double v, double step) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5 && step >= 1e-4) {
            int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * Draws the frame, ticks and labels of viewport {@code v} placed at ({@link #LEFT}, {@link #TOP}) of
     * {@code g}, the axis names and the title.
     */
    public static void draw(Graphics2D g, Viewport v, String xName, String yName, String title) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = v.width(), h = v.height();
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT - 1, TOP - 1, w + 1, h + 1);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        var d = v.domain();
        double[] xt = ticks(d.xmin(), d.xmax(), Math.max(2, w / 110));
        double xs = xt.length > 1 ? xt[1] - xt[0] : d.width();
        for (double t : xt) {
            int px = LEFT + (int) Math.round(v.px(t));
            g.drawLine(px, TOP + h, px, TOP + h + 5);
            String s = label(t, xs);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + h + 7 + fm.getAscent());
        }
        double[] yt = ticks(d.ymin(), d.ymax(), Math.max(2, h / 90));
        double ys = yt.length > 1 ? yt[1] - yt[0] : d.height();
        for (double t : yt) {
            int py = TOP + (int) Math.round(v.py(t));
            g.drawLine(LEFT - 6, py, LEFT - 1, py);
            String s = label(t, ys);
            g.drawString(s, LEFT - 9 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.drawString(xName, LEFT + w / 2 - fm.stringWidth(xName) / 2, TOP + h + 10 + 2 * fm.getHeight());
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yName, -(TOP + h / 2) - fm.stringWidth(yName) / 2, 16);
        gy.dispose();
        if (title != null) {
            Font tf = new Font(Font.SANS_SERIF, Font.BOLD, 15);
            g.setFont(tf);
            g.setColor(Color.BLACK);
            FontMetrics tm = g.getFontMetrics();
            String t = title;
            while (tm.stringWidth(t) > w + LEFT && t.length() > 10) t = t.substring(0, t.length() - 4) + "...";
            g.drawString(t, Math.max(4, LEFT + w / 2 - tm.stringWidth(t) / 2), TOP - 11);
        }
    }
}
