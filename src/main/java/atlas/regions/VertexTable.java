package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.stream.IntStream;

/**
 * Vertices of a 1-D or 2-D partition and, per vertex, the network values that later layers still need.
 *
 * <p>While layer {@code i} is being cut, a vertex's state row holds {@code z_i} (the layer's pre-activations)
 * in columns {@code [0, size(i))}, followed by each earlier output {@code h_j} that a later layer still reads
 * (through a skip). {@code h_0} is the vertex's coordinates and is never copied into the state. After
 * {@link #activate}, columns {@code [0, size(i))} hold {@code h_i}.
 *
 * <p>invariant: every value stored at a vertex is the network's exact value at that point up to rounding,
 * and every pre-activation within tolerance of 0 is stored as exactly 0, so all faces that share a vertex
 * see the same sign there.
 */
final class VertexTable {
    final int dim;
    double[] coords;
    double[] state;
    /** the previous layer step's state array, reused by the next step when large enough (default mode) */
    private double[] spare;
    int stride;
    int size;
    /** offset[j] = column of h_j in the state row, or -1 when not stored (j = 0 reads coords). */
    int[] offset;
    /** number of pre-activation columns of the layer being cut */
    int zWidth;
    /** index of the layer being cut */
    private int layerIndex;

    // Exact mode (Tolerance.Kind.EXACT) only; null otherwise. See enterLayerExact.
    /** the exact fallback: exact coordinates and network values of the vertices the filter could not decide */
    private ExactFallback exact;
    /** the middle stage: double-double recomputation with a fresh error bound, tried before exact arithmetic */
    private DoubleDoubleStage dd;
    /** vertices the double-double stage decided (no exact arithmetic needed) */
    private int ddResolved;
    /**
     * per vertex, parallel to {@code state} (same stride and layout): a bound on |stored value - exact value at the
     * exact vertex|, one per column, so that a badly conditioned column does not widen the bounds of the others
     */
    private double[] serr;
    /** per vertex: a bound on the error of each of its coordinates (0 for the input vertices) */
    private double[] cerr;

    VertexTable(int dim, int capacity) {
        this.dim = dim;
        this.coords = new double[capacity * dim];
        this.state = new double[0];
        this.offset = new int[0];
    }

    int addVertex(double... c) {
        ensureCapacity(size + 1);
        System.arraycopy(c, 0, coords, size * dim, dim);
        if (exact != null) exact.record(size, -1, -1, 0, 0);
        return size++;
    }

    private void ensureCapacity(int n) {
        if (n * dim > coords.length) coords = java.util.Arrays.copyOf(coords, Math.max(n * dim, coords.length * 2));
        if (n * stride > state.length) state = java.util.Arrays.copyOf(state, Math.max(n * stride, state.length * 2));
        if (exact != null) {
            if (n * stride > serr.length) serr = java.util.Arrays.copyOf(serr, Math.max(n * stride, serr.length * 2));
            if (n > cerr.length) cerr = java.util.Arrays.copyOf(cerr, Math.max(n, cerr.length * 2));
        }
    }

    /** True in exact mode (after the first layer has been entered with an EXACT tolerance). */
    boolean isExact() { return exact != null; }

    /** Number of vertices whose undecided signs the double-double stage decided (0 in the default mode). */
    int doubleDoubleResolutions() { return ddResolved; }

    /** Number of exact network evaluations made by the fallback (0 in the default mode). */
    int exactEvaluations() { return exact == null ? 0 : exact.evaluations(); }

    double z(int v, int unit) { return state[v * stride + unit]; }

