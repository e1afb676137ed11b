package atlas.regions;

import atlas.geometry.Polygons;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.DenseLayer;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Exact linear regions of a network on a rectangle of a plane slice.
 *
 * <p>Algorithm (the per-layer splitting of Regioncam, on a shared-vertex polygon mesh): start from the
 * rectangle; for each layer, evaluate its pre-activations at every vertex (all cores), then for each cutting
 * unit split every face on which that unit takes both signs along the unit's zero line. A pre-activation is
 * affine on every face of the current partition, so the zero set inside a face is one chord between two
 * boundary points; these are existing vertices where the (snapped) value is 0 or new vertices interpolated on
 * edges whose ends have opposite signs. A new edge vertex is shared, through a map keyed by the edge, by both
 * faces that own the edge.
 *
 * <p>Mesh invariants (checked by {@link #checkInvariants()}): every face is a counter-clockwise polygon with
 * at least three vertices and positive area; every directed edge belongs to one face; an edge's reverse
 * belongs to at most one other face (its neighbour) and an edge with no reverse lies on the domain boundary.
 * Because both faces of an edge see the same vertex values, no crack or overlap can open between them.
 *
 * <p>Robustness: decisions are made on signs of values snapped by the {@link Tolerance}, so cuts through a
 * vertex, coincident and parallel cuts, cuts along the domain boundary and identically-zero units give no
 * slivers and no duplicate regions. Cost: O(V x width^2) per layer for the values plus O(E) per unit for the
 * cuts. Interruptible between units (throws {@link CancellationException}).
 */
public final class PlanePartitioner {
    private final Network original;
    private final Network net;
    private final PlaneSlice slice;
    private final Rectangle domain;
    private final Tolerance tol;
    private IntConsumer layerListener = i -> { };

    private VertexTable vt;
    /** the faces' vertex cycles (counter-clockwise); a face's index is its region's id */
    private VertexListArena faces = new VertexListArena(1024, 8192, true);
    /** scratch of splitFace: the augmented cycle rotated, and the positive half */
    private int[] rotated = new int[16], plusHalf = new int[16];
    /**
     * Per face, its pattern bits so far: words [f * bitWords, (f + 1) * bitWords). Flat arrays, not an array
     * object per face: at hundreds of thousands of faces the per-face objects made the collector, not the cuts,
     * the largest cost.
     */
    private long[] bits = new long[0];
    private int bitWords;
    /**
     * per face, the units of the current layer that may cross it (a superset: children inherit it), words
     * [f * candWords, (f + 1) * candWords)
     */
    private long[] candidates = new long[0];
    private int candWords;
    /** per unit of the layer being cut, the faces that unit may cross, ascending (see splitAll) */
    private IntList[] facesOf;
    /**
     * Per vertex, a row of {@link #maskRow} longs at {@code MASK_FIRST + v * maskRow} with two slots of sign masks (the
     * words of {@link LayerBlocks#signMasks}: positive, then negative): at offset {@link #curSlot} those of the layer
     * being cut, at vertices [0, maskedVertices), written by the layer step itself where it can; at {@link #pendSlot}
     * those of the layer whose pattern bits are pending. The slots swap after each layer cut. Side by side, so that the
     * face pass, which reads both for each vertex of a cycle (in random vertex order), misses the cache once a vertex,
     * not once in each of two arrays. Packed ({@link #packed}, every cutting layer of at most 32 units): a slot is one
     * word ({@link LayerBlocks#packedMasks}: positive bits, then negative bits from bit 32), a row 16 bytes, so the rows
     * of all vertices take half the cache.
     */
    private long[] masks = new long[0];
    private int maskRow, curSlot, pendSlot;
    private boolean packed;
    /** where a slot's negative bits are: {@link #negWord} words after its positive ones, shifted down by {@link #negShift} */
    private int negWord, negShift;
    private int maskedVertices;
    /**
     * The first row's offset: a row of 2 longs (packed) or 4 (layers of up to 64 units) is a quarter or half of a cache
     * line; a large array starts at a heap region's boundary, so with a 16-byte array header the rows then fill whole
     * lines and none straddles two. (Only speed depends on it.)
     */
    private static final int MASK_FIRST = 6;
    /** the positive half of a packed mask word */
    private static final long PACKED_LOW = 0xffffffffL;
    /** vertices [0, signedVertices) take their signs in the cuts from {@link #masks} (see {@link #sign}) */
    private int signedVertices;
    /**
     * The pattern bits of the last layer cut are set by the next layer's candidate pass, which reads the faces'
     * cycles anyway (one pass over the faces instead of two), or before the regions are built: the layer's
     * offset in the pattern and unit count (units 0: nothing pending), its masks (slot {@link #pendSlot} of
     * {@link #masks}) and its forced bits.
     */
    private int pendingOffset, pendingUnits;
    private List<long[]> pendingForced = new ArrayList<>();
    /**
     * per face, units of the current layer whose bit was decided when a split was declined (the smaller piece
     * was below the minimum area): words [0, w) force the bit on, words [w, 2w) force it off. Children inherit.
     */
    private List<long[]> forced = new ArrayList<>();
    private double minArea;
    private int declined;
    /** faces inside which a cut was declined: their vertex values are not one affine map, so maps are composed */
    private final java.util.BitSet kinked = new java.util.BitSet();
    private int anomalies;
    private PlanePartition result;
    /**
     * Exact mode: whether the partition is first made with the plain stage ({@link PlainStage}), and how many
     * undecided values of a layer make it give up (the partition is then made again with the double-double stage)
     */
    private boolean plainStage = true;
    private int plainMaxUndecided = KernelParameters.PLAIN_STAGE_MAX_UNDECIDED;
    /** exact mode: the layer at which the plain stage gave up (0: it did not, or did not run) */
    private int plainAbandonedAt;
    /** the last layer reported to the layer listener (progress never steps back when a plain stage is given up) */
    private int layersReported;
    /** exact mode: the exact resolutions and evaluations of a plain stage given up, and the vertices it had made */
    private int abandonedResolutions, abandonedEvaluations, abandonedVertices;

    /**
     * @param net    the network (any input dimension matching the slice)
     * @param slice  the plane; {@link PlaneSlice#inputPlane()} for a 2-input network
     * @param domain the rectangle in plane coordinates
     * @param tol    the tolerance policy
     */
    public PlanePartitioner(Network net, PlaneSlice slice, Rectangle domain, Tolerance tol) {
        this.original = net;
        this.slice = slice;
        this.net = slice.restrict(net);
        this.domain = domain;
        this.tol = tol;
        this.minArea = tol.minVolume() * domain.area();
    }

    /**
     * Declines cuts by the minimum area of {@code whole} instead of this partitioner's own domain: a strip of a
     * tiled partition must decline exactly the pieces the whole rectangle's partition declines (with its own,
     * smaller area it kept slivers of half the size, and 2 strips found more regions than 1).
     */
    PlanePartitioner minimumAreaOf(Rectangle whole) {
        this.minArea = tol.minVolume() * whole.area();
        return this;
    }

    /** Called with the layer index after each layer has been cut (for progress bars). */
    public PlanePartitioner setLayerListener(IntConsumer listener) {
        this.layerListener = listener;
        return this;
    }

    /**
     * One-line convenience: the partition with the default tolerance, on several cores for large nets (the same
     * regions, see {@link TiledPlanePartitioner}).
     */
    public static PlanePartition compute(Network net, PlaneSlice slice, Rectangle domain) {
        return TiledPlanePartitioner.compute(net, slice, domain);
    }

    /** The partition of the input plane of a 2-input network. */
    public static PlanePartition compute(Network net, Rectangle domain) {
        return compute(net, PlaneSlice.inputPlane(), domain);
    }

    public PlanePartition getResult() {
        if (result == null) result = run();
        return result;
    }

    /**
     * Exact mode: the number of exact network evaluations the fallback made (vertices whose values the filter of
     * either stage could not decide, and their parents; a plain stage given up included); 0 in the default mode.
     * Call after {@link #getResult()}.
     */
    public int exactEvaluations() { return abandonedEvaluations + (vt == null ? 0 : vt.exactEvaluations()); }

    /**
     * Exact mode: the number of times a vertex's signs were undecided by the filter (of either stage, a plain stage
     * given up included: see {@link #abandonedResolutions}) and decided by exact arithmetic; 0 in the default mode.
     * Call after {@link #getResult()}.
     */
    public int exactResolutions() { return abandonedResolutions + (vt == null ? 0 : vt.exactResolutions()); }

    /**
     * Exact mode: the stage whose values made the partition: "plain" ({@link PlainStage}, plain double with certified
     * bounds) or "double-double" ({@link DoubleDoubleStage}: from the start, or after the plain stage gave up, see
     * {@link #plainAbandonedAt}); null in the default mode. Call after {@link #getResult()}.
     */
    public String exactStage() {
        if (vt == null || !vt.isExact()) return null;
        return vt.isPlain() ? "plain" : "double-double";
    }

    /** Exact mode: the layer at which the plain stage gave up (0: it did not, or did not run). */
    public int plainAbandonedAt() { return plainAbandonedAt; }

    /** Exact mode: the exact resolutions of a plain stage given up (counted in {@link #exactResolutions}). */
    public int abandonedResolutions() { return abandonedResolutions; }

    /** Exact mode: the vertices the plain stage had made when it gave up (0: it did not). */
    public int abandonedVertices() { return abandonedVertices; }

    /**
     * Exact mode without the plain stage (the double-double stage from the first layer), or with it giving up at a
     * layer with more than {@code maxUndecided} undecided values (tests; default
     * {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED}). Call before {@link #getResult()}.
     */
    PlanePartitioner plainStage(boolean on, int maxUndecided) {
        plainStage = on;
        plainMaxUndecided = maxUndecided;
        return this;
    }

    /** The vertex table (tests of the exact mode's bounds). Call after {@link #getResult()}. */
    VertexTable vertexTable() { return vt; }

    /** The number of vertices made (the denominator of the fallback rates). Call after {@link #getResult()}. */
    public int vertexCount() { return vt == null ? 0 : vt.size; }

    /** The original (not restricted) network. */
    public Network network() { return original; }

    private PlanePartition run() {
        long t0 = System.nanoTime();
        int[] perLayer = cut();
        List<LinearRegion> regions = buildRegions();
        return new PlanePartition(slice, domain, regions, perLayer, anomalies, declined, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The faces of this partitioner's rectangle as a strip of a tiled partition ({@link TiledPlanePartitioner}):
     * flat arrays, no region records (the glue builds each region's record once, from these). The layer steps'
     * arrays are dropped, so only what the glue reads stays in memory.
     *
     * @param records false when only the regions' count is wanted: no maps and no neighbours are made
     */
    Pieces pieces(boolean records) {
        return pieces(records, false);
    }

    /**
     * {@link #pieces(boolean)}; with {@code mapsOnDemand} (and no records) the pieces keep the vertices' output values
     * and the kinked faces, so that a face's map can be made when it is asked for ({@link Pieces#map}): a shaded picture
     * reads the maps of the faces that hold a pixel centre only, a small part of a late frame's faces.
     */
    Pieces pieces(boolean records, boolean mapsOnDemand) {
        cut();
        double[] values = records || mapsOnDemand ? vertexOutputs() : null;
        MapsOnDemand onDemand = !records && mapsOnDemand
                ? new MapsOnDemand(net, values, (java.util.BitSet) kinked.clone(), Math.hypot(domain.width(), domain.height())) : null;
        Pieces p = new Pieces(faces.count, vt.coords, faces, bits, bitWords, net.cuttingUnits(), records ? maps(values) : null,
                records ? edgeNeighbours() : null, anomalies, declined, onDemand);
        vt = null;
        masks = candidates = null;
        facesOf = null;
        return p;
    }

    /** Every vertex's output values after the last layer, {@code outputDim} per vertex, vertex-major. */
    private double[] vertexOutputs() {
        int outputs = net.outputDim(), n = vt.size;
        double[] values = new double[n * outputs];
        for (int v = 0; v < n; v++) for (int o = 0; o < outputs; o++) values[v * outputs + o] = vt.output(v, o);
        return values;
    }

    /**
     * What a face's map is made from once the vertex table is let go: the vertices' output values and the kinked faces.
     * The same map, bit for bit, as {@link #maps} makes: fitted to the vertex values unless the face is kinked or too thin,
     * else composed from the face's pattern ({@link PatternRows} from scratch: the same rows as with a shared base).
     */
    record MapsOnDemand(Network net, double[] values, java.util.BitSet kinked, double diameter) {
        AffineMap map(Pieces p, int f) {
            AffineMap m = kinked.get(f) ? null : fitMap(p.arena, p.start[f], p.length[f], p.coords, values, net.outputDim(), diameter);
            return m != null ? m : PatternRows.of(net, p.pattern(f), null).output();
        }
    }

    /**
     * A strip's faces: face f's cycle is {@code arena[start[f], start[f] + length[f])} of vertices with coordinates
     * {@code coords}, its pattern words {@code bits[f * bitWords, (f + 1) * bitWords)}, its map {@code maps[f]}, and
     * across the edge from cycle position k the face {@code neighbourAt[start[f] + k]} (-1: none in the strip).
     */
    static final class Pieces {
        final int count;
        final double[] coords;
        final int[] arena, start, length;
        final long[] bits;
        final int bitWords, patternLength;
        final AffineMap[] maps;
        final int[] neighbourAt;
        final int anomalies, declined;
        /** null unless made for maps on demand */
        private final MapsOnDemand onDemand;

        Pieces(int count, double[] coords, VertexListArena faces, long[] bits, int bitWords, int patternLength, AffineMap[] maps,
               int[] neighbourAt, int anomalies, int declined, MapsOnDemand onDemand) {
            this.count = count;
            this.coords = coords;
            this.arena = faces.arena;
            this.start = faces.start;
            this.length = faces.length;
            this.bits = bits;
            this.bitWords = bitWords;
            this.patternLength = patternLength;
            this.maps = maps;
            this.neighbourAt = neighbourAt;
            this.anomalies = anomalies;
            this.declined = declined;
            this.onDemand = onDemand;
        }

        /** True when {@link #map} can answer (the pieces were made with records or with maps on demand). */
        boolean hasMaps() { return maps != null || onDemand != null; }

        /** Face f's affine map: the records' map, or made now from the kept vertex values (thread-safe; not kept). */
        AffineMap map(int f) {
            if (maps != null) return maps[f];
            if (onDemand == null) throw new IllegalStateException("the pieces were made without maps");
            return onDemand.map(this, f);
        }

        /** Face f's polygon, x0,y0,x1,y1,... (the values a region record of it holds). */
        double[] vertices(int f) {
            double[] xy = new double[2 * length[f]];
            copyVertices(f, xy, 0);
            return xy;
        }

        /** Face f's polygon, as {@link #vertices}, into {@code out[at, at + 2 length[f])}. */
        void copyVertices(int f, double[] out, int at) {
            int s = start[f], n = length[f];
            for (int k = 0; k < n; k++) {
                out[at + 2 * k] = coords[2 * arena[s + k]];
                out[at + 2 * k + 1] = coords[2 * arena[s + k] + 1];
            }
        }

        /** Face f's activation pattern. */
        ActivationPattern pattern(int f) { return patternOf(bits, bitWords, patternLength, f); }

        /** Face f's region record, numbered {@code id}, with these neighbours: its polygon, centroid, area, pattern, map. */
        LinearRegion region(int f, int id, int[] neighbours) {
            double[] xy = vertices(f);
            return new LinearRegion(xy, Polygons.centroid(xy, null), neighbours, id, pattern(f), maps[f], Polygons.signedArea(xy));
        }

        /** True when faces f of this strip and g of {@code o} have the same pattern. */
        boolean samePattern(int f, Pieces o, int g) {
            return Arrays.equals(bits, f * bitWords, (f + 1) * bitWords, o.bits, g * bitWords, (g + 1) * bitWords);
        }
    }

    /**
     * Cuts the rectangle by every layer, leaving the faces, their pattern bits (all layers deposited) and the kinked
     * set; returns the faces after each layer.
     */
    private int[] cut() {
        if (tol.isExact() && plainStage) {
            try {
                return cut(true);
            } catch (PlainStage.Abandoned a) {
                // the plain bound grew past the values (a deep net): made again in double-double from the first layer
                plainAbandonedAt = a.layer;
                abandonedResolutions = vt.exactResolutions();
                abandonedEvaluations = vt.exactEvaluations();
                abandonedVertices = vt.size;
                restart();
            }
        }
        return cut(false);
    }

    /** Forgets a cut given up: every field {@link #cut(boolean)} reads before writing. */
    private void restart() {
        faces = new VertexListArena(1024, 8192, true);
        candidates = new long[0];
        facesOf = null;
        masks = new long[0];
        forced = new ArrayList<>();
        pendingForced = new ArrayList<>();
        pendingOffset = pendingUnits = 0;
        maskedVertices = signedVertices = 0;
        declined = anomalies = 0;
        kinked.clear();
    }

    /**
     * {@link #cut()} once; {@code plain}: exact mode's plain stage (may throw {@link PlainStage.Abandoned}). The layer
     * listener hears of each layer once: those of a cut given up, then the later ones of the cut made again.
     */
    private int[] cut(boolean plain) {
        bitWords = (net.cuttingUnits() + 63) / 64;
        vt = new VertexTable(2, 1024);
        if (plain) vt.usePlainStage(plainMaxUndecided);
        int a = vt.addVertex(domain.xmin(), domain.ymin());
        int b = vt.addVertex(domain.xmax(), domain.ymin());
        int c = vt.addVertex(domain.xmax(), domain.ymax());
        int d = vt.addVertex(domain.xmin(), domain.ymax());
        faces.add(new int[]{a, b, c, d}, 0, 4);
        bits = new long[Math.max(1, bitWords) * 1024];
        int[] lastReader = net.lastReader();
        int[] perLayer = new int[net.depth() + 1];
        perLayer[0] = 1;
        IntList scratch = new IntList();
        LongIntMap crossings = new LongIntMap(1024);
        int widestUnits = 0; // of the cutting layers: fixes the mask rows' layout for the whole cut
        for (int i = 1; i <= net.depth(); i++) if (net.layer(i).activation().cuts()) widestUnits = Math.max(widestUnits, net.layer(i).units());
        packed = widestUnits <= LayerBlocks.PACKED_UNITS;
        maskRow = packed ? 2 : 4 * ((widestUnits + 63) >>> 6); // two slots of positive and negative words
        curSlot = 0;
        pendSlot = maskRow / 2;
        negShift = packed ? LayerBlocks.PACKED_UNITS : 0;
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer layer = net.layer(i);
            boolean cuts = layer.activation().cuts();
            if (cuts) ensureMaskRows(vt.size);
            vt.writeMasksTo(cuts ? masks : null, MASK_FIRST + curSlot, maskRow, packed);
            vt.enterLayer(net, i, lastReader, tol);
            if (cuts) {
                if (!vt.masksWritten()) maskRange(0, vt.size, layer.units());
                findCandidates(layer.units());
                for (int u = 0; u < layer.units(); u++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    crossings.clear();
                    splitAll(u, crossings, scratch);
                }
                endLayer(net.patternOffset(i), layer.units());
            }
            vt.writeMasksTo(null, 0, 0, false);
            if (i < net.depth()) vt.deferActivation(layer); // applied by the next layer step as it reads the values
            else vt.activate(layer);
            perLayer[i] = faces.count;
            if (i > layersReported) { // a cut made again after the plain stage gave up reports only layers beyond it
                layersReported = i;
                layerListener.accept(i);
            }
        }
        if (pendingUnits > 0) faceRange(faces.count).forEach(f -> facePass(f, false));
        pendingUnits = 0;
        return perLayer;
    }

    /**
     * For every face, the units of the current layer that take both signs at its vertices (all cores), and the
     * pending pattern bits of the previous layer cut, in the same pass over the faces' cycles. A unit that does not
     * cross a face cannot cross any piece of it, so pieces inherit their parent's set.
     */
    private void findCandidates(int units) {
        int words = (units + 63) / 64;
        int nf = faces.count;
        candWords = words;
        negWord = packed ? 0 : words;
        // the previous layer's array when large enough: the pass below writes the words of every face, and a face
        // made later gets its parent's (no new array of faces x words per layer for the collector)
        if (candidates.length < nf * words) candidates = new long[Math.max(nf + nf / 2, 1024) * words];
        maskedVertices = vt.size;
        signedVertices = maskedVertices;
        faceRange(nf).forEach(f -> facePass(f, true));
        pendingUnits = 0;
        forced.clear();
        for (int f = 0; f < nf; f++) forced.add(null);
        // per unit, its candidate faces in ascending order (splitAll visits only these, not every face)
        if (facesOf == null || facesOf.length < units) {
            facesOf = new IntList[units];
            for (int u = 0; u < units; u++) facesOf[u] = new IntList();
        }
        for (int u = 0; u < units; u++) facesOf[u].clear();
        for (int f = 0; f < nf; f++) listCandidates(f, 0);
    }

    /**
     * One face's pass over its cycle: with {@code candidates}, its candidate units of the layer being cut (from
     * {@link #masks}); and, when a layer's bits are pending, its pattern bits of that layer: a unit is on in a face
     * iff it is positive at some vertex, unless a declined cut decided it ({@link #pendingForced}).
     */
    private void facePass(int f, boolean candidates) {
        int[] ar = faces.arena;
        int s = faces.start[f], e = s + faces.length[f];
        int cw = candidates ? candWords : 0;
        int pw = pendingUnits > 0 ? (pendingUnits + 63) >>> 6 : 0;
        long[] m = masks, cand = this.candidates;
        int row = maskRow, cur = MASK_FIRST + curSlot, prev = MASK_FIRST + pendSlot, neg = cur + negWord;
        if (cw <= 1 && pw <= 1) { // the usual case (layers up to 64 units): one word of each, one loop over the cycle
            long p = 0, n = 0, on = 0;
            for (int i = s; i < e; i++) {
                int r = ar[i] * row;
                if (cw == 1) {
                    p |= m[r + cur];
                    n |= m[r + neg]; // packed: the same word
                }
                if (pw == 1) on |= m[r + prev];
            }
            // packed, the positive bits are the low half of p and the negative ones the high half of n
            if (cw == 1) cand[f] = p & (n >>> negShift);
            if (pw == 1) depositBits(f, 0, packed ? on & PACKED_LOW : on);
            return;
        }
        for (int w = 0; w < cw; w++) {
            long p = 0, n = 0;
            for (int i = s; i < e; i++) {
                int r = ar[i] * row + cur;
                p |= m[r + w];
                n |= m[r + cw + w];
            }
            cand[f * cw + w] = p & n;
        }
        for (int k = 0; k < pw; k++) {
            long on = 0;
            for (int i = s; i < e; i++) on |= m[ar[i] * row + prev + k];
            depositBits(f, k, on);
        }
    }

    /** Sets word k of the pending layer's bits of face f: the units {@code on}, then the face's forced bits. */
    private void depositBits(int f, int k, long on) {
        int words = (pendingUnits + 63) >>> 6;
        long[] fo = pendingForced.get(f);
        if (fo != null) on = (on | fo[k]) & ~fo[words + k];
        if (on == 0) return;
        // bits u of word k go to pattern bits offset + 64 k + u: one or two words (no bit at or beyond units is set)
        int wb = f * bitWords + (pendingOffset >>> 6), shift = pendingOffset & 63;
        bits[wb + k] |= on << shift;
        if (shift != 0 && (on >>> (64 - shift)) != 0) bits[wb + k + 1] |= on >>> (64 - shift);
    }

    /** Appends face f to the candidate list of every unit from {@code from} on whose candidate bit it has. */
    private void listCandidates(int f, int from) {
        int base = f * candWords;
        for (int w = from >>> 6; w < candWords; w++) {
            long c = candidates[base + w];
            if (w == from >>> 6) c &= -1L << (from & 63);
            while (c != 0) {
                facesOf[(w << 6) + Long.numberOfTrailingZeros(c)].add(f);
                c &= c - 1;
            }
        }
    }

    /**
     * Faces 0..n-1 as a stream: parallel only from {@link KernelParameters#MIN_PARALLEL_FACES} faces on, so a small
     * net's partition (a latency-bound call) pays no fork-join hand-offs, and callers that already run many
     * partitions at once are not oversubscribed; sequential on a strip's thread while the strips fill the cores
     * ({@link TiledPlanePartitioner#coresBusy}).
     */
    private static IntStream faceRange(int n) {
        IntStream r = IntStream.range(0, n);
        return n >= KernelParameters.MIN_PARALLEL_FACES && !TiledPlanePartitioner.coresBusy() ? r.parallel() : r;
    }

    /**
     * The sign of unit u of the layer being cut at vertex v, as {@link VertexTable#sign}: for a vertex made before the
     * layer's cuts, from the layer's sign masks (the signs of the same values; 8-16 bytes a vertex, just read by the face
     * pass, instead of a value in a state row of the layer's width: the cuts' reads of scattered vertices then hit the
     * cache); for a crossing made by the cuts, from its state. In exact mode too: the masks are made after the layer
     * step has resolved its undecided values, and a crossing writes only its own row, so they are the certified signs.
     */
    private int sign(int v, int u) {
        if (v < signedVertices) {
            int w = MASK_FIRST + v * maskRow + curSlot + (u >>> 6);
            long bit = 1L << u; // (u & 63): Java shifts a long by the low 6 bits
            return (masks[w] & bit) != 0 ? 1 : (((masks[w + negWord] >>> negShift) & bit) != 0 ? -1 : 0);
        }
        return vt.sign(v, u);
    }

    /** Splits every face on which unit {@code u} of the current layer changes sign. */
    private void splitAll(int u, LongIntMap crossings, IntList aug) {
        // invariant: facesOf[u] lists, ascending, every face made before this unit whose candidate bit u is set;
        // faces appended below are halves (already on one side) and join only the lists of later units
        IntList list = facesOf[u];
        IntList augSigns = this.augSigns;
        for (int li = 0; li < list.size; li++) {
            int f = list.data[li];
            int[] ar = faces.arena;
            int s0 = faces.start[f], n = faces.length[f];
            if (cycleSigns.length < n) cycleSigns = new int[2 * n];
            int[] sg = cycleSigns; // each vertex's sign once (the cuts below and splitFace read them again)
            boolean pos = false, neg = false;
            for (int k = 0; k < n; k++) {
                int s = sign(ar[s0 + k], u);
                sg[k] = s;
                pos |= s > 0;
                neg |= s < 0;
            }
            if (!(pos && neg)) continue;
            // the cycle with a zero vertex inserted on every edge whose ends have strictly opposite signs
            aug.clear();
            augSigns.clear();
            for (int k = 0; k < n; k++) {
                int next = k + 1 == n ? 0 : k + 1;
                int p = ar[s0 + k], q = ar[s0 + next];
                aug.add(p);
                augSigns.add(sg[k]);
                if (sg[k] * sg[next] < 0) {
                    long key = edgeKey(Math.min(p, q), Math.max(p, q));
                    int w = crossings.get(key);
                    if (w < 0) {
                        w = vt.addCrossing(p, q, u, tol);
                        crossings.put(key, w);
                    }
                    aug.add(w);
                    augSigns.add(sign(w, u));
                }
            }
            splitFace(f, aug, augSigns, u);
        }
    }

    /** scratch of splitAll: the signs of a face's cycle, and of its augmented cycle (parallel to the cycle) */
    private int[] cycleSigns = new int[16];
    private final IntList augSigns = new IntList();

    /**
     * Splits face f, whose augmented cycle {@code aug} reads (cyclically) a block of positive vertices, one or
     * more zeros, a block of negative vertices, one or more zeros. The positive half is
     * [last zero before the + block, + block, first zero after it]; the negative half is the rest, closed by the
     * same chord. Anything else is a rounding inconsistency: the face keeps the augmented cycle (so its
     * neighbours stay matched) and is counted in {@code anomalies}. {@code augSigns}: the sign of unit u at each
     * vertex of {@code aug}.
     */
    private void splitFace(int f, IntList aug, IntList augSigns, int u) {
        int m = aug.size;
        int[] as = augSigns.data;
        int changes = 0, lastNonZero = 0;
        for (int k = m - 1; k >= 0 && lastNonZero == 0; k--) lastNonZero = as[k]; // cyclic start
        int startPlus = -1;
        for (int k = 0; k < m; k++) {
            int s = as[k];
            if (s == 0) continue;
            if (s != lastNonZero) {
                changes++;
                if (s > 0) startPlus = k;
            }
            lastNonZero = s;
        }
        if (changes != 2 || startPlus < 0) {
            anomalies++;
            kinked.set(f);
            faces.set(f, aug.data, 0, aug.size);
            return;
        }
        // rotate so that the + block starts at index 0; the vertex before it (index m-1) is a zero
        if (rotated.length < m + 2) {
            rotated = new int[2 * m + 2];
            plusHalf = new int[2 * m + 2];
        }
        int[] r = rotated;
        System.arraycopy(aug.data, startPlus, r, 0, m - startPlus);
        System.arraycopy(aug.data, 0, r, m - startPlus, startPlus);
        // the + block ends at the last positive vertex before the first negative one; zeros inside the block
        // (a snapped vertex exactly on the line) stay in it; rotated index k is augmented index (startPlus + k) mod m
        int firstNeg = 1;
        while (as[rotatedIndex(startPlus, firstNeg, m)] >= 0) firstNeg++;
        int endPlus = firstNeg - 1;
        while (as[rotatedIndex(startPlus, endPlus, m)] <= 0) endPlus--;
        int firstZero = endPlus + 1; // invariant: sign(r[firstZero]) == 0 (crossings were inserted)
        int lastZero = m - 1;        // invariant: sign(r[m-1]) == 0
        int[] plus = plusHalf;
        int plusLength = endPlus + 3, minusLength = m - firstZero; // the minus half is r[firstZero, m)
        plus[0] = r[lastZero];
        System.arraycopy(r, 0, plus, 1, endPlus + 1);
        plus[endPlus + 2] = r[firstZero];
        // invariant: no face below the minimum area. A cut that would make one is declined: the face keeps the
        // augmented cycle (its neighbours share the new edge vertices, so the mesh stays matched) and the unit's
        // bit is that of the larger side.
        // In exact mode both pieces have positive area by construction: each holds a vertex strictly off the
        // chord (certified signs) and the face is convex, so no area is computed and nothing is declined.
        double areaPlus = tol.isExact() ? 1 : polygonArea(plus, 0, plusLength), areaMinus = tol.isExact() ? 1 : polygonArea(r, firstZero, minusLength);
        if (!tol.isExact() && Math.min(areaPlus, areaMinus) <= minArea) {
            declined++;
            kinked.set(f);
            faces.set(f, aug.data, 0, aug.size);
            force(f, u, areaPlus > areaMinus);
            return;
        }
        faces.set(f, plus, 0, plusLength);
        int g = faces.add(r, firstZero, minusLength);
        if (kinked.get(f)) kinked.set(g);
        if ((g + 1) * bitWords > bits.length) bits = Arrays.copyOf(bits, Math.max((g + 1) * bitWords, 2 * bits.length));
        System.arraycopy(bits, f * bitWords, bits, g * bitWords, bitWords);
        if ((g + 1) * candWords > candidates.length) candidates = Arrays.copyOf(candidates, Math.max((g + 1) * candWords, 2 * candidates.length));
        System.arraycopy(candidates, f * candWords, candidates, g * candWords, candWords);
        if (u + 1 < candWords * 64) listCandidates(g, u + 1);
        long[] fo = forced.get(f);
        forced.add(fo == null ? null : fo.clone());
    }

    /** The index in a cycle of length m of position k after rotating it to start at {@code start} (both in [0, m)). */
    private static int rotatedIndex(int start, int k, int m) {
        int i = start + k;
        return i >= m ? i - m : i;
    }

    private void force(int f, int u, boolean on) {
        int words = candWords;
        long[] fo = forced.get(f);
        if (fo == null) forced.set(f, fo = new long[2 * words]);
        fo[(on ? 0 : words) + (u >>> 6)] |= 1L << (u & 63);
    }

    /** The signed area of the polygon with vertices {@code cyc[from, from + n)}. */
    private double polygonArea(int[] cyc, int from, int n) {
        double ox = vt.coords[2 * cyc[from]], oy = vt.coords[2 * cyc[from] + 1];
        double s = 0;
        for (int k = from + 1; k + 1 < from + n; k++) {
            double ax = vt.coords[2 * cyc[k]] - ox, ay = vt.coords[2 * cyc[k] + 1] - oy;
            double bx = vt.coords[2 * cyc[k + 1]] - ox, by = vt.coords[2 * cyc[k + 1] + 1] - oy;
            s += ax * by - bx * ay;
        }
        return s / 2;
    }

    /**
     * After the cuts of a layer: the masks of the vertices its cuts made (their values do not change until the
     * layer is activated), and its pattern bits marked pending (set by the next candidate pass or before the
     * regions are built).
     */
    private void endLayer(int offset, int units) {
        int nv = vt.size;
        ensureMaskRows(nv);
        maskRange(maskedVertices, nv, units);
        maskedVertices = nv;
        faces.compact(); // the next passes over the faces then read the cycles front to back
        pendingOffset = offset;
        pendingUnits = units;
        // the two mask slots and the two forced lists alternate: the pending layer's, and the next layer's
        int t0 = pendSlot;
        pendSlot = curSlot;
        curSlot = t0;
        List<long[]> t = pendingForced;
        pendingForced = forced;
        forced = t;
    }

    /** Room in {@link #masks} for the rows of vertices [0, n) (a larger array keeps the rows it has: the pending slot). */
    private void ensureMaskRows(int n) {
        long need = MASK_FIRST + (long) n * maskRow;
        if (need > masks.length) masks = Arrays.copyOf(masks, (int) Math.min(Integer.MAX_VALUE - 64, MASK_FIRST + (n + n / 2L) * maskRow));
    }

    /**
     * Sign masks ({@link LayerBlocks#signMasks}) of vertices [from, to) for the layer's {@code units}, into slot
     * {@link #curSlot} of their rows, on all cores for many.
     */
    private void maskRange(int from, int to, int units) {
        long[] out = masks;
        int first = MASK_FIRST + curSlot, row = maskRow;
        boolean pack = packed;
        double[] state = vt.state;
        int stride = vt.stride;
        int chunk = KernelParameters.MIN_PARALLEL_VERTICES;
        int chunks = (to - from + chunk - 1) / chunk;
        IntStream r = IntStream.range(0, chunks);
        (chunks > 1 && !TiledPlanePartitioner.coresBusy() ? r.parallel() : r).forEach(c -> {
            if (pack) LayerBlocks.packedMasks(state, stride, from + c * chunk, Math.min(to, from + (c + 1) * chunk), units, out, first, row);
            else LayerBlocks.signMasks(state, stride, from + c * chunk, Math.min(to, from + (c + 1) * chunk), units, out, first, row);
        });
    }

    private List<LinearRegion> buildRegions() {
        int nf = faces.count;
        Pieces p = new Pieces(nf, vt.coords, faces, bits, bitWords, net.cuttingUnits(), maps(vertexOutputs()), edgeNeighbours(), anomalies, declined, null);
        LinearRegion[] out = new LinearRegion[nf];
        faceRange(nf).forEach(f -> {
            int s = faces.start[f], n = faces.length[f];
            int[] nb = new int[n];
            int nn = 0;
            for (int k = 0; k < n; k++) if (p.neighbourAt[s + k] >= 0) nb[nn++] = p.neighbourAt[s + k];
            out[f] = p.region(f, f, sortedDistinct(nb, nn));
        });
        return Arrays.asList(out);
    }

    /** The activation pattern of face f from pattern bits kept in rows of {@code bitWords} words. */
    private static ActivationPattern patternOf(long[] bits, int bitWords, int length, int f) {
        return new ActivationPattern(length, Arrays.copyOfRange(bits, f * bitWords, (f + 1) * bitWords));
    }

    /**
     * Per arena position {@code start[f] + k} of a face's cycle, the face across its edge from vertex k to k + 1
     * (the owner of the reversed edge), or -1 on the rectangle's boundary. The reversed edge is found among the few
     * edges leaving the far vertex (the edges grouped by their first vertex in compressed rows), not through a hash
     * map of all edges: two passes over the cycles and one short scan per edge, no table of hundreds of megabytes.
     */
    private int[] edgeNeighbours() {
        int nf = faces.count, nv = vt.size;
        int[] ar = faces.arena, st = faces.start, len = faces.length;
        int[] outStart = new int[nv + 1];
        for (int f = 0; f < nf; f++) for (int i = st[f]; i < st[f] + len[f]; i++) outStart[ar[i] + 1]++;
        for (int v = 0; v < nv; v++) outStart[v + 1] += outStart[v];
        // per edge leaving vertex a (row a): its end vertex and its face
        int[] outTo = new int[outStart[nv]], outFace = new int[outStart[nv]];
        int[] fill = Arrays.copyOf(outStart, nv);
        for (int f = 0; f < nf; f++) {
            int s = st[f], n = len[f];
            for (int k = 0; k < n; k++) {
                int pos = fill[ar[s + k]]++;
                outTo[pos] = ar[k + 1 == n ? s : s + k + 1];
                outFace[pos] = f;
            }
        }
        fill = null;
        int[] out = new int[ar.length];
        faceRange(nf).forEach(f -> {
            int s = st[f], n = len[f];
            for (int k = 0; k < n; k++) {
                int a = ar[s + k], b = ar[k + 1 == n ? s : s + k + 1], g = -1;
                for (int j = outStart[b]; j < outStart[b + 1]; j++) if (outTo[j] == a) { g = outFace[j]; break; }
                out[s + k] = g;
            }
        });
        return out;
    }

    /** Every face's affine map: fitted to its vertex values ({@link #vertexOutputs}), or composed for kinked and thin faces. */
    private AffineMap[] maps(double[] values) {
        int nf = faces.count;
        int outputs = net.outputDim();
        double diameter = Math.hypot(domain.width(), domain.height());
        AffineMap[] maps = new AffineMap[nf];
        faceRange(nf).forEach(f -> {
            if (!kinked.get(f)) maps[f] = fitMap(faces.arena, faces.start[f], faces.length[f], vt.coords, values, outputs, diameter);
        });
        composeMaps(maps);
        return maps;
    }

    /**
     * Fills the maps left null (kinked faces, and faces too thin to fit) by composing the network's layers for the
     * face's pattern. The faces are taken in pattern order, so that consecutive ones share their leading layers
     * and each composition starts from the previous one's rows at the first layer whose bits differ
     * ({@link PatternRows#of} with a base: the same rows, bit for bit, as a composition from scratch).
     */
    private void composeMaps(AffineMap[] maps) {
        IntList todo = new IntList();
        for (int f = 0; f < maps.length; f++) if (maps[f] == null) todo.add(f);
        int m = todo.size;
        if (m == 0) return;
        long[] keys = new long[m * bitWords];
        for (int r = 0; r < m; r++)
            for (int k = 0; k < bitWords; k++) keys[r * bitWords + k] = TiledPlanePartitioner.sortKey(bits[todo.get(r) * bitWords + k]);
        int[] order = TiledPlanePartitioner.sortedRows(keys, bitWords, m);
        int chunk = Math.max(64, m / (4 * Runtime.getRuntime().availableProcessors()) + 1);
        int chunks = (m + chunk - 1) / chunk;
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 && !TiledPlanePartitioner.coresBusy() ? range.parallel() : range).forEach(c -> {
            PatternRows base = null;
            for (int r = c * chunk; r < Math.min(m, (c + 1) * chunk); r++) {
                int f = todo.get(order[r]);
                base = PatternRows.of(net, patternOf(bits, bitWords, net.cuttingUnits(), f), base);
                maps[f] = base.output();
            }
        });
    }

    /** The distinct values of a[0, n), ascending (a is reordered). */
    static int[] sortedDistinct(int[] a, int n) {
        if (n > 32) Arrays.sort(a, 0, n);
        else for (int i = 1; i < n; i++) { // a face has a handful of neighbours: insertion sort, no library call
            int x = a[i], j = i;
            while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
            a[j] = x;
        }
        int m = 0;
        for (int k = 0; k < n; k++) if (m == 0 || a[k] != a[m - 1]) a[m++] = a[k];
        return Arrays.copyOf(a, m);
    }

    /**
     * The outputs' affine map from three well-spread vertices of a face, or null when the face is too thin for
     * vertex values to fix the map accurately (then the pattern is composed instead).
     */
    static AffineMap fitMap(int[] ar, int s, int n, double[] xy, double[] values, int outputs, double diameter) {
        int v0 = ar[s];
        double x0 = xy[2 * v0], y0 = xy[2 * v0 + 1];
        int v1 = farthest(ar, s, n, xy, x0, y0);
        double ex = xy[2 * v1] - x0, ey = xy[2 * v1 + 1] - y0;
        int v2 = -1;
        double bestCross = 0;
        for (int k = s; k < s + n; k++) {
            int v = ar[k];
            double cr = Math.abs(ex * (xy[2 * v + 1] - y0) - ey * (xy[2 * v] - x0));
            if (cr > bestCross) { bestCross = cr; v2 = v; }
        }
        // height of the triangle relative to its base and to the domain: below MIN_FIT_ASPECT the fit loses digits
        double len = Math.hypot(ex, ey);
        if (v2 < 0 || len == 0 || bestCross / len < KernelParameters.MIN_FIT_ASPECT * Math.max(len, KernelParameters.FIT_BASE_FLOOR * diameter)) return null;
        double fx = xy[2 * v2] - x0, fy = xy[2 * v2 + 1] - y0;
        double det = ex * fy - ey * fx;
        double[] a = new double[outputs * 2];
        double[] c = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double d1 = values[v1 * outputs + o] - values[v0 * outputs + o];
            double d2 = values[v2 * outputs + o] - values[v0 * outputs + o];
            double gx = (d1 * fy - ey * d2) / det;
            double gy = (ex * d2 - d1 * fx) / det;
            a[2 * o] = gx;
            a[2 * o + 1] = gy;
            c[o] = values[v0 * outputs + o] - gx * x0 - gy * y0;
        }
        return new AffineMap(outputs, 2, a, c);
    }

    /**
     * The first vertex of {@code ar[s, s + n)} farthest from (x0, y0) by {@code Math.hypot}, as a loop of hypot calls
     * finds it, without most of the calls (hypot was a third of fitMap). A squared distance is within 3 roundings of
     * its exact value and hypot within one ulp of its own, so a vertex whose squared distance is below
     * {@code (1 - KernelParameters.FARTHEST_SQUARE_SLACK)} times the largest cannot have the largest hypot: only the vertices above that
     * (usually one) are compared by hypot, in cycle order, the first strictly larger winning as in the plain loop.
     * Squares near underflow or overflow take the plain loop.
     */
    private static int farthest(int[] ar, int s, int n, double[] xy, double x0, double y0) {
        double qmax = 0;
        for (int k = s; k < s + n; k++) {
            int v = ar[k];
            double dx = xy[2 * v] - x0, dy = xy[2 * v + 1] - y0;
            qmax = Math.max(qmax, dx * dx + dy * dy);
        }
        boolean plain = !(qmax >= KernelParameters.FARTHEST_MIN_SQUARE && qmax < Double.POSITIVE_INFINITY);
        double cut = plain ? -1 : qmax * (1 - KernelParameters.FARTHEST_SQUARE_SLACK);
        int only = -1, near = 0;
        for (int k = s; k < s + n; k++) {
            int v = ar[k];
            double dx = xy[2 * v] - x0, dy = xy[2 * v + 1] - y0;
            if (dx * dx + dy * dy >= cut) { near++; only = v; }
        }
        if (near == 1) return only;
        int v1 = -1;
        double best = -1;
        for (int k = s; k < s + n; k++) {
            int v = ar[k];
            double dx = xy[2 * v] - x0, dy = xy[2 * v + 1] - y0;
            if (dx * dx + dy * dy < cut) continue;
            double d = Math.hypot(dx, dy);
            if (d > best) { best = d; v1 = v; }
        }
        return v1;
    }

    /**
     * Checks the mesh invariants listed in the class comment; throws IllegalStateException naming the first
     * one broken. Call after {@link #getResult()}.
     */
    public void checkInvariants() {
        getResult();
        HashMap<Long, Integer> owner = new HashMap<>();
        double eps = KernelParameters.INVARIANT_CHECK_SLACK * Math.max(1, domain.magnitude());
        for (int f = 0; f < faces.count; f++) {
            int[] cyc = faces.cycle(f);
            if (cyc.length < 3) throw new IllegalStateException("face " + f + " has " + cyc.length + " vertices");
            double[] xy = new double[cyc.length * 2];
            for (int k = 0; k < cyc.length; k++) { xy[2 * k] = vt.coords[2 * cyc[k]]; xy[2 * k + 1] = vt.coords[2 * cyc[k] + 1]; }
            // exact mode keeps faces whose exact area is positive but below what double coordinates resolve
            // (their rounded vertices may coincide), so there the float area need only be non-negative
            double area = Polygons.signedArea(xy);
            if (!(area > 0) && !(tol.isExact() && area >= 0)) throw new IllegalStateException("face " + f + " has non-positive area " + Polygons.signedArea(xy));
            for (int k = 0; k < cyc.length; k++) {
                if (cyc[k] == cyc[(k + 1) % cyc.length]) throw new IllegalStateException("face " + f + " repeats a vertex");
                Integer prev = owner.put(edgeKey(cyc[k], cyc[(k + 1) % cyc.length]), f);
                if (prev != null) throw new IllegalStateException("edge in faces " + prev + " and " + f + " with the same direction");
            }
        }
        for (int f = 0; f < faces.count; f++) {
            int[] cyc = faces.cycle(f);
            for (int k = 0; k < cyc.length; k++) {
                int p = cyc[k], q = cyc[(k + 1) % cyc.length];
                if (owner.containsKey(edgeKey(q, p))) continue;
                double px = vt.coords[2 * p], py = vt.coords[2 * p + 1], qx = vt.coords[2 * q], qy = vt.coords[2 * q + 1];
                boolean onBoundary = (Math.abs(px - domain.xmin()) <= eps && Math.abs(qx - domain.xmin()) <= eps)
                        || (Math.abs(px - domain.xmax()) <= eps && Math.abs(qx - domain.xmax()) <= eps)
                        || (Math.abs(py - domain.ymin()) <= eps && Math.abs(qy - domain.ymin()) <= eps)
                        || (Math.abs(py - domain.ymax()) <= eps && Math.abs(qy - domain.ymax()) <= eps);
                if (!onBoundary) throw new IllegalStateException("face " + f + " has an unmatched interior edge (" + px + "," + py + ")-(" + qx + "," + qy + ")");
            }
        }
    }

    /**
     * A unique key for the directed edge (from, to), scrambled by a bijection (the SplitMix64 finaliser) so
     * that HashMap buckets spread evenly; the plain packed value hashes (from ^ to) and collides badly.
     */
    private static long edgeKey(int from, int to) {
        long z = ((long) from << 32) | (to & 0xffffffffL);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
