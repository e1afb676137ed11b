package atlas.regions;

import atlas.error.BadInputException;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * The one 1-D cutting kernel of ReLU Atlas: the exact pieces of a network along a segment {@code p -> q}, used by
 * {@link SegmentPartitioner} (regions along a line) and by {@code atlas.measure.PathFolder} (space folding of
 * many paths).
 *
 * <p>The network is restricted to the line, {@code t -> net(p + t (q - p))} on {@code [0, 1]}, without building
 * a restricted network: the input-reading terms (the first layer and skips from the input) become a bias and a
 * slope in t per unit, summed in the same order as {@link Network#restrictTo}. Layer by layer, each
 * pre-activation is evaluated at the current breakpoints and snapped to exactly 0 within tolerance (relative to
 * the magnitude of its terms); then unit by unit, every interval on which the unit's value has strictly
 * opposite signs at its ends is split where the value is zero (linear interpolation, exact because the value is
 * affine on the interval).
 *
 * <p>Declined cuts: a cut that would leave a piece no longer than the tolerance's minimum volume (relative to
 * [0, 1]) is not made; the unit's bit on the whole interval is that of the longer side, and the interval is
 * marked kinked (its end values are no longer one affine map).
 *
 * <p>invariant: {@code order[0..no)} lists the breakpoints by increasing t, from 0 to 1; the pattern, forced
 * bits and kinked flag of an interval are stored at its left breakpoint.
 *
 * <p>Not thread-safe: one instance per thread; buffers are kept between segments, so a cutter that folds many
 * paths allocates nothing once they have grown. Cost per segment: O(B x sum of units x inputs) for B
 * breakpoints. Interruptible between layers.
 */
public final class SegmentCutter {

    /** What the cutter does with the last layer when it is an identity layer (a cutting last layer always cuts). */
    public enum Outputs {
        /** not evaluated: only the patterns are wanted */
        SKIP,
        /** evaluated, so that {@link #output} gives the network's outputs at the breakpoints */
        EVALUATE,
        /** evaluated, and its units split the segment too; their signs are appended to the pattern */
        CUT
    }

    private final Network net;
    private final Tolerance tol;
    private final int depth;
    private final int lastLayer;    // the last layer evaluated
    private final int[] size;       // size[i], i = 0..L
    private final int[] col;        // column of layer i's block in a breakpoint row (i >= 1)
    private final int stride;
    private final boolean[] splits; // layer i splits the segment
    private final int[] bitOff;     // first pattern bit of layer i, -1 if none
    private final int bits, words;
    private final int forcedWords;  // per interval: units of the layer being cut, decided by a declined cut (on, then off)
    private final int[][] live;     // live[i] = {start, length, ...}: columns interpolated at a crossing during layer i
    /** rowL1[i][u] = sum_k |W_i[u][k]| for layers i > 1 without skips (the fast evaluation), else null */
    private final double[][] rowL1;
    /** inBias[i]: bias plus the input-reading terms at the segment's start, for layers that read the input */
    private final double[][] inBias;
    /** inSlope[i][0]: slope in t of layer 1's weights; inSlope[i][1 + s]: of skip s when it reads the input */
    private final double[][][] inSlope;
    /** pieces no longer than this (in t) are not made */
    private final double minLength;

    // workspace, reused between segments
    private double[] t = new double[64];
    private double[] state;
    private long[] pat;
    private long[] forced;
    private boolean[] kinked = new boolean[64];
    private int[] order = new int[64], next = new int[64];
    private int nv, no;
    private final int[] perLayer;
    private int declined;

