package atlas.geometry;

/**
 * Kernels on simple polygons stored as flat coordinate arrays {@code x0,y0,x1,y1,...} in counter-clockwise
 * order. Exact to double rounding; O(n) each.
 */
public final class Polygons {
    private Polygons() {}

    /**
     * Signed area (positive for counter-clockwise). Coordinates are taken relative to the first vertex, so a
     * tiny polygon far from the origin keeps its digits (plain shoelace products of coordinates near 0.5 carry
     * rounding errors near 1e-17, larger than the area of a triangle with 1e-9 legs).
     *
     * @param xy vertices. Not modified.
     */
    public static double signedArea(double[] xy) {
        return signedArea(xy, 0, xy.length / 2);
    }

    /** Signed area of the polygon of {@code n} vertices stored from index {@code offset} (a vertex index) of {@code xy}. */
    public static double signedArea(double[] xy, int offset, int n) {
        double ox = xy[2 * offset], oy = xy[2 * offset + 1];
        double s = 0;
        for (int i = 1; i + 1 < n; i++) {
            double ax = xy[2 * (offset + i)] - ox, ay = xy[2 * (offset + i) + 1] - oy;
            double bx = xy[2 * (offset + i + 1)] - ox, by = xy[2 * (offset + i + 1) + 1] - oy;
            s += ax * by - bx * ay;
        }
        return s / 2;
    }

    /**
     * The area centroid; for a convex polygon it is an interior point.
     *
     * @param xy  vertices. Not modified.
     * @param out length 2, or null to allocate. Modified.
     */
    public static double[] centroid(double[] xy, double[] out) {
        if (out == null) out = new double[2];
        int n = xy.length / 2;
        // translate to the first vertex to keep the products small
        double ox = xy[0], oy = xy[1];
        double a = 0, cx = 0, cy = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double xi = xy[2 * i] - ox, yi = xy[2 * i + 1] - oy, xj = xy[2 * j] - ox, yj = xy[2 * j + 1] - oy;
            double c = xi * yj - xj * yi;
            a += c;
            cx += (xi + xj) * c;
            cy += (yi + yj) * c;
        }
        if (a == 0) { // degenerate: fall back to the vertex mean
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) { mx += xy[2 * i]; my += xy[2 * i + 1]; }
            out[0] = mx / n;
            out[1] = my / n;
            return out;
        }
        out[0] = ox + cx / (3 * a);
        out[1] = oy + cy / (3 * a);
        return out;
    }

    /** True when (x, y) is inside or on the convex counter-clockwise polygon, with slack {@code eps} (a distance). */
    public static boolean convexContains(double[] xy, double x, double y, double eps) {
        int n = xy.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double ex = xy[2 * j] - xy[2 * i], ey = xy[2 * j + 1] - xy[2 * i + 1];
            double len = Math.hypot(ex, ey);
            if (len == 0) continue;
            double cross = ex * (y - xy[2 * i + 1]) - ey * (x - xy[2 * i]);
            if (cross < -eps * len) return false;
        }
        return true;
    }
}