    /**
     * Computes the pre-activations of layer {@code i} at every vertex (snapped to 0 within tolerance) and
     * rearranges the state to the layout of layer {@code i}. Uses all cores.
     */
    void enterLayer(Network net, int i, int[] lastReader, Tolerance tol) {
        layerIndex = i;
        if (tol.kind() == Tolerance.Kind.EXACT) {
            enterLayerExact(net, i, lastReader);
            return;
        }
        DenseLayer layer = net.layer(i);
        int units = layer.units();
        int[] newOffset = layerOffsets(net, i, lastReader);
        int newStride = stride(net, newOffset);
        final double[] old = state;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final double[] next = reusedState(Math.max(1, size) * newStride);
        final double[] w = layer.weights();
        final double[] b = layer.bias();
        final int in = layer.inputSize();
        final int n = size;
        if (layer.skips().isEmpty()) {
            enterLayerBlocked(net, i, layer, newOffset, newStride, next, tol);
        } else forVertexChunks(n, (from, end) -> {
            double[] acc = new double[2];
            for (int v = from; v < end; v++) {
                double[] src = i == 1 ? coords : old;
                int srcBase = i == 1 ? v * dim : v * oldStride + oldOffset[i - 1];
                int dst = v * newStride;
                for (int u = 0; u < units; u++) {
                    double s = b[u];
                    double mag = Math.abs(s);
                    int row = u * in;
                    for (int k = 0; k < in; k++) {
                        double t = w[row + k] * src[srcBase + k];
                        s += t;
                        mag += Math.abs(t);
                    }
                    if (!layer.skips().isEmpty()) {
                        acc[0] = s;
                        acc[1] = mag;
                        for (Skip skip : layer.skips()) {
                            int f = skip.from();
                            SnappedSum.addSkip(skip, u, f == 0 ? coords : old, f == 0 ? v * dim : v * oldStride + oldOffset[f], acc);
                        }
                        s = acc[0];
                        mag = acc[1];
                    }
                    next[dst + u] = tol.snap(s, mag);
                }
                for (int j = 1; j < i; j++) {
                    if (newOffset[j] >= 0)
                        System.arraycopy(old, v * oldStride + oldOffset[j], next, dst + newOffset[j], net.size(j));
                }
            }
        });
        spare = old;
        state = next;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
    }

    /**
     * The state array for a layer step that needs {@code need} doubles: the previous step's array when it is large
     * enough (its old contents are all overwritten: every column of every vertex row is written), else a new one
     * with room for the crossings the layer will add. Two arrays alternate instead of one new array per layer.
     */
    private double[] reusedState(int need) {
        double[] s = spare;
        spare = null;
        return s != null && s.length >= need ? s : new double[need + need / 4];
    }

    /**
     * The default-mode step of a layer without skips, a vertex at a time with the units in vector lanes
     * ({@link LayerBlocks#vertex}): the same values, bit for bit, as the per-vertex scalar loop.
     */
    private void enterLayerBlocked(Network net, int i, DenseLayer layer, int[] newOffset, int newStride, double[] next, Tolerance tol) {
        final int units = layer.units(), n = size;
        final LayerBlocks.Prepared prepared = new LayerBlocks.Prepared(layer.weights(), layer.bias(), units, layer.inputSize());
        final double[] src = i == 1 ? coords : state;
        final int srcStride = i == 1 ? dim : stride, srcOff = i == 1 ? 0 : offset[i - 1];
        final double[] old = state;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final boolean vector = LayerBlocks.VECTOR;
        forVertexChunks(n, (from, end) -> {
            double[] z = new double[prepared.padded];
            for (int v = from; v < end; v++) {
                int dst = v * newStride;
                LayerBlocks.vertex(prepared, src, v * srcStride + srcOff, z, tol, vector);
                System.arraycopy(z, 0, next, dst, units);
                for (int j = 1; j < i; j++) {
                    if (newOffset[j] >= 0)
                        System.arraycopy(old, v * oldStride + oldOffset[j], next, dst + newOffset[j], net.size(j));
                }
            }
        });
    }

