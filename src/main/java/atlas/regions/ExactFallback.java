package atlas.regions;

import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The exact side of the filtered predicates of {@link atlas.geometry.Tolerance.Kind#EXACT}: exact coordinates of
 * the vertices of a 1-D or 2-D partition and exact network values there, in arbitrary precision on the given
 * float64 weights (every double is a dyadic rational {@code m 2^e}, and so are sums and products of them).
 *
 * <p>A point is kept in homogeneous form {@code (X_1, ..., X_d, W)} with integer components and {@code W > 0},
 * meaning {@code x = X / W}. The network is evaluated on it without any division: {@code Z = z W} is
 * {@code b W + sum w H}, and since {@code W > 0}, {@code relu(z) W = relu(Z)} (likewise leaky ReLU). A vertex
 * made where unit {@code u} of layer {@code L} is zero on edge {@code (a, b)} is
 * {@code (Z_a X_b - Z_b X_a) / (Z_a W_b - Z_b W_a)}: the zero of the affine interpolation, which is exact because
 * in exact mode every edge lies inside one region of layers {@code < L}. Components are divided by their gcd, so
 * sizes stay those of the true rational point. Only vertices whose float value the filter could not decide are
 * ever evaluated here, so the cost (BigInteger arithmetic, O(depth x width^2) per evaluation) is paid rarely.
 *
 * <p>Not thread-safe: callers use it from one thread.
 */
final class ExactFallback {
    /** Extra quotient bits beyond a double's 53 when dividing: the truncation is below 2^-69 relative. */
    private static final int QUOTIENT_BITS = 70;

    /**
     * An exact dyadic rational {@code m 2^e} (every double is one; sums and products of them are too). Binary, so
     * that converting a double, aligning two numbers and multiplying are shifts and one BigInteger product.
     */
    record Dyadic(BigInteger m, int e) {
        static final Dyadic ZERO = new Dyadic(BigInteger.ZERO, 0);
        static final Dyadic ONE = new Dyadic(BigInteger.ONE, 0);

        Dyadic(double d) { this(mantissa(d), exponent(d)); }

        private static BigInteger mantissa(double d) {
            if (d == 0) return BigInteger.ZERO;
            long bits = Double.doubleToRawLongBits(d);
            int ex = (int) ((bits >>> 52) & 0x7ff);
            long m = bits & 0xfffffffffffffL;
            if (ex != 0) m |= 1L << 52;
            return BigInteger.valueOf(d < 0 ? -m : m);
        }

        private static int exponent(double d) {
            if (d == 0) return 0;
            int ex = (int) ((Double.doubleToRawLongBits(d) >>> 52) & 0x7ff);
            return (ex == 0 ? 1 : ex) - 1075;
        }

        int signum() { return m.signum(); }

        Dyadic negate() { return new Dyadic(m.negate(), e); }

        Dyadic multiply(Dyadic o) {
            if (m.signum() == 0 || o.m.signum() == 0) return ZERO;
            return new Dyadic(m.multiply(o.m), e + o.e);
        }

        Dyadic add(Dyadic o) {
            if (o.m.signum() == 0) return this;
            if (m.signum() == 0) return o;
            if (e == o.e) return new Dyadic(m.add(o.m), e);
            return e < o.e ? new Dyadic(m.add(o.m.shiftLeft(o.e - e)), e) : new Dyadic(m.shiftLeft(e - o.e).add(o.m), o.e);
        }

        Dyadic subtract(Dyadic o) { return add(o.negate()); }
    }

    private final Network net;
    private final int dim;
    /** per vertex: parent vertices and the (layer, unit) whose zero made it; parentA = -1 for input vertices */
    private int[] parentA = new int[0], parentB = new int[0], cutLayer = new int[0], cutUnit = new int[0];
    private final HashMap<Integer, Dyadic[]> coords = new HashMap<>();
    private int evaluations;

    /**
     * per layer i (index i - 1): W, b and each skip's P as exact dyadics; built on the first exact evaluation
     * (most partitions never need one)
     */
    private Dyadic[][] weights, biases;
    private Dyadic[][][] skipWeights;

    ExactFallback(Network net, int dim) {
        this.net = net;
        this.dim = dim;
    }

    private void convertWeights() {
        int depth = net.depth();
        weights = new Dyadic[depth][];
        biases = new Dyadic[depth][];
        skipWeights = new Dyadic[depth][][];
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            weights[i - 1] = exact(l.weights());
            biases[i - 1] = exact(l.bias());
            skipWeights[i - 1] = new Dyadic[l.skips().size()][];
            for (int s = 0; s < l.skips().size(); s++)
                if (!l.skips().get(s).isIdentity()) skipWeights[i - 1][s] = exact(l.skips().get(s).weights());
        }
    }

    private static Dyadic[] exact(double[] a) {
        Dyadic[] out = new Dyadic[a.length];
        for (int k = 0; k < a.length; k++) out[k] = a[k] == 0 ? null : new Dyadic(a[k]);
        return out;
    }

    private static Dyadic exact(double d) { return new Dyadic(d); }

    /** Records how vertex v was made (call for every vertex, in order; a = -1 for an input vertex). */
    void record(int v, int a, int b, int layer, int unit) {
        if (v >= parentA.length) {
            int n = Math.max(v + 1, 2 * parentA.length + 16);
            parentA = java.util.Arrays.copyOf(parentA, n);
            parentB = java.util.Arrays.copyOf(parentB, n);
            cutLayer = java.util.Arrays.copyOf(cutLayer, n);
            cutUnit = java.util.Arrays.copyOf(cutUnit, n);
        }
        parentA[v] = a;
        parentB[v] = b;
        cutLayer[v] = layer;
        cutUnit[v] = unit;
    }

    /** The first parent of vertex v, -1 for an input vertex. */
    int parentA(int v) { return parentA[v]; }

    /** The second parent of vertex v (a crossing vertex). */
    int parentB(int v) { return parentB[v]; }

    /** The layer whose cut made vertex v (a crossing vertex). */
    int cutLayer(int v) { return cutLayer[v]; }

    /** The unit whose zero made vertex v (a crossing vertex). */
    int cutUnit(int v) { return cutUnit[v]; }

    /** Number of exact network evaluations so far (for the benchmark and tests). */
    int evaluations() { return evaluations; }

    /**
     * The exact homogeneous coordinates of vertex v; {@code inputCoords} are the stored (float) coordinates,
     * exact for input vertices.
     */
    Dyadic[] coords(int v, double[] inputCoords) {
        Dyadic[] c = coords.get(v);
        if (c != null) return c;
        // parents first, without recursion (chains of crossings can be long)
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(v);
        while (!stack.isEmpty()) {
            int x = stack.peek();
            if (coords.containsKey(x)) { stack.pop(); continue; }
            if (parentA[x] < 0) {
                Dyadic[] h = new Dyadic[dim + 1];
                for (int k = 0; k < dim; k++) h[k] = new Dyadic(inputCoords[x * dim + k]);
                h[dim] = Dyadic.ONE;
                coords.put(x, normalize(h));
                stack.pop();
                continue;
            }
            Dyadic[] ca = coords.get(parentA[x]), cb = coords.get(parentB[x]);
            if (ca == null) { stack.push(parentA[x]); continue; }
            if (cb == null) { stack.push(parentB[x]); continue; }
            int layer = cutLayer[x], unit = cutUnit[x];
            Dyadic za = forward(ca, layer, unit)[layer][unit], zb = forward(cb, layer, unit)[layer][unit];
            if (za.signum() * zb.signum() >= 0)
                throw new IllegalStateException("exact mode: a crossing on an edge whose ends are not strictly on opposite sides");
            Dyadic[] h = new Dyadic[dim + 1];
            for (int k = 0; k <= dim; k++) h[k] = za.multiply(cb[k]).subtract(zb.multiply(ca[k]));
            if (h[dim].signum() < 0) for (int k = 0; k <= dim; k++) h[k] = h[k].negate();
            coords.put(x, normalize(h));
            stack.pop();
        }
        return coords.get(v);
    }

    /**
     * Evaluates the network at a homogeneous point up to layer {@code layer}: returns {@code h[j]} for
     * {@code j < layer} (activated, times W; h[0] = X) and, in {@code h[layer]}, the layer's pre-activations
     * times W.
     */
    Dyadic[][] forward(Dyadic[] point, int layer) { return forward(point, layer, -1); }

    /** As {@link #forward(Dyadic[], int)}; when {@code only >= 0}, layer {@code layer} has only that unit computed. */
    private Dyadic[][] forward(Dyadic[] point, int layer, int only) {
        if (weights == null) convertWeights();
        evaluations++;
        Dyadic w0 = point[dim];
        Dyadic[][] h = new Dyadic[layer + 1][];
        h[0] = java.util.Arrays.copyOf(point, dim);
        for (int i = 1; i <= layer; i++) {
            DenseLayer l = net.layer(i);
            int in = l.inputSize();
            Dyadic[] w = weights[i - 1], b = biases[i - 1];
            Dyadic[] z = new Dyadic[l.units()];
            for (int u = 0; u < l.units(); u++) {
                if (i == layer && only >= 0 && u != only) continue;
                Dyadic s = b[u] == null ? Dyadic.ZERO : b[u].multiply(w0);
                for (int k = 0; k < in; k++) {
                    Dyadic wk = w[u * in + k];
                    if (wk != null && h[i - 1][k].signum() != 0) s = s.add(wk.multiply(h[i - 1][k]));
                }
                for (int si = 0; si < l.skips().size(); si++) {
                    Skip skip = l.skips().get(si);
                    Dyadic[] src = h[skip.from()];
                    if (skip.isIdentity()) s = s.add(src[u]);
                    else for (int k = 0; k < skip.cols(); k++) {
                        Dyadic p = skipWeights[i - 1][si][u * skip.cols() + k];
                        if (p != null && src[k].signum() != 0) s = s.add(p.multiply(src[k]));
                    }
                }
                z[u] = s;
            }
            if (i < layer) {
                for (int u = 0; u < z.length; u++) z[u] = activate(l, z[u]);
            }
            h[i] = z;
        }
        return h;
    }

    static Dyadic activate(DenseLayer l, Dyadic z) {
        return switch (l.activation()) {
            case RELU -> z.signum() > 0 ? z : Dyadic.ZERO;
            case LEAKY_RELU -> z.signum() > 0 ? z : exact(l.leak()).multiply(z);
            case IDENTITY -> z;
        };
    }

    /**
     * {@code num / w} ({@code w > 0}) rounded to a double: the integer quotient carries at least 70 bits, so the
     * result is within (1 + 2^-16) u of the true value (plus the subnormal spacing); exactly 0 only when num is 0.
     */
    static double quotient(Dyadic num, Dyadic w) {
        if (num.signum() == 0) return 0.0;
        int shift = Math.max(0, w.m().bitLength() - num.m().bitLength() + QUOTIENT_BITS);
        BigInteger q = num.m().shiftLeft(shift).divide(w.m());
        long scale = (long) num.e() - w.e() - shift;
        // scale q down first when it is far outside the double range, so that doubleValue() stays finite
        int excess = Math.max(0, q.bitLength() - 64);
        double d = Math.scalb(q.shiftRight(excess).doubleValue(), (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, scale + excess)));
        // a non-zero value below the subnormal range keeps its sign
        return d != 0 ? d : Math.copySign(Double.MIN_VALUE, num.signum());
    }

    /** Integer components divided by their gcd (the same rational point, smallest representation). */
    private static Dyadic[] normalize(Dyadic[] h) {
        int e = Integer.MAX_VALUE;
        for (Dyadic x : h) if (x.signum() != 0) e = Math.min(e, x.e());
        BigInteger[] n = new BigInteger[h.length];
        BigInteger g = BigInteger.ZERO;
        for (int k = 0; k < h.length; k++) {
            n[k] = h[k].signum() == 0 ? BigInteger.ZERO : h[k].m().shiftLeft(h[k].e() - e);
            g = g.gcd(n[k]);
        }
        Dyadic[] out = new Dyadic[h.length];
        for (int k = 0; k < h.length; k++) out[k] = new Dyadic(g.signum() == 0 ? n[k] : n[k].divide(g), 0);
        return out;
    }
}
