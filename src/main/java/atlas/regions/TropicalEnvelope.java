package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which monomials of a tropical polynomial are the maximum somewhere: exactly on all of R for one variable
 * (the upper convex hull of the points (a_i, c_i)), and on a rectangle for two variables (the upper envelope of
 * the planes {@code a_i . x + c_i} over the rectangle, built by inserting the planes one by one and clipping
 * every cell by the half-plane where it stays on top).
 *
 * <p>invariant (two variables): after inserting monomials 0..j, {@code cells[i]} is the convex polygon of the
 * rectangle where monomial i is at least every inserted one (null when that set has no area), and the cells
 * tile the rectangle.
 *
 * <p>Cost: O(m log m) for one variable; O(m x cells x vertices) for two. Monomials that are the maximum only on
 * a set of area below {@code tol.minVolume()} times the rectangle's area (or only on a line) are dropped.
 */
final class TropicalEnvelope {
    private TropicalEnvelope() {}

    /** Upper hull of (a_i, c_i): the lines that form the upper envelope of {@code a_i x + c_i} over R. */
    static boolean[] upperHull1D(double[] a, double[] c) {
        int m = c.length;
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) idx[i] = i;
        Arrays.sort(idx, (p, q) -> a[p] != a[q] ? Double.compare(a[p], a[q]) : Double.compare(c[q], c[p]));
        int[] hull = new int[m];
        int h = 0;
        for (int k = 0; k < m; k++) {
            int i = idx[k];
            if (h > 0 && a[hull[h - 1]] == a[i]) continue; // equal slope, smaller constant
            // pop while the last point is on or below the segment from the one before it to i
            while (h >= 2) {
                int p = hull[h - 2], q = hull[h - 1];
                double cross = (a[q] - a[p]) * (c[i] - c[p]) - (c[q] - c[p]) * (a[i] - a[p]);
                if (cross >= 0) h--; else break;
            }
            hull[h++] = i;
        }
        boolean[] keep = new boolean[m];
        for (int k = 0; k < h; k++) keep[hull[k]] = true;
        return keep;
    }

    /** The monomials (two variables) that are the maximum on a part of {@code box} with positive area. */
    static boolean[] envelope2D(double[] a, double[] c, Rectangle box, Tolerance tol) {
        int m = c.length;
        double[][] cells = new double[m][];
        cells[0] = new double[]{box.xmin(), box.ymin(), box.xmax(), box.ymin(), box.xmax(), box.ymax(), box.xmin(), box.ymax()};
        double minArea = tol.minVolume() * box.area();
        List<Integer> alive = new ArrayList<>();
        alive.add(0);
        double[] gained = new double[64];
        for (int j = 1; j < m; j++) {
            int ng = 0;
            List<Integer> next = new ArrayList<>(alive.size() + 1);
            for (int i : alive) {
                // d(x) = plane_j(x) - plane_i(x): j takes the part where d > 0
                double da0 = a[2 * j] - a[2 * i], da1 = a[2 * j + 1] - a[2 * i + 1], dc = c[j] - c[i];
                double[] poly = cells[i];
                int nv = poly.length / 2;
                int pos = 0, neg = 0;
                double[] d = new double[nv];
                for (int v = 0; v < nv; v++) {
                    double x = poly[2 * v], y = poly[2 * v + 1];
                    double t0 = da0 * x, t1 = da1 * y;
                    double val = t0 + t1 + dc;
                    double scale = Math.abs(t0) + Math.abs(t1) + Math.abs(dc) + Math.abs(c[i]) + Math.abs(c[j]);
                    d[v] = tol.snap(val, scale);
                    if (d[v] > 0) pos++; else if (d[v] < 0) neg++;
                }
                if (pos == 0) { next.add(i); continue; }          // i stays on top of its whole cell
                if (neg == 0) {                                    // j takes the whole cell
                    gained = append(gained, ng, poly);
                    ng += poly.length;
                    cells[i] = null;
                    continue;
                }
                double[] keepPart = clip(poly, d, false), lost = clip(poly, d, true);
                gained = append(gained, ng, lost);
                ng += lost.length;
                if (area(keepPart) > minArea) { cells[i] = keepPart; next.add(i); } else cells[i] = null;
            }
            if (ng > 0) {
                double[] hull = convexHull(Arrays.copyOf(gained, ng));
                if (area(hull) > minArea) { cells[j] = hull; next.add(j); }
            }
            alive = next;
        }
        boolean[] keep = new boolean[m];
        for (int i : alive) keep[i] = true;
        return keep;
    }

    private static double[] append(double[] buf, int n, double[] more) {
        if (n + more.length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more.length));
        System.arraycopy(more, 0, buf, n, more.length);
        return buf;
    }

    /** The part of a convex polygon where d &lt;= 0 (positive = false) or d &gt;= 0 (positive = true). */
    private static double[] clip(double[] poly, double[] d, boolean positive) {
        int nv = poly.length / 2;
        double[] out = new double[2 * (nv + 2)];
        int n = 0;
        for (int v = 0; v < nv; v++) {
            int w = (v + 1) % nv;
            double dv = positive ? d[v] : -d[v], dw = positive ? d[w] : -d[w];
            if (dv >= 0) { out[n++] = poly[2 * v]; out[n++] = poly[2 * v + 1]; }
            if ((dv > 0 && dw < 0) || (dv < 0 && dw > 0)) {
                double t = dv / (dv - dw);
                out[n++] = poly[2 * v] + t * (poly[2 * w] - poly[2 * v]);
                out[n++] = poly[2 * v + 1] + t * (poly[2 * w + 1] - poly[2 * v + 1]);
            }
        }
        return Arrays.copyOf(out, n);
    }

    static double area(double[] p) {
        double s = 0;
        int nv = p.length / 2;
        for (int v = 0; v < nv; v++) {
            int w = (v + 1) % nv;
            s += p[2 * v] * p[2 * w + 1] - p[2 * w] * p[2 * v + 1];
        }
        return Math.abs(s) / 2;
    }

    /** Andrew's monotone chain, counter-clockwise, collinear points dropped. */
    static double[] convexHull(double[] pts) {
        int n = pts.length / 2;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (p, q) -> pts[2 * p] != pts[2 * q] ? Double.compare(pts[2 * p], pts[2 * q]) : Double.compare(pts[2 * p + 1], pts[2 * q + 1]));
        if (n < 3) {
            double[] out = new double[2 * n];
            for (int i = 0; i < n; i++) { out[2 * i] = pts[2 * idx[i]]; out[2 * i + 1] = pts[2 * idx[i] + 1]; }
            return out;
        }
        int[] h = new int[2 * n];
        int k = 0;
        for (int s = 0; s < n; s++) {
            int i = idx[s];
            while (k >= 2 && cross(pts, h[k - 2], h[k - 1], i) <= 0) k--;
            h[k++] = i;
        }
        for (int s = n - 2, lower = k + 1; s >= 0; s--) {
            int i = idx[s];
            while (k >= lower && cross(pts, h[k - 2], h[k - 1], i) <= 0) k--;
            h[k++] = i;
        }
        k--; // last equals first
        double[] out = new double[2 * k];
        for (int i = 0; i < k; i++) { out[2 * i] = pts[2 * h[i]]; out[2 * i + 1] = pts[2 * h[i] + 1]; }
        return out;
    }

    private static double cross(double[] p, int o, int a, int b) {
        return (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1]) - (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o]);
    }
}
