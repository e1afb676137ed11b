package atlas.render;

import atlas.regions.ActivationPattern;

import java.awt.Color;

/** Colours for regions and values. A pattern's colour depends only on its bits, so it is stable across runs. */
public final class RegionColours {
    private RegionColours() {}

    /** A light, saturated colour from the pattern's stable hash (boundaries in dark colours stay visible). */
    public static int patternRgb(ActivationPattern p) {
        long h = p.stableHash();
        float hue = (h & 0xffff) / 65536f;
        float sat = 0.35f + 0.45f * (((h >>> 16) & 0xff) / 255f);
        float bri = 0.75f + 0.25f * (((h >>> 24) & 0xff) / 255f);
        return Color.HSBtoRGB(hue, sat, bri) & 0xffffff;
    }

    /** Grey level of {@code value} scaled from [lo, hi] to [black, white], clamped. */
    public static int greyRgb(double value, double lo, double hi) {
        double f = hi > lo ? (value - lo) / (hi - lo) : 0.5;
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, f)));
        return (g << 16) | (g << 8) | g;
    }
}