    /**
     * Adds the point on edge (a, b) where pre-activation {@code unit} is zero; {@code z(a)} and {@code z(b)}
     * must have strictly opposite signs. All state is interpolated linearly (exact, since everything stored is
     * affine along an edge of the current partition), the cut unit's value is set to exactly 0 and the other
     * pre-activations are snapped with the larger end magnitude as their scale.
     */
    int addCrossing(int a, int b, int unit, Tolerance tol) {
        if (exact != null) return addCrossingExact(a, b, unit);
        // canonical order, so the same edge always yields bit-identical values
        if (a > b) { int t = a; a = b; b = t; }
        double za = z(a, unit), zb = z(b, unit);
        double t = za / (za - zb);
        ensureCapacity(size + 1);
        int v = size++;
        for (int k = 0; k < dim; k++) {
            double ca = coords[a * dim + k], cb = coords[b * dim + k];
            coords[v * dim + k] = ca + t * (cb - ca);
        }
        int sa = a * stride, sb = b * stride, sv = v * stride;
        for (int k = 0; k < stride; k++) state[sv + k] = state[sa + k] + t * (state[sb + k] - state[sa + k]);
        for (int k = 0; k < zWidth; k++) {
            double scale = Math.max(Math.abs(state[sa + k]), Math.abs(state[sb + k]));
            state[sv + k] = tol.snap(state[sv + k], scale);
        }
        state[sv + unit] = 0.0;
        return v;
    }

    /** Replaces z_i by h_i = act(z_i) in columns [0, zWidth). */
    void activate(DenseLayer layer) {
        if (exact != null) activationErrors(layer);
        if (layer.activation() == atlas.net.Activation.IDENTITY) return;
        final double[] st = state;
        final int str = stride, width = zWidth;
        final boolean relu = layer.activation() == atlas.net.Activation.RELU;
        final double leak = layer.leak();
        // the expressions of Activation.apply, hoisted out of its switch; vertex rows are disjoint, so chunks run in parallel
        forVertexChunks(size, (from, end) -> {
            for (int v = from; v < end; v++) {
                int base = v * str;
                if (relu) for (int u = base; u < base + width; u++) st[u] = st[u] > 0 ? st[u] : 0.0;
                else for (int u = base; u < base + width; u++) st[u] = st[u] > 0 ? st[u] : leak * st[u];
            }
        });
    }

    /** -1, 0 or +1: the (already snapped) sign of pre-activation {@code unit} at vertex v. */
    int sign(int v, int unit) {
        double z = state[v * stride + unit];
        return z > 0 ? 1 : (z < 0 ? -1 : 0);
    }

    /** Output {@code o} of the network at vertex v (valid after the last layer). */
    double output(int v, int o) { return state[v * stride + o]; }

    // ---------------------------------------------------------------------------------------------------------
    // Exact mode: filtered sign decisions. Every stored value carries a rigorous bound on its distance from the
    // exact value at the exact vertex; a sign is taken from the double when |value| > bound (the filter) and
    // otherwise from exact arithmetic (ExactFallback), whose correctly rounded result is written back (so a
    // value that is exactly 0 is stored as 0 and every later test of it, through sign(), is exact).
    // ---------------------------------------------------------------------------------------------------------

    /** Unit roundoff of double precision, 2^-53. */
    private static final double U = 0x1p-53;
    /**
     * Absolute error allowance per operation for results in the subnormal range (rounding there is absolute,
     * at most half of {@link Double#MIN_VALUE}).
     */
    private static final double UNDERFLOW = Double.MIN_VALUE;
    /**
     * Relative bound for one interpolation {@code a + t (b - a)} (three roundings, |t| <= 1:
     * at most 3u (2|a| + |b|)), rounded up and applied to {@code |a| + |b|}.
     */
    private static final double INTERPOLATION_ROUNDING = 8 * U;
    /** Work on the vertices [from, end) of one chunk. */
    private interface VertexChunk { void run(int from, int end); }

