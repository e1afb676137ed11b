package atlas.regions;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.HashMap;

/**
 * The middle stage of the filtered predicates of exact mode (between the double filter of {@link VertexTable} and
 * the exact arithmetic of {@link ExactFallback}, as in Shewchuk's adaptive predicates and JTS's double-double
 * fallback): a vertex whose double values the filter cannot decide is recomputed in double-double arithmetic
 * (about 106 bits) from its parents, with a rigorous error bound. The double filter's forward bound grows with the
 * depth like a product of the layers' absolute row sums (on a 30-layer net it reaches 1e-2 on values of 1e-3);
 * starting again from 2^-96 instead of 2^-53 decides almost every such vertex without exact arithmetic.
 *
 * <p>Error model: every double-double operation used here (Joldes, Muller and Popescu, "Tight and rigorous error
 * bounds for basic building blocks of double-word arithmetic", 2017: AccurateDWPlusDW 3u^2 + 13u^3,
 * DWTimesFP3 2u^2, DWTimesDW3 4u^2 (with FMA), DWDivDW2 15u^2 + 56u^3) has a relative error below
 * {@link #U2} = 2^-96 (a margin of more than 2^5 over the largest), plus {@link #TINY} absolute per operation for
 * results whose low word is subnormal. Bounds are then propagated as in the double filter: a dot product's
 * rounding is {@code (n + 2) U2} times the sum of its terms' magnitudes, input errors enter with {@code |w|}, and
 * ReLU is 1-Lipschitz (a certified negative is exactly 0). The bounds themselves are computed in double and
 * inflated for their own rounding.
 *
 * <p>Not thread-safe (used from one thread, like {@link ExactFallback}). The filtered path allocates nothing;
 * this stage allocates one small array per vertex whose coordinates it computes (memoized).
 */
final class DoubleDoubleStage {
    /** Relative error allowance per double-double operation (see the class comment). */
    static final double U2 = 0x1p-96;
    /**
     * Absolute error allowance per double-double operation: covers the low word's rounding in the subnormal range
     * (at most 2^-1074 per operation) with a wide margin, and is negligible next to any value a decision rests on.
     */
    static final double TINY = 0x1p-1000;
    /** Unit roundoff of double precision, for the rounding of the bounds themselves. */
    private static final double U = 0x1p-53;

    private final Network net;
    private final int dim;
    private final ExactFallback topology;
    /** per layer L in [0, depth]: the state layout of {@link VertexTable} while layer L is cut (L = 0: none) */
    private final int[][] offsets;
    private final int[] strides;
    /**
     * per vertex: its state where it was made (input vertices: layer 0, the coordinates; crossings: the layer of
     * their cut), or an empty array when that could not be certified. Layout: {hi, lo} per coordinate, the
     * coordinates' bound, then {hi, lo, bound} per state column of that layer.
     */
    private final HashMap<Integer, double[]> made = new HashMap<>();
    /** states at layer {@link #cachedLayer} (cleared when another layer is asked for) */
    private final HashMap<Integer, double[]> cache = new HashMap<>();
    private int cachedLayer = -1;
    private final double[] r = new double[2];
    private int evaluations;

    DoubleDoubleStage(Network net, int dim, ExactFallback topology, int[] lastReader) {
        this.net = net;
        this.dim = dim;
        this.topology = topology;
        int depth = net.depth();
        offsets = new int[depth + 1][];
        strides = new int[depth + 1];
        offsets[0] = new int[]{-1};
        for (int i = 1; i <= depth; i++) {
            offsets[i] = VertexTable.layerOffsets(net, i, lastReader);
            strides[i] = VertexTable.stride(net, offsets[i]);
        }
    }

    /** Number of layer steps computed (for the benchmark). */
    int evaluations() { return evaluations; }

    // ---- double-double building blocks (results in r[0] = hi, r[1] = lo) ----

    /** Error-free sum: r = (a + b rounded, its error). */
    private static void twoSum(double a, double b, double[] r) {
        double s = a + b, bb = s - a;
        r[0] = s;
        r[1] = (a - (s - bb)) + (b - bb);
    }

