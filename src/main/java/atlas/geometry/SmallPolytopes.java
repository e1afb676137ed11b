package atlas.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Vertices and volumes of bounded polytopes {@code {x : a_i . x <= b_i}} (unit rows) in dimension 1, 2 and 3,
 * from their facet inequalities. Meant for regions, which have few facets (tens).
 *
 * <ul>
 *   <li>1-D: the interval's two end points, length.</li>
 *   <li>2-D: a square that holds the polygon is clipped by every row (Sutherland-Hodgman on a convex polygon);
 *       vertices counter-clockwise; area by the shoelace formula. O(m^2).</li>
 *   <li>3-D: every triple of rows is intersected (3x3 Cramer, skipped when the normals are within the tolerance
 *       of dependent) and kept when it satisfies all rows to the distance tolerance; duplicates within the merge
 *       distance are merged. Volume: each facet's vertices are ordered by angle around their mean, and the fan
 *       triangles are coned to the given interior point. O(m^4) for m rows: fine for m up to a few tens.</li>
 * </ul>
 * Distances below {@code tol.sideEps() * lengthScale} count as zero.
 */
public final class SmallPolytopes {
    private SmallPolytopes() {}

    /** Vertices (flat array, dim values each) and volume (length, area) of a small polytope. */
    public record Shape(int dim, double[] vertices, double volume) {
        public Shape {
            vertices = vertices.clone();
        }
        @Override public double[] vertices() { return vertices.clone(); }
        public int vertexCount() { return vertices.length / dim; }
    }

    /**
     * @param dim         1, 2 or 3
     * @param rows        number of rows
     * @param a           unit rows. Not modified.
     * @param b           right-hand sides. Not modified.
     * @param interior    a point strictly inside. Not modified.
     * @param lengthScale a length at least the polytope's diameter (the domain's diameter)
     * @param tol         the tolerance policy
     */
    public static Shape of(int dim, int rows, double[] a, double[] b, double[] interior, double lengthScale, Tolerance tol) {
        return switch (dim) {
            case 1 -> interval(rows, a, b, interior);
            case 2 -> polygon(rows, a, b, interior, lengthScale);
            case 3 -> polyhedron(rows, a, b, interior, lengthScale, tol);
            default -> throw new IllegalArgumentException("vertices and volumes are computed for dimension 1 to 3, not " + dim);
        };
    }

