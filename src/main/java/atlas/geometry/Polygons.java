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
            int j = i + 1 == n ? 0 : i + 1;
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

    /**
     * The turn at vertex {@code b} of the path a -> b -> c: positive for a left (convex, counter-clockwise) turn,
     * negative for a right (reflex) one, exactly 0 when it is within the side tolerance of straight.
     */
    private static double turn(double[] xy, int a, int b, int c, Tolerance tol) {
        double ux = xy[2 * b] - xy[2 * a], uy = xy[2 * b + 1] - xy[2 * a + 1];
        double vx = xy[2 * c] - xy[2 * b], vy = xy[2 * c + 1] - xy[2 * b + 1];
        return tol.snap(ux * vy - uy * vx, Math.abs(ux * vy) + Math.abs(uy * vx));
    }

    /**
     * True when no vertex of the counter-clockwise polygon turns right by more than the side tolerance. Regions of a
     * plane partition are convex, but one glued from the pieces of two strips can carry a tiny reflex notch at the
     * strip border; the tolerance keeps float noise at straight vertices (T-junctions of a shared-vertex mesh) from
     * counting as reflex.
     */
    public static boolean isConvex(double[] xy, Tolerance tol) {
        int n = xy.length / 2;
        for (int i = 0; i < n; i++)
            if (turn(xy, (i + n - 1) % n, i, (i + 1) % n, tol) < 0) return false;
        return true;
    }

    /**
     * Convex pieces whose union is the simple counter-clockwise polygon {@code xy} and whose interiors are disjoint:
     * {@code {xy}} itself when it {@link #isConvex is convex}, else the triangles of an ear-clipping triangulation.
     * Lets a convex-only kernel (Sutherland-Hodgman clipping against a half-plane per edge) handle a non-convex
     * polygon exactly: clip against each piece and add the results.
     *
     * <p>Invariant of the ear clipping: the remaining vertices (in order) bound a simple polygon whose area plus the
     * triangles already cut off is the original area; an ear is a left-turning vertex whose triangle holds no other
     * remaining reflex vertex, inside or on its boundary. When rounding leaves no such vertex, the most left-turning one is cut.
     *
     * @param xy vertices. Not modified.
     */
    public static double[][] convexParts(double[] xy, Tolerance tol) {
        if (isConvex(xy, tol)) return new double[][]{xy};
        int n = xy.length / 2;
        int[] next = new int[n], prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = (i + 1) % n;
            prev[i] = (i + n - 1) % n;
        }
        double[][] out = new double[n - 2][];
        int parts = 0, left = n, v = 0;
        while (left > 3) {
            int ear = -1, best = v;
            double bestTurn = Double.NEGATIVE_INFINITY;
            for (int k = 0, i = v; k < left; k++, i = next[i]) {
                double t = turn(xy, prev[i], i, next[i], tol);
                if (t > bestTurn) {
                    bestTurn = t;
                    best = i;
                }
                if (t >= 0 && noVertexInside(xy, prev[i], i, next[i], next, prev, left, tol)) {
                    ear = i;
                    break;
                }
            }
            if (ear < 0) ear = best;
            int a = prev[ear], c = next[ear];
            out[parts++] = new double[]{xy[2 * a], xy[2 * a + 1], xy[2 * ear], xy[2 * ear + 1], xy[2 * c], xy[2 * c + 1]};
            next[a] = c;
            prev[c] = a;
            v = c;
            left--;
        }
        out[parts++] = new double[]{xy[2 * prev[v]], xy[2 * prev[v] + 1], xy[2 * v], xy[2 * v + 1], xy[2 * next[v]], xy[2 * next[v] + 1]};
        return out;
    }

    /**
     * True when no remaining reflex vertex other than a, b, c lies inside or on the triangle a, b, c (only a reflex
     * vertex can make an ear invalid; one exactly on the diagonal a-c, where the remaining polygon touches itself,
     * does too).
     */
    private static boolean noVertexInside(double[] xy, int a, int b, int c, int[] next, int[] prev, int left, Tolerance tol) {
        for (int k = 0, p = next[c]; k < left - 3; k++, p = next[p]) {
            if (turn(xy, prev[p], p, next[p], tol) >= 0 || same(xy, p, a) || same(xy, p, b) || same(xy, p, c)) continue;
            if (turn(xy, a, b, p, tol) >= 0 && turn(xy, b, c, p, tol) >= 0 && turn(xy, c, a, p, tol) >= 0) return false;
        }
        return true;
    }

    private static boolean same(double[] xy, int p, int q) {
        return xy[2 * p] == xy[2 * q] && xy[2 * p + 1] == xy[2 * q + 1];
    }
}
