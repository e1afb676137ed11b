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
    /**
     * Where the next layer step writes its vertices' sign masks ({@link LayerBlocks#signMasks} rows), or null; set by
     * {@link #writeMasksTo}. Only the default-mode step of a layer without skips writes them (while each vertex's
     * values are still in cache); {@link #masksWritten} says whether it did.
     */
    private long[] maskOut;
    /** vertex v's mask row starts at {@code maskFirst + v * maskRowLength} of {@link #maskOut} */
    private int maskFirst, maskRowLength;
    /** the masks packed into one word a vertex ({@link LayerBlocks#packedMasks}) */
    private boolean maskPacked;
    private boolean masksWritten;
    /**
     * A layer whose activation {@link #deferActivation} left to the next layer step, which applies it to each vertex's
     * inputs as it reads them (one pass over the state less per layer); null when none is pending.
     */
    private DenseLayer deferred;

    // Exact mode (Tolerance.Kind.EXACT) only; null otherwise. See enterLayerExact.
    /** the exact fallback: exact coordinates and network values of the vertices the filter could not decide */
    private ExactFallback exact;
    /** vertices whose undecided signs were decided by the exact fallback */
    private int exactResolved;
    /**
     * per vertex, parallel to {@code state} (same stride and layout): the low words of the double-double values
     * whose high words are in {@code state}, and a bound on |hi + lo - exact value at the exact vertex|, one per
     * column, so that a badly conditioned column does not widen the bounds of the others
     */
    private double[] slo, serr;
    /** the previous exact layer step's arrays of low words and bounds, reused like {@link #spare} */
    private double[] spareLo, spareErr;
    /** per vertex: the low words of its coordinates, and a bound on their error (0 for the input vertices) */
    private double[] clo, cerr;
    /**
     * Exact mode's plain stage ({@link PlainStage}), asked for by {@link #usePlainStage}: the stored values are plain
     * doubles in {@code state} and {@code coords} with their bounds in {@code serr} and {@code cerr}; {@code slo} and
     * {@code clo} stay null. A layer with more undecided values than {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED}
     * throws {@link PlainStage.Abandoned}, and the caller makes the partition again with the double-double stage.
     */
    private boolean plain;
    /** values of the current layer the plain stage could not decide (resolved exactly) */
    private int undecidedInLayer;
    /** the plain stage gives up at a layer with more undecided values than this */
    private int maxUndecided = KernelParameters.PLAIN_STAGE_MAX_UNDECIDED;
    /**
     * the plain stage's typical relative input bound of the previous layer step (over its vertices, the bound weight
     * G over the largest input magnitude; 0 before the first step): its growth per layer predicts the last layer's
     */
    private double lastRelativeBound;

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
            if (n * stride > serr.length) {
                serr = java.util.Arrays.copyOf(serr, Math.max(n * stride, serr.length * 2));
                if (slo != null) slo = java.util.Arrays.copyOf(slo, serr.length);
            }
            if (n > cerr.length) cerr = java.util.Arrays.copyOf(cerr, Math.max(n, cerr.length * 2));
            if (clo != null && n * dim > clo.length) clo = java.util.Arrays.copyOf(clo, Math.max(n * dim, clo.length * 2));
        }
    }

    /** True in exact mode (after the first layer has been entered with an EXACT tolerance). */
    boolean isExact() { return exact != null; }

    /**
     * Asks exact mode for its plain stage ({@link PlainStage}) instead of the double-double one; call before the first
     * layer. The caller must catch {@link PlainStage.Abandoned} from {@link #enterLayer} and {@link #addCrossing} and
     * start again without it.
     */
    void usePlainStage() { plain = true; }

    /** {@link #usePlainStage} giving up at more than {@code maxUndecided} undecided values in a layer (tests). */
    void usePlainStage(int maxUndecided) {
        plain = true;
        this.maxUndecided = maxUndecided;
    }

    /** True when exact mode's stored values are the plain stage's ({@link #usePlainStage}). */
    boolean isPlain() { return plain; }

    /** Number of vertices whose undecided signs the exact fallback decided (0 in the default mode). */
    int exactResolutions() { return exactResolved; }

    /** Number of exact network evaluations made by the fallback (0 in the default mode). */
    int exactEvaluations() { return exact == null ? 0 : exact.evaluations(); }

    double z(int v, int unit) { return state[v * stride + unit]; }

    /**
     * Asks the next {@link #enterLayer} to write the sign masks of the new layer's pre-activations at vertices
     * [0, size) into {@code masks}, vertex v's at {@code first + v * rowLength} (the words of
     * {@link LayerBlocks#signMasks}, or when {@code packed} the one word of {@link LayerBlocks#packedMasks}; the array
     * must hold {@code size} rows). A step that cannot (exact mode, a layer with skips) leaves them to the caller: see
     * {@link #masksWritten}.
     */
    void writeMasksTo(long[] masks, int first, int rowLength, boolean packed) {
        maskOut = masks;
        maskFirst = first;
        maskRowLength = rowLength;
        maskPacked = packed;
        masksWritten = false;
    }

    /** Whether the last {@link #enterLayer} wrote the sign masks asked for by {@link #writeMasksTo}. */
    boolean masksWritten() { return masksWritten; }

    /**
     * Computes the pre-activations of layer {@code i} at every vertex (snapped to 0 within tolerance) and
     * rearranges the state to the layout of layer {@code i}. Uses all cores.
     */
    void enterLayer(Network net, int i, int[] lastReader, Tolerance tol) {
        layerIndex = i;
        if (tol.kind() == Tolerance.Kind.EXACT) {
            if (plain) enterLayerPlain(net, i, lastReader);
            else enterLayerExact(net, i, lastReader);
            return;
        }
        DenseLayer layer = net.layer(i);
        int units = layer.units();
        int[] newOffset = layerOffsets(net, i, lastReader);
        int newStride = stride(net, newOffset);
        final double[] old = state;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        // in place when the step reads and writes rows of the same layout (the layer's own values, nothing kept for a
        // skip): a vertex's row is read whole before it is overwritten, by the one thread that owns the vertex
        boolean inPlace = i > 1 && layer.skips().isEmpty() && oldStride == layer.inputSize() && newStride == units && newStride == oldStride
                && oldOffset[i - 1] == 0;
        final double[] next = reusedState(Math.max(1, size) * newStride, inPlace);
        final double[] w = layer.weights();
        final double[] b = layer.bias();
        final int in = layer.inputSize();
        final int n = size;
        if (!layer.skips().isEmpty()) vectorLayer = vectorLanes(n, units, in); // for the layer's crossings (the blocked step decides its own)
        if (layer.skips().isEmpty()) {
            enterLayerBlocked(net, i, layer, newOffset, newStride, next, tol);
        } else if (applyDeferred()) forVertexChunks(n, (from, end) -> {
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
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, old, next);
            }
        });
        if (next != old) spare = old;
        state = next;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
    }

    /**
     * The state array for a layer step that needs {@code need} doubles, with room for the crossings the layer will
     * add: the previous step's array when it is large enough (its old contents are all overwritten: every column of
     * every vertex row is written), else a new one. Two arrays alternate instead of one new array per layer. The room
     * is the growth of the vertex count during the previous layer (a fixed quarter was too little for the middle
     * layers of a late-training net, whose cuts add half the vertices again: every such layer then also grew its
     * array by a copy, a second array of hundreds of megabytes).
     *
     * <p>{@code inPlace}: the step may write its rows over the rows it reads (same layout); then the current array
     * itself when it has the room, and the other one is let go. In place, a step reads each row and writes it back
     * (one stream over the vertex states instead of a read stream and a write stream to a second array, whose lines
     * the processor must also fetch before it writes them), and half the memory stays in use.
     */
    private double[] reusedState(int need, boolean inPlace) {
        double growth = sizeAtLastStep > 0 ? (double) size / sizeAtLastStep : 1;
        sizeAtLastStep = size;
        long room = (long) (need * Math.min(KernelParameters.MAX_STATE_ROOM, Math.max(KernelParameters.MIN_STATE_ROOM, 1.1 * growth)));
        int target = (int) Math.min(room, Integer.MAX_VALUE - 64);
        double[] s = spare;
        spare = null;
        if (inPlace && state.length >= target) return state;
        return s != null && s.length >= target ? s : new double[target];
    }

    /** {@link #reusedState(int, boolean)} for a step that writes a second array. */
    private double[] reusedState(int need) { return reusedState(need, false); }

    /** the vertex count at the last layer step (the growth since then predicts the next layer's) */
    private int sizeAtLastStep;

    /**
     * Whether the default-mode layer step uses the Vector API ({@link LayerBlocksVector}) or the plain loops of
     * {@link LayerBlocks#scalarSums} (the same bits); the n-D enumerator turns it off (see its use there).
     */
    private boolean vectorSteps = LayerBlocks.VECTOR;

    void setVectorSteps(boolean on) { vectorSteps = on && LayerBlocks.VECTOR; }

    /** Tests: vector lanes for every default-mode layer step, whatever its size ({@link #vectorLanes}). */
    private boolean vectorAlways;

    void setVectorAlways(boolean on) { vectorAlways = on; }

    /** Whether the current layer's step and its crossings use vector lanes ({@link #vectorLanes}). */
    private boolean vectorLayer;

    /** Multiply-adds of the default-mode layer steps of every table in this process so far ({@link #vectorLanes}). */
    private static final java.util.concurrent.atomic.AtomicLong stepWork = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Whether a default-mode layer step of {@code n} vertices, {@code units} (padded) by {@code in} multiply-adds
     * each, uses vector lanes (the same bits either way): once the layer steps of this process, this one included,
     * have done {@link KernelParameters#VECTOR_WARM_WORK} multiply-adds; plain loops before. Until C2 has compiled it,
     * vector code runs many times slower than the plain loops (the interpreter and C1 allocate a box per vector
     * operation), and compiling it takes about a second of CPU, which the vector code's gain (about 0.5 ns per
     * multiply-add on 64-100 units) pays back only over some 2^31 multiply-adds: with vector lanes from the start, a
     * fresh process's {@code atlas regions} took 0.3 s more CPU on a 1,170-region net and 1 s more on
     * 2 -> [64]x6 -> 1 (44k regions). A process that makes large or many partitions (a training run's frames, a
     * server, a bench) passes the total and then has the vector code.
     */
    private boolean vectorLanes(int n, int units, int in) {
        if (!vectorSteps) return false;
        if (vectorAlways) return true;
        return stepWork.addAndGet((long) n * units * in) >= KernelParameters.VECTOR_WARM_WORK;
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
        final boolean vector = vectorLayer = vectorLanes(n, prepared.padded, layer.inputSize());
        final long[] masks = maskOut;
        final int maskRow = maskRowLength, maskBase = maskFirst;
        final boolean packed = maskPacked;
        maskOut = null;
        // the previous layer's deferred activation, applied to the inputs as they are read; eagerly instead when its
        // columns are kept for a later layer's skip (they must then hold its outputs)
        if (i == 1 || newOffset[i - 1] >= 0) applyDeferred();
        final DenseLayer act = deferred;
        deferred = null;
        final boolean relu = act != null && act.activation() == atlas.net.Activation.RELU;
        final double leak = act == null ? 0 : act.leak();
        final int in = layer.inputSize();
        // a vertex's sums go to its row, its masks (if asked for) and the columns kept for skips
        final RowStore store = (v, z) -> {
            int dst = v * newStride;
            System.arraycopy(z, 0, next, dst, units);
            if (masks != null) {
                if (packed) masks[maskBase + v * maskRow] = LayerBlocks.packedSumMasks(z, units, vector);
                else LayerBlocks.sumMasks(z, units, masks, maskBase + v * maskRow, vector);
            }
            copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, old, next);
        };
        forVertexChunks(n, (from, end) -> {
            double[] z = new double[prepared.padded], z1 = new double[prepared.padded];
            double[] h = new double[in], h1 = new double[in];
            int v = from;
            // two vertices at a time where the inputs are activated here, in vector lanes: each weight vector is loaded
            // once for both (both rows are read before either is written, so in place too)
            if (act != null && vector) for (; v + 1 < end; v += 2) {
                double hmax = LayerBlocks.activateRow(src, v * srcStride + srcOff, in, h, relu, leak, true);
                double hmax1 = LayerBlocks.activateRow(src, (v + 1) * srcStride + srcOff, in, h1, relu, leak, true);
                LayerBlocks.vertexPair(prepared, h, hmax, z, h1, hmax1, z1, tol);
                store.row(v, z);
                store.row(v + 1, z1);
            }
            for (; v < end; v++) {
                if (act == null) LayerBlocks.vertex(prepared, src, v * srcStride + srcOff, z, tol, vector);
                else {
                    // the expressions of activate, value by value, and the inputs' largest magnitude in the same pass
                    double hmax = LayerBlocks.activateRow(src, v * srcStride + srcOff, in, h, relu, leak, vector);
                    LayerBlocks.vertex(prepared, h, 0, hmax, z, tol, vector);
                }
                store.row(v, z);
            }
        });
        masksWritten = masks != null;
    }

    /**
     * Adds the point on edge (a, b) where pre-activation {@code unit} is zero; {@code z(a)} and {@code z(b)}
     * must have strictly opposite signs. All state is interpolated linearly (exact, since everything stored is
     * affine along an edge of the current partition), the cut unit's value is set to exactly 0 and the other
     * pre-activations are snapped with the larger end magnitude as their scale.
     */
    int addCrossing(int a, int b, int unit, Tolerance tol) {
        if (exact != null) return plain ? addCrossingPlain(a, b, unit) : addCrossingExact(a, b, unit);
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
        if (vectorLayer) LayerBlocksVector.interpolateRow(state, sa, sb, sv, t, zWidth, stride, tol);
        else LayerBlocks.interpolateRow(state, sa, sb, sv, t, zWidth, stride, tol);
        state[sv + unit] = 0.0;
        return v;
    }

    /**
     * {@link #activate}, or the same left to the next {@link #enterLayer}, which applies it to the values it reads
     * (the same expressions, so the same values; in exact mode {@link DoubleDoubleBlocks#gatherActivated}, the same
     * double-doubles and bounds, and the same check that every sign is certified). Only a caller that enters the next
     * layer before reading any value may defer (the plane kernel; {@link #boundRatios} applies a pending activation
     * first); the last layer's activation must not be deferred.
     */
    void deferActivation(DenseLayer layer) {
        if (layer.activation() == atlas.net.Activation.IDENTITY) activate(layer);
        else deferred = layer;
    }

    /** Applies a deferred activation now, if one is pending; returns true (for use in a condition). */
    private boolean applyDeferred() {
        DenseLayer layer = deferred;
        deferred = null;
        if (layer != null) activate(layer);
        return true;
    }

    /** Replaces z_i by h_i = act(z_i) in columns [0, zWidth). */
    void activate(DenseLayer layer) {
        if (exact != null) {
            if (plain) activatePlain(layer);
            else activateExact(layer);
            return;
        }
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
    // Exact mode: filtered sign decisions. Every stored value is a double-double (high word in state or coords,
    // low word in slo or clo) with a rigorous bound on its distance from the exact value at the exact vertex
    // (DoubleDoubleStage); a sign is taken from the high word when |hi| (1 - 2u) > bound (the filter) and
    // otherwise from exact arithmetic (ExactFallback), whose result is written back as a double-double (a value
    // that is exactly 0 as 0 with bound 0, so every later test of it, through sign(), is exact). In the plain
    // stage (usePlainStage, PlainStage) every stored value is a plain double with its bound in serr / cerr (slo
    // and clo are null), a sign is taken from it when |value| > bound, and exact results are written back as
    // rounded doubles with the remainder's bound.
    // ---------------------------------------------------------------------------------------------------------

    /** Unit roundoff of double precision, 2^-53. */
    private static final double U = 0x1p-53;
    /** Absolute error allowance of a rounding in the subnormal range (at most half of {@link Double#MIN_VALUE}). */
    private static final double UNDERFLOW = Double.MIN_VALUE;
    /** Where a layer step puts vertex v's sums {@code z}. */
    private interface RowStore { void row(int v, double[] z); }

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

    /**
     * Copies one vertex's kept columns of the layers before layer i (those a later skip reads) from its old row (at
     * {@code oldRow}, laid out by {@code oldOffset}) to its new row (at {@code newRow}, by {@code newOffset}); every
     * layer kept in the new layout was kept in the old one.
     */
    static void copyKeptColumns(Network net, int i, int oldRow, int[] oldOffset, int newRow, int[] newOffset, double[] from, double[] to) {
        for (int j = 1; j < i; j++) {
            if (newOffset[j] >= 0) System.arraycopy(from, oldRow + oldOffset[j], to, newRow + newOffset[j], net.size(j));
        }
    }

    /** Columns per vertex of a {@link #layerOffsets} layout. */
    static int stride(Network net, int[] offset) {
        int col = 0;
        for (int j = 1; j < offset.length; j++) if (offset[j] >= 0) col += net.size(j);
        return col;
    }

    /**
     * {@link #enterLayer} in exact mode: the same values as double-doubles, not snapped, each with its bound
     * ({@link DoubleDoubleBlocks#step}: Dot2 with the units in lanes, the filter's test in the same pass); inputs
     * that are exactly 0 (a certified negative's ReLU) are skipped. Values the filter cannot decide are resolved
     * exactly. The three arrays of the previous step are reused when large enough (as {@link #reusedState}); a
     * few scratch arrays per chunk.
     */
    private void enterLayerExact(Network net, int i, int[] lastReader) {
        if (exact == null) {
            exact = new ExactFallback(net, dim);
            cerr = new double[Math.max(1, size)]; // input vertices: exact coordinates, error 0
            clo = new double[Math.max(1, size) * dim];
            serr = new double[0];
            slo = new double[0];
            for (int v = 0; v < size; v++) exact.record(v, -1, -1, 0, 0);
        }
        DoubleDoubleStage.Layer dl = DoubleDoubleStage.Layer.of(net, i);
        DoubleDoubleBlocks.Prepared prepared = new DoubleDoubleBlocks.Prepared(dl);
        int units = dl.units();
        int[] newOffset = layerOffsets(net, i, lastReader);
        int newStride = stride(net, newOffset);
        final double[] old = state, oldLo = slo, oldErr = serr;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final int n = size;
        int need = Math.max(1, n) * newStride;
        final double[] next = reusedState(need);
        // the low words and bounds alternate like the high words; the two always have the same length (ensureCapacity)
        boolean reuse = spareErr != null && spareErr.length >= need;
        final double[] nextLo = reuse ? spareLo : new double[next.length];
        final double[] nextErr = reuse ? spareErr : new double[next.length];
        spareLo = spareErr = null;
        final boolean[] undecided = new boolean[n];
        final int terms = dl.terms();
        final int[] srcLayer = dl.srcLayer(), srcIndex = dl.srcIndex();
        // a layer > 1 without skips reads one contiguous row per vertex
        final boolean dense = i > 1 && net.layer(i).skips().isEmpty();
        // the previous layer's deferred activation, applied to the inputs as the dense gather reads them; eagerly
        // instead when they are read term by term or their columns are kept for a later layer's skip (they must
        // then hold its outputs)
        if (!dense || newOffset[i - 1] >= 0) applyDeferred();
        final DenseLayer act = deferred;
        deferred = null;
        final boolean relu = act != null && act.activation() == atlas.net.Activation.RELU;
        final double leak = act == null ? 0 : act.leak();
        forVertexChunks(n, (from, end) -> {
            int sl = DoubleDoubleBlocks.scratchLength(terms);
            int[] ks = new int[sl];
            // a row laid out like the layer's inputs (term k at k), where the inputs go when the step cannot read
            // them from the previous layer's row itself: activated (leaky ReLU) or gathered term by term
            double[] xh = new double[sl], xl = new double[sl], xe = new double[sl];
            double[] hi = new double[dl.padded()], lo = new double[dl.padded()], err = new double[dl.padded()];
            for (int v = from; v < end; v++) {
                int row = dense ? v * oldStride + oldOffset[i - 1] : 0, dst = v * newStride;
                if (act != null) { // dense, the previous layer's activation applied as the row is read
                    int nt = DoubleDoubleBlocks.gatherActivated(old, oldLo, oldErr, row, terms, relu, leak, ks, xh, xl, xe);
                    if (nt < 0) throw new IllegalStateException("exact mode: an activation of an uncertified sign");
                    // a ReLU's kept terms are unchanged values: the step reads them from the row itself
                    boolean decided = relu ? DoubleDoubleBlocks.step(prepared, nt, ks, old, oldLo, oldErr, row, hi, lo, err)
                            : DoubleDoubleBlocks.step(prepared, nt, ks, xh, xl, xe, 0, hi, lo, err);
                    if (!decided) undecided[v] = true;
                } else if (dense) { // the row itself, without its exact zeros
                    int nt = DoubleDoubleBlocks.gatherSparse(old, oldLo, oldErr, row, terms, ks);
                    if (!DoubleDoubleBlocks.step(prepared, nt, ks, old, oldLo, oldErr, row, hi, lo, err)) undecided[v] = true;
                } else { // term by term (the first layer, skips), leaving out inputs that are exactly 0
                    int nt = 0;
                    for (int k = 0; k < terms; k++) {
                        int f = srcLayer[k];
                        double h, l, e;
                        if (f == 0) {
                            int at = v * dim + srcIndex[k];
                            h = coords[at];
                            l = clo[at];
                            e = cerr[v];
                        } else {
                            int at = v * oldStride + oldOffset[f] + srcIndex[k];
                            h = old[at];
                            l = oldLo[at];
                            e = oldErr[at];
                        }
                        xh[k] = h;
                        xl[k] = l;
                        xe[k] = e;
                        ks[nt] = k;
                        nt += h != 0 | l != 0 | e != 0 ? 1 : 0; // exactly 0: contributes nothing, left out
                    }
                    if (!DoubleDoubleBlocks.step(prepared, nt, ks, xh, xl, xe, 0, hi, lo, err)) undecided[v] = true;
                }
                // copied, not written by the step in place: its vector stores straight into rows of 30 units were
                // slower (case a) than these copies
                System.arraycopy(hi, 0, next, dst, units);
                System.arraycopy(lo, 0, nextLo, dst, units);
                System.arraycopy(err, 0, nextErr, dst, units);
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, old, next);
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, oldLo, nextLo);
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, oldErr, nextErr);
            }
        });
        spare = old;
        spareLo = oldLo;
        spareErr = oldErr;
        state = next;
        slo = nextLo;
        serr = nextErr;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
        for (int v = 0; v < n; v++) if (undecided[v]) resolveExact(v);
    }

    /**
     * {@link #enterLayer} in exact mode's plain stage ({@link PlainStage}): per vertex, the layer's values in plain
     * double (fused multiply-adds with the units in lanes) and their bounds, the previous layer's pending activation
     * applied as its row is read (for a dense layer; eagerly for the first layer and layers with skips, which read
     * their inputs term by term), inputs that are exactly 0 left out. Values still undecided are resolved exactly,
     * unless the layer has more than {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED}: then the stage is given up
     * ({@link PlainStage.Abandoned}).
     */
    private void enterLayerPlain(Network net, int i, int[] lastReader) {
        if (exact == null) {
            exact = new ExactFallback(net, dim);
            cerr = new double[Math.max(1, size)]; // input vertices: exact coordinates, error 0
            serr = new double[0];
            for (int v = 0; v < size; v++) exact.record(v, -1, -1, 0, 0);
        }
        undecidedInLayer = 0;
        DoubleDoubleStage.Layer dl = DoubleDoubleStage.Layer.of(net, i);
        final PlainStage.Prepared prepared = new PlainStage.Prepared(dl);
        final int units = dl.units(), padded = dl.padded(), terms = dl.terms();
        int[] newOffset = layerOffsets(net, i, lastReader);
        int newStride = stride(net, newOffset);
        final boolean dense = i > 1 && net.layer(i).skips().isEmpty();
        // the previous layer's pending activation: applied by the dense gather, eagerly otherwise or when its columns
        // are kept for a later layer's skip (they must then hold its outputs)
        if (!dense || newOffset[i - 1] >= 0) applyDeferred();
        final DenseLayer act = deferred;
        deferred = null;
        final boolean none = act == null, relu = act != null && act.activation() == atlas.net.Activation.RELU;
        final double leak = act == null ? 0 : act.leak();
        final double[] old = state, oldErr = serr;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final int n = size;
        int need = Math.max(1, n) * newStride;
        final double[] next = reusedState(need);
        final double[] nextErr = spareErr != null && spareErr.length >= need ? spareErr : new double[next.length];
        spareErr = null;
        final int[] undecided = new int[n];
        final boolean[] uncertified = new boolean[1];
        final double[] relative = new double[n]; // per vertex, G over the largest input magnitude
        final int[] srcLayer = dl.srcLayer(), srcIndex = dl.srcIndex();
        // the sign masks asked for, written while the values are in cache (those of a vertex resolved below again)
        final long[] masks = maskOut;
        final int maskRow = maskRowLength, maskBase = maskFirst;
        final boolean packed = maskPacked, vector = vectorLanes(n, padded, terms);
        maskOut = null;
        forVertexChunks(n, (from, end) -> {
            int[] ks = new int[PlainStage.indexLength(terms)];
            double[] x = new double[terms], xe = new double[terms], max = new double[2];
            double[] z = new double[padded], err = new double[padded];
            for (int v = from; v < end; v++) {
                int nt;
                if (dense) {
                    nt = PlainStage.gatherActivated(old, oldErr, v * oldStride + oldOffset[i - 1], terms, none, relu, leak, ks, x, xe, max);
                    if (nt < 0) { uncertified[0] = true; return; }
                } else { // term by term: the first layer (the coordinates), skips
                    nt = 0;
                    double xmax = 0, emax = 0;
                    for (int k = 0; k < terms; k++) {
                        int f = srcLayer[k];
                        double h, e;
                        if (f == 0) {
                            h = coords[v * dim + srcIndex[k]];
                            e = cerr[v];
                        } else {
                            int at = v * oldStride + oldOffset[f] + srcIndex[k];
                            h = old[at];
                            e = oldErr[at];
                        }
                        ks[nt] = k;
                        x[k] = h;
                        xe[k] = e;
                        xmax = Math.max(xmax, Math.abs(h));
                        emax = Math.max(emax, e);
                        nt += h != 0 | e != 0 ? 1 : 0; // exactly 0: contributes nothing, left out
                    }
                    max[0] = xmax;
                    max[1] = emax;
                }
                double g = PlainStage.inputWeight(prepared.gamma, max[0], max[1]);
                relative[v] = max[0] > 0 ? g / max[0] : 0;
                undecided[v] = PlainStage.step(prepared, nt, ks, x, xe, g, z, err, vector);
                if (masks != null) {
                    if (packed) masks[maskBase + v * maskRow] = LayerBlocks.packedSumMasks(z, units, vector);
                    else LayerBlocks.sumMasks(z, units, masks, maskBase + v * maskRow, vector);
                }
                int dst = v * newStride;
                System.arraycopy(z, 0, next, dst, units);
                System.arraycopy(err, 0, nextErr, dst, units);
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, old, next);
                copyKeptColumns(net, i, v * oldStride, oldOffset, dst, newOffset, oldErr, nextErr);
            }
        });
        // an activation of an uncertified sign cannot happen (undecided values are resolved); if it did, the
        // double-double stage takes over
        if (uncertified[0]) throw new PlainStage.Abandoned(i);
        int total = 0, counted = 0;
        long exponents = 0;
        for (int v = 0; v < n; v++) {
            total += undecided[v];
            if (relative[v] > 0) {
                exponents += Math.getExponent(relative[v]);
                counted++;
            }
        }
        // the typical relative bound: the mean of the vertices' binary exponents (their largest is an outlier where
        // every input is small, and grows faster than the rest)
        double rel = counted == 0 ? 0 : Math.scalb(1.0, (int) (exponents / counted));
        if (total > maxUndecided) throw new PlainStage.Abandoned(i);
        // the bound grows by about the same factor every layer (the layers' absolute row sums): where that growth
        // takes it past KernelParameters.PLAIN_STAGE_MAX_RELATIVE_BOUND by the last layer, the late layers would
        // leave floods of values undecided, so the stage gives up now, before exact evaluations that would be wasted
        // (from the third layer: the first's inputs are the exact coordinates, so the first growth is the rounding's)
        if (i >= 3 && lastRelativeBound > 0 && rel > 0 && i < net.depth()) {
            double growth = Math.max(1, rel / lastRelativeBound);
            if (rel * Math.pow(growth, net.depth() - i) > KernelParameters.PLAIN_STAGE_MAX_RELATIVE_BOUND)
                throw new PlainStage.Abandoned(i);
        }
        lastRelativeBound = rel;
        undecidedInLayer = total;
        spare = old;
        spareErr = oldErr;
        state = next;
        serr = nextErr;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
        for (int v = 0; v < n; v++) {
            if (undecided[v] == 0) continue;
            resolveExact(v);
            if (masks == null) continue;
            if (packed) masks[maskBase + v * maskRow] = LayerBlocks.packedMasks(state, v * stride, units);
            else LayerBlocks.signMasks(state, v * stride, units, masks, maskBase + v * maskRow);
        }
        masksWritten = masks != null;
    }

    /**
     * {@link #addCrossing} in the plain stage: {@code t = z_a / (z_a - z_b)} and every stored value and coordinate
     * interpolated with it in plain double, each with its bound ({@link PlainStage}'s crossing model: the double-double
     * crossing's analysis with low words 0). The cut unit is exactly 0 with bound 0; a vertex whose other values of the
     * layer are not all decided is resolved exactly (counted against {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED}).
     */
    private int addCrossingPlain(int a, int b, int unit) {
        if (a > b) { int t = a; a = b; b = t; }
        int ua = a * stride + unit, ub = b * stride + unit;
        double za = state[ua], ea = serr[ua], zb = state[ub], eb = serr[ub];
        double A = Math.abs(za), B = Math.abs(zb);
        if (!(Math.signum(za) * Math.signum(zb) < 0) || !(A > ea) || !(B > eb))
            throw new IllegalStateException("exact mode: a crossing on an edge whose end signs are not certified");
        double t = za / (za - zb), dt = PlainStage.parameterBound(A, B, ea, eb);
        ensureCapacity(size + 1);
        int v = size++;
        exact.record(v, a, b, layerIndex, unit);
        double ce = 0, cea = cerr[a], ceb = cerr[b], oneMinusT = 1 - t;
        for (int k = 0; k < dim; k++) {
            double x = coords[a * dim + k], y = coords[b * dim + k];
            if (cea == 0 && ceb == 0 && x == y) { // exact, equal ends: constant along the edge
                coords[v * dim + k] = x;
                continue;
            }
            double d = y - x;
            coords[v * dim + k] = x + t * d;
            ce = Math.max(ce, PlainStage.interpolationBound(x, y, d, cea, ceb, t, oneMinusT, dt));
        }
        cerr[v] = ce;
        int sv = v * stride;
        PlainStage.interpolate(state, serr, a * stride, b * stride, sv, stride, t, dt);
        state[sv + unit] = 0.0; // exactly: the vertex is defined as the zero of this unit
        serr[sv + unit] = 0.0;
        if (!PlainStage.certified(state, serr, sv, sv + zWidth)) {
            for (int c = sv; c < sv + zWidth; c++) undecidedInLayer += PlainStage.certified(state, serr, c, c + 1) ? 0 : 1;
            if (undecidedInLayer > maxUndecided) throw new PlainStage.Abandoned(layerIndex);
            resolveExact(v);
        }
        return v;
    }

    /** {@link #activate} in the plain stage ({@link PlainStage#activate}). */
    private void activatePlain(DenseLayer layer) {
        atlas.net.Activation act = layer.activation();
        if (act == atlas.net.Activation.IDENTITY) return;
        final boolean relu = act == atlas.net.Activation.RELU;
        final double leak = layer.leak();
        final double[] z = state, e = serr;
        final int str = stride, width = zWidth;
        final boolean[] uncertified = new boolean[1];
        forVertexChunks(size, (from, end) -> {
            for (int v = from; v < end; v++)
                if (!PlainStage.activate(z, e, v * str, v * str + width, relu, leak)) uncertified[0] = true;
        });
        if (uncertified[0]) throw new PlainStage.Abandoned(layerIndex);
    }

    /**
     * {@link #addCrossing} in exact mode, in double-double. With {@code A = |z_a|, B = |z_b|} certified
     * ({@code A > e_a, B > e_b}), the exact parameter {@code t* = Z_a / (Z_a - Z_b)} differs from
     * {@code t = z_a / (z_a - z_b)} by at most {@code (A e_b + B e_a) / ((A + B)(A + B - e_a - e_b))}. A stored value
     * {@code s} is exactly {@code (1 - t*) s_a* + t* s_b*} (everything stored is affine on the edge, which lies
     * inside one region of every earlier cut because those cuts were all made exactly), so its error is at most
     * {@code (1 - t) e_a + t e_b + |t - t*| (|s_b - s_a| + e_a + e_b)} plus the rounding of the interpolation.
     */
    private int addCrossingExact(int a, int b, int unit) {
        if (a > b) { int t = a; a = b; b = t; }
        int ua = a * stride + unit, ub = b * stride + unit;
        double zah = state[ua], zal = slo[ua], ea = serr[ua];
        double zbh = state[ub], zbl = slo[ub], eb = serr[ub];
        double A = Math.abs(zah), B = Math.abs(zbh);
        // |lo| <= u |hi|: A (1 - 2u) is below the double-double magnitude
        double room = (A + B) * (1 - 4 * U) - ea - eb;
        if (!(Math.signum(zah) * Math.signum(zbh) < 0) || !(A * (1 - 2 * U) > ea) || !(B * (1 - 2 * U) > eb) || !(room > 0))
            throw new IllegalStateException("exact mode: a crossing on an edge whose end signs are not certified");
        double[] r = scratch;
        // t = za / (za - zb): a subtraction and a division, each within U2 relative; 0 <= t <= 1
        DoubleDoubleStage.add(zah, zal, -zbh, -zbl, r);
        DoubleDoubleStage.div(zah, zal, r[0], r[1], r);
        double th = r[0], tl = r[1], clamp = 0;
        if (th < 0 || th > 1) { // only when t is within the rounding of 0 or 1: use the end, count the move
            double t = Math.min(1, Math.max(0, th));
            clamp = (Math.abs(th - t) + Math.abs(tl)) * (1 + 2 * U);
            th = t;
            tl = 0;
        }
        double dt = (A * eb + B * ea) * (1 + 2 * U) / ((A + B) * room) * (1 + 8 * U) + 3 * DoubleDoubleStage.U2 + clamp;
        ensureCapacity(size + 1);
        int v = size++;
        exact.record(v, a, b, layerIndex, unit);
        double ce = 0;
        for (int k = 0; k < dim; k++) {
            ce = Math.max(ce, DoubleDoubleBlocks.interpolate1(coords, clo, a * dim + k, b * dim + k, v * dim + k, cerr[a], cerr[b], th, tl, dt, scratch));
        }
        cerr[v] = ce;
        int sa = a * stride, sb = b * stride, sv = v * stride;
        DoubleDoubleBlocks.interpolate(state, slo, serr, sa, sb, sv, stride, th, tl, dt, scratch);
        state[sv + unit] = 0.0; // exactly: the vertex is defined as the zero of this unit
        slo[sv + unit] = 0.0;
        serr[sv + unit] = 0.0;
        if (!DoubleDoubleBlocks.certified(state, serr, sv, sv + zWidth)) resolveExact(v);
        return v;
    }

    /** Scratch pair for the double-word operations of the single-threaded crossing step. */
    private final double[] scratch = new double[2];

    /**
     * {@link #activate} in exact mode: h = act(z) on the double-doubles with their bounds. Every z sign is
     * certified at this point (undecided values were resolved), so a ReLU of a negative z is exactly 0 with bound
     * 0; a positive z is unchanged; leaky ReLU scales a negative z (DWTimesFP3) and its bound by |leak|.
     */
    private void activateExact(DenseLayer layer) {
        atlas.net.Activation act = layer.activation();
        if (act == atlas.net.Activation.IDENTITY) return;
        double leak = layer.leak();
        boolean relu = act == atlas.net.Activation.RELU;
        // vertex rows are disjoint, so chunks run in parallel; rows that hold only z are one contiguous range
        final double[] hi = state, lo = slo, err = serr;
        final int str = stride, width = zWidth;
        forVertexChunks(size, (from, end) -> {
            boolean certified = true;
            if (str == width) certified = DoubleDoubleBlocks.activate(hi, lo, err, from * str, end * str, relu, leak);
            else for (int v = from; v < end && certified; v++) certified = DoubleDoubleBlocks.activate(hi, lo, err, v * str, v * str + width, relu, leak);
            if (!certified) throw new IllegalStateException("exact mode: an activation of an uncertified sign");
        });
    }

    /**
     * Test hook (exact mode, after a layer is entered or activated): for vertex v, per stored column and then per
     * coordinate, {@code |hi + lo - exact value| / bound}, computed in exact decimal arithmetic at the exact vertex
     * (at most 1 when the bounds hold; 0 for an exact value with bound 0). {@code activated}: whether the current
     * layer's columns hold h (after {@link #activate}, or after {@link #deferActivation}: a pending activation is
     * applied first) or z.
     */
    double[] boundRatios(int v, DenseLayer current, boolean activated) {
        if (activated) applyDeferred();
        ExactFallback.Dyadic[] p = exact.coords(v, coords);
        ExactFallback.Dyadic[][] h = exact.forward(p, layerIndex);
        java.math.MathContext mc = new java.math.MathContext(120);
        java.math.BigDecimal w = decimal(p[dim]);
        double[] out = new double[stride + dim];
        int base = v * stride;
        for (int j = 1; j <= layerIndex; j++) {
            if (offset[j] < 0) continue;
            for (int k = 0; k < h[j].length; k++) {
                ExactFallback.Dyadic x = h[j][k];
                if (j == layerIndex && activated) x = ExactFallback.activate(current, x);
                int c = base + offset[j] + k;
                out[offset[j] + k] = ratio(decimal(x).divide(w, mc), state[c], plain ? 0 : slo[c], serr[c], mc);
            }
        }
        for (int k = 0; k < dim; k++)
            out[stride + k] = ratio(decimal(p[k]).divide(w, mc), coords[v * dim + k], plain ? 0 : clo[v * dim + k], cerr[v], mc);
        return out;
    }

    private static double ratio(java.math.BigDecimal exactValue, double hi, double lo, double bound, java.math.MathContext mc) {
        java.math.BigDecimal diff = new java.math.BigDecimal(hi).add(new java.math.BigDecimal(lo)).subtract(exactValue).abs();
        return bound == 0 ? (diff.signum() == 0 ? 0 : Double.POSITIVE_INFINITY)
                : diff.divide(new java.math.BigDecimal(bound), mc).doubleValue();
    }

    private static java.math.BigDecimal decimal(ExactFallback.Dyadic d) {
        java.math.BigDecimal m = new java.math.BigDecimal(d.m());
        return d.e() >= 0 ? m.multiply(new java.math.BigDecimal(java.math.BigInteger.TWO.pow(d.e())))
                : m.divide(new java.math.BigDecimal(java.math.BigInteger.TWO.pow(-d.e())));
    }

    /**
     * The exact fallback for vertex v: computes its exact coordinates and exact network values up to the current
     * layer, and writes them back as double-doubles (see {@link #writeBack}).
     */
    private void resolveExact(int v) {
        exactResolved++;
        ExactFallback.Dyadic[] p = exact.coords(v, coords);
        ExactFallback.Dyadic w = p[dim];
        ExactFallback.Dyadic[][] h = exact.forward(p, layerIndex);
        if (plain) {
            double ec = 0;
            for (int k = 0; k < dim; k++) ec = Math.max(ec, writeBackPlain(p[k], w, coords, v * dim + k));
            cerr[v] = ec;
            for (int u = 0; u < zWidth; u++) serr[v * stride + u] = writeBackPlain(h[layerIndex][u], w, state, v * stride + u);
            for (int j = 1; j < layerIndex; j++) {
                if (offset[j] < 0) continue;
                for (int k = 0; k < h[j].length; k++) {
                    int c = v * stride + offset[j] + k;
                    serr[c] = writeBackPlain(h[j][k], w, state, c);
                }
            }
            return;
        }
        double ec = 0;
        for (int k = 0; k < dim; k++) ec = Math.max(ec, writeBack(p[k], w, coords, clo, v * dim + k));
        cerr[v] = ec;
        for (int u = 0; u < zWidth; u++) serr[v * stride + u] = writeBack(h[layerIndex][u], w, state, slo, v * stride + u);
        for (int j = 1; j < layerIndex; j++) {
            if (offset[j] < 0) continue;
            for (int k = 0; k < h[j].length; k++) {
                int c = v * stride + offset[j] + k;
                serr[c] = writeBack(h[j][k], w, state, slo, c);
            }
        }
    }

    /**
     * Writes {@code num / w} ({@code w > 0}) at index c as a double-double: hi rounded by
     * {@link ExactFallback#quotient} (within 1.0001 ulp), lo the exact remainder {@code (num - hi w) / w} rounded
     * likewise; returns the bound (0 when the remainder is exactly 0, so an exact 0 stays exact).
     */
    /**
     * The plain stage's {@link #writeBack}: {@code num / w} ({@code w > 0}) rounded by {@link ExactFallback#quotient}
     * (within {@code (1 + 2^-16) u} relative) at index c; returns the bound {@code |(num - hi w) / w|} rounded up (the
     * remainder's quotient within the same relative error, and the subnormal spacing), 0 when the value is exact.
     */
    private static double writeBackPlain(ExactFallback.Dyadic num, ExactFallback.Dyadic w, double[] hi, int c) {
        double q = ExactFallback.quotient(num, w);
        hi[c] = q;
        ExactFallback.Dyadic rest = num.subtract(new ExactFallback.Dyadic(q).multiply(w));
        if (rest.signum() == 0) return 0;
        return Math.abs(ExactFallback.quotient(rest, w)) * (1 + 4 * U) + 2 * UNDERFLOW;
    }

    private static double writeBack(ExactFallback.Dyadic num, ExactFallback.Dyadic w, double[] hi, double[] lo, int c) {
        double q = ExactFallback.quotient(num, w);
        ExactFallback.Dyadic rest = num.subtract(new ExactFallback.Dyadic(q).multiply(w));
        double l = ExactFallback.quotient(rest, w);
        // q may be up to 1.0001 ulp off, so l may just exceed half an ulp: renormalise (error-free)
        double s = q + l, bb = s - q;
        hi[c] = s;
        lo[c] = (q - (s - bb)) + (l - bb);
        return rest.signum() == 0 ? 0 : Math.abs(l) * 2 * U + UNDERFLOW;
    }
}