    private static Shape interval(int rows, double[] a, double[] b, double[] c) {
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            if (a[i] > 0) hi = Math.min(hi, b[i] / a[i]);
            else if (a[i] < 0) lo = Math.max(lo, b[i] / a[i]);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) throw new IllegalArgumentException("the interval is unbounded");
        return new Shape(1, new double[]{lo, hi}, Math.max(0, hi - lo));
    }

    private static Shape polygon(int rows, double[] a, double[] b, double[] c, double half) {
        double r = 4 * half;
        double[] poly = {c[0] - r, c[1] - r, c[0] + r, c[1] - r, c[0] + r, c[1] + r, c[0] - r, c[1] + r};
        int n = 4;
        double[] next = new double[2 * (n + rows + 4)];
        double[] cur = Arrays.copyOf(poly, 2 * (n + rows + 4));
        for (int i = 0; i < rows && n > 0; i++) {
            double ax = a[2 * i], ay = a[2 * i + 1], bi = b[i];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int l = (k + 1) % n;
                double px = cur[2 * k], py = cur[2 * k + 1], qx = cur[2 * l], qy = cur[2 * l + 1];
                double sp = ax * px + ay * py - bi, sq = ax * qx + ay * qy - bi;
                if (sp <= 0) { next[2 * m] = px; next[2 * m + 1] = py; m++; }
                if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
                    double t = sp / (sp - sq);
                    next[2 * m] = px + t * (qx - px);
                    next[2 * m + 1] = py + t * (qy - py);
                    m++;
                }
            }
            double[] tmp = cur; cur = next; next = tmp;
            n = m;
        }
        double[] v = Arrays.copyOf(cur, 2 * n);
        if (n < 3) return new Shape(2, v, 0);
        double area = Polygons.signedArea(v);
        for (int k = 0; k < n; k++)
            if (Math.abs(v[2 * k] - c[0]) >= r || Math.abs(v[2 * k + 1] - c[1]) >= r)
                throw new IllegalArgumentException("the polygon is unbounded");
        return new Shape(2, v, Math.abs(area));
    }

    private static Shape polyhedron(int rows, double[] a, double[] b, double[] c, double scale, Tolerance tol) {
        double eps = tol.sideEps() * scale;
        List<double[]> verts = new ArrayList<>();
        double[] v = new double[3];
        for (int i = 0; i < rows; i++)
            for (int j = i + 1; j < rows; j++)
                for (int k = j + 1; k < rows; k++) {
                    if (!solve3(a, b, i, j, k, tol.mergeEps(), v)) continue;
                    boolean inside = true;
                    for (int l = 0; l < rows && inside; l++)
                        inside = a[3 * l] * v[0] + a[3 * l + 1] * v[1] + a[3 * l + 2] * v[2] - b[l] <= eps;
                    if (!inside) continue;
                    boolean dup = false;
                    for (double[] w : verts)
                        if (Math.abs(w[0] - v[0]) <= eps && Math.abs(w[1] - v[1]) <= eps && Math.abs(w[2] - v[2]) <= eps) { dup = true; break; }
                    if (!dup) verts.add(v.clone());
                }
        double vol = 0;
        for (int f = 0; f < rows; f++) {
            List<double[]> on = new ArrayList<>();
            for (double[] w : verts)
                if (Math.abs(a[3 * f] * w[0] + a[3 * f + 1] * w[1] + a[3 * f + 2] * w[2] - b[f]) <= eps) on.add(w);
            if (on.size() < 3) continue;
            double[] g = new double[3];
            for (double[] w : on) for (int k = 0; k < 3; k++) g[k] += w[k] / on.size();
            double[] nrm = {a[3 * f], a[3 * f + 1], a[3 * f + 2]};
            double[] u = orthogonal(nrm);
            double[] w2 = cross(nrm, u);
            on.sort((p, q) -> Double.compare(angle(p, g, u, w2), angle(q, g, u, w2)));
            for (int k = 0; k < on.size(); k++) {
                double[] p = on.get(k), q = on.get((k + 1) % on.size());
                vol += Math.abs(det3(p[0] - c[0], p[1] - c[1], p[2] - c[2],
                        q[0] - c[0], q[1] - c[1], q[2] - c[2],
                        g[0] - c[0], g[1] - c[1], g[2] - c[2])) / 6;
            }
        }
        double[] flat = new double[3 * verts.size()];
        for (int k = 0; k < verts.size(); k++) System.arraycopy(verts.get(k), 0, flat, 3 * k, 3);
        return new Shape(3, flat, vol);
    }

    private static double angle(double[] p, double[] g, double[] u, double[] w) {
        double x = 0, y = 0;
        for (int k = 0; k < 3; k++) { x += (p[k] - g[k]) * u[k]; y += (p[k] - g[k]) * w[k]; }
        return Math.atan2(y, x);
    }

    private static double[] orthogonal(double[] n) {
        double[] e = Math.abs(n[0]) < 0.6 ? new double[]{1, 0, 0} : new double[]{0, 1, 0};
        double[] u = cross(n, e);
        double len = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        for (int k = 0; k < 3; k++) u[k] /= len;
        return u;
    }

    private static double[] cross(double[] p, double[] q) {
        return new double[]{p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]};
    }

    private static double det3(double a, double b, double c, double d, double e, double f, double g, double h, double i) {
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    }

    /** Intersection of three planes (unit rows i, j, k) into v; false when their normals are nearly dependent. */
    private static boolean solve3(double[] a, double[] b, int i, int j, int k, double minDet, double[] v) {
        double a0 = a[3 * i], a1 = a[3 * i + 1], a2 = a[3 * i + 2];
        double b0 = a[3 * j], b1 = a[3 * j + 1], b2 = a[3 * j + 2];
        double c0 = a[3 * k], c1 = a[3 * k + 1], c2 = a[3 * k + 2];
        double det = det3(a0, a1, a2, b0, b1, b2, c0, c1, c2);
        if (Math.abs(det) <= minDet) return false;
        double r0 = b[i], r1 = b[j], r2 = b[k];
        v[0] = det3(r0, a1, a2, r1, b1, b2, r2, c1, c2) / det;
        v[1] = det3(a0, r0, a2, b0, r1, b2, c0, r2, c2) / det;
        v[2] = det3(a0, a1, r0, b0, b1, r1, c0, c1, r2) / det;
        return true;
    }
}
