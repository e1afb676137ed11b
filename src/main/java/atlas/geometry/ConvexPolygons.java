package atlas.geometry;

import java.util.Arrays;

/**
 * Kernels on pairs of convex polygons stored as flat counter-clockwise coordinate arrays {@code x0,y0,x1,y1,...}
 * (collinear vertices allowed): intersection (Sutherland-Hodgman clipping, O(n m)) and Hausdorff distance.
 * Side decisions go through the {@link Tolerance}, so two polygons that share an edge intersect in a degenerate
 * polygon of (near) zero area rather than a sliver of rounding noise.
 */
public final class ConvexPolygons {
    private ConvexPolygons() {}

    /**
     * The intersection of convex polygons {@code p} and {@code q}: a convex counter-clockwise polygon, possibly with
     * fewer than three vertices (empty or degenerate). Not modified: p, q.
     */
    public static double[] intersection(double[] p, double[] q, Tolerance tol) {
        Clipper clip = new Clipper(tol);
        int m = clip.clip(p, q);
        return Arrays.copyOf(clip.result(), 2 * m);
    }

    /**
     * Sutherland-Hodgman clipping of convex polygon p by each edge of convex polygon q in turn, into buffers kept
     * from call to call (the lineage refinement clips millions of pairs). Invariant: after clipping by edge e,
     * {@code src[0, 2 curN)} is the part of p on the inner (left) side of q's edges 0..e, counter-clockwise; a
     * vertex within the tolerance of an edge's line counts as on it (value snapped to 0), so polygons sharing an
     * edge meet in a degenerate polygon, not a sliver. Not thread-safe: one per thread.
     */
    public static final class Clipper {
        private final Tolerance tol;
        private double[] src = new double[64], out = new double[64], val = new double[32];

        public Clipper(Tolerance tol) { this.tol = tol; }

        /** Clips {@code p} by {@code q}; returns the number of vertices of the intersection, in {@link #result()}. Not modified: p, q. */
        public int clip(double[] p, double[] q) {
            int n = p.length / 2, m = q.length / 2;
            int cap = 2 * (n + m + 2);
            if (src.length < cap) {
                src = new double[cap];
                out = new double[cap];
                val = new double[cap / 2];
            }
            System.arraycopy(p, 0, src, 0, p.length);
            int curN = n;
            for (int e = 0; e < m && curN > 0; e++) {
                int f = (e + 1) % m;
                double ax = q[2 * e], ay = q[2 * e + 1];
                double ex = q[2 * f] - ax, ey = q[2 * f + 1] - ay;
                if (ex == 0 && ey == 0) continue;
                boolean anyOut = false;
                for (int i = 0; i < curN; i++) {
                    double dx = src[2 * i] - ax, dy = src[2 * i + 1] - ay;
                    double c = ex * dy - ey * dx;
                    val[i] = tol.snap(c, Math.abs(ex * dy) + Math.abs(ey * dx));
                    if (val[i] < 0) anyOut = true;
                }
                if (!anyOut) continue;
                int k = 0;
                for (int i = 0; i < curN; i++) {
                    int prev = (i + curN - 1) % curN;
                    double vc = val[i], vp = val[prev];
                    if (vc >= 0) {
                        if (vp < 0 && vc > 0) k = cross(prev, i, vp, vc, k);
                        out[2 * k] = src[2 * i];
                        out[2 * k + 1] = src[2 * i + 1];
                        k++;
                    } else if (vp > 0) {
                        k = cross(prev, i, vp, vc, k);
                    }
                }
                double[] t = src;
                src = out;
                out = t;
                curN = k;
            }
            return curN;
        }

        /** The vertices of the last {@link #clip}'s intersection (valid until the next call). */
        public double[] result() { return src; }

        private int cross(int a, int b, double va, double vb, int k) {
            double t = va / (va - vb);
            out[2 * k] = src[2 * a] + t * (src[2 * b] - src[2 * a]);
            out[2 * k + 1] = src[2 * a + 1] + t * (src[2 * b + 1] - src[2 * a + 1]);
            return k + 1;
        }
    }

    /** The area of the intersection of convex polygons {@code p} and {@code q} (0 when they only touch). */
    public static double intersectionArea(double[] p, double[] q, Tolerance tol) {
        double[] r = intersection(p, q, tol);
        return r.length < 6 ? 0 : Math.max(0, Polygons.signedArea(r));
    }

    /**
     * The Hausdorff distance between convex polygons {@code p} and {@code q} as point sets. The distance to a
     * convex set is a convex function, so its largest value over the other polygon is attained at a vertex:
     * the result is max(max over p's vertices of dist(v, q), max over q's vertices of dist(w, p)), exact to
     * rounding.
     */
    public static double hausdorff(double[] p, double[] q) {
        return Math.max(directed(p, q), directed(q, p));
    }

    private static double directed(double[] from, double[] to) {
        double d = 0;
        for (int i = 0; i < from.length / 2; i++) d = Math.max(d, distance(from[2 * i], from[2 * i + 1], to));
        return d;
    }

    /** The distance from (x, y) to the convex counter-clockwise polygon {@code q} (0 inside or on it). */
    public static double distance(double x, double y, double[] q) {
        if (Polygons.convexContains(q, x, y, 0)) return 0;
        int m = q.length / 2;
        double best = Double.POSITIVE_INFINITY;
        for (int e = 0; e < m; e++) {
            int f = (e + 1) % m;
            best = Math.min(best, segmentDistance(x, y, q[2 * e], q[2 * e + 1], q[2 * f], q[2 * f + 1]));
        }
        return best;
    }

    private static double segmentDistance(double x, double y, double ax, double ay, double bx, double by) {
        double ex = bx - ax, ey = by - ay;
        double len2 = ex * ex + ey * ey;
        double t = len2 == 0 ? 0 : ((x - ax) * ex + (y - ay) * ey) / len2;
        t = Math.max(0, Math.min(1, t));
        return Math.hypot(x - (ax + t * ex), y - (ay + t * ey));
    }
}
