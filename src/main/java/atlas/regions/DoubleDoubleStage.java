package atlas.regions;

import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The filter of exact mode ({@link atlas.geometry.Tolerance.Kind#EXACT}): double-double arithmetic (about 106
 * bits, a value {@code hi + lo} with {@code |lo| <= ulp(hi) / 2}) with a rigorous error bound carried per stored
 * value, in front of the exact arithmetic of {@link ExactFallback} (as in Shewchuk's adaptive predicates and
 * JTS's double-double fallback, but with double-double as the first stage, not the second).
 *
 * <p>Why double-double from the start: a worst-case forward bound grows like a product of the layers' absolute
 * row sums (about 3x per layer on a Kaiming net), while the real error does not grow; on a 30-layer net a bound
 * started from 2^-53 reaches the size of the values (60% of the vertices of {@code bench partition} case a went
 * to a second stage, each recomputed along its chain of parents). Started from about 2^-100, the same bound stays
 * near 1e-13 of the values after 30 layers, so the filter decides all but true near-zeros. The layer step is a
 * compensated dot product (Ogita, Rump and Oishi's Dot2: TwoProduct by FMA, TwoSum, the errors summed in a
 * second word) over the units at once, in SIMD lanes ({@link #dot}, the Vector API). {@link VertexTable} runs it
 * as {@link DoubleDoubleBlocks#step}: the same values bit for bit, four vectors per broadcast input, the bound as
 * one fused multiply-add per term and unit, the filter's test in lanes.
 *
 * <p>Error model. Dot2 over n terms with inputs {@code h_k + l_k} ({@code |l_k| <= u |h_k|}) returns an unevaluated
 * sum {@code S + C} within {@code gamma_{n+2} u (n + 2)(1 + gamma_n) mag} of {@code b + sum w_k (h_k + l_k)},
 * {@code mag = |b| + sum |w_k h_k|}: TwoSum and TwoProduct are error-free, and only the second word's sum of the
 * 3n error terms (each at most u times a partial sum or a product) is rounded. {@link #dotRounding} takes twice
 * that. Interpolation and activation use the double-word operations of Joldes, Muller and Popescu ("Tight and
 * rigorous error bounds for basic building blocks of double-word arithmetic", 2017: AccurateDWPlusDW
 * 3u^2 + 13u^3, DWTimesFP3 2u^2, DWTimesDW3 4u^2 with FMA, DWDivDW2 15u^2 + 56u^3), each of relative error below
 * {@link #U2} = 2^-96 (a margin of more than 2^5), plus {@link #TINY} absolute per operation for results in the
 * subnormal range. Input errors enter with {@code |w|}; ReLU is 1-Lipschitz and a certified negative's ReLU is
 * exactly 0. The bounds themselves are computed in double and inflated for their own rounding.
 */
final class DoubleDoubleStage {
    /** Relative error allowance per double-word operation (see the class comment). */
    static final double U2 = 0x1p-96;
    /**
     * Absolute error allowance per operation: covers roundings in the subnormal range (at most 2^-1074 each, where
     * TwoProduct is not error-free) with a wide margin, and is negligible next to any value a decision rests on.
     */
    static final double TINY = 0x1p-1000;
    /** Unit roundoff of double precision. */
    static final double U = 0x1p-53;

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private DoubleDoubleStage() {}

    // ---- double-word building blocks (results in r[0] = hi, r[1] = lo) ----

    /** Error-free sum: r = (a + b rounded, its error). */
    static void twoSum(double a, double b, double[] r) {
        double s = a + b, bb = s - a;
        r[0] = s;
        r[1] = (a - (s - bb)) + (b - bb);
    }

    /** AccurateDWPlusDW. */
    static void add(double xh, double xl, double yh, double yl, double[] r) {
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
    static void mulFp(double xh, double xl, double y, double[] r) {
        double ch = xh * y, cl1 = Math.fma(xh, y, -ch);
        double cl3 = Math.fma(xl, y, cl1);
        double zh = ch + cl3;
        r[0] = zh;
        r[1] = cl3 - (zh - ch);
    }

    /** DWTimesDW3. */
    static void mul(double xh, double xl, double yh, double yl, double[] r) {
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
    static void div(double xh, double xl, double yh, double yl, double[] r) {
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

    // ---- the layer step ----

    /**
     * One layer's coefficients for {@link #dot}: the weights and every skip's weights as one list of terms, term
     * k reading column {@code srcIndex[k]} of layer {@code srcLayer[k]}'s output (layer 0: the coordinates), stored
     * transposed ({@code coef[k * padded + u]}) and padded with zeros to a whole number of SIMD vectors.
     */
    record Layer(int units, int padded, int terms, double[] coef, double[] absCoef, double[] bias,
                 int[] srcLayer, int[] srcIndex) {
        static Layer of(Network net, int i) {
            DenseLayer l = net.layer(i);
            int units = l.units(), lanes = SPECIES.length();
            int padded = (units + lanes - 1) / lanes * lanes;
            int terms = l.inputSize();
            for (Skip s : l.skips()) terms += s.isIdentity() ? units : s.cols();
            double[] coef = new double[terms * padded];
            int[] srcLayer = new int[terms], srcIndex = new int[terms];
            int k = 0;
            for (int c = 0; c < l.inputSize(); c++, k++) {
                srcLayer[k] = i - 1;
                srcIndex[k] = c;
                for (int u = 0; u < units; u++) coef[k * padded + u] = l.weights()[u * l.inputSize() + c];
            }
            for (Skip s : l.skips()) {
                int cols = s.isIdentity() ? units : s.cols();
                for (int c = 0; c < cols; c++, k++) {
                    srcLayer[k] = s.from();
                    srcIndex[k] = c;
                    for (int u = 0; u < units; u++)
                        coef[k * padded + u] = s.isIdentity() ? (u == c ? 1 : 0) : s.weights()[u * cols + c];
                }
            }
            double[] abs = new double[coef.length];
            for (int j = 0; j < coef.length; j++) abs[j] = Math.abs(coef[j]);
            double[] bias = java.util.Arrays.copyOf(l.bias(), padded);
            return new Layer(units, padded, terms, coef, abs, bias, srcLayer, srcIndex);
        }
    }

    /**
     * Dot2 of every unit of a layer at one vertex, over the nt terms listed in {@code ks} (terms whose input is
     * exactly 0 with bound 0 may be left out: they contribute nothing), with inputs {@code xh + xl} of bound
     * {@code xe}: writes per unit (index up to {@code padded}) the two words S, C, the magnitude
     * {@code M = |b| + sum |fl(w h)|} and the propagated input error {@code E = sum |w| xe} (both rounded).
     * No allocation beyond the vector values the JIT keeps in registers.
     */
    static void dot(Layer l, int nt, int[] ks, double[] xh, double[] xl, double[] xe,
                    double[] S, double[] C, double[] M, double[] E) {
        int padded = l.padded(), lanes = SPECIES.length();
        double[] coef = l.coef(), abs = l.absCoef();
        for (int c = 0; c < padded; c += lanes) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, l.bias(), c);
            DoubleVector cc = DoubleVector.zero(SPECIES);
            DoubleVector m = s.abs();
            DoubleVector e = DoubleVector.zero(SPECIES);
            for (int j = 0; j < nt; j++) {
                int at = ks[j] * padded + c;
                DoubleVector w = DoubleVector.fromArray(SPECIES, coef, at);
                DoubleVector h = DoubleVector.broadcast(SPECIES, xh[j]);
                DoubleVector p = w.mul(h);
                DoubleVector q = w.fma(h, p.neg()); // TwoProduct: w h = p + q exactly
                DoubleVector t = s.add(p), bb = t.sub(s);
                DoubleVector sigma = s.sub(t.sub(bb)).add(p.sub(bb)); // TwoSum: s + p = t + sigma exactly
                s = t;
                cc = cc.add(sigma.add(w.fma(DoubleVector.broadcast(SPECIES, xl[j]), q)));
                m = m.add(p.abs());
                e = DoubleVector.fromArray(SPECIES, abs, at).fma(DoubleVector.broadcast(SPECIES, xe[j]), e);
            }
            s.intoArray(S, c);
            cc.intoArray(C, c);
            m.intoArray(M, c);
            e.intoArray(E, c);
        }
    }

    /**
     * The bound on {@code |S + C - exact|} for one unit of {@link #dot} over nt terms, given its M and E: the
     * propagated input error (inflated for its own nt roundings) plus twice Dot2's rounding bound (which also covers
     * M's rounding, a low word up to 1.01 u |hi| from the exact fallback, and the (1 + gamma) factors), plus the
     * subnormal allowance.
     */
    static double dotBound(int nt, double m, double e) {
        return (e * (1 + (nt + 2) * U) + dotRounding(nt) * m) * (1 + 4 * U) + (3 * nt + 4) * TINY;
    }

    /** 2 (n + 3)^2 u^2: twice {@code gamma_{n+2} u (n + 2)(1 + gamma_n)}, rounded up. */
    static double dotRounding(int nt) { return 2.0 * (nt + 3) * (nt + 3) * U * U; }
}