    /** AccurateDWPlusDW. */
    private static void add(double xh, double xl, double yh, double yl, double[] r) {
        double sh = xh + yh, bb = sh - xh, sl = (xh - (sh - bb)) + (yh - bb);
        double th = xl + yl, cc = th - xl, tl = (xl - (th - cc)) + (yl - cc);
        double c = sl + th;
        double vh = sh + c, vl = c - (vh - sh);
        double w = tl + vl;
        double zh = vh + w;
        r[0] = zh;
        r[1] = w - (zh - vh);
    }

    /** DWTimesFP3: (xh, xl) * y. */
    private static void mulFp(double xh, double xl, double y, double[] r) {
        double ch = xh * y, cl1 = Math.fma(xh, y, -ch);
        double cl3 = Math.fma(xl, y, cl1);
        double zh = ch + cl3;
        r[0] = zh;
        r[1] = cl3 - (zh - ch);
    }

    /** DWTimesDW3. */
    private static void mul(double xh, double xl, double yh, double yl, double[] r) {
        double ch = xh * yh, cl1 = Math.fma(xh, yh, -ch);
        double tl0 = xl * yl;
        double tl1 = Math.fma(xh, yl, tl0);
        double cl2 = Math.fma(xl, yh, tl1);
        double cl3 = cl1 + cl2;
        double zh = ch + cl3;
        r[0] = zh;
        r[1] = cl3 - (zh - ch);
    }

    /** DWDivDW2. */
    private static void div(double xh, double xl, double yh, double yl, double[] r) {
        double th = xh / yh;
        mulFp(yh, yl, th, r);
        double rh = r[0], rl = r[1];
        double ph = xh - rh;
        double dl = xl - rl;
        double d = ph + dl;
        double tl = d / yh;
        double zh = th + tl;
        r[0] = zh;
        r[1] = tl - (zh - th);
    }

    // ---- the stage ----

    /** Index of state column col's {hi, lo, bound} in a state array. */
    private int col(int c) { return 2 * dim + 1 + 3 * c; }

    /**
     * The double-double state of vertex v while layer {@code layer} is cut (the layout of {@link VertexTable}:
     * z of that layer, then the kept earlier outputs), each value with a bound on its distance from the exact
     * value at the exact vertex; null when a crossing on the vertex's chain of parents cannot be certified in
     * double-double (the caller then uses exact arithmetic). {@code floatCoords}: the stored coordinates (exact
     * for the input vertices).
     */
    double[] state(int v, int layer, double[] floatCoords) {
        if (layer != cachedLayer) { cache.clear(); cachedLayer = layer; }
        double[] s = cache.get(v);
        if (s != null) return s.length == 0 ? null : s;
        s = stateAt(v, layer, floatCoords);
        cache.put(v, s == null ? new double[0] : s);
        return s;
    }

    private double[] stateAt(int v, int layer, double[] floatCoords) {
        // the states where the chain's vertices were made, parents first, without recursion
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
        stack.push(v);
        while (!stack.isEmpty()) {
            int x = stack.peek();
            if (made.containsKey(x)) { stack.pop(); continue; }
            int a = topology.parentA(x);
            if (a < 0) {
                double[] h = new double[2 * dim + 1];
                for (int k = 0; k < dim; k++) h[2 * k] = floatCoords[x * dim + k];
                made.put(x, h);
                stack.pop();
                continue;
            }
            int b = topology.parentB(x);
            if (!made.containsKey(a)) { stack.push(a); continue; }
            if (!made.containsKey(b)) { stack.push(b); continue; }
            stack.pop();
            int c = topology.cutLayer(x);
            double[] sa = advance(a, c), sb = advance(b, c);
            double[] h = sa == null || sb == null ? null : crossing(sa, sb, c, topology.cutUnit(x));
            made.put(x, h == null ? new double[0] : h);
        }
        return advance(v, layer);
    }

    /** The layer at which vertex v's made-state is. */
    private int madeLayer(int v) { return topology.parentA(v) < 0 ? 0 : topology.cutLayer(v); }

    /** Vertex v's state stepped from where it was made to layer {@code layer}; null when not certified. */
    private double[] advance(int v, int layer) {
        double[] s = made.get(v);
        if (s.length == 0) return null;
        for (int i = madeLayer(v) + 1; i <= layer; i++) s = step(s, i);
        return s;
    }

