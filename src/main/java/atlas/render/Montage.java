package atlas.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Pictures side by side in a grid, with a text label over each column. */
public final class Montage {
    private Montage() {}

    /** Height of the label band over the grid. */
    public static final int LABEL = 22;
    /** Gap between tiles. */
    public static final int GAP = 6;

    /**
     * Tiles in row-major order, {@code columns} per row, each drawn at {@code tile x tile} pixels.
     *
     * @param labels one label per column (may be shorter)
     */
    public static BufferedImage grid(List<BufferedImage> tiles, int columns, int tile, List<String> labels) {
        if (tiles.isEmpty() || columns <= 0) throw new IllegalArgumentException("a montage needs tiles and at least one column");
        int rows = (tiles.size() + columns - 1) / columns;
        int w = columns * tile + (columns + 1) * GAP, h = LABEL + rows * tile + (rows + 1) * GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 13));
            g.setColor(Color.BLACK);
            for (int c = 0; c < Math.min(columns, labels.size()); c++) g.drawString(labels.get(c), GAP + c * (tile + GAP) + 2, LABEL - 6);
            for (int k = 0; k < tiles.size(); k++) {
                int r = k / columns, c = k % columns;
                int x = GAP + c * (tile + GAP), y = LABEL + GAP + r * (tile + GAP);
                g.drawImage(tiles.get(k), x, y, tile, tile, null);
                g.setColor(Color.GRAY);
                g.drawRect(x - 1, y - 1, tile + 1, tile + 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Panel {@code index} (0 left, 1 middle, 2 right) of a frame drawn by {@link TrainingFrame} with panels of {@code panelSize}. */
    public static BufferedImage panel(BufferedImage frame, int panelSize, int index) {
        int x = TrainingFrame.GAP + index * (panelSize + TrainingFrame.GAP);
        return frame.getSubimage(x, TrainingFrame.HEADER, panelSize, panelSize);
    }
}