    /**
     * Runs {@code work} over vertices [0, n) in chunks, in parallel when there are several; the chunks are
     * disjoint, so each writes only its own vertices' rows. Few vertices (a segment, an early layer) make one
     * chunk: no fork-join overhead, and no contention with callers that already run many partitions in parallel.
     */
    private static void forVertexChunks(int n, VertexChunk work) {
        int chunk = Math.max(KernelParameters.MIN_PARALLEL_VERTICES, n / (4 * Runtime.getRuntime().availableProcessors()) + 1);
        int chunks = (n + chunk - 1) / chunk;
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 && !TiledPlanePartitioner.coresBusy() ? range.parallel() : range).forEach(ch -> work.run(ch * chunk, Math.min(n, (ch + 1) * chunk)));
    }

    /**
     * The state layout while layer {@code i} is cut: its own values at column 0, then each earlier layer j that a
     * later layer still reads (a skip source, {@code lastReader[j] > i}) in layer order; -1 for layers not kept.
     */
    static int[] layerOffsets(Network net, int i, int[] lastReader) {
        int[] offset = new int[i + 1];
        java.util.Arrays.fill(offset, -1);
        offset[i] = 0; // z_i, and h_i once activated
        int col = net.size(i);
        for (int j = 1; j < i; j++) {
            if (lastReader[j] > i) { offset[j] = col; col += net.size(j); }
        }
        return offset;
    }

    /** Columns per vertex of a {@link #layerOffsets} layout. */
    static int stride(Network net, int[] offset) {
        int col = 0;
        for (int j = 1; j < offset.length; j++) if (offset[j] >= 0) col += net.size(j);
        return col;
    }

    /**
     * {@link #enterLayer} in exact mode: the same values, not snapped, each with an error bound
     * {@code sum_k |w_k| e_k + gamma_n (|b| + sum |w h|)}: the propagated error of each input column (its own
     * bound, summed in the same loop as the value) plus the rounding of an n-term dot product (Higham's
     * gamma_n = n u / (1 - n u), here (n + 2) u, and the whole inflated by 1 + 2 gamma so that the bound's own
     * rounding is covered). Entries the filter cannot decide are resolved exactly. Allocates only the layer's
     * new arrays (as the default path does).
     */
    private void enterLayerExact(Network net, int i, int[] lastReader) {
        if (exact == null) {
            exact = new ExactFallback(net, dim);
            dd = new DoubleDoubleStage(net, dim, exact, lastReader);
            cerr = new double[Math.max(1, size)]; // input vertices: exact coordinates, error 0
            serr = new double[0];
            for (int v = 0; v < size; v++) exact.record(v, -1, -1, 0, 0);
        }
        DenseLayer layer = net.layer(i);
        int units = layer.units();
        int[] newOffset = layerOffsets(net, i, lastReader);
        int newStride = stride(net, newOffset);
        final double[] old = state, oldErr = serr;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final double[] w = layer.weights();
        final double[] b = layer.bias();
        final int in = layer.inputSize();
        final int n = size;
        java.util.List<Skip> skips = layer.skips();
        final double[] absW = new double[w.length];
        for (int k = 0; k < w.length; k++) absW[k] = Math.abs(w[k]);
        int terms = in + 1;
        for (Skip skip : skips) terms += skip.isIdentity() ? 1 : skip.cols();
        final double g = (terms + 2) * U;
        final double inflate = 1 + 2 * g;
        final double underflow = (terms + 2) * UNDERFLOW;
        final double[] next = new double[Math.max(1, n) * newStride];
        final double[] nextErr = new double[Math.max(1, n) * newStride];
        final boolean[] undecided = new boolean[n];
        forVertexChunks(n, (from, end) -> {
            double[] acc = new double[2];
            for (int v = from; v < end; v++) {
                int dst = v * newStride;
                double ce = cerr[v];
                for (int u = 0; u < units; u++) {
                    double s = b[u];
                    double mag = Math.abs(s);
                    double e = 0;
                    int row = u * in;
                    if (i == 1) {
                        int base = v * dim;
                        double rowAbs = 0;
                        for (int k = 0; k < in; k++) {
                            double t = w[row + k] * coords[base + k];
                            s += t;
                            mag += Math.abs(t);
                            rowAbs += absW[row + k];
                        }
                        e = rowAbs * ce;
                    } else {
                        int base = v * oldStride + oldOffset[i - 1];
                        for (int k = 0; k < in; k++) {
                            double t = w[row + k] * old[base + k];
                            s += t;
                            mag += Math.abs(t);
                            e += absW[row + k] * oldErr[base + k];
                        }
                    }
                    for (Skip skip : skips) {
                        int f = skip.from();
                        int base = f == 0 ? v * dim : v * oldStride + oldOffset[f];
                        acc[0] = s;
                        acc[1] = mag;
                        SnappedSum.addSkip(skip, u, f == 0 ? coords : old, base, acc);
                        s = acc[0];
                        mag = acc[1];
                        e += skipError(skip, u, f == 0 ? null : oldErr, base, ce);
                    }
                    e = (e + g * mag) * inflate + underflow;
                    next[dst + u] = s;
                    nextErr[dst + u] = e;
                    if (undecided(s, e)) undecided[v] = true;
                }
                for (int j = 1; j < i; j++) {
                    if (newOffset[j] >= 0) {
                        System.arraycopy(old, v * oldStride + oldOffset[j], next, dst + newOffset[j], net.size(j));
                        System.arraycopy(oldErr, v * oldStride + oldOffset[j], nextErr, dst + newOffset[j], net.size(j));
                    }
                }
            }
        });
        state = next;
        serr = nextErr;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
        for (int v = 0; v < n; v++) if (undecided[v]) resolve(v);
    }

    /** The propagated error of a skip's terms for unit u: {@code sum |P_uk| e_k} (err null: the coordinates, error ce). */
    private static double skipError(Skip skip, int u, double[] err, int base, double ce) {
        if (skip.isIdentity()) return err == null ? ce : err[base + u];
        double[] p = skip.weights();
        int c = skip.cols();
        double e = 0;
        for (int k = 0; k < c; k++) e += Math.abs(p[u * c + k]) * (err == null ? ce : err[base + k]);
        return e;
    }

    /**
     * {@link #addCrossing} in exact mode. With {@code A = |z_a|, B = |z_b|} certified ({@code A > e_a, B > e_b}),
     * the exact parameter {@code t* = A* / (A* + B*)} differs from {@code A / (A + B)} by at most
     * {@code (A e_b + B e_a) / ((A + B)(A + B - e_a - e_b))}. A stored value {@code s} is exactly
     * {@code (1 - t*) s_a* + t* s_b*} (everything stored is affine on the edge, which lies inside one region of
     * every earlier cut because those cuts were all made exactly), so its error is at most
     * {@code (1 - t) e_a + t e_b + |t - t*| (|s_b - s_a| + e_a + e_b)} plus the rounding of the interpolation.
     * No allocation.
     */
    private int addCrossingExact(int a, int b, int unit) {
        if (a > b) { int t = a; a = b; b = t; }
        double za = z(a, unit), zb = z(b, unit);
        double ea = serr[a * stride + unit], eb = serr[b * stride + unit];
        double A = Math.abs(za), B = Math.abs(zb);
        double room = (A + B - ea - eb) * (1 - 4 * U);
        if (!(room > 0) || !(A > ea) || !(B > eb))
            throw new IllegalStateException("exact mode: a crossing on an edge whose end signs are not certified");
        double t = za / (za - zb);
        double dt = (A * eb + B * ea) / ((A + B) * room) * (1 + 8 * U) + 4 * U;
        ensureCapacity(size + 1);
        int v = size++;
        exact.record(v, a, b, layerIndex, unit);
        double ce = 0;
        for (int k = 0; k < dim; k++) {
            double ca = coords[a * dim + k], cb = coords[b * dim + k];
            coords[v * dim + k] = ca + t * (cb - ca);
            ce = Math.max(ce, interpolationError(ca, cb, cerr[a], cerr[b], t, dt));
        }
        cerr[v] = ce;
        int sa = a * stride, sb = b * stride, sv = v * stride;
        boolean undecided = false;
        for (int k = 0; k < stride; k++) {
            double x = state[sa + k], y = state[sb + k];
            double val = x + t * (y - x);
            double e = interpolationError(x, y, serr[sa + k], serr[sb + k], t, dt);
            state[sv + k] = val;
            serr[sv + k] = e;
            if (k < zWidth && k != unit && undecided(val, e)) undecided = true;
        }
        state[sv + unit] = 0.0; // exactly: the vertex is defined as the zero of this unit
        serr[sv + unit] = 0.0;
        if (undecided) resolve(v);
        return v;
    }

    /** The filter: the sign of a value is certain when it is farther from 0 than its error bound (an exact 0 is exact). */
    private static boolean undecided(double value, double error) {
        return error > 0 && Math.abs(value) <= error;
    }

    /** Error bound of {@code x + t (y - x)} against the exact interpolation at t* (see {@link #addCrossingExact}). */
    private static double interpolationError(double x, double y, double ex, double ey, double t, double dt) {
        // exact and equal ends: the value is constant along the edge and computed exactly
        if (ex == 0 && ey == 0 && x == y) return 0;
        return ((1 - t) * ex + t * ey + dt * (Math.abs(y - x) + ex + ey) + INTERPOLATION_ROUNDING * (Math.abs(x) + Math.abs(y)))
                * (1 + 8 * U) + 4 * UNDERFLOW;
    }

    /**
     * Error bounds of h_i = act(z_i), per column. Every z sign is certified at this point (undecided values were
     * resolved), so a ReLU of a negative z is exactly 0 with error 0; a positive z keeps its bound; leaky ReLU
     * scales a negative z's bound by |leak| and adds the rounding of {@code leak * z}.
     */
    private void activationErrors(DenseLayer layer) {
        atlas.net.Activation act = layer.activation();
        if (act == atlas.net.Activation.IDENTITY) return;
        double leak = Math.abs(layer.leak());
        for (int v = 0; v < size; v++) {
            int base = v * stride;
            for (int u = 0; u < zWidth; u++) {
                double z = state[base + u], e = serr[base + u];
                if (z > 0 || e == 0) continue;
                if (undecided(z, e)) throw new IllegalStateException("exact mode: an activation of an uncertified sign");
                serr[base + u] = act == atlas.net.Activation.RELU ? 0
                        : (leak * e + 2 * U * leak * Math.abs(z)) * (1 + 4 * U) + UNDERFLOW;
            }
        }
    }

    /**
     * Decides the undecided values of vertex v: first in double-double ({@link DoubleDoubleStage}); where that
     * cannot decide either (a value within about 2^-90 of 0 relative to its terms, typically exactly 0), exactly.
     */
    private void resolve(int v) {
        if (resolveDoubleDouble(v)) { ddResolved++; return; }
        resolveExact(v);
    }

    /**
     * Recomputes vertex v in double-double; when every z of the current layer that is not already exact gets a
     * certified sign, writes back (per column, where it is better or the stored one is undecided) the high word
     * with the bound {@code error + |low word|}, and returns true.
     */
    private boolean resolveDoubleDouble(int v) {
        double[] c = dd.state(v, layerIndex, coords);
        if (c == null) return false;
        int base = v * stride;
        for (int u = 0; u < zWidth; u++) {
            if (serr[base + u] == 0) continue; // exact already (the cut unit of a crossing, exact zeros)
            if (undecided(dd.hi(c, u), ddError(c, u))) return false;
        }
        for (int k = 0; k < stride; k++) {
            if (serr[base + k] == 0) continue;
            double e = ddError(c, k);
            if (e < serr[base + k] || undecided(state[base + k], serr[base + k])) {
                state[base + k] = dd.hi(c, k);
                serr[base + k] = e;
            }
        }
        double ce = 0;
        for (int k = 0; k < dim; k++) ce = Math.max(ce, (c[2 * dim] + Math.abs(c[2 * k + 1])) * (1 + 2 * U) + DoubleDoubleStage.TINY);
        if (ce < cerr[v]) {
            for (int k = 0; k < dim; k++) coords[v * dim + k] = c[2 * k];
            cerr[v] = ce;
        }
        return true;
    }

    /**
     * Test hook (exact mode, after a layer): for vertex v, per pre-activation column of the current layer,
     * {@code |double-double value - exact value| / bound}, computed in exact decimal arithmetic (at most 1 when the
     * double-double stage's bound holds); null when that stage cannot build the vertex's state.
     */
    double[] doubleDoubleBoundRatios(int v) {
        double[] c = dd.state(v, layerIndex, coords);
        if (c == null) return null;
        ExactFallback.Dyadic[] p = exact.coords(v, coords);
        ExactFallback.Dyadic[][] h = exact.forward(p, layerIndex);
        java.math.MathContext mc = new java.math.MathContext(120);
        java.math.BigDecimal w = decimal(p[dim]);
        double[] out = new double[zWidth];
        for (int u = 0; u < zWidth; u++) {
            java.math.BigDecimal exactValue = decimal(h[layerIndex][u]).divide(w, mc);
            java.math.BigDecimal approx = new java.math.BigDecimal(dd.hi(c, u)).add(new java.math.BigDecimal(dd.lo(c, u)));
            java.math.BigDecimal diff = approx.subtract(exactValue).abs();
            double bound = dd.error(c, u);
            out[u] = bound == 0 ? (diff.signum() == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : diff.divide(new java.math.BigDecimal(bound), mc).doubleValue();
        }
        return out;
    }

    private static java.math.BigDecimal decimal(ExactFallback.Dyadic d) {
        java.math.BigDecimal m = new java.math.BigDecimal(d.m());
        return d.e() >= 0 ? m.multiply(new java.math.BigDecimal(java.math.BigInteger.TWO.pow(d.e())))
                : m.divide(new java.math.BigDecimal(java.math.BigInteger.TWO.pow(-d.e())));
    }

    /** The double-double value's bound as a bound for its high word. */
    private double ddError(double[] c, int k) {
        return (dd.error(c, k) + Math.abs(dd.lo(c, k))) * (1 + 2 * U) + DoubleDoubleStage.TINY;
    }

    /**
     * The exact fallback for vertex v: computes its exact coordinates and exact network values up to the current
     * layer, and writes them back rounded (within 1.01 ulp, exact zeros as 0) with matching error bounds.
     */
    private void resolveExact(int v) {
        ExactFallback.Dyadic[] p = exact.coords(v, coords);
        ExactFallback.Dyadic w = p[dim];
        ExactFallback.Dyadic[][] h = exact.forward(p, layerIndex);
        double ec = 0;
        for (int k = 0; k < dim; k++) {
            double c = ExactFallback.quotient(p[k], w);
            coords[v * dim + k] = c;
            ec = Math.max(ec, roundedError(c));
        }
        cerr[v] = ec;
        for (int u = 0; u < zWidth; u++) {
            double q = ExactFallback.quotient(h[layerIndex][u], w);
            state[v * stride + u] = q;
            serr[v * stride + u] = roundedError(q);
        }
        for (int j = 1; j < layerIndex; j++) {
            if (offset[j] < 0) continue;
            for (int k = 0; k < h[j].length; k++) {
                double q = ExactFallback.quotient(h[j][k], w);
                state[v * stride + offset[j] + k] = q;
                serr[v * stride + offset[j] + k] = roundedError(q);
            }
        }
    }

    /** Error bound of a value rounded from its exact value by {@link ExactFallback#quotient} (0 stays exact). */
    private static double roundedError(double q) {
        return q == 0 ? 0 : Math.abs(q) * 2 * U + UNDERFLOW;
    }
}