    /**
     * The zero of unit (layer, unit) on the segment between two states of that layer: every column interpolated
     * as in {@link VertexTable#addCrossing} (the same bound, with {@link #U2} for the roundings); null when the
     * ends' signs are not certified.
     */
    private double[] crossing(double[] sa, double[] sb, int layer, int unit) {
        int cu = col(unit);
        double zah = sa[cu], zal = sa[cu + 1], ea = sa[cu + 2];
        double zbh = sb[cu], zbl = sb[cu + 1], eb = sb[cu + 2];
        double A = Math.abs(zah), B = Math.abs(zbh);
        // |lo| <= ulp(hi) / 2: A(1 - 2u) is below the double-double magnitude; signs must be strict and certified
        double room = (A + B) * (1 - 4 * U) - ea - eb;
        if (!(Math.signum(zah) * Math.signum(zbh) < 0) || !(A * (1 - 2 * U) > ea) || !(B * (1 - 2 * U) > eb) || !(room > 0))
            return null;
        // t = za / (za - zb): a subtraction and a division, each within U2 relative; t <= 1
        add(zah, zal, -zbh, -zbl, r);
        div(zah, zal, r[0], r[1], r);
        double th = r[0], tl = r[1];
        double dt = (ea + eb) / room * (1 + 8 * U) + 3 * U2;
        double[] out = new double[col(strides[layer])];
        double ce = 0;
        for (int k = 0; k < dim; k++) {
            interpolate(sa, sb, 2 * k, 2 * dim, th, tl, dt, out);
            ce = Math.max(ce, out[2 * dim]);
        }
        out[2 * dim] = ce;
        for (int c = 0; c < strides[layer]; c++) interpolate(sa, sb, col(c), col(c) + 2, th, tl, dt, out);
        out[cu] = 0;
        out[cu + 1] = 0;
        out[cu + 2] = 0; // exactly: the vertex is defined as the zero of this unit
        return out;
    }

    /** out[i], out[i+1] = the interpolation of the two states' double-double values at i; out[e] = its bound. */
    private void interpolate(double[] sa, double[] sb, int i, int e, double th, double tl, double dt, double[] out) {
        double ah = sa[i], al = sa[i + 1], bh = sb[i], bl = sb[i + 1], ea = sa[e], eb = sb[e];
        if (ea == 0 && eb == 0 && ah == bh && al == bl) { // exact, equal ends: constant along the edge
            out[i] = ah;
            out[i + 1] = al;
            out[e] = 0;
            return;
        }
        add(bh, bl, -ah, -al, r);
        double difh = r[0];
        mul(th, tl, r[0], r[1], r);
        add(ah, al, r[0], r[1], r);
        out[i] = r[0];
        out[i + 1] = r[1];
        double diff = Math.abs(difh) * (1 + 2 * U), mag = (Math.abs(ah) + Math.abs(bh)) * (1 + 2 * U);
        // the ends' errors combined with the parameter used (t's low word moves that by at most 2u (ea + eb)), the
        // parameter's error times the difference, and three operations' rounding
        out[e] = ((1 - th) * ea + th * eb + 2 * U * (ea + eb) + dt * (diff + ea + eb) + 4 * U2 * mag) * (1 + 8 * U) + 3 * TINY;
    }

