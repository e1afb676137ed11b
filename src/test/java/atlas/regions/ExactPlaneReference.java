package atlas.regions;

import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A slow and simple exact reference for plane partitions, independent of the kernel: rational numbers as
 * BigInteger fractions, every polygon kept on its own (no shared vertices, no filter), split unit by unit along
 * the zero of the unit's pre-activation, which is affine on the polygon (interpolated exactly between vertex
 * values of opposite strict signs). Patterns are read at the polygon's vertex average (an interior point), and two
 * regions are adjacent when two of their edges overlap on a segment of positive length.
 */
final class ExactPlaneReference {

    /** An exact rational, normalised (gcd 1, positive denominator). */
    record Q(BigInteger n, BigInteger d) {
        static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);

        Q {
            if (d.signum() == 0) throw new ArithmeticException("zero denominator");
            if (d.signum() < 0) { n = n.negate(); d = d.negate(); }
            BigInteger g = n.gcd(d);
            if (!g.equals(BigInteger.ONE) && g.signum() != 0) { n = n.divide(g); d = d.divide(g); }
        }

        static Q of(double x) {
            if (x == 0) return ZERO;
            // x = m 2^e exactly (binary, so that denominators stay powers of two)
            long bits = Double.doubleToRawLongBits(x);
            int ex = (int) ((bits >>> 52) & 0x7ff);
            long m = bits & 0xfffffffffffffL;
            if (ex != 0) m |= 1L << 52;
            int e = (ex == 0 ? 1 : ex) - 1075;
            BigInteger n = BigInteger.valueOf(x < 0 ? -m : m);
            return e >= 0 ? new Q(n.shiftLeft(e), BigInteger.ONE) : new Q(n, BigInteger.ONE.shiftLeft(-e));
        }

        static Q of(long x) { return new Q(BigInteger.valueOf(x), BigInteger.ONE); }

