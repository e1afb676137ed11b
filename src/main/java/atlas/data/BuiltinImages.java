package atlas.data;

import atlas.error.BadInputException;

import java.util.List;
import java.util.Locale;

/**
 * Images generated in code (no files needed), all {@code size x size} pixels (1024 by default); lengths are
 * given for size 1024 and scale with the size. A pixel's distance to the centre is measured from its
 * index: pixel (i, j) is at distance {@code sqrt((i - c)^2 + (j - c)^2)} from the centre {@code c = size/2}.
 * <ul>
 *   <li>{@code ring}: white, with a black ring centred at (512, 512), inner radius 224 px, outer radius 256 px
 *       (the reference image of the original experiments). Grey values.</li>
 *   <li>{@code disc}: white, with a black disc of radius 256 px at the centre. Grey values.</li>
 *   <li>{@code ring3}: three classes, 0 = outside the ring, 1 = the ring, 2 = inside the ring (same radii).</li>
 *   <li>{@code checker}: a 4 x 4 checkerboard of black and white squares. Grey values.</li>
 *   <li>{@code spiral}: white, with a black two-turn Archimedean spiral band (width 64 px). Grey values.</li>
 * </ul>
 */
public final class BuiltinImages {
    private BuiltinImages() {}

    /** The names of the built-in images. */
    public static final List<String> NAMES = List.of("ring", "disc", "ring3", "checker", "spiral");

    /** The default size in pixels. */
    public static final int DEFAULT_SIZE = 1024;

    /** True when {@code name} names a built-in image. */
    public static boolean exists(String name) { return NAMES.contains(name.toLowerCase(Locale.ROOT)); }

    /** The built-in image {@code name} at the default size 1024. */
    public static TargetImage create(String name) { return create(name, DEFAULT_SIZE); }

    /**
     * The built-in image {@code name} at {@code size x size} pixels.
     *
     * @throws IllegalArgumentException for an unknown name or a size below 8
     */
    public static TargetImage create(String name, int size) {
        if (size < 8 || size > 8192) throw new BadInputException("image size " + size + " must be between 8 and 8192");
        String n = name.toLowerCase(Locale.ROOT);
        double s = size / 1024.0;
        double c = size / 2.0;
        double[] grey = new double[size * size];
        int[] labels = n.equals("ring3") ? new int[size * size] : null;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                int p = i * size + j;
                double di = i - c, dj = j - c;
                double r = Math.sqrt(di * di + dj * dj);
                switch (n) {
                    case "ring" -> grey[p] = (r >= 224 * s && r <= 256 * s) ? 0 : 1;
                    case "disc" -> grey[p] = r <= 256 * s ? 0 : 1;
                    case "ring3" -> {
                        int cls = r < 224 * s ? 2 : (r <= 256 * s ? 1 : 0);
                        labels[p] = cls;
                        grey[p] = cls == 0 ? 1 : (cls == 1 ? 0 : 0.5);
                    }
                    case "checker" -> grey[p] = (((i * 4) / size + (j * 4) / size) % 2 == 0) ? 1 : 0;
                    case "spiral" -> grey[p] = onSpiral(r / s, Math.atan2(di, dj)) ? 0 : 1;
                    default -> throw new BadInputException("unknown built-in image '" + name + "' (known: "
                            + String.join(", ", NAMES) + ")");
                }
            }
        }
        if (labels != null) return new TargetImage(n, size, size, grey, labels, 3, new int[]{0xFFFFFF, 0x202020, 0x3B7DD8});
        return new TargetImage(n, size, size, grey, null, 0, null);
    }

    /** Archimedean spiral r = 56 * theta / pi (two turns inside radius 448), band half-width 32 (at size 1024). */
    private static boolean onSpiral(double r, double angle) {
        if (r > 460) return false;
        double theta = angle < 0 ? angle + 2 * Math.PI : angle;
        double pitch = 224; // radial distance between turns
        // distance to the nearest turn r = pitch * (theta / 2pi + k)
        double t = r / pitch - theta / (2 * Math.PI);
        double k = Math.rint(t);
        if (k < 0) k = 0;
        double rr = pitch * (theta / (2 * Math.PI) + k);
        return Math.abs(r - rr) <= 32;
    }
}
