package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;
import atlas.regions.ActivationPattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An allocation-light kernel for the exact space folding of many straight paths through one network: the
 * same 1-D cutting as {@link atlas.regions.SegmentPartitioner} (layer by layer, unit by unit, each interval
 * on which a unit's value has strictly opposite signs at its ends is split where the value is zero; values
 * within tolerance of zero are snapped to exactly zero), but with every buffer kept between paths and the
 * chi of the pattern walk computed directly from the bit words.
 *
 * <p>For one path {@link #fold(double[], double[])} follows {@code SegmentPartitioner}'s arithmetic step by
 * step (the network restricted to the line in the same order of operations), so the two give the same
 * pattern sequences. The batch form ({@link #foldAll}) first projects every end point through the layers that
 * read the input (so a path costs no {@code O(inputDim)} work); its snapping scales then differ in the last
 * bits, which matters only for paths through exact degeneracies.
 *
 * <p>With {@code includeOutputs} and an identity last layer, the output units also split the path and their
 * signs are appended to the pattern (bit {@code cuttingUnits() + o}).
 *
 * <p>Not thread-safe: one instance per thread ({@link #foldAll} does that). Cost per path:
 * O(B x sum of units x inputs) for B breakpoints; no allocation once the buffers have grown.
 */
public final class PathFolder {
    private final Network net;
    private final Tolerance tol;
    private final int depth;
    private final int[] size;       // size[i], i = 0..L
    private final int[] col;        // column of layer i's block in a vertex row (i >= 1)
    private final int stride;
    private final boolean[] splits; // layer i splits the path
    private final int[] bitOff;     // first pattern bit of layer i, -1 if none
    private final int bits, words;
    private final int[][] live;     // live[i] = {start, length, start, length, ...}: columns interpolated at a crossing during layer i
    /** rowL1[i][u] = sum_k |W_i[u][k]| for layers i > 1 without skips (the fast evaluation), else null */
    private final double[][] rowL1;
    /** Covers the rounding of the bound |b| + ||w||_1 max|h| against the summed magnitudes (a relative 1e-16 effect). */
    private static final double BOUND_SLACK = 1 + 1e-9;

    // workspace, reused between paths
    private double[] t = new double[64];
    private double[] state;
    private long[] pat;
    private int[] order = new int[64], next = new int[64];
    private int nv, no;
    private final double[][] inBias, inSlope; // per layer reading the input: restricted bias and slope in t

    /**
     * @param net            the network. Not modified.
     * @param tol            the tolerance for snapping values to zero
     * @param includeOutputs append the output units' signs (when the last layer is identity)
     */
    public PathFolder(Network net, Tolerance tol, boolean includeOutputs) {
        this.net = net;
        this.tol = tol;
        this.depth = net.depth();
        this.size = new int[depth + 1];
        this.col = new int[depth + 1];
        this.splits = new boolean[depth + 1];
        this.bitOff = new int[depth + 1];
        size[0] = net.inputDim();
        int c = 0, b = 0;
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = net.layer(i);
            size[i] = l.units();
            col[i] = c;
            c += l.units();
            splits[i] = l.activation().cuts() || (i == depth && includeOutputs);
            bitOff[i] = splits[i] ? b : -1;
            if (splits[i]) b += l.units();
        }
        // outputs come after all cutting units: with an identity output layer its bits are the last ones anyway
        this.stride = c;
        this.bits = b;
        this.words = Math.max(1, (b + 63) / 64);
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
        this.state = new double[64 * stride];
        this.pat = new long[64 * words];
        this.inBias = new double[depth + 1][];
        this.inSlope = new double[depth + 1][];
        for (int i = 1; i <= depth; i++) {
            if (i == 1 || readsInput(net.layer(i))) {
                inBias[i] = new double[size[i]];
                inSlope[i] = new double[size[i]];
            }
        }
    }

    private static boolean readsInput(DenseLayer l) {
        for (Skip s : l.skips()) if (s.from() == 0) return true;
        return false;
    }

    /** The network. */
    public Network network() { return net; }

    /** The length of the patterns: cutting units, plus output units when they are appended. */
    public int patternLength() { return bits; }

    /**
     * Exact folding of the path {@code from -> to}; the running chi is not kept (see {@link #pieces()}).
     *
     * @param from path start. Not modified.
     * @param to   path end. Not modified.
     */
    public FoldingResult fold(double[] from, double[] to) {
        restrict(from, to);
        cut();
        return summary();
    }

    /**
     * The pieces of the last path folded, with their patterns (allocates; for tests and reports).
     */
    public List<PathPiece> pieces() {
        List<PathPiece> out = new ArrayList<>(no - 1);
        for (int k = 0; k + 1 < no; k++) {
            int a = order[k];
            long[] w = Arrays.copyOfRange(pat, a * words, a * words + (bits + 63) / 64);
            out.add(new PathPiece(t[a], t[order[k + 1]], new ActivationPattern(w, bits)));
        }
        return out;
    }

    /** The network restricted to the line, in SegmentPartitioner's order of operations (Network.restrictTo). */
    private void restrict(double[] from, double[] to) {
        int n = size[0];
        if (from.length != n || to.length != n)
            throw new BadInputException("path end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + n + " inputs");
        boolean nonZero = false;
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(from[k]) || !Double.isFinite(to[k])) throw new BadInputException("path end points must be finite numbers");
            nonZero |= to[k] != from[k];
        }
        if (!nonZero) throw new BadInputException("the path has zero length (its two end points coincide)");
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            DenseLayer l = net.layer(i);
            double[] w = l.weights();
            for (int u = 0; u < size[i]; u++) {
                double bias = l.bias()[u];
                double slope = 0;
                if (i == 1) {
                    double sc = 0, sd = 0;
                    for (int k = 0; k < n; k++) sc += w[u * n + k] * from[k];
                    for (int k = 0; k < n; k++) sd += w[u * n + k] * (to[k] - from[k]);
                    bias += sc;
                    slope = sd;
                }
                for (Skip s : l.skips()) {
                    if (s.from() != 0) continue;
                    double sc = 0, sd = 0;
                    for (int k = 0; k < n; k++) sc += s.weight(u, k) * from[k];
                    for (int k = 0; k < n; k++) sd += s.weight(u, k) * (to[k] - from[k]);
                    bias += sc;
                    slope += sd;
                }
                inBias[i][u] = bias;
                inSlope[i][u] = slope;
            }
        }
    }

    /** Sets the restricted input terms from projections {@code L_i(x)} of the end points (batch form). */
    void restrictProjected(double[][] projFrom, double[][] projTo) {
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            double[] b = net.layer(i).bias();
            for (int u = 0; u < size[i]; u++) {
                inBias[i][u] = b[u] + projFrom[i][u];
                inSlope[i][u] = projTo[i][u] - projFrom[i][u];
            }
        }
    }

    /** The input-reading part of every layer at x (no bias): {@code L_i(x) = [i == 1] W_1 x + sum of input skips P x}. */
    double[][] project(double[] x) {
        int n = size[0];
        double[][] p = new double[depth + 1][];
        for (int i = 1; i <= depth; i++) {
            if (inBias[i] == null) continue;
            DenseLayer l = net.layer(i);
            p[i] = new double[size[i]];
            for (int u = 0; u < size[i]; u++) {
                double s = 0;
                if (i == 1) {
                    double[] w = l.weights();
                    for (int k = 0; k < n; k++) s += w[u * n + k] * x[k];
                }
                for (Skip sk : l.skips()) {
                    if (sk.from() != 0) continue;
                    for (int k = 0; k < n; k++) s += sk.weight(u, k) * x[k];
                }
                p[i][u] = s;
            }
        }
        return p;
    }

    private void ensure(int n) {
        if (n > t.length) {
            int cap = Math.max(n, t.length * 2);
            t = Arrays.copyOf(t, cap);
            state = Arrays.copyOf(state, cap * stride);
            pat = Arrays.copyOf(pat, cap * words);
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
        return nv++;
    }

    /** The 1-D cut of the restricted network on [0, 1]. */
    void cut() {
        nv = 0;
        order[0] = addVertex(0.0);
        order[1] = addVertex(1.0);
        no = 2;
        for (int i = 1; i <= depth; i++) {
            if (i == depth && !splits[i]) break; // an identity output that does not cut changes no pattern
            DenseLayer l = net.layer(i);
            int units = size[i];
            for (int v = 0; v < nv; v++) evaluate(i, l, v);
            if (splits[i]) {
                int zc = col[i];
                for (int u = 0; u < units; u++) {
                    // invariant: order lists the vertices by increasing t, from 0 to 1
                    int m = 0;
                    boolean any = false;
                    for (int k = 0; k + 1 < no && !any; k++) any = sign(order[k], zc + u) * sign(order[k + 1], zc + u) < 0;
                    if (!any) continue;
                    ensure(2 * no);
                    for (int k = 0; k + 1 < no; k++) {
                        int a = order[k], b = order[k + 1];
                        next[m++] = a;
                        if (sign(a, zc + u) * sign(b, zc + u) < 0) {
                            int v = crossing(a, b, i, u);
                            System.arraycopy(pat, a * words, pat, v * words, words);
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
                    int ra = a * stride + zc, rb = b * stride + zc, pw = a * words;
                    for (int u = 0; u < units; u++) {
                        if (state[ra + u] > 0 || state[rb + u] > 0) {
                            int bit = off + u;
                            pat[pw + (bit >>> 6)] |= 1L << (bit & 63);
                        }
                    }
                }
            }
            Activation act = l.activation();
            if (act != Activation.IDENTITY) {
                double leak = l.leak();
                for (int v = 0; v < nv; v++) {
                    int r = v * stride + col[i];
                    for (int u = 0; u < units; u++) state[r + u] = act.apply(state[r + u], leak);
                }
            }
        }
    }

    /** z_i at vertex v, snapped, into layer i's block (as VertexTable.enterLayer). */
    private void evaluate(int i, DenseLayer l, int v) {
        if (rowL1[i] != null) { evaluatePlain(i, l, v); return; }
        int units = size[i];
        int dst = v * stride + col[i];
        double tv = t[v];
        double[] w = l.weights();
        double[] b = l.bias();
        int in = l.inputSize();
        int src = v * stride + col[i - 1];
        for (int u = 0; u < units; u++) {
            double s, mag;
            if (i == 1) {
                s = inBias[1][u];
                mag = Math.abs(s);
                double term = inSlope[1][u] * tv;
                s += term;
                mag += Math.abs(term);
            } else {
                s = inBias[i] != null ? inBias[i][u] : b[u];
                mag = Math.abs(s);
                int row = u * in;
                for (int k = 0; k < in; k++) {
                    double term = w[row + k] * state[src + k];
                    s += term;
                    mag += Math.abs(term);
                }
            }
            for (Skip skip : l.skips()) {
                int f = skip.from();
                if (f == 0) continue; // the input part is in inBias / inSlope
                int sb = v * stride + col[f];
                if (skip.isIdentity()) {
                    double term = state[sb + u];
                    s += term;
                    mag += Math.abs(term);
                } else {
                    double[] p = skip.weights();
                    int cc = skip.cols();
                    for (int k = 0; k < cc; k++) {
                        double term = p[u * cc + k] * state[sb + k];
                        s += term;
                        mag += Math.abs(term);
                    }
                }
            }
            if (i > 1 && inSlope[i] != null) {
                double term = inSlope[i][u] * tv;
                s += term;
                mag += Math.abs(term);
            }
            state[dst + u] = tol.snap(s, mag);
        }
    }

    /**
     * z_i at vertex v for a layer that reads only the previous layer: the sum first, and the magnitude of its
     * terms only when the sum is within tolerance of 0 relative to the bound {@code |b| + ||w_u||_1 max_k |h_k|}
     * (above it, snapping cannot apply, since the magnitude never exceeds the bound). Same values as the general form.
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
        double eps = tol.sideEps() * BOUND_SLACK;
        for (int u = 0; u < units; u++) {
            double s = b[u];
            int row = u * in;
            for (int k = 0; k < in; k++) s += w[row + k] * state[src + k];
            double bound = Math.abs(b[u]) + l1[u] * hmax;
            if (Math.abs(s) > eps * bound) {
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

    /** The vertex on (a, b) where unit u of layer i is zero (as VertexTable.addCrossing). */
    private int crossing(int a, int b, int i, int u) {
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

    // summary of the last path (the batch form reads these instead of allocating a result)
    int lastRegions, lastR1, lastR2;
    double lastMaxRunning;

    /** chi, r1, r2 and the maximum running chi of the current piece sequence. */
    private FoldingResult summary() {
        summarise();
        return new FoldingResult(lastRegions, lastR1, lastR2, FoldingResult.chi(lastR1, lastR2), new double[0], lastMaxRunning);
    }

    void summarise() {
        int n = no - 1;
        int first = order[0] * words;
        int r1 = 0, r2 = 0;
        double maxRunning = 0;
        for (int k = 1; k < n; k++) {
            int pa = order[k - 1] * words, pb = order[k] * words;
            int step = 0, fromStart = 0;
            for (int w = 0; w < words; w++) {
                step += Long.bitCount(pat[pa + w] ^ pat[pb + w]);
                fromStart += Long.bitCount(pat[first + w] ^ pat[pb + w]);
            }
            r2 += step;
            if (fromStart > r1) r1 = fromStart;
            double c = FoldingResult.chi(r1, r2);
            if (c > maxRunning) maxRunning = c;
        }
        lastRegions = n;
        lastR1 = r1;
        lastR2 = r2;
        lastMaxRunning = maxRunning;
    }

    /** Folds the path between two projected end points (batch form). */
    void foldProjected(double[][] projFrom, double[][] projTo) {
        restrictProjected(projFrom, projTo);
        cut();
        summarise();
    }

    /**
     * Exact folding of many paths between given points, in parallel on all cores (one kernel per thread).
     * Path {@code k} runs from {@code points[from[k]]} to {@code points[to[k]]}; every end point is projected
     * through the input-reading layers once.
     *
     * @param points   the end points. Not modified.
     * @param from     start index per path. Not modified.
     * @param to       end index per path (a path whose two end points coincide is an error). Not modified.
     * @param progress called with the number of paths done so far (from any thread), or null
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static FoldingBatch foldAll(Network net, Tolerance tol, boolean includeOutputs, double[][] points,
                                       int[] from, int[] to, java.util.function.LongConsumer progress) {
        if (from.length != to.length) throw new BadInputException("from and to lists differ in length");
        long t0 = System.nanoTime();
        PathFolder proto = new PathFolder(net, tol, includeOutputs);
        for (double[] x : points) {
            if (x.length != net.inputDim()) throw new BadInputException("a path end point has " + x.length + " coordinates, the network has " + net.inputDim() + " inputs");
            for (double v : x) if (!Double.isFinite(v)) throw new BadInputException("path end points must be finite numbers");
        }
        double[][][] proj = new double[points.length][][];
        java.util.stream.IntStream.range(0, points.length).parallel().forEach(j -> proj[j] = proto.project(points[j]));
        int n = from.length;
        int[] regions = new int[n], r1 = new int[n], r2 = new int[n];
        double[] maxRunning = new double[n];
        ThreadLocal<PathFolder> folders = ThreadLocal.withInitial(() -> new PathFolder(net, tol, includeOutputs));
        int chunk = 256;
        int chunks = (n + chunk - 1) / chunk;
        Thread caller = Thread.currentThread();
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            if (cancelled.get() || caller.isInterrupted()) { cancelled.set(true); return; }
            PathFolder f = folders.get();
            int end = Math.min(n, (c + 1) * chunk);
            for (int k = c * chunk; k < end; k++) {
                if (from[k] == to[k] || java.util.Arrays.equals(points[from[k]], points[to[k]]))
                    throw new BadInputException("path " + k + " has zero length (its two end points coincide)");
                f.foldProjected(proj[from[k]], proj[to[k]]);
                regions[k] = f.lastRegions;
                r1[k] = f.lastR1;
                r2[k] = f.lastR2;
                maxRunning[k] = f.lastMaxRunning;
            }
            long d = done.addAndGet(end - c * chunk);
            if (progress != null) progress.accept(d);
        });
        if (cancelled.get()) throw new java.util.concurrent.CancellationException("interrupted");
        return new FoldingBatch(regions, r1, r2, maxRunning, (System.nanoTime() - t0) / 1e9);
    }
}