        Q add(Q o) { return new Q(n.multiply(o.d).add(o.n.multiply(d)), d.multiply(o.d)); }
        Q sub(Q o) { return add(o.neg()); }
        Q mul(Q o) { return new Q(n.multiply(o.n), d.multiply(o.d)); }
        Q div(Q o) { return new Q(n.multiply(o.d), d.multiply(o.n)); }
        Q neg() { return new Q(n.negate(), d); }
        int signum() { return n.signum(); }
        double toDouble() { return new java.math.BigDecimal(n).divide(new java.math.BigDecimal(d), java.math.MathContext.DECIMAL64).doubleValue(); }
    }

    record Point(Q x, Q y) {}

    /** A region of the reference: its polygon (counter-clockwise) and its pattern as a bit string. */
    record Cell(List<Point> polygon, String pattern) {
        Q area() {
            Q s = Q.ZERO;
            for (int k = 0; k < polygon.size(); k++) {
                Point p = polygon.get(k), q = polygon.get((k + 1) % polygon.size());
                s = s.add(p.x.mul(q.y).sub(q.x.mul(p.y)));
            }
            return s.div(Q.of(2));
        }
    }

    private final Network net;
    private final Map<Point, Q[][]> cache = new HashMap<>();
    final List<Cell> cells = new ArrayList<>();

    /** The exact partition of the rectangle of a 2-input network's input plane. */
    ExactPlaneReference(Network net, double xmin, double xmax, double ymin, double ymax) {
        if (net.inputDim() != 2) throw new IllegalArgumentException("2 inputs expected");
        this.net = net;
        List<List<Point>> polys = new ArrayList<>();
        Q x0 = Q.of(xmin), x1 = Q.of(xmax), y0 = Q.of(ymin), y1 = Q.of(ymax);
        polys.add(List.of(new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1)));
        for (int i = 1; i <= net.depth(); i++) {
            if (!net.layer(i).activation().cuts()) continue;
            for (int u = 0; u < net.layer(i).units(); u++) {
                List<List<Point>> next = new ArrayList<>();
                for (List<Point> poly : polys) split(poly, i, u, next);
                polys = next;
            }
        }
        for (List<Point> poly : polys) cells.add(new Cell(poly, pattern(poly)));
    }

    int count() { return cells.size(); }

    /** Pairs of patterns (sorted, joined by '|') of regions that share an edge of positive length. */
    Set<String> adjacency() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < cells.size(); i++)
            for (int j = i + 1; j < cells.size(); j++)
                if (shareEdge(cells.get(i).polygon, cells.get(j).polygon)) out.add(pair(cells.get(i).pattern, cells.get(j).pattern));
        return out;
    }

    static String pair(String a, String b) { return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a; }

    private void split(List<Point> poly, int layer, int unit, List<List<Point>> out) {
        int n = poly.size();
        Q[] z = new Q[n];
        boolean pos = false, neg = false;
        for (int k = 0; k < n; k++) {
            z[k] = eval(poly.get(k))[layer][unit];
            pos |= z[k].signum() > 0;
            neg |= z[k].signum() < 0;
        }
        if (!(pos && neg)) { out.add(poly); return; }
        List<Point> plus = new ArrayList<>(), minus = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Point p = poly.get(k), q = poly.get((k + 1) % n);
            if (z[k].signum() >= 0) plus.add(p);
            if (z[k].signum() <= 0) minus.add(p);
            Q zq = z[(k + 1) % n];
            if (z[k].signum() * zq.signum() < 0) {
                Q t = z[k].div(z[k].sub(zq));
                Point c = new Point(p.x.add(t.mul(q.x.sub(p.x))), p.y.add(t.mul(q.y.sub(p.y))));
                plus.add(c);
                minus.add(c);
            }
        }
        out.add(plus);
        out.add(minus);
    }

    /** Pre-activations of every layer at an exact point (h[i] for layer i, not activated). */
    Q[][] eval(Point p) {
        Q[][] cached = cache.get(p);
        if (cached != null) return cached;
        Q[][] z = new Q[net.depth() + 1][];
        Q[][] h = new Q[net.depth() + 1][];
        h[0] = new Q[]{p.x, p.y};
        z[0] = h[0];
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            z[i] = new Q[l.units()];
            h[i] = new Q[l.units()];
            for (int u = 0; u < l.units(); u++) {
                Q s = Q.of(l.bias()[u]);
                for (int k = 0; k < l.inputSize(); k++) s = s.add(Q.of(l.weight(u, k)).mul(h[i - 1][k]));
                for (Skip sk : l.skips()) {
                    if (sk.isIdentity()) s = s.add(h[sk.from()][u]);
                    else for (int k = 0; k < sk.cols(); k++) s = s.add(Q.of(sk.weight(u, k)).mul(h[sk.from()][k]));
                }
                z[i][u] = s;
                h[i][u] = switch (l.activation()) {
                    case RELU -> s.signum() > 0 ? s : Q.ZERO;
                    case LEAKY_RELU -> s.signum() > 0 ? s : Q.of(l.leak()).mul(s);
                    case IDENTITY -> s;
                };
            }
        }
        cache.put(p, z);
        return z;
    }

    private String pattern(List<Point> poly) {
        Q sx = Q.ZERO, sy = Q.ZERO;
        for (Point p : poly) { sx = sx.add(p.x); sy = sy.add(p.y); }
        Q n = Q.of(poly.size());
        Q[][] z = eval(new Point(sx.div(n), sy.div(n)));
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= net.depth(); i++) {
            if (!net.layer(i).activation().cuts()) continue;
            for (Q v : z[i]) b.append(v.signum() > 0 ? '1' : '0');
        }
        return b.toString();
    }

    private static Q cross(Point o, Point a, Point b) {
        return a.x.sub(o.x).mul(b.y.sub(o.y)).sub(a.y.sub(o.y).mul(b.x.sub(o.x)));
    }

    private static boolean shareEdge(List<Point> p, List<Point> q) {
        for (int i = 0; i < p.size(); i++) {
            Point a = p.get(i), b = p.get((i + 1) % p.size());
            for (int j = 0; j < q.size(); j++) {
                Point c = q.get(j), d = q.get((j + 1) % q.size());
                if (cross(a, b, c).signum() != 0 || cross(a, b, d).signum() != 0) continue; // not collinear
                // parameters of c and d along a->b (a != b); overlap of [0,1] and [tc, td] of positive length
                Q ex = b.x.sub(a.x), ey = b.y.sub(a.y);
                Q len2 = ex.mul(ex).add(ey.mul(ey));
                if (len2.signum() == 0) continue;
                Q tc = c.x.sub(a.x).mul(ex).add(c.y.sub(a.y).mul(ey)).div(len2);
                Q td = d.x.sub(a.x).mul(ex).add(d.y.sub(a.y).mul(ey)).div(len2);
                Q lo = max(Q.ZERO, min(tc, td)), hi = min(Q.of(1), max(tc, td));
                if (hi.sub(lo).signum() > 0) return true;
            }
        }
        return false;
    }

    private static Q min(Q a, Q b) { return a.sub(b).signum() <= 0 ? a : b; }
    private static Q max(Q a, Q b) { return a.sub(b).signum() >= 0 ? a : b; }
}
