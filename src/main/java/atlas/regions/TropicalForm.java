package atlas.regions;

import atlas.error.BadInputException;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A network written as a difference of tropical polynomials: every output is {@code F(x) - G(x)} with F and G
 * maxima of affine functions (Zhang, Naitzat and Lim 2018; with skips as in Joyce and Verschelde 2025).
 *
 * <p>Recursion, for each layer's output {@code h = F - G} (vectors of polynomials; the input is
 * {@code F = x_k, G = 0}): with {@code W = W+ - W-} (entrywise positive and negative parts) the pre-activation
 * {@code z = W h + b} is {@code H - G'} with {@code H = W+ F + W- G + b} and {@code G' = W+ G + W- F}; a skip
 * {@code P h_j} adds {@code P+ F_j + P- G_j} to H and {@code P+ G_j + P- F_j} to G'. Then
 * <ul>
 *   <li>relu: {@code max(H - G', 0) = max(H, G') - G'}, so {@code F <- max(H, G')}, {@code G <- G'};</li>
 *   <li>leaky relu with slope {@code 0 <= alpha <= 1}: {@code max(z, alpha z) = max(H + alpha G', alpha H + G') - (1 + alpha) G'};</li>
 *   <li>identity: {@code F <- H}, {@code G <- G'}.</li>
 * </ul>
 * In tropical terms a weighted sum is a tropical product of scaled polynomials (a Minkowski sum of monomial
 * sets), so the number of monomials grows multiplicatively with width and depth; this is for small nets.
 * Duplicates are merged at every step ({@link TropicalPolynomial}); with {@code prune} every polynomial is also
 * reduced to the monomials that are somewhere the strict maximum (linear programs; exact up to their rounding).
 */
public final class TropicalForm {
    private final Network net;
    private final TropicalPolynomial[] f, g;
    private final long[] monomialsPerLayer;
    private final double seconds;

    private TropicalForm(Network net, TropicalPolynomial[] f, TropicalPolynomial[] g, long[] perLayer, double seconds) {
        this.net = net;
        this.f = f;
        this.g = g;
        this.monomialsPerLayer = perLayer;
        this.seconds = seconds;
    }

    /** Default limit on the monomials of one tropical product. */
    public static final long DEFAULT_LIMIT = 4_000_000;

    /** The tropical form with duplicates merged. */
    public static TropicalForm of(Network net) {
        return of(net, DEFAULT_LIMIT, false, null);
    }

    /**
     * @param limit largest tropical product allowed (monomials), else IllegalArgumentException
     * @param prune reduce every polynomial, after every product, to the monomials that are somewhere the maximum:
     *              one input: exactly, on all of R (upper hull); two inputs: on {@code box} (required; the form
     *              then equals the network on the box only); more inputs: by linear programs, for polynomials of
     *              at most 2,000 monomials
     * @param box   the rectangle for two-input pruning, else ignored (may be null)
     */
    public static TropicalForm of(Network net, long limit, boolean prune, atlas.geometry.Rectangle box) {
        if (prune && net.inputDim() == 2 && box == null) throw new BadInputException("pruning a two-input tropical form needs a box");
        java.util.function.UnaryOperator<TropicalPolynomial> pruner = !prune ? p -> p
                : net.inputDim() == 1 ? TropicalPolynomial::pruneHull
                : net.inputDim() == 2 ? p -> p.pruneOn(box, atlas.geometry.Tolerance.DEFAULT)
                : p -> p.pruneDominated(2_000);
        return build(net, limit, pruner);
    }

    private static TropicalForm build(Network net, long limit, java.util.function.UnaryOperator<TropicalPolynomial> pruner) {
        long t0 = System.nanoTime();
        int n = net.inputDim();
        TropicalPolynomial[][] fs = new TropicalPolynomial[net.depth() + 1][], gs = new TropicalPolynomial[net.depth() + 1][];
        fs[0] = new TropicalPolynomial[n];
        gs[0] = new TropicalPolynomial[n];
        TropicalPolynomial zero = TropicalPolynomial.constant(n, 0);
        for (int k = 0; k < n; k++) {
            fs[0][k] = TropicalPolynomial.variable(n, k);
            gs[0][k] = zero;
        }
        long[] perLayer = new long[net.depth() + 1];
        perLayer[0] = 2L * n;
        for (int i = 1; i <= net.depth(); i++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            DenseLayer l = net.layer(i);
            Activation act = l.activation();
            double alpha = act == Activation.LEAKY_RELU ? l.leak() : 0;
            if (act == Activation.LEAKY_RELU && !(alpha >= 0 && alpha <= 1))
                throw new BadInputException("layer " + i + ": the tropical form needs a leak in [0, 1], got " + alpha);
            fs[i] = new TropicalPolynomial[l.units()];
            gs[i] = new TropicalPolynomial[l.units()];
            for (int u = 0; u < l.units(); u++) {
                TropicalPolynomial h = TropicalPolynomial.constant(n, l.bias()[u]), gp = zero;
                for (int k = 0; k < l.inputSize(); k++) {
                    double w = l.weight(u, k);
                    TropicalPolynomial[] pr = accumulate(h, gp, w, fs[i - 1][k], gs[i - 1][k], limit);
                    h = pruner.apply(pr[0]);
                    gp = pruner.apply(pr[1]);
                }
                for (Skip s : l.skips()) {
                    for (int k = 0; k < net.size(s.from()); k++) {
                        TropicalPolynomial[] pr = accumulate(h, gp, s.weight(u, k), fs[s.from()][k], gs[s.from()][k], limit);
                        h = pruner.apply(pr[0]);
                        gp = pruner.apply(pr[1]);
                    }
                }
                TropicalPolynomial nf, ng;
                switch (act) {
                    case RELU -> { nf = h.max(gp); ng = gp; }
                    case LEAKY_RELU -> {
                        nf = pruner.apply(h.times(gp.scale(alpha), limit)).max(pruner.apply(h.scale(alpha).times(gp, limit)));
                        ng = gp.scale(1 + alpha);
                    }
                    default -> { nf = h; ng = gp; }
                }
                nf = pruner.apply(nf);
                ng = pruner.apply(ng);
                fs[i][u] = nf;
                gs[i][u] = ng;
                perLayer[i] += nf.size() + ng.size();
            }
        }
        return new TropicalForm(net, fs[net.depth()], gs[net.depth()], perLayer, (System.nanoTime() - t0) / 1e9);
    }

    /** H += w+ F + w- G, G' += w+ G + w- F (tropically: products). */
    private static TropicalPolynomial[] accumulate(TropicalPolynomial h, TropicalPolynomial gp, double w,
                                                   TropicalPolynomial fk, TropicalPolynomial gk, long limit) {
        if (w > 0) return new TropicalPolynomial[]{h.times(fk.scale(w), limit), gp.times(gk.scale(w), limit)};
        if (w < 0) return new TropicalPolynomial[]{h.times(gk.scale(-w), limit), gp.times(fk.scale(-w), limit)};
        return new TropicalPolynomial[]{h, gp};
    }

    public Network network() { return net; }

    /** F of output o. */
    public TropicalPolynomial f(int o) { return f[o]; }

    /** G of output o. */
    public TropicalPolynomial g(int o) { return g[o]; }

    /** Monomials of F and G of the outputs. */
    public long monomials() {
        long s = 0;
        for (int o = 0; o < f.length; o++) s += f[o].size() + g[o].size();
        return s;
    }

    /** perLayer[i] = monomials of F and G over the units of layer i (index 0: the input, 2 per coordinate). */
    public long[] monomialsPerLayer() { return monomialsPerLayer.clone(); }

    /** Wall time of the construction. */
    public double seconds() { return seconds; }

    /** {@code F(x) - G(x)} for every output. */
    public double[] evaluate(double[] x) {
        double[] y = new double[f.length];
        for (int o = 0; o < f.length; o++) y[o] = f[o].evaluate(x) - g[o].evaluate(x);
        return y;
    }

    /**
     * The linear piece at x: the affine map {@code (a_F - a_G) x + (c_F - c_G)} of the maximising monomials of
     * every output's F and G.
     */
    public AffineMap pieceAt(double[] x) {
        int n = net.inputDim();
        double[] a = new double[f.length * n], c = new double[f.length];
        for (int o = 0; o < f.length; o++) {
            int i = f[o].argmax(x), j = g[o].argmax(x);
            for (int k = 0; k < n; k++) a[o * n + k] = f[o].coefficient(i, k) - g[o].coefficient(j, k);
            c[o] = f[o].constantOf(i) - g[o].constantOf(j);
        }
        return new AffineMap(f.length, n, a, c);
    }

    /**
     * The number of distinct affine maps among {@code maps}: each map is compared with the representatives found
     * so far and counts when it is the {@link AffineMap#samePiece same piece} under {@code tol} as none of them.
     */
    public static int distinctMaps(List<AffineMap> maps, atlas.geometry.Tolerance tol) {
        double scale = 0;
        for (AffineMap m : maps) scale = Math.max(scale, m.magnitude());
        double q = tol.mergeEps() * scale;
        // sorted by the first offset, a map can only be the same piece as maps within q of it in that coordinate
        // (q bounds the pairwise allowance of samePiece, whose scale is at most the largest magnitude)
        List<AffineMap> sorted = new ArrayList<>(maps);
        sorted.sort(java.util.Comparator.comparingDouble(m -> m.offset(0)));
        List<AffineMap> reps = new ArrayList<>();
        int count = 0;
        for (AffineMap m : sorted) {
            boolean found = false;
            for (int r = reps.size() - 1; r >= 0 && reps.get(r).offset(0) >= m.offset(0) - q; r--) {
                if (reps.get(r).samePiece(m, tol)) { found = true; break; }
            }
            if (!found) { reps.add(m); count++; }
        }
        return count;
    }

    @Override
    public String toString() {
        return "tropical form of " + net.shape() + ": " + monomials() + " monomials, per layer " + Arrays.toString(monomialsPerLayer);
    }
}