    /**
     * @param net     the network. Not modified.
     * @param tol     the tolerance: side threshold for snapping, minimum volume for declined cuts
     * @param outputs what to do with an identity last layer
     */
    public SegmentCutter(Network net, Tolerance tol, Outputs outputs) {
        this.net = net;
        this.tol = tol;
        this.minLength = tol.minVolume();
        this.depth = net.depth();
        this.size = new int[depth + 1];
        this.col = new int[depth + 1];
        this.splits = new boolean[depth + 1];
        this.bitOff = new int[depth + 1];
        size[0] = net.inputDim();
        int c = 0, b = 0, maxSplit = 0;
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            size[i] = l.units();
            col[i] = c;
            c += l.units();
            splits[i] = l.activation().cuts() || (i == depth && outputs == Outputs.CUT);
            bitOff[i] = splits[i] ? b : -1;
            if (splits[i]) { b += l.units(); maxSplit = Math.max(maxSplit, l.units()); }
        }
        // an identity last layer that neither cuts nor is wanted changes no pattern: not evaluated
        this.lastLayer = (!splits[depth] && outputs == Outputs.SKIP) ? depth - 1 : depth;
        this.stride = c;
        this.bits = b;
        this.words = Math.max(1, (b + 63) / 64);
        this.forcedWords = 2 * Math.max(1, (maxSplit + 63) / 64);
        int[] lastReader = net.lastReader();
        this.live = new int[depth + 1][];
        for (int i = 1; i <= depth; i++) {
            List<Integer> r = new ArrayList<>();
            r.add(col[i]);
            r.add(size[i]);
            for (int j = 1; j < i; j++) if (lastReader[j] > i) { r.add(col[j]); r.add(size[j]); }
            live[i] = r.stream().mapToInt(Integer::intValue).toArray();
        }
        this.rowL1 = new double[depth + 1][];
        for (int i = 2; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            if (!l.skips().isEmpty()) continue;
            rowL1[i] = new double[l.units()];
            for (int u = 0; u < l.units(); u++) for (int k = 0; k < l.inputSize(); k++) rowL1[i][u] += Math.abs(l.weight(u, k));
        }
        this.inBias = new double[depth + 1][];
        this.inSlope = new double[depth + 1][][];
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            List<Skip> sk = l.skips();
            boolean reads = i == 1;
            for (Skip s : sk) reads |= s.from() == 0;
            if (!reads) continue;
            inBias[i] = new double[size[i]];
            inSlope[i] = new double[1 + sk.size()][];
            if (i == 1) inSlope[i][0] = new double[size[i]];
            for (int s = 0; s < sk.size(); s++) if (sk.get(s).from() == 0) inSlope[i][1 + s] = new double[size[i]];
        }
        this.state = new double[64 * stride];
        this.pat = new long[64 * words];
        this.forced = new long[64 * forcedWords];
        this.perLayer = new int[depth + 1];
    }

    /** The network. */
    public Network network() { return net; }

    /** The length of the patterns: cutting units, plus the output units when they cut. */
    public int patternLength() { return bits; }

    /**
     * Cuts the segment {@code from -> to}; the result is read with {@link #pieces()} and the other accessors until
     * the next cut.
     *
     * @param from segment start. Not modified.
     * @param to   segment end. Not modified.
     * @throws BadInputException when the end points have the wrong length, are not finite or coincide
     * @throws CancellationException when the calling thread is interrupted
     */
    public void cut(double[] from, double[] to) {
        int n = size[0];
        if (from.length != n || to.length != n)
            throw new BadInputException("segment end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + n + " inputs");
        boolean nonZero = false;
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(from[k]) || !Double.isFinite(to[k])) throw new BadInputException("segment end points must be finite numbers");
            nonZero |= to[k] != from[k];
        }
        if (!nonZero) throw new BadInputException("the segment has zero length (its two end points coincide)");
        double[] dir = new double[n];
        for (int k = 0; k < n; k++) dir[k] = to[k] - from[k];
        // Network.restrictTo's arithmetic: bias + (W origin) + (P origin) per input skip; slopes W dir, P dir
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            DenseLayer l = net.layer(i);
            double[] w = l.weights();
            List<Skip> sk = l.skips();
            for (int u = 0; u < size[i]; u++) {
                double bias = l.bias()[u];
                if (i == 1) {
                    double sc = 0, sd = 0;
                    for (int k = 0; k < n; k++) sc += w[u * n + k] * from[k];
                    for (int k = 0; k < n; k++) sd += w[u * n + k] * dir[k];
                    bias += sc;
                    inSlope[i][0][u] = sd;
                }
                for (int s = 0; s < sk.size(); s++) {
                    Skip skip = sk.get(s);
                    if (skip.from() != 0) continue;
                    double sc = 0, sd = 0;
                    for (int k = 0; k < n; k++) sc += skip.weight(u, k) * from[k];
                    for (int k = 0; k < n; k++) sd += skip.weight(u, k) * dir[k];
                    bias += sc;
                    inSlope[i][1 + s][u] = sd;
                }
                inBias[i][u] = bias;
            }
        }
        run();
    }

    /**
     * The input-reading terms of every layer at x, without bias: {@code [i][0]} is {@code W_1 x} (layer 1),
     * {@code [i][1 + s]} is {@code P x} for skip s of layer i that reads the input. For cutting many segments
     * between a fixed set of points ({@link #cutProjected}).
     */
    public double[][][] project(double[] x) {
        int n = size[0];
        if (x.length != n) throw new BadInputException("a path end point has " + x.length + " coordinates, the network has " + n + " inputs");
        for (double v : x) if (!Double.isFinite(v)) throw new BadInputException("path end points must be finite numbers");
        double[][][] p = new double[depth + 1][][];
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            DenseLayer l = net.layer(i);
            p[i] = new double[inSlope[i].length][];
            for (int s = 0; s < inSlope[i].length; s++) {
                if (inSlope[i][s] == null) continue;
                double[] r = p[i][s] = new double[size[i]];
                for (int u = 0; u < size[i]; u++) {
                    double sum = 0;
                    if (s == 0) {
                        double[] w = l.weights();
                        for (int k = 0; k < n; k++) sum += w[u * n + k] * x[k];
                    } else {
                        Skip sk = l.skips().get(s - 1);
                        for (int k = 0; k < n; k++) sum += sk.weight(u, k) * x[k];
                    }
                    r[u] = sum;
                }
            }
        }
        return p;
    }

    /**
     * Cuts the segment between two points given by their {@link #project projections}. The restricted terms are
     * differences of projections, so they differ from {@link #cut}'s in the last bits: this matters only for
     * segments through exact degeneracies.
     */
    public void cutProjected(double[][][] projFrom, double[][][] projTo) {
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            double[] b = net.layer(i).bias();
            for (int u = 0; u < size[i]; u++) {
                double bias = b[u];
                for (int s = 0; s < inSlope[i].length; s++) {
                    if (inSlope[i][s] == null) continue;
                    bias += projFrom[i][s][u];
                    inSlope[i][s][u] = projTo[i][s][u] - projFrom[i][s][u];
                }
                inBias[i][u] = bias;
            }
        }
        run();
    }

    // ---- results of the last cut

    /** The number of pieces. */
    public int pieces() { return no - 1; }

    /** Breakpoint k in t, k = 0..pieces(): piece k is {@code [breakpoint(k), breakpoint(k + 1)]}. */
    public double breakpoint(int k) { return t[order[k]]; }

    /** The activation pattern of piece k. */
    public ActivationPattern pattern(int k) {
        int a = order[k];
        return new ActivationPattern(Arrays.copyOfRange(pat, a * words, a * words + (bits + 63) / 64), bits);
    }

    /** The number of units whose bit differs between pieces j and k (the Hamming distance, without allocating). */
    public int differingBits(int j, int k) {
        int pa = order[j] * words, pb = order[k] * words, d = 0;
        for (int w = 0; w < words; w++) d += Long.bitCount(pat[pa + w] ^ pat[pb + w]);
        return d;
    }

    /** True when a cut was declined inside piece k, so that its end values are not one affine map. */
    public boolean kinked(int k) { return kinked[order[k]]; }

    /** Output o of the network at breakpoint k (with {@link Outputs#EVALUATE} or {@link Outputs#CUT}). */
    public double output(int k, int o) {
        if (lastLayer != depth) throw new IllegalStateException("outputs were not evaluated (Outputs.SKIP)");
        return state[order[k] * stride + col[depth] + o];
    }

    /** The number of pieces after each layer ({@code [0]} = 1), as a fresh array. */
    public int[] piecesPerLayer() { return perLayer.clone(); }

    /** The number of cuts declined so far, over all segments cut by this instance. */
    public int declined() { return declined; }

    // ---- the kernel

    private void ensure(int n) {
        if (n > t.length) {
            int cap = Math.max(n, t.length * 2);
            t = Arrays.copyOf(t, cap);
            state = Arrays.copyOf(state, cap * stride);
            pat = Arrays.copyOf(pat, cap * words);
            forced = Arrays.copyOf(forced, cap * forcedWords);
            kinked = Arrays.copyOf(kinked, cap);
        }
        if (n > order.length) {
            int cap = Math.max(n, order.length * 2);
            order = Arrays.copyOf(order, cap);
            next = Arrays.copyOf(next, cap);
        }
    }

    private int addVertex(double tv) {
        ensure(nv + 1);
        t[nv] = tv;
        Arrays.fill(pat, nv * words, nv * words + words, 0L);
        Arrays.fill(forced, nv * forcedWords, nv * forcedWords + forcedWords, 0L);
        kinked[nv] = false;
        return nv++;
    }

    private void run() {
        nv = 0;
        order[0] = addVertex(0.0);
        order[1] = addVertex(1.0);
        no = 2;
        perLayer[0] = 1;
        for (int i = 1; i <= depth; i++) {
            if (i > lastLayer) { perLayer[i] = no - 1; continue; }
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
            DenseLayer l = net.layer(i);
            int units = size[i];
            evaluateAll(i, l);
            if (splits[i]) cutLayer(i, units);
            Activation act = l.activation();
            if (act != Activation.IDENTITY) {
                double leak = l.leak();
                for (int v = 0; v < nv; v++) {
                    int r = v * stride + col[i];
                    for (int u = 0; u < units; u++) state[r + u] = act.apply(state[r + u], leak);
                }
            }
            perLayer[i] = no - 1;
        }
    }

    /** Splits the pieces at the zeros of layer i's units, then sets the layer's pattern bits. */
    private void cutLayer(int i, int units) {
        int zc = col[i];
        int uw = forcedWords / 2;
        boolean anyForced = false;
        for (int u = 0; u < units; u++) {
            boolean any = false;
            for (int k = 0; k + 1 < no && !any; k++) any = sign(order[k], zc + u) * sign(order[k + 1], zc + u) < 0;
            if (!any) continue;
            ensure(2 * no);
            int m = 0;
            for (int k = 0; k + 1 < no; k++) {
                int a = order[k], b = order[k + 1];
                next[m++] = a;
                if (sign(a, zc + u) * sign(b, zc + u) < 0) {
                    double ta = t[a], tb = t[b];
                    double za = state[a * stride + zc + u], zb = state[b * stride + zc + u];
                    double tc = ta + za / (za - zb) * (tb - ta);
                    // invariant: no piece shorter than the minimum length; a cut that would make one is declined
                    // and the unit's bit is that of the longer side
                    if (Math.min(tc - ta, tb - tc) <= minLength) {
                        declined++;
                        boolean on = (tc - ta > tb - tc) ? za > 0 : zb > 0;
                        forced[a * forcedWords + (on ? 0 : uw) + (u >>> 6)] |= 1L << (u & 63);
                        kinked[a] = true;
                        anyForced = true;
                        continue;
                    }
                    int v = crossing(a, b, i, u);
                    System.arraycopy(pat, a * words, pat, v * words, words);
                    System.arraycopy(forced, a * forcedWords, forced, v * forcedWords, forcedWords);
                    kinked[v] = kinked[a];
                    next[m++] = v;
                }
            }
            next[m++] = order[no - 1];
            int[] sw = order; order = next; next = sw;
            no = m;
        }
        int off = bitOff[i];
        for (int k = 0; k + 1 < no; k++) {
            int a = order[k], b = order[k + 1];
            int ra = a * stride + zc, rb = b * stride + zc, pw = a * words, fw = a * forcedWords;
            for (int u = 0; u < units; u++) {
                boolean on;
                long bit1 = 1L << (u & 63);
                if (anyForced && (forced[fw + (u >>> 6)] & bit1) != 0) on = true;
                else if (anyForced && (forced[fw + uw + (u >>> 6)] & bit1) != 0) on = false;
                else on = state[ra + u] > 0 || state[rb + u] > 0;
                if (on) {
                    int bit = off + u;
                    pat[pw + (bit >>> 6)] |= 1L << (bit & 63);
                }
            }
        }
        // forced bits belong to this layer only
        if (anyForced) Arrays.fill(forced, 0, nv * forcedWords, 0L);
    }

    /** z_i at every breakpoint; on all cores when there are many (as the plane kernel's layer evaluation). */
    private void evaluateAll(int i, DenseLayer l) {
        int n = nv;
        if (n <= KernelParameters.MIN_PARALLEL_VERTICES) { // the common case: no fork-join, no processor count
            for (int v = 0; v < n; v++) evaluate(i, l, v);
            return;
        }
        int chunk = Math.max(KernelParameters.MIN_PARALLEL_VERTICES, n / (4 * Runtime.getRuntime().availableProcessors()) + 1);
        int chunks = (n + chunk - 1) / chunk;
        if (chunks <= 1) {
            for (int v = 0; v < n; v++) evaluate(i, l, v);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            int end = Math.min(n, (ch + 1) * chunk);
            for (int v = ch * chunk; v < end; v++) evaluate(i, l, v);
        });
    }

    /**
     * z_i at breakpoint v, snapped, into layer i's block: the terms in the order of the plane kernel's evaluation
     * of the restricted network (bias, weights, then skips in their order, an input skip as its slope times t).
     */
    private void evaluate(int i, DenseLayer l, int v) {
        if (rowL1[i] != null) { evaluatePlain(i, l, v); return; }
        int units = size[i];
        int dst = v * stride + col[i];
        double tv = t[v];
        double[] w = l.weights();
        double[] b = l.bias();
        int in = l.inputSize();
        int src = v * stride + (i > 1 ? col[i - 1] : 0);
        List<Skip> skips = l.skips();
        double[] acc = new double[2];
        for (int u = 0; u < units; u++) {
            double s = inBias[i] != null ? inBias[i][u] : b[u];
            double mag = Math.abs(s);
            if (i == 1) {
                double term = inSlope[1][0][u] * tv;
                s += term;
                mag += Math.abs(term);
            } else {
                int row = u * in;
                for (int k = 0; k < in; k++) {
                    double term = w[row + k] * state[src + k];
                    s += term;
                    mag += Math.abs(term);
                }
            }
            if (!skips.isEmpty()) {
                acc[0] = s;
                acc[1] = mag;
                for (int si = 0; si < skips.size(); si++) {
                    Skip skip = skips.get(si);
                    if (skip.from() == 0) { // the input part, restricted to the line: slope times t
                        double term = inSlope[i][1 + si][u] * tv;
                        acc[0] += term;
                        acc[1] += Math.abs(term);
                    } else {
                        SnappedSum.addSkip(skip, u, state, v * stride + col[skip.from()], acc);
                    }
                }
                s = acc[0];
                mag = acc[1];
            }
            state[dst + u] = tol.snap(s, mag);
        }
    }

    /**
     * z_i at breakpoint v for a layer that reads only the previous layer: the sum first, and the magnitude of its
     * terms only when the sum could snap given the bound {@code |b| + ||w_u||_1 max_k |h_k|} on that magnitude
     * ({@link Tolerance#mightSnap}). Same values as {@link #evaluate}'s general form.
     */
    private void evaluatePlain(int i, DenseLayer l, int v) {
        int units = size[i];
        int dst = v * stride + col[i];
        double[] w = l.weights();
        double[] b = l.bias();
        double[] l1 = rowL1[i];
        int in = l.inputSize();
        int src = v * stride + col[i - 1];
        double hmax = 0;
        for (int k = 0; k < in; k++) hmax = Math.max(hmax, Math.abs(state[src + k]));
        for (int u = 0; u < units; u++) {
            double s = b[u];
            int row = u * in;
            for (int k = 0; k < in; k++) s += w[row + k] * state[src + k];
            if (!tol.mightSnap(s, Math.abs(b[u]) + l1[u] * hmax)) {
                state[dst + u] = s;
                continue;
            }
            double mag = Math.abs(b[u]);
            for (int k = 0; k < in; k++) mag += Math.abs(w[row + k] * state[src + k]);
            state[dst + u] = tol.snap(s, mag);
        }
    }

    private int sign(int v, int c) {
        double z = state[v * stride + c];
        return z > 0 ? 1 : (z < 0 ? -1 : 0);
    }

    /**
     * The breakpoint on (a, b) where unit u of layer i is zero; the two values must have strictly opposite signs.
     * Everything a later layer reads is interpolated linearly (exact: it is affine on the piece), the cut unit's
     * value is set to exactly 0 and the layer's other values are snapped with the larger end magnitude as scale.
     */
    private int crossing(int a, int b, int i, int u) {
        // canonical order, so the same piece always yields bit-identical values
        if (a > b) { int x = a; a = b; b = x; }
        int zc = col[i];
        double za = state[a * stride + zc + u], zb = state[b * stride + zc + u];
        double f = za / (za - zb);
        double ta = t[a], tb = t[b];
        int v = addVertex(ta + f * (tb - ta));
        int sa = a * stride, sb = b * stride, sv = v * stride;
        int[] lv = live[i];
        for (int r = 0; r < lv.length; r += 2) {
            int c0 = lv[r], c1 = c0 + lv[r + 1];
            for (int c = c0; c < c1; c++) state[sv + c] = state[sa + c] + f * (state[sb + c] - state[sa + c]);
        }
        for (int k = zc; k < zc + size[i]; k++) {
            double scale = Math.max(Math.abs(state[sa + k]), Math.abs(state[sb + k]));
            state[sv + k] = tol.snap(state[sv + k], scale);
        }
        state[sv + zc + u] = 0.0;
        return v;
    }
}
