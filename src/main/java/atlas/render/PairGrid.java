package atlas.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Class-pair grids side by side: one square matrix per panel (row = from-class, column = to-class), cells shaded
 * from white (the smallest value over all panels) to dark blue (the largest), values written in the cells.
 * Drawing only.
 */
public final class PairGrid {
    private PairGrid() {}

    /**
     * @param titles  one title per panel. Not modified.
     * @param values  values[p][a][b] for panel p. Not modified.
     * @param caption a line under the panels
     */
    public static BufferedImage render(List<String> titles, double[][][] values, String caption) {
        int panels = values.length;
        if (titles.size() != panels) throw new IllegalArgumentException("one title per panel");
        int n = panels == 0 ? 0 : values[0].length;
        int cell = 34, margin = 30, top = 40, gap = 30;
        int side = n * cell;
        int width = Math.max(300, margin + panels * (side + gap + margin)), height = top + side + 2 * margin + 20;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] p : values) for (double[] r : p) for (double v : r) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (!(hi > lo)) { hi = lo + 1; }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10), label = new Font(Font.SANS_SERIF, Font.BOLD, 12);
            for (int p = 0; p < panels; p++) {
                int x0 = margin + p * (side + gap + margin) + gap, y0 = top;
                g.setFont(label);
                g.setColor(Color.BLACK);
                g.drawString(titles.get(p), x0, y0 - 12);
                for (int a = 0; a < n; a++) {
                    g.setFont(label);
                    g.setColor(Color.BLACK);
                    g.drawString(Integer.toString(a), x0 - 14, y0 + a * cell + cell / 2 + 5);
                    g.drawString(Integer.toString(a), x0 + a * cell + cell / 2 - 3, y0 + side + 15);
                    for (int b = 0; b < n; b++) {
                        double v = values[p][a][b];
                        double f = Double.isFinite(v) ? (v - lo) / (hi - lo) : 0;
                        Color c = new Color((int) (255 - 215 * f), (int) (255 - 185 * f), (int) (255 - 95 * f));
                        g.setColor(c);
                        g.fillRect(x0 + b * cell, y0 + a * cell, cell, cell);
                        g.setColor(f > 0.55 ? Color.WHITE : Color.BLACK);
                        g.setFont(small);
                        String s = Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "-";
                        FontMetrics fm = g.getFontMetrics();
                        g.drawString(s, x0 + b * cell + (cell - fm.stringWidth(s)) / 2, y0 + a * cell + cell / 2 + 4);
                    }
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(caption, margin, height - 12);
        } finally {
            g.dispose();
        }
        return img;
    }
}