    /** The state of layer i from that of layer i - 1 (layer 0: the coordinates alone), as VertexTable.enterLayer. */
    private double[] step(double[] prev, int i) {
        evaluations++;
        DenseLayer l = net.layer(i);
        int in = l.inputSize();
        double[] w = l.weights(), b = l.bias();
        int[] po = offsets[i - 1], no = offsets[i];
        double[] out = new double[col(strides[i])];
        System.arraycopy(prev, 0, out, 0, 2 * dim + 1);
        // h_{i-1} = act(z_{i-1}) in place, in a copy (layer 0: the coordinates)
        double[] h = prev;
        if (i > 1) {
            h = prev.clone();
            DenseLayer pl = net.layer(i - 1);
            for (int u = 0; u < pl.units(); u++) activate(pl, h, col(u));
        }
        java.util.List<Skip> skips = l.skips();
        int terms = in + 1;
        for (Skip skip : skips) terms += skip.isIdentity() ? 1 : skip.cols();
        double g = (terms + 2) * U2, inflate = 1 + (terms + 4) * U, tiny = (terms + 2) * TINY;
        int inBase = i == 1 ? -1 : col(po[i - 1]);
        double[] acc = new double[4];
        for (int u = 0; u < l.units(); u++) {
            acc[0] = b[u];
            acc[1] = 0;
            acc[2] = Math.abs(b[u]);
            acc[3] = 0;
            int row = u * in;
            for (int k = 0; k < in; k++) {
                double wk = w[row + k];
                if (wk != 0) addTerm(h, inBase, k, wk, acc);
            }
            for (Skip skip : skips) {
                int f = skip.from();
                int fb = f == 0 ? -1 : col(po[f]);
                int cols = skip.isIdentity() ? 1 : skip.cols();
                for (int k = 0; k < cols; k++) {
                    double pk = skip.isIdentity() ? 1 : skip.weights()[u * cols + k];
                    if (pk != 0) addTerm(h, fb, skip.isIdentity() ? u : k, pk, acc);
                }
            }
            double sh = acc[0], sl = acc[1], mag = acc[2], e = acc[3];
            // mag summed from high words: within (1 + 2u) per term of the true magnitudes, inside the inflation
            int o = col(u);
            out[o] = sh;
            out[o + 1] = sl;
            out[o + 2] = (e + g * mag * (1 + 2 * U)) * inflate + tiny;
        }
        for (int j = 1; j < i; j++) {
            if (no[j] < 0) continue;
            System.arraycopy(h, col(po[j]), out, col(no[j]), 3 * net.size(j));
        }
        return out;
    }

    /**
     * Adds c x_k to the running sum {@code acc = {hi, lo, magnitude, error bound}}: x_k is value k of the layer
     * stored from column {@code base} ({hi, lo, bound} triples), or with base -1 coordinate k ({hi, lo} pairs
     * sharing one bound).
     */
    private void addTerm(double[] h, int base, int k, double c, double[] acc) {
        int at = base < 0 ? 2 * k : base + 3 * k;
        double xe = base < 0 ? h[2 * dim] : h[at + 2];
        mulFp(h[at], h[at + 1], c, r);
        acc[2] += Math.abs(r[0]);
        acc[3] += Math.abs(c) * xe;
        add(acc[0], acc[1], r[0], r[1], r);
        acc[0] = r[0];
        acc[1] = r[1];
    }

    /** act(z) in place at s[o..o+2] with its bound: 1-Lipschitz (leaky: max(1, |leak|)); a certified negative's ReLU is exact. */
    private void activate(DenseLayer l, double[] s, int o) {
        Activation act = l.activation();
        double zh = s[o], zl = s[o + 1], e = s[o + 2];
        if (act == Activation.IDENTITY) return;
        double leak = Math.abs(l.leak());
        if (zh > 0) { // unchanged value; error <= e times the Lipschitz constant where the sign is not certain
            if (act == Activation.LEAKY_RELU && leak > 1 && !(zh * (1 - 2 * U) > e)) s[o + 2] = leak * e * (1 + 4 * U);
            return;
        }
        boolean certainNegative = Math.abs(zh) * (1 - 2 * U) > e || (zh == 0 && e == 0);
        if (act == Activation.RELU) {
            s[o] = 0;
            s[o + 1] = 0;
            s[o + 2] = certainNegative ? 0 : e;
            return;
        }
        mulFp(zh, zl, l.leak(), r);
        s[o] = r[0];
        s[o + 1] = r[1];
        double lip = certainNegative ? leak : Math.max(1, leak);
        s[o + 2] = (lip * e + 2 * U2 * leak * Math.abs(zh)) * (1 + 4 * U) + TINY;
    }

    /** High word, low word and bound of state column c of a state. */
    double hi(double[] s, int c) { return s[col(c)]; }
    double lo(double[] s, int c) { return s[col(c) + 1]; }
    double error(double[] s, int c) { return s[col(c) + 2]; }
}
