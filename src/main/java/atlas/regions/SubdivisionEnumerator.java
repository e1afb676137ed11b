package atlas.regions;

import atlas.concurrent.Futures;

import atlas.error.BadInputException;
import atlas.geometry.Chebyshev;
import atlas.geometry.ChebyshevBall;
import atlas.geometry.HPolytope;
import atlas.geometry.LpSolver;
import atlas.geometry.Tolerance;
import atlas.net.DenseLayer;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Every linear region of a network in an n-D box by edge subdivision (the approach of Berzins, ICML 2023, on a
 * cell complex), with no linear program.
 *
 * <p>Algorithm: the box is a cell complex: vertices (with the network's values of the layer being cut, in the
 * flat arrays of a {@link VertexTable}), edges (per-vertex adjacency lists) and cells (vertex lists). For each
 * cutting unit in layer order, every edge of a cell on which the unit takes strictly opposite signs is split at a
 * new vertex (interpolated, shared through a map keyed by the edge), and every cell on which the unit takes both
 * signs is split into the cell of its non-negative vertices and the cell of its non-positive vertices, both with
 * the new vertices. A unit's pre-activation is affine on every cell of the complex before its cut, so the cut
 * face inside a cell is one convex polytope; its edges (the new edges of the complex) are found combinatorially:
 * each vertex records the hyperplanes it lies on (box faces and units; its <em>incidence</em>), and two vertices
 * of the cut face form an edge iff they share at least d-1 hyperplanes and no third vertex of the face lies on
 * all the hyperplanes they share. That is the exact adjacency rule of a polytope whose supporting hyperplanes
 * include all its facets: the smallest face holding both vertices is the intersection of their common facets.
 * Every hyperplane a vertex records supports every cell holding the vertex (each unit's zero set is a boundary
 * of every cell after its cut), and every facet of a cell is on a recorded hyperplane.
 *
 * <p>The complex stays face to face: both cells of a shared facet see the same vertex values, so they make the
 * same new vertices and the same new edges there. Hence each facet of a final region has exactly one region
 * across it, matched at the end by the facet's vertex set.
 *
 * <p>Sign decisions and snapping are those of the plane kernel, through the same {@link VertexTable}: a
 * pre-activation within {@code sideEps} of 0 relative to the magnitude of its terms is stored as exactly 0 (a
 * vertex on the cut: it joins both halves and records the unit's hyperplane), crossing vertices get exactly 0 for
 * the unit they are made by, and a unit's pattern bit in a cell is on iff it is positive at some vertex of the
 * cell (so a unit identically zero on a cell is off, the canonical rule of {@link ActivationPattern}). Unlike the
 * plane kernel no cut is declined: a piece is kept however thin, since it holds a vertex strictly on each side.
 *
 * <p>Output: a {@link RegionSet} like {@link RegionEnumerator}'s (ids in cell order, not breadth-first), with, for
 * every region, its vertices and volume (in any dimension, by a pulling triangulation of the face lattice derived
 * from the incidences), its facets with their units, unit normals and neighbours, the network's affine map
 * (composed from the pattern), and as its centre the vertex centroid, with the distance from it to the nearest
 * facet as inradius (a lower bound of the Chebyshev radius, which would need an LP). Slivers: as in the LP engine,
 * a cell whose Chebyshev radius is not above {@code sideEps} times the box's diagonal is not reported (the one LP
 * is solved only for cells whose centroid is that close to a facet), and facets towards it are marked thin.
 * Completeness: every interior facet matched with exactly one other region and the volumes summing to the box's.
 *
 * <p>Limits: box domains only; floating tolerance only ({@link Tolerance.Kind#EXACT} is refused: use
 * {@link RegionEnumerator}). {@link #setMaxRegions} and {@link #setTimeLimit} are checked between units; a stopped
 * run has no regions (the cells of a prefix of the units are not regions of the network).
 */
public final class SubdivisionEnumerator {
    private final Network net;
    private final HPolytope domain;
    private final Tolerance tol;
    private final int d;
    /** the box's diagonal: the length scale of the fit conditioning rule */
    private final double diameter;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int maxRegions = Integer.MAX_VALUE;
    private double timeLimit = Double.POSITIVE_INFINITY;
    private IntConsumer progress = n -> { };
    private Cells cellsResult;
    /** System.nanoTime() after which the run stops (the time limit covers the subdivision and the region records) */
    private double deadline = Double.POSITIVE_INFINITY;
    private RegionSet result;

    // ---- vertices: values in the VertexTable; incidences and adjacency in flat arenas ----
    private VertexTable vt;
    /** incidence of vertex v: inc[incStart[v] .. incStart[v] + incLen[v]), ascending hyperplane ids */
    private int[] incStart = new int[0], incLen = new int[0];
    private int[] inc = new int[1024];
    private int incTop;
    /** neighbours of vertex v: adj[adjStart[v] .. adjStart[v] + adjLen[v]), capacity adjCap[v] */
    private int[] adjStart = new int[0], adjLen = new int[0], adjCap = new int[0];
    private int[] adj = new int[1024];
    private int adjTop;

    // ---- cells: vertex lists in one arena, pattern bits and per-layer crossing candidates ----
    private VertexListArena cells = new VertexListArena(16, 1024, false);
    private long[] bits = new long[0];
    private int words;
    private long[] cand = new long[0];
    private int candWords;
    /**
     * per-vertex sign masks of the current layer's units ({@link #computeMasks}): vertex v's positive mask words at
     * {@code masks[2 v maskWords + w]}, its negative ones right after them, so that a sign question about a vertex
     * reads one cache line, not one in each of two arrays
     */
    private long[] masks = new long[0];
    private int maskWords, maskUnits;

    /**
     * The first vertex made by the unit being cut. A crossed edge p-q (p positive, q negative: it is always met from
     * p) is split where it is first met: its vertex v takes q's place in p's adjacency list and p's in q's at once,
     * and v's list starts (p, q). So where a later cell meets the edge, p's list holds v, a vertex from
     * {@code cutFirst} on, with q second in v's list: no map from edges to their vertices is needed.
     */
    private int cutFirst;

    // ---- scratch of one unit's cut ----
    private final IntList splitCells = new IntList(), wStart = new IntList(), wList = new IntList();
    private int[] common = new int[SCRATCH_PLANES];
    /** per chunk of a parallel phase: its findings; per thread: its scratch */
    private Part[] parts = new Part[0];
    private Scratch[] scratch;
    /** the threads of the parallel phases of the cuts besides the calling thread (made on first use) */
    private ForkJoinPool pool;

    /**
     * @param net    the network
     * @param domain a box of the network's input dimension ({@link HPolytope#isBox()})
     * @param tol    the tolerance policy (floating)
     */
    public SubdivisionEnumerator(Network net, HPolytope domain, Tolerance tol) {
        if (domain.dim() != net.inputDim())
            throw new BadInputException("the domain has dimension " + domain.dim() + ", the network " + net.inputDim() + " inputs");
        if (!domain.isBox()) throw new BadInputException("the subdivision engine takes box domains only (use the LP engine for a polytope)");
        if (domain.dim() > MAX_DIM)
            throw new BadInputException("the subdivision engine takes up to " + MAX_DIM + " inputs (the box has 2^d corners); "
                    + "this network has " + domain.dim() + " (use the LP engine)");
        if (tol.isExact())
            throw new BadInputException("exact mode is not implemented in the subdivision engine (use the LP engine)");
        this.net = net;
        this.domain = domain;
        this.tol = tol;
        this.d = net.inputDim();
        double s = 0;
        for (int k = 0; k < d; k++) s += Math.pow(domain.boxHi()[k] - domain.boxLo()[k], 2);
        this.diameter = Math.sqrt(s);
    }

    /** One-line convenience: all regions in {@code box}, default tolerance, all cores. */
    public static RegionSet enumerate(Network net, HPolytope box) {
        return new SubdivisionEnumerator(net, box, Tolerance.DEFAULT).getResult();
    }

    /**
     * Threads that build the region records at the end, and that run the read-only phases of each cut on a large
     * complex (the rest of the subdivision runs on the calling thread); the result does not depend on them.
     */
    public SubdivisionEnumerator setThreads(int n) {
        if (n <= 0) throw new BadInputException("threads must be positive, got " + n);
        this.threads = n;
        return this;
    }

    /** Stop (with no regions, labelled partial) once the cells outnumber this. */
    public SubdivisionEnumerator setMaxRegions(int n) {
        if (n <= 0) throw new BadInputException("max regions must be positive, got " + n);
        this.maxRegions = n;
        return this;
    }

    /**
     * Stop (with no regions, labelled partial) after this many seconds, checked between units and while the region
     * records are made.
     */
    public SubdivisionEnumerator setTimeLimit(double seconds) {
        if (!(seconds > 0)) throw new BadInputException("time limit must be positive, got " + seconds);
        this.timeLimit = seconds;
        return this;
    }

    /** Called on the calling thread with the number of cells after every unit. */
    public SubdivisionEnumerator setProgressListener(IntConsumer listener) { this.progress = listener; return this; }

    /** The regions as full records (vertices, volumes, facets with neighbours, maps). */
    public RegionSet getResult() {
        if (result == null) result = build(getCells());
        return result;
    }

    /**
     * The subdivision alone: the final cells with their patterns and vertex lists (what {@link #getResult()} turns
     * into region records).
     */
    public Cells getCells() {
        if (cellsResult == null) cellsResult = subdivide();
        return cellsResult;
    }

    /**
     * The cells of a finished (or stopped) subdivision.
     *
     * @param count    number of cells: the regions when {@code stop} is FINISHED
     * @param vertices number of vertices of the complex
     * @param seconds  wall time of the subdivision
     * @param stop     why it ended
     * @param cellStart    cell c's vertex ids are {@code cellVertices[cellStart[c] .. cellStart[c + 1])} (count + 1 entries)
     * @param cellVertices every cell's vertex ids, cell after cell
     */
    public record Cells(int count, int vertices, double seconds, RegionSet.Stop stop, int patternLength, long[] patternWords,
                        int[] cellStart, int[] cellVertices, double[] coords, double[] outputs, int outputDim) {
        /** The vertex ids of cell c (a copy). */
        public int[] vertexList(int c) { return Arrays.copyOfRange(cellVertices, cellStart[c], cellStart[c + 1]); }

        /** The activation pattern of cell c. */
        public ActivationPattern pattern(int c) {
            int w = (patternLength + 63) / 64;
            return new ActivationPattern(Arrays.copyOfRange(patternWords, c * w, c * w + w), patternLength);
        }
    }

    // =============================================================================================================
    // Subdivision
    // =============================================================================================================

    private Cells subdivide() {
        long t0 = System.nanoTime();
        deadline = timeLimit == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : t0 + timeLimit * 1e9;
        double[] lo = domain.boxLo(), hi = domain.boxHi();
        int corners = 1 << d;
        vt = new VertexTable(d, Math.max(1024, 4 * corners));
        // the layer steps in plain loops that C2 vectorises itself (the same bits as the Vector API's): here they are a
        // few percent of a warm run, but in a cold JVM the Vector API's interpreted code and its compilation (over a
        // second of C2 time, on the cores the enumeration needs) cost more than the whole enumeration of a small net
        vt.setVectorSteps(false);
        scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) scratch[t] = new Scratch(2 * d + net.cuttingUnits());
        words = (net.cuttingUnits() + 63) / 64;
        ensureVertexArrays(corners);
        double[] x = new double[d];
        int[] all = new int[corners];
        for (int m = 0; m < corners; m++) {
            int[] ids = new int[d];
            for (int k = 0; k < d; k++) {
                boolean up = ((m >>> k) & 1) != 0;
                x[k] = up ? hi[k] : lo[k];
                ids[k] = up ? 2 * k : 2 * k + 1; // the box's row: 2k is x_k <= hi_k, 2k + 1 is -x_k <= -lo_k
            }
            int v = vt.addVertex(x);
            setIncidence(v, ids, d);
            adjStart[v] = adjTop;
            adjCap[v] = 2 * d + 2;
            adjTop = growAdj(adjTop + adjCap[v]);
            for (int k = 0; k < d; k++) adj[adjStart[v] + adjLen[v]++] = m ^ (1 << k);
            all[m] = v;
        }
        addCell(all, corners);
        bits = new long[Math.max(1, words) * 16];
        int[] lastReader = net.lastReader();
        RegionSet.Stop stop = RegionSet.Stop.FINISHED;
        try {
            layers:
            for (int i = 1; i <= net.depth(); i++) {
                DenseLayer layer = net.layer(i);
                vt.enterLayer(net, i, lastReader, tol);
                if (layer.activation().cuts()) {
                    int offset = net.patternOffset(i);
                    maskUnits = layer.units();
                    maskWords = (maskUnits + 63) / 64;
                    computeMasks(0);
                    findCandidates(layer.units());
                    for (int u = 0; u < layer.units(); u++) {
                        if (Thread.currentThread().isInterrupted()) { stop = RegionSet.Stop.INTERRUPTED; break layers; }
                        if (System.nanoTime() > deadline) { stop = RegionSet.Stop.TIME_LIMIT; break layers; }
                        cut(u, 2 * d + offset + u);
                        progress.accept(cells.count);
                        if (cells.count > maxRegions) { stop = RegionSet.Stop.MAX_REGIONS; break layers; }
                    }
                    setLayerBits(offset, layer.units());
                }
                // the activation applied by the next layer's step as it reads each vertex (the same values; one pass
                // over the vertices' rows less), except after the last layer, whose values are read as they are
                if (i < net.depth()) vt.deferActivation(layer);
                else vt.activate(layer);
            }
        } finally {
            if (pool != null) pool.shutdownNow();
            pool = null;
        }
        return collect(t0, stop);
    }

    /**
     * The final cells in flat arrays; then releases what the region records do not read (a method of its own, so
     * that the JIT compiles its loops without all of {@link #subdivide}).
     */
    private Cells collect(long t0, RegionSet.Stop stop) {
        final int nCells = cells.count;
        int[] start = new int[nCells + 1];
        prefix(cells.length, nCells, start, 0);
        int[] flat = flatLists(cells, start);
        int m = net.outputDim();
        double[] outputs = new double[stop == RegionSet.Stop.FINISHED ? vt.size * m : 0];
        outputs(vt, m, outputs);
        Cells out = new Cells(nCells, vt.size, (System.nanoTime() - t0) / 1e9, stop, net.cuttingUnits(),
                Arrays.copyOf(bits, nCells * words), start, flat, Arrays.copyOf(vt.coords, vt.size * d), outputs, m);
        // what the region records do not read: the values, adjacency, cell arena and scratch of the complex
        vt = null;
        adj = null;
        adjStart = adjLen = adjCap = null;
        cells = null;
        bits = cand = masks = null;
        parts = null;
        scratch = null;
        return out;
    }

    /** The cells' vertex lists one after the other (cell c's from start[c]). */
    private static int[] flatLists(VertexListArena cells, int[] start) {
        int[] flat = new int[start[cells.count]];
        for (int c = 0; c < cells.count; c++) System.arraycopy(cells.arena, cells.start[c], flat, start[c], cells.length[c]);
        return flat;
    }

    /** The network's outputs at the vertices, m per vertex, as many vertices as {@code out} has room for. */
    private static void outputs(VertexTable vt, int m, double[] out) {
        for (int v = 0; v < out.length / Math.max(1, m); v++) for (int o = 0; o < m; o++) out[v * m + o] = vt.output(v, o);
    }

    /**
     * The sign masks of vertices [from, size) for the current layer: bit u of the positive (negative) words
     * is set iff the vertex's stored (snapped) pre-activation of unit u is &gt; 0 (&lt; 0). A vertex's values of the
     * layer being cut never change after it is made (crossings are snapped when made), so each mask is computed
     * once, and every per-cell sign question of the layer becomes an OR of a few words per vertex.
     */
    private void computeMasks(int from) {
        int n = vt.size;
        if (2L * n * maskWords > masks.length) {
            // by half again, not twice: on the largest nets this array is a tenth of the heap
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * n * maskWords, 3L * masks.length / 2));
            masks = Arrays.copyOf(masks, cap);
        }
        final double[] state = vt.state;
        final int stride = vt.stride, units = maskUnits, mw = maskWords;
        final long[] mk = masks;
        // the plane kernel's masks, in the same layout (positive words, then negative ones)
        IntConsumer one = v -> LayerBlocks.signMasks(state, v * stride, units, mk, 2 * v * mw);
        if (n - from >= KernelParameters.MIN_PARALLEL_FACES) IntStream.range(from, n).parallel().forEach(one);
        else for (int v = from; v < n; v++) one.accept(v);
    }

    /**
     * For every cell, the units of the current layer that take both signs at its vertices (children inherit): the
     * OR of its vertices' positive masks AND the OR of their negative masks.
     */
    private void findCandidates(int units) {
        candWords = (units + 63) / 64;
        cand = new long[Math.max(cells.start.length, 16) * candWords];
        int n = cells.count;
        if (n >= KernelParameters.MIN_PARALLEL_FACES) IntStream.range(0, n).parallel().forEach(this::setCandidates);
        else for (int c = 0; c < n; c++) setCandidates(c);
    }

    /** Cell c's candidates: the units of the layer positive at some vertex of it and negative at another. */
    private void setCandidates(int c) {
        final int[] cv = cells.arena, cStart = cells.start, cLen = cells.length;
        final int mw = maskWords;
        for (int w = 0; w < mw; w++) {
            long p = 0, q = 0;
            for (int i = cStart[c], e = i + cLen[c]; i < e; i++) {
                int o = 2 * cv[i] * mw + w;
                p |= masks[o];
                q |= masks[o + mw];
            }
            cand[c * candWords + w] = p & q;
        }
    }

    /** A unit is on in a cell iff it is positive at some vertex of the cell: the OR of its vertices' positive masks. */
    private void setLayerBits(int offset, int units) {
        // parallel only for many cells: a small complex is done faster on one thread, and in a plain loop (in a cold
        // JVM a sequential IntStream costs several interpreted calls per cell, and its pipeline is more for the JIT)
        int n = cells.count;
        if (n >= KernelParameters.MIN_PARALLEL_FACES) IntStream.range(0, n).parallel().forEach(c -> setCellBits(c, offset));
        else for (int c = 0; c < n; c++) setCellBits(c, offset);
    }

    /** Cell c's bits of the current layer (pattern bits from {@code offset} on). */
    private void setCellBits(int c, int offset) {
        final int[] cv = cells.arena;
        final int mw = maskWords;
        for (int w = 0; w < mw; w++) {
            long p = 0;
            for (int i = cells.start[c], e = i + cells.length[c]; i < e; i++) p |= masks[2 * cv[i] * mw + w];
            for (; p != 0; p &= p - 1) {
                int k = offset + w * 64 + Long.numberOfTrailingZeros(p);
                bits[c * words + (k >>> 6)] |= 1L << (k & 63);
            }
        }
    }

    /**
     * Cuts every cell on which unit {@code u} of the current layer (hyperplane id {@code h}) takes both signs.
     *
     * <p>Phases 1 and 3 are split into a read-only part, run on chunks of cells in parallel for a large complex, and
     * a sequential part that applies the chunks' findings in cell order: new vertex ids, incidences, adjacency and
     * cells are made in exactly the order of one thread, so the complex (and every record made from it) does not
     * depend on the number of threads.
     */
    private void cut(int u, int h) {
        int nc = cells.count;
        splitCells.clear();
        wStart.clear();
        wList.clear();
        cutFirst = vt.size;
        int bw = u >>> 6;
        long bit = 1L << (u & 63);
        // phase 1: the cells to split, per cell its vertices on the cut, and its crossed edges split at new vertices
        int chunks1 = nc >= minParallelCells && threads > 1 ? Math.min(CHUNKS_PER_THREAD * threads, nc / 64) : 1;
        if (chunks1 == 1) {
            // one thread: each cell's findings applied as it is scanned (the order in which the chunks' findings are
            // applied below; the scan meets an edge that an earlier cell split through the edge's new vertex)
            scanCells(u, h, 0, nc, scratch[0], null);
        } else {
            runChunks(chunks1, nc, (k, from, to, scratch) -> scanCells(u, h, from, to, scratch, part(k)));
            makeCrossings(u, h, chunks1);
        }
        wStart.add(wList.size);
        computeMasks(cutFirst);
        // phase 3: each split cell's two halves and the edges of its cut face
        int ns = splitCells.size;
        int chunks3 = ns >= minParallelSplits && threads > 1 ? Math.min(CHUNKS_PER_THREAD * threads, ns / 16) : 1;
        if (chunks3 == 1) {
            // one thread: each cell's face edges, halves and candidates at once, in cell order (what the chunks'
            // findings applied in cell order make: the face edges are found from incidences and masks, which phase 3
            // does not change)
            for (int s = 0; s < ns; s++) splitHalf(s, bw, bit, scratch[0], null);
        } else {
            runChunks(chunks3, ns, (k, from, to, scratch) -> {
                Part part = part(k);
                part.clear();
                for (int s = from; s < to; s++) splitHalf(s, bw, bit, scratch, part);
            });
            int firstNew = cells.count;
            makeHalves(bw, bit, chunks3);
            // each half's candidates anew from its own vertices: the later units that cross the parent but not this
            // half are not tested on it again (a cell gains vertices only when it is split, so this stays exact)
            int added = cells.count - firstNew;
            runChunks(chunks3, added, (k, from, to, scratch) -> {
                for (int s = from; s < to; s++) {
                    setCandidates(splitCells.get(s));
                    setCandidates(firstNew + s);
                }
            });
        }
        // drop the vertex lists that splits left behind once they are a third of the arena
        if (cells.used() > cells.live() + cells.live() / 2 + 1024) cells.compact();
    }

    /*
     * The sequential parts of a cut are methods of their own (not one method of some 1,400 bytecodes): a short run
     * calls cut only once per unit, so the JIT compiles its loops on the stack, and each such compilation covers the
     * whole method it is in (a cold JVM's compiler then competes with the enumeration for the two cores). The per-cell
     * methods serve both the one-thread path and the chunks (a null part: apply at once), so that the JIT compiles
     * one set of them.
     */

    /** Phase 1 of a cut, in cell order: the crossing vertex of each crossed edge (made once, at its first cell). */
    private void makeCrossings(int u, int h, int chunks1) {
        for (int k = 0; k < chunks1; k++) {
            Part part = parts[k];
            for (int i = 0, e = 0; i < part.cells.size; i++) {
                splitCells.add(part.cells.get(i));
                wStart.add(wList.size);
                for (int end = part.ends.get(i); e < end; e += 2) crossing(u, h, part.entries.get(e), part.entries.get(e + 1));
            }
        }
    }

    /** One entry of {@link #makeCrossings}: vertex p on the cut (j &lt; 0), or the crossed edge at slot j of p's list. */
    private void crossing(int u, int h, int p, int j) {
        if (j < 0) { addIncidence(p, h); return; } // p is on the cut
        int w = adj[j];
        wList.add(w >= cutFirst ? w : split(u, h, p, j, w)); // already split by an earlier cell, or now
    }

    /**
     * Splits the edge from p (positive) at slot j of its list to q (negative) at a new vertex, which gets its
     * incidences (the hyperplanes p and q share, and the unit's); returns the vertex. The edge's two halves replace
     * it in p's and q's lists.
     */
    private int split(int u, int h, int p, int j, int q) {
        int v = vt.addCrossing(p, q, u, tol);
        ensureVertexArrays(v + 1);
        adj[j] = v;
        replaceNeighbour(q, p, v);
        adjStart[v] = adjTop;
        adjCap[v] = 2 * d + 2;
        adjLen[v] = 2;
        adjTop = growAdj(adjTop + adjCap[v]);
        adj[adjStart[v]] = p;
        adj[adjStart[v] + 1] = q;
        int m = intersect(p, q, common);
        if (common.length < m + 1) { common = new int[2 * (m + 1)]; intersect(p, q, common); }
        common[m] = h; // unit ids exceed every id recorded so far: the list stays ascending
        setIncidence(v, common, m + 1);
        return v;
    }

    /** Phase 3 of a cut after the chunks, in cell order: the new edges (each once), the halves as cells. */
    private void makeHalves(int bw, long bit, int chunks3) {
        Scratch sc = scratch[0];
        for (int k = 0, s = 0; k < chunks3; k++) {
            Part part = parts[k];
            int[] out = part.entries.data;
            for (int i = 0, e = 0; i < part.cells.size; i++, s++) {
                int np = out[e++];
                for (int t = 0; t < np; t++, e += 2) edge(out[e], out[e + 1]);
                int c = part.cells.get(i);
                partition(c, s, bw, bit, sc);
                makeHalves(c, sc);
            }
        }
    }

    /** A new edge va-vb of a cut face, unless a neighbouring cell's cut already made it. */
    private void edge(int va, int vb) {
        if (!adjacent(va, vb)) {
            addNeighbour(va, vb);
            addNeighbour(vb, va);
        }
    }

    /**
     * The s-th split cell c's vertices by their side of unit u: into {@code sc.plus}, {@code sc.minus} and, with the
     * cut's new vertices in the cell, {@code sc.face}.
     */
    private void partition(int c, int s, int bw, long bit, Scratch sc) {
        final int mw = maskWords;
        final long[] mk = masks;
        final int[] cv = cells.arena;
        IntList plus = sc.plus, minus = sc.minus, face = sc.face;
        int s0 = cells.start[c], n = cells.length[c];
        plus.clear();
        minus.clear();
        face.clear();
        for (int x = s0; x < s0 + n; x++) {
            int v = cv[x];
            int o = 2 * v * mw + bw;
            if ((mk[o] & bit) != 0) plus.add(v);
            else if ((mk[o + mw] & bit) != 0) minus.add(v);
            else face.add(v);
        }
        for (int x = wStart.get(s), end = wStart.get(s + 1); x < end; x++) face.add(wList.get(x));
    }

    /**
     * Split cell c (after its {@link #partition}) into its halves: c keeps its non-negative vertices and the cut's, a
     * new cell gets the non-positive ones and the cut's; returns the new cell.
     */
    private int makeHalves(int c, Scratch sc) {
        IntList plus = sc.plus, minus = sc.minus, face = sc.face;
        for (int x = 0; x < face.size; x++) { plus.add(face.get(x)); minus.add(face.get(x)); }
        setCell(c, plus.data, 0, plus.size);
        int c2 = addCell(minus.data, 0, minus.size);
        System.arraycopy(bits, c * words, bits, c2 * words, words);
        return c2;
    }

    /**
     * Phase 1 of a cut on cells [from, to). With a part (the chunks, in parallel): reads the complex only, and appends
     * to the part each cell that unit u splits, and per such cell (ending at {@code part.ends}) pairs (p, -1) for its
     * vertices on the cut and (p, j) for its crossed edges, j the slot of the edge in p's adjacency list (p positive,
     * the other end negative). Without (one thread, all cells): applies each finding as {@link #makeCrossings} would.
     */
    private void scanCells(int u, int h, int from, int to, Scratch sc, Part part) {
        if (part != null) part.clear();
        sc.ensureMark(vt.size);
        int[] mark = sc.mark;
        int bw = u >>> 6;
        long bit = 1L << (u & 63);
        // the signs come from the vertices' masks (bit set iff z > 0, resp. z < 0): a few bytes per vertex instead of
        // a row of the state, and the same decisions as comparing the stored values
        for (int c = from; c < to; c++) if ((cand[c * candWords + bw] & bit) != 0) scanCell(c, u, h, bw, bit, mark, sc, part);
    }

    /**
     * {@link #scanCells} on one candidate cell c (a method of its own, called per cell, so that the JIT compiles it
     * early and as a whole instead of on the stack of the loop over cells).
     */
    private void scanCell(int c, int u, int h, int bw, long bit, int[] mark, Scratch sc, Part part) {
        final long[] mk = masks;
        final int[] cv = cells.arena;
        final int mw = maskWords, first = cutFirst;
        int s0 = cells.start[c], n = cells.length[c];
        // one pass over the cell's masks: its signs, and a mark on each negative vertex, so that the test of an edge's
        // other end below (in the cell and negative) is one read of the mark instead of the mark and the vertex's masks
        int stamp = ++sc.stamp;
        long pos = 0, neg = 0;
        for (int i = s0; i < s0 + n; i++) {
            int v = cv[i], o = 2 * v * mw + bw;
            long q = mk[o + mw];
            pos |= mk[o];
            neg |= q;
            if ((q & bit) != 0) mark[v] = stamp;
        }
        if ((pos & neg & bit) == 0) return;
        IntList out = part == null ? null : part.entries;
        if (out == null) {
            splitCells.add(c);
            wStart.add(wList.size);
        } else part.cells.add(c);
        for (int i = s0; i < s0 + n; i++) {
            int p = cv[i];
            if (mark[p] == stamp) continue; // z < 0
            // z == 0 (not NaN, which like a positive value has its edges looked at, as before the masks)
            if ((mk[2 * p * mw + bw] & bit) == 0 && vt.z(p, u) == 0) {
                if (out == null) addIncidence(p, h);
                else { out.add(p); out.add(-1); }
                continue;
            }
            // (the adjacency array is read through the field: a split may grow it)
            for (int j = adjStart[p], e = j + adjLen[p]; j < e; j++) {
                int w = adj[j];
                if (w >= first) { // an edge that an earlier cell split (one thread only): in this cell if its other end is
                    if (mark[adj[adjStart[w] + 1]] == stamp) wList.add(w);
                } else if (mark[w] == stamp) { // the other end is a negative vertex of this cell
                    if (out == null) wList.add(split(u, h, p, j, w));
                    else { out.add(p); out.add(j); }
                }
            }
        }
        if (out != null) part.ends.add(out.size);
    }

    /**
     * Phase 3 of a cut for the s-th split cell (an index into {@link #splitCells}). With a part (the chunks, in
     * parallel): reads the complex only, and appends to the part the cell and to its entries the cut face's edges
     * (a count, then vertex pairs). Without (one thread): makes the face's edges, the halves and their candidates
     * at once, as {@link #makeHalves(int, long, int)} and the candidates' pass would.
     */
    private void splitHalf(int s, int bw, long bit, Scratch sc, Part part) {
        int c = splitCells.get(s);
        partition(c, s, bw, bit, sc);
        IntList face = sc.face;
        if (part != null) {
            IntList out = part.entries;
            part.cells.add(c);
            int at = out.size;
            out.add(0);
            int pairs = faceIncidences(face, sc) ? faceEdges(face, sc, out) : faceEdgesByLists(face, sc, out);
            out.data[at] = pairs; // after the appends, which may have moved out.data
            return;
        }
        IntList pairs = sc.pairs;
        pairs.clear();
        if (faceIncidences(face, sc)) faceEdges(face, sc, pairs);
        else faceEdgesByLists(face, sc, pairs);
        for (int t = 0; t < pairs.size; t += 2) edge(pairs.data[t], pairs.data[t + 1]);
        int c2 = makeHalves(c, sc);
        setCandidates(c);
        setCandidates(c2);
    }

    /**
     * The edges of a cut face (pairs a &lt; b in face order, appended to {@code out}; returns how many) by
     * {@link #faceEdge} on the vertices' incidence lists: the fallback of {@link #faceEdges} for a face on more than
     * 64 hyperplanes.
     */
    private int faceEdgesByLists(IntList face, Scratch sc, IntList out) {
        int pairs = 0;
        for (int a = 0; a < face.size; a++) {
            for (int b = a + 1; b < face.size; b++) {
                int va = face.get(a), vb = face.get(b);
                if (faceEdge(va, vb, face, sc)) {
                    out.add(va);
                    out.add(vb);
                    pairs++;
                }
            }
        }
        return pairs;
    }

    /**
     * Each vertex's incidence, for the face's vertices, as a bit set over the distinct hyperplanes of the face
     * ({@code sc.faceInc}); false when there are more than 64 of them. The face's vertices are distinct, so the
     * tests of {@link #faceEdge} become word operations: the shared hyperplanes an AND, their count a bit count,
     * "x lies on all of them" a masked compare.
     */
    private boolean faceIncidences(IntList face, Scratch sc) {
        int f = face.size;
        if (sc.faceInc.length < f) sc.faceInc = new long[Math.max(f, 2 * sc.faceInc.length)];
        final long[] fi = sc.faceInc;
        final int[] slot = sc.planeSlot, used = sc.usedPlanes, inc = this.inc;
        int nu = 0;
        boolean fits = true;
        faces:
        for (int k = 0; k < f; k++) {
            int x = face.get(k);
            long m = 0;
            for (int i = incStart[x], e = i + incLen[x]; i < e; i++) {
                int h = inc[i], b = slot[h];
                if (b < 0) {
                    if (nu == 64) { fits = false; break faces; }
                    slot[h] = b = nu;
                    used[nu++] = h;
                }
                m |= 1L << b;
            }
            fi[k] = m;
        }
        for (int i = 0; i < nu; i++) slot[used[i]] = -1;
        return fits;
    }

    /** {@link #faceEdgesByLists} on the bit sets of {@link #faceIncidences}: the same pairs in the same order. */
    private int faceEdges(IntList face, Scratch sc, IntList out) {
        final long[] fi = sc.faceInc;
        final int f = face.size;
        int pairs = 0;
        for (int a = 0; a < f; a++) {
            for (int b = a + 1; b < f; b++) {
                long common = fi[a] & fi[b];
                if (Long.bitCount(common) < d - 1) continue;
                boolean edge = true;
                for (int k = 0; k < f; k++) {
                    if (k != a && k != b && (fi[k] & common) == common) { edge = false; break; }
                }
                if (edge) {
                    out.add(face.get(a));
                    out.add(face.get(b));
                    pairs++;
                }
            }
        }
        return pairs;
    }

    /** A chunk's findings in one phase of a cut (reused from unit to unit). */
    private static final class Part {
        final IntList cells = new IntList(), entries = new IntList(), ends = new IntList();

        void clear() {
            cells.clear();
            entries.clear();
            ends.clear();
        }
    }

    /** One thread's scratch in the read-only phases of a cut. */
    private static final class Scratch {
        int[] mark = new int[0];
        int stamp;
        int[] common = new int[SCRATCH_PLANES];
        final IntList face = new IntList(), pairs = new IntList(), plus = new IntList(), minus = new IntList();
        /** per vertex of a cut face, its incidence as a bit set ({@link #faceIncidences}) */
        long[] faceInc = new long[SCRATCH_PLANES];
        /** per hyperplane id, its bit in {@link #faceInc} (-1: none), and the ids given one (64 at most) */
        final int[] planeSlot, usedPlanes = new int[64];

        Scratch(int planes) {
            planeSlot = new int[planes];
            Arrays.fill(planeSlot, -1);
        }

        void ensureMark(int n) {
            if (n > mark.length) mark = Arrays.copyOf(mark, Math.max(n, 3 * mark.length / 2));
        }
    }

    private interface ChunkBody {
        void run(int chunk, int from, int to, Scratch scratch);
    }

    private Part part(int k) {
        if (k >= parts.length) {
            int old = parts.length;
            parts = Arrays.copyOf(parts, Math.max(k + 1, 2 * old));
            for (int i = old; i < parts.length; i++) parts[i] = new Part();
        }
        return parts[k];
    }

    /**
     * Runs {@code body} on {@code chunks} equal ranges of [0, n): on the calling thread for one chunk, else on the
     * calling thread and {@code threads - 1} pool threads, which take the chunks in turn.
     */
    private void runChunks(int chunks, int n, ChunkBody body) {
        for (int k = 0; k < chunks; k++) part(k); // made here, not by the pool threads
        if (chunks <= 1) {
            body.run(0, 0, n, scratch[0]);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.IntConsumer worker = t -> {
            for (int k; (k = next.getAndIncrement()) < chunks; )
                body.run(k, (int) ((long) n * k / chunks), (int) ((long) n * (k + 1) / chunks), scratch[t]);
        };
        if (pool == null) pool = new ForkJoinPool(threads - 1);
        java.util.concurrent.Future<?>[] jobs = new java.util.concurrent.Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int slot = t;
            jobs[t - 1] = pool.submit(() -> worker.accept(slot));
        }
        worker.accept(0);
        // the chunks take milliseconds: an interrupt waits for them (the phase after reads all of them) and is
        // passed on to the check between units
        Futures.awaitAll(java.util.Arrays.asList(jobs));
    }

    /**
     * True when vertices a and b of the current cut face are an edge of it: they share at least d - 1 hyperplanes
     * and no other vertex of the face lies on all of them.
     */
    private boolean faceEdge(int a, int b, IntList face, Scratch sc) {
        int m = intersect(a, b, sc.common);
        if (m > sc.common.length) { sc.common = new int[2 * m]; intersect(a, b, sc.common); }
        if (m < d - 1) return false;
        for (int k = 0; k < face.size; k++) {
            int x = face.get(k);
            if (x == a || x == b) continue;
            if (contains(x, sc.common, m)) return false;
        }
        return true;
    }

    /** Whether vertex x's incidence holds all of {@code set[0..m)} (both ascending). */
    private boolean contains(int x, int[] set, int m) {
        int i = incStart[x], e = i + incLen[x];
        for (int k = 0; k < m; k++) {
            int h = set[k];
            while (i < e && inc[i] < h) i++;
            if (i == e || inc[i] != h) return false;
            i++;
        }
        return true;
    }

    /**
     * Writes the hyperplanes shared by a and b into {@code out} as far as it has room; returns how many there are
     * (more than its length: call again with a longer one).
     */
    private int intersect(int a, int b, int[] out) {
        int i = incStart[a], ie = i + incLen[a], j = incStart[b], je = j + incLen[b], m = 0;
        while (i < ie && j < je) {
            int x = inc[i], y = inc[j];
            if (x == y) {
                if (m < out.length) out[m] = x;
                m++;
                i++;
                j++;
            } else if (x < y) i++;
            else j++;
        }
        return m;
    }

    private boolean adjacent(int a, int b) {
        for (int j = adjStart[a], e = j + adjLen[a]; j < e; j++) if (adj[j] == b) return true;
        return false;
    }

    private void replaceNeighbour(int v, int old, int now) {
        for (int j = adjStart[v], e = j + adjLen[v]; j < e; j++) {
            if (adj[j] == old) { adj[j] = now; return; }
        }
        throw new IllegalStateException("edge " + v + "-" + old + " is not in the adjacency lists");
    }

    private void addNeighbour(int v, int w) {
        if (adjLen[v] == adjCap[v]) { // move the list to the end of the arena with twice the room
            int cap = 2 * adjCap[v];
            int start = adjTop;
            adjTop = growAdj(adjTop + cap);
            System.arraycopy(adj, adjStart[v], adj, start, adjLen[v]);
            adjStart[v] = start;
            adjCap[v] = cap;
        }
        adj[adjStart[v] + adjLen[v]++] = w;
    }

    private int growAdj(int top) {
        if (top > adj.length) {
            int cap = Math.max(top, 2 * adj.length);
            adj = Arrays.copyOf(adj, cap);
        }
        return top;
    }

    private void setIncidence(int v, int[] ids, int n) {
        if (incTop + n > inc.length) inc = Arrays.copyOf(inc, Math.max(incTop + n, 2 * inc.length));
        System.arraycopy(ids, 0, inc, incTop, n);
        incStart[v] = incTop;
        incLen[v] = n;
        incTop += n;
    }

    /** Records that vertex v (snapped to 0 for the unit being cut) lies on hyperplane h (the largest id so far). */
    private void addIncidence(int v, int h) {
        int n = incLen[v];
        if (n > 0 && inc[incStart[v] + n - 1] == h) return;
        if (incTop + n + 1 > inc.length) inc = Arrays.copyOf(inc, Math.max(incTop + n + 1, 2 * inc.length));
        System.arraycopy(inc, incStart[v], inc, incTop, n);
        inc[incTop + n] = h;
        incStart[v] = incTop;
        incLen[v] = n + 1;
        incTop += n + 1;
    }

    private void ensureVertexArrays(int n) {
        if (n <= incStart.length) return;
        int cap = Math.max(n, 2 * incStart.length);
        incStart = Arrays.copyOf(incStart, cap);
        incLen = Arrays.copyOf(incLen, cap);
        adjStart = Arrays.copyOf(adjStart, cap);
        adjLen = Arrays.copyOf(adjLen, cap);
        adjCap = Arrays.copyOf(adjCap, cap);
    }

    private int addCell(int[] verts, int n) { return addCell(verts, 0, n); }

    private int addCell(int[] verts, int off, int n) {
        int next = cells.count + 1;
        if (words > 0 && next * words > bits.length) bits = Arrays.copyOf(bits, Math.max(next * words, 2 * bits.length));
        if (candWords > 0 && next * candWords > cand.length) cand = Arrays.copyOf(cand, Math.max(next * candWords, 2 * cand.length));
        return cells.add(verts, off, n);
    }

    private void setCell(int c, int[] verts, int off, int n) { cells.set(c, verts, off, n); }

    // =============================================================================================================
    // Region records
    // =============================================================================================================

    /**
     * One chunk of cells' region records before the neighbours are known, in flat arrays (concatenated in chunk
     * order, so the result does not depend on the threads): per cell its centre, inradius, volume and facet count
     * (the output maps are made on first use, by {@link OutputMaps}); per facet its unit normal, offset, point (vertex centroid), row unit ({@code -1 - j} on box row j),
     * units, and the hash of its vertex set (-1 on the box).
     */
    private final class Chunk {
        final int from, to;
        final double[] centre, inradius, volume;
        final int[] facets;
        double[] fa, fb, points;
        int[] rowUnit, uCount, units;
        long[] hash;
        int nf, nu;
        boolean stopped;
        // scratch, reused from cell to cell
        final Fit fit = new Fit(d, 0);
        /** facetMeasure's angles and order of a facet's vertices */
        double[] ang = new double[SCRATCH_VERTICES];
        int[] ord = new int[SCRATCH_VERTICES];
        /** facetMeasure's differences of a facet's vertices from its point, 3 per vertex (d = 3) */
        double[] rel = new double[3 * SCRATCH_VERTICES];
        double[] verts = new double[SCRATCH_VERTICES * d];
        /** the current cell's vertices' terms of a facet's vertex-set hashes ({@link #facet}), by index in the cell */
        long[] vertexHash1 = new long[SCRATCH_VERTICES], vertexHash2 = new long[SCRATCH_VERTICES];
        int[] hyper = new int[SCRATCH_PLANES], on = new int[SCRATCH_VERTICES], facetIdx = new int[SCRATCH_PLANES],
                cands = new int[SCRATCH_PLANES], candCount = new int[SCRATCH_PLANES];
        long[] masks = new long[SCRATCH_PLANES];
        /** hyperplane id -> its index among the current cell's hyperplanes, -1 when not met (reset after each cell) */
        final int[] slotOf = new int[2 * d + net.cuttingUnits()];
        double[] normal, point, cen;
        /** the current cell's pattern and composed rows, made only where a vertex fit is ill-conditioned (else null) */
        ActivationPattern pattern;
        PatternRows rows;
        /** the measure of the facet {@link #facet} made last (d = 2, 3) */
        double cone;

        Chunk(int from, int to) {
            this.from = from;
            this.to = to;
            int n = to - from;
            centre = new double[n * d];
            inradius = new double[n];
            volume = new double[n];
            facets = new int[n];
            int cap = 8 * n + 16;
            fa = new double[cap * d];
            fb = new double[cap];
            points = new double[cap * d];
            rowUnit = new int[cap];
            uCount = new int[cap];
            hash = new long[cap];
            units = new int[cap];
            normal = new double[d];
            point = new double[d];
            cen = new double[d];
            Arrays.fill(slotOf, -1);
        }

        void run(Cells cells) {
            for (int c = from; c < to; c++) {
                // the clock every 64 cells (a few microseconds each), not every cell
                if (((c - from) & 63) == 0 && System.nanoTime() > deadline) { stopped = true; return; }
                draft(cells, c);
            }
        }

        private void growFacets(int need) {
            if (need <= fb.length) return;
            int cap = Math.max(need, 2 * fb.length);
            fa = Arrays.copyOf(fa, cap * d);
            fb = Arrays.copyOf(fb, cap);
            points = Arrays.copyOf(points, cap * d);
            rowUnit = Arrays.copyOf(rowUnit, cap);
            uCount = Arrays.copyOf(uCount, cap);
            hash = Arrays.copyOf(hash, cap);
        }

        /** One cell's record (facets without neighbours yet) and the hashes of its facets' vertex sets. */
        private void draft(Cells cells, int c) {
            int[] cvs = cells.cellVertices();
            int s0 = cells.cellStart()[c], n = cells.cellStart()[c + 1] - s0;
            int w = (n + 63) / 64;
            int li = c - from;
            int nh = hyperplanes(cvs, s0, n, w);
            // facets: the maximal proper vertex sets of hyperplanes (facetsOf on the flat masks, same order); equal
            // sets are one facet of several hyperplanes
            int nf = facetMasks(nh, n, w);
            if (verts.length < n * d) verts = new double[Math.max(n * d, 2 * verts.length)];
            if (on.length < n) on = new int[Math.max(n, 2 * on.length)];
            double[] coords = cells.coords();
            if (vertexHash1.length < n) { vertexHash1 = new long[2 * n]; vertexHash2 = new long[2 * n]; }
            for (int i = 0; i < n; i++) {
                int vid = cvs[s0 + i];
                vertexHash1[i] = mix(vid + 0x9E3779B97F4A7C15L);
                vertexHash2[i] = mix(vid * 0xC2B2AE3D27D4EB4FL + 1);
            }
            if (d == 3) { // coordinates and centroid in one pass (three doubles: an arraycopy call costs more than the copy)
                double c0 = 0, c1 = 0, c2 = 0;
                for (int i = 0; i < n; i++) {
                    int o = cvs[s0 + i] * 3;
                    double x0 = coords[o], x1 = coords[o + 1], x2 = coords[o + 2];
                    verts[3 * i] = x0;
                    verts[3 * i + 1] = x1;
                    verts[3 * i + 2] = x2;
                    c0 += x0;
                    c1 += x1;
                    c2 += x2;
                }
                cen[0] = c0 / n;
                cen[1] = c1 / n;
                cen[2] = c2 / n;
            } else {
                for (int i = 0; i < n; i++) System.arraycopy(coords, cvs[s0 + i] * d, verts, i * d, d);
                Arrays.fill(cen, 0);
                for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) cen[k] += verts[i * d + k];
                for (int k = 0; k < d; k++) cen[k] /= n;
            }
            System.arraycopy(cen, 0, centre, li * d, d);
            pattern = null; // made only where a facet's vertex fit is ill-conditioned
            rows = null;
            double rad = Double.POSITIVE_INFINITY;
            double vol = 0;
            if (d > 3) {
                long[] full = new long[w];
                for (int i = 0; i < n; i++) full[i >>> 6] |= 1L << (i & 63);
                long[][] ms = new long[nh][];
                for (int k = 0; k < nh; k++) ms[k] = Arrays.copyOfRange(masks, k * w, k * w + w);
                vol = SubdivisionEnumerator.volume(verts, n, full, ms, d);
            }
            growFacets(this.nf + nf);
            for (int q = 0; q < nf; q++) {
                double dist = facet(cells, c, cvs, s0, n, w, nh, facetIdx[q], this.nf + q);
                rad = Math.min(rad, dist);
                // d = 2, 3: the cone from the centroid over each facet, height x facet measure / d
                if (d == 2 || d == 3) vol += dist * cone / d;
            }
            this.nf += nf;
            facets[li] = nf;
            inradius[li] = rad;
            volume[li] = vol;
        }

        /**
         * The hyperplanes met by the cell's vertices {@code cvs[s0 .. s0 + n)} into {@code hyper} (in order of first
         * meeting), each with the set of vertices on it ({@code masks}, w words each); returns how many.
         * (The parts of {@link #draft} are separate methods so that the JIT compiles each soon and quickly: one
         * method of 2,000 bytecodes was compiled late and several times over, on the stack, in a short run.)
         */
        private int hyperplanes(int[] cvs, int s0, int n, int w) {
            int nh = 0;
            for (int i = 0; i < n; i++) {
                int v = cvs[s0 + i];
                for (int j = incStart[v], e = j + incLen[v]; j < e; j++) {
                    int h = inc[j];
                    int k = slotOf[h];
                    if (k < 0) {
                        k = nh;
                        if (nh == hyper.length) hyper = Arrays.copyOf(hyper, 2 * nh);
                        if ((nh + 1) * w > masks.length) masks = Arrays.copyOf(masks, Math.max((nh + 1) * w, 2 * masks.length));
                        hyper[nh] = h;
                        slotOf[h] = nh;
                        for (int x = nh * w; x < nh * w + w; x++) masks[x] = 0; // (not Arrays.fill: a call per hyperplane)
                        nh++;
                    }
                    masks[k * w + (i >>> 6)] |= 1L << (i & 63);
                }
            }
            for (int k = 0; k < nh; k++) slotOf[hyper[k]] = -1;
            return nh;
        }

        /**
         * Facet g of cell c, on the vertices of hyperplane slot {@code fk}: its units, point, unit normal, offset and
         * vertex-set hash; returns the distance from the cell's centroid to it, and leaves its measure in
         * {@link #cone} (d = 2, 3).
         */
        private double facet(Cells cells, int c, int[] cvs, int s0, int n, int w, int nh, int fk, int g) {
            int box = -1, u0 = nu;
            long only = masks[fk * w]; // w = 1 (up to 64 vertices): a hyperplane of the facet has this one word
            for (int k = 0; k < nh; k++) {
                if (w == 1 ? masks[k] != only : !sameMask(k, fk, w)) continue;
                if (hyper[k] < 2 * d) { if (box < 0) box = hyper[k]; }
                else {
                    if (nu == units.length) units = Arrays.copyOf(units, 2 * nu);
                    units[nu++] = hyper[k] - 2 * d;
                }
            }
            sortSmall(units, u0, nu);
            uCount[g] = nu - u0;
            // the facet's vertices (ascending, by the set bits of its mask) and its key: two order-independent 64-bit
            // hashes of their ids (a set hash, no sorting; each vertex's two terms made once per cell, by draft)
            int cnt = 0;
            long h1 = 0, h2 = 0;
            for (int x = 0; x < w; x++)
                for (long bitsLeft = masks[fk * w + x]; bitsLeft != 0; bitsLeft &= bitsLeft - 1) {
                    int i = (x << 6) + Long.numberOfTrailingZeros(bitsLeft);
                    on[cnt++] = i;
                    h1 += vertexHash1[i];
                    h2 ^= vertexHash2[i];
                }
            facetPoint(cnt);
            double offset;
            if (box >= 0) { // the box's own row
                Arrays.fill(normal, 0);
                normal[box / 2] = box % 2 == 0 ? 1 : -1;
                offset = domain.b()[box];
                rowUnit[g] = -1 - box;
            } else {
                rowUnit[g] = units[u0];
                facetNormal(cells, c, cnt, u0);
                offset = 0;
                for (int j = 0; j < d; j++) offset += normal[j] * point[j];
            }
            System.arraycopy(normal, 0, fa, g * d, d);
            fb[g] = offset;
            hash[g] = box >= 0 ? -1 : (h1 ^ Long.rotateLeft(h2, 17)) & Long.MAX_VALUE;
            double dist = offset;
            for (int j = 0; j < d; j++) dist -= normal[j] * cen[j];
            System.arraycopy(point, 0, points, g * d, d);
            if (d == 3 && ang.length < cnt) { ang = new double[2 * cnt]; ord = new int[2 * cnt]; rel = new double[6 * cnt]; }
            cone = d == 2 || d == 3 ? facetMeasure(verts, on, cnt, point, normal, ang, ord, rel) : 0;
            return dist;
        }

        /**
         * {@link #point}: the vertex centroid of the facet's vertices {@code on[0, cnt)} (summed in that order from 0,
         * then divided by cnt; d = 3 written out, the same operations).
         */
        private void facetPoint(int cnt) {
            if (d == 3) {
                double p0 = 0, p1 = 0, p2 = 0;
                for (int t = 0; t < cnt; t++) {
                    int o = on[t] * 3;
                    p0 += verts[o];
                    p1 += verts[o + 1];
                    p2 += verts[o + 2];
                }
                point[0] = p0 / cnt;
                point[1] = p1 / cnt;
                point[2] = p2 / cnt;
                return;
            }
            Arrays.fill(point, 0);
            for (int t = 0; t < cnt; t++) for (int k = 0; k < d; k++) point[k] += verts[on[t] * d + k];
            for (int k = 0; k < d; k++) point[k] /= cnt;
        }

        /**
         * The unit normal of a unit's facet (its vertices {@code on[0, cnt)}, its first unit {@code units[u0]}) into
         * {@link #normal}, pointing away from the centroid {@link #cen}: through d of its vertices when they span
         * enough ({@link Fit#span}): the coordinate axis least inside their span, with that span projected out; else
         * (a thin facet) the first unit's composed row, pointing out of the region (as RegionBuilder).
         * <p>One method with both cases, apart from {@link #facet}: thin facets are rare, so a JIT that compiled
         * facet before meeting one dropped that case from it, and the first thin facet sent all of facet back to
         * the interpreter to be compiled again (a second of compilation in a short run on two loaded cores). A
         * method this size is not inlined into facet, so only it is recompiled.
         */
        private void facetNormal(Cells cells, int c, int cnt, int u0) {
            final double[] out = normal, q = fit.q;
            boolean fitted = fit.span(verts, on, cnt, d - 1, diameter);
            if (fitted && d == 3) {
                // d = 3 written out (k = 2 directions), the same operations in the same order as the loops below: after
                // the thin case's first trap this method runs in the interpreter for a while, and without loops on its
                // path the JIT compiles it again once, normally, instead of on the stack at each loop as well
                double q00 = q[0], q01 = q[1], q02 = q[2], q10 = q[3], q11 = q[4], q12 = q[5];
                double s0 = 0, s1 = 0, s2 = 0;
                s0 += q00 * q00;
                s0 += q10 * q10;
                s1 += q01 * q01;
                s1 += q11 * q11;
                s2 += q02 * q02;
                s2 += q12 * q12;
                int axis = 0;
                double least = Double.POSITIVE_INFINITY;
                if (s0 < least) { least = s0; axis = 0; }
                if (s1 < least) { least = s1; axis = 1; }
                if (s2 < least) axis = 2;
                double o0 = axis == 0 ? 1 : 0, o1 = axis == 1 ? 1 : 0, o2 = axis == 2 ? 1 : 0;
                double t = q[axis];
                o0 -= t * q00;
                o1 -= t * q01;
                o2 -= t * q02;
                t = q[3 + axis];
                o0 -= t * q10;
                o1 -= t * q11;
                o2 -= t * q12;
                double len = 0, side = 0;
                int v0 = on[0] * 3;
                len += o0 * o0;
                len += o1 * o1;
                len += o2 * o2;
                len = Math.sqrt(len);
                o0 /= len;
                side += o0 * (cen[0] - verts[v0]);
                o1 /= len;
                side += o1 * (cen[1] - verts[v0 + 1]);
                o2 /= len;
                side += o2 * (cen[2] - verts[v0 + 2]);
                if (side > 0) { o0 = -o0; o1 = -o1; o2 = -o2; }
                out[0] = o0;
                out[1] = o1;
                out[2] = o2;
            } else if (fitted) {
                final int k = fit.k;
                int axis = 0;
                double least = Double.POSITIVE_INFINITY;
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int i = 0; i < k; i++) s += q[i * d + j] * q[i * d + j];
                    if (s < least) { least = s; axis = j; }
                }
                Arrays.fill(out, 0);
                out[axis] = 1;
                for (int i = 0; i < k; i++) {
                    double s = q[i * d + axis];
                    for (int m = 0; m < d; m++) out[m] -= s * q[i * d + m];
                }
                double len = 0, side = 0;
                int v0 = on[0];
                for (int m = 0; m < d; m++) len += out[m] * out[m];
                len = Math.sqrt(len);
                for (int m = 0; m < d; m++) {
                    out[m] /= len;
                    side += out[m] * (cen[m] - verts[v0 * d + m]);
                }
                if (side > 0) for (int m = 0; m < d; m++) out[m] = -out[m];
            } else {
                if (pattern == null) pattern = cells.pattern(c);
                if (rows == null) rows = PatternRows.of(net, pattern, null);
                int k = units[u0];
                double norm = rows.norm(k);
                double sign = pattern.get(k) ? -1 : 1;
                for (int j = 0; j < d; j++) out[j] = norm == 0 ? 0 : sign * rows.a(k, j) / norm;
            }
        }

        /**
         * Sorts a[from, to) ascending: a facet's units, nearly always one or two (Arrays.sort's set-up costs more
         * than the sort, and in a cold JVM it runs interpreted for a while). The same result: ints have one order.
         */
        private static void sortSmall(int[] a, int from, int to) {
            for (int i = from + 1; i < to; i++) {
                int x = a[i], j = i;
                for (; j > from && a[j - 1] > x; j--) a[j] = a[j - 1];
                a[j] = x;
            }
        }

        private boolean sameMask(int a, int b, int w) {
            for (int i = 0; i < w; i++) if (masks[a * w + i] != masks[b * w + i]) return false;
            return true;
        }

        private boolean subsetMask(int a, int b, int w) {
            for (int i = 0; i < w; i++) if ((masks[a * w + i] & ~masks[b * w + i]) != 0) return false;
            return true;
        }

        /**
         * {@link #facetsOf} of the whole cell on the flat masks: the hyperplanes (first of each distinct vertex set)
         * whose vertex set is a proper subset with at least d vertices and in no other such set, into
         * {@code facetIdx}, in hyperplane order; returns how many.
         */
        private int facetMasks(int nh, int n, int w) {
            if (cands.length < nh) { cands = new int[Math.max(nh, 2 * cands.length)]; candCount = new int[cands.length]; }
            int nc = 0;
            for (int k = 0; k < nh; k++) {
                int cnt = 0;
                for (int i = 0; i < w; i++) cnt += Long.bitCount(masks[k * w + i]);
                if (cnt >= n || cnt < d) continue; // not proper (every vertex) or too small for a facet
                boolean dup = false;
                for (int q = 0; q < nc && !dup; q++) dup = candCount[q] == cnt && sameMask(cands[q], k, w);
                if (!dup) { candCount[nc] = cnt; cands[nc++] = k; }
            }
            if (facetIdx.length < nc) facetIdx = new int[Math.max(nc, 2 * facetIdx.length)];
            int nf = 0;
            // a distinct set is inside another only if that one has more vertices: the others are not compared
            for (int q = 0; q < nc; q++) {
                boolean maximal = true;
                for (int o = 0; o < nc && maximal; o++)
                    if (candCount[o] > candCount[q] && subsetMask(cands[q], cands[o], w)) maximal = false;
                if (maximal) facetIdx[nf++] = cands[q];
            }
            return nf;
        }
    }

    /**
     * The regions' output maps, made on first use (a region's record, {@link RegionStore#samePiece}): the count,
     * patterns, volumes, facets and neighbours of a region set do not need them, and fitting them is about a third of
     * the records' work. Each map is made exactly as the records made it before (the same operations on the same
     * values, so the same bits): fitted through d + 1 well-spread vertices of the cell, or, where those are too
     * close to a lower-dimensional flat, composed from the cell's pattern. In chunks on {@code threads} threads.
     */
    static final class OutputMaps implements java.util.function.Supplier<double[]> {
        private final Network net;
        private final int d, threads;
        private final double diameter;
        private final Cells cells;
        private final int[] cellOf;

        OutputMaps(Network net, int d, double diameter, int threads, Cells cells, int[] cellOf) {
            this.net = net;
            this.d = d;
            this.diameter = diameter;
            this.threads = threads;
            this.cells = cells;
            this.cellOf = cellOf;
        }

        /** Every region's map, cell-indexed: the m x d matrix (row-major), then the m offsets (slivers' left 0). */
        @Override
        public double[] get() {
            int m = cells.outputDim(), ml = m * (d + 1), n = cellOf.length;
            double[] map = new double[cells.count() * ml];
            int chunk = Math.max(256, n / (8 * threads) + 1), chunks = (n + chunk - 1) / chunk;
            IntConsumer part = k -> {
                Fit fit = new Fit(d, m);
                double[] verts = new double[SCRATCH_VERTICES * d];
                int[] all = new int[SCRATCH_VERTICES];
                for (int r = k * chunk, e = Math.min(n, r + chunk); r < e; r++) {
                    int c = cellOf[r], s0 = cells.cellStart()[c], nv = cells.cellStart()[c + 1] - s0;
                    if (verts.length < nv * d) verts = new double[Math.max(nv * d, 2 * verts.length)];
                    if (all.length < nv) all = new int[Math.max(nv, 2 * all.length)];
                    int[] cvs = cells.cellVertices();
                    double[] coords = cells.coords();
                    if (d == 3) // (three doubles: an arraycopy call costs more than the copy)
                        for (int i = 0; i < nv; i++) {
                            int o = cvs[s0 + i] * 3;
                            verts[3 * i] = coords[o];
                            verts[3 * i + 1] = coords[o + 1];
                            verts[3 * i + 2] = coords[o + 2];
                        }
                    else for (int i = 0; i < nv; i++) System.arraycopy(coords, cvs[s0 + i] * d, verts, i * d, d);
                    for (int i = 0; i < nv; i++) all[i] = i;
                    if (!(fit.span(verts, all, nv, d, diameter) && fit.map(verts, cvs, s0, cells.outputs(), m, map, c * ml))) {
                        AffineMap output = PatternRows.of(net, cells.pattern(c), null).output();
                        for (int o = 0; o < m; o++) {
                            for (int j = 0; j < d; j++) map[c * ml + o * d + j] = output.coefficient(o, j);
                            map[c * ml + m * d + o] = output.offset(o);
                        }
                    }
                }
            };
            if (threads == 1 || chunks < 2) {
                for (int k = 0; k < chunks; k++) part.accept(k);
                return map;
            }
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(part)).get();
            } catch (InterruptedException e) {
                // a getter does not fail on an interrupt: the rest on this thread (chunks a pool thread is still
                // making get the same values twice), and the flag is kept for the caller
                Thread.currentThread().interrupt();
                for (int k = 0; k < chunks; k++) part.accept(k);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
            return map;
        }
    }

    private RegionSet build(Cells cells) {
        long t0 = System.nanoTime();
        double domainVolume = domain.boxVolume();
        if (cells.stop() != RegionSet.Stop.FINISHED)
            return new RegionSet(d, domain, List.of(), false, cells.stop(), 0, 0, 0, Double.NaN, domainVolume, 0,
                    cells.seconds(), 1, SOLVER);
        int n = cells.count();
        int m = cells.outputDim();
        int chunk = Math.max(256, n / (8 * threads) + 1);
        int nChunks = (n + chunk - 1) / chunk;
        Chunk[] parts = new Chunk[nChunks];
        Flat flat;
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            forEach(pool, nChunks, k -> {
                Chunk part = new Chunk(k * chunk, Math.min(n, (k + 1) * chunk));
                part.run(cells);
                parts[k] = part;
            });
            boolean missing = false;
            for (Chunk part : parts) missing |= part.stopped;
            if (missing) // the time ran out: stopped like the subdivision
                return new RegionSet(d, domain, List.of(), false, RegionSet.Stop.TIME_LIMIT, 0, 0, 0, Double.NaN,
                        domainVolume, 0, cells.seconds() + (System.nanoTime() - t0) / 1e9, threads, SOLVER);
            flat = concatenate(pool, parts, n);
            // match interior facets by their vertex sets: each must be shared by exactly two regions (in two halves
            // of the hashes, one per thread, when there are two: a set's facets are all in one half)
            int halves = threads > 1 && flat.nf >= minParallelMatch ? 2 : 1;
            int[] unresolvedHalves = new int[halves];
            forEach(pool, halves, half -> unresolvedHalves[half] = matchFacets(flat.hash, flat.partner, half, halves));
            for (int u : unresolvedHalves) flat.unresolved += u;
            flat.hash = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RegionSet(d, domain, List.of(), false, RegionSet.Stop.INTERRUPTED, 0, 0, 0, Double.NaN,
                    domainVolume, 0, cells.seconds(), threads, SOLVER);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        int nf = flat.nf;
        int[] first = flat.first, partner = flat.partner, regionOf = flat.regionOf, rowUnit = flat.rowUnit;
        double[] centre = flat.centre, inradius = flat.inradius, volume = flat.volume, fa = flat.fa, fb = flat.fb;
        // slivers: a cell whose Chebyshev radius is not above sideEps x diameter is not reported (the LP engine's
        // rule); the centroid's distance to the nearest facet bounds that radius from below, so only cells where
        // it is that small get an LP. Facets towards a sliver are thin (no neighbour, not held against completeness).
        double eps = tol.sideEps() * diameter;
        int[] newId = new int[n];
        long[] lpCount = new long[1];
        int kept = newIds(n, eps, first, fa, fb, centre, inradius, newId, lpCount);
        long lps = lpCount[0];
        int unresolved = flat.unresolved;
        int[] cellOf = new int[kept];
        int[] neighbour = new int[nf];
        boolean[] thinFacet = new boolean[nf];
        double[] sums = new double[2]; // the kept regions' volume, the thin facets
        neighbours(n, first, newId, rowUnit, partner, regionOf, volume, cellOf, neighbour, thinFacet, sums);
        double volumeSum = sums[0];
        int thin = (int) sums[1];
        RegionStore store = new RegionStore(d, m, cells.patternLength(), cells.patternWords(), cellOf, cells.cellStart(),
                cells.cellVertices(), cells.coords(), centre, inradius, volume, new OutputMaps(net, d, diameter, threads, cells, cellOf), first, fa, fb, flat.points, rowUnit, neighbour,
                thinFacet, flat.uStart, flat.units);
        // the incidences were read by the records only
        inc = null;
        incStart = incLen = null;
        boolean complete = unresolved == 0 && Math.abs(volumeSum - domainVolume) <= RegionSet.VOLUME_CHECK * domainVolume;
        return new RegionSet(d, domain, store, complete, RegionSet.Stop.FINISHED, 0, unresolved, thin, volumeSum,
                domainVolume, lps, cells.seconds() + (System.nanoTime() - t0) / 1e9, threads, SOLVER);
    }

    /**
     * The chunks' records concatenated in cell order (so the result does not depend on the threads), with each
     * facet's cell ({@code regionOf}) and its partner still unknown ({@code partner} all -1).
     */
    private static final class Flat {
        final int nf;
        final int[] first, rowUnit, uStart, units, regionOf, partner;
        final double[] centre, inradius, volume, fa, fb, points;
        /** the facets' vertex-set hashes (-1 on the box); dropped once matched */
        long[] hash;
        /** interior facets matched more than twice or not at all (counted by {@link #matchFacets}) */
        int unresolved;

        Flat(int d, int n, int nf, int[] first, int totalUnits) {
            this.nf = nf;
            this.first = first;
            centre = new double[n * d];
            inradius = new double[n];
            volume = new double[n];
            fa = new double[nf * d];
            fb = new double[nf];
            points = new double[nf * d];
            rowUnit = new int[nf];
            uStart = new int[nf + 1];
            units = new int[totalUnits];
            regionOf = new int[nf];
            partner = new int[nf];
            hash = new long[nf];
        }
    }

    /**
     * {@link Flat} from the chunks: the offsets in order on this thread, then each chunk's arrays copied into place
     * (disjoint ranges, one task per chunk).
     */
    private Flat concatenate(ForkJoinPool pool, Chunk[] parts, int n) throws InterruptedException, ExecutionException {
        int[] first = new int[n + 1];
        int[] unitsBefore = new int[parts.length + 1];
        for (int k = 0; k < parts.length; k++) {
            prefix(parts[k].facets, parts[k].to - parts[k].from, first, parts[k].from);
            unitsBefore[k + 1] = unitsBefore[k] + parts[k].nu;
        }
        Flat flat = new Flat(d, n, first[n], first, unitsBefore[parts.length]);
        flat.uStart[flat.nf] = unitsBefore[parts.length];
        forEach(pool, parts.length, k -> {
            Chunk part = parts[k];
            parts[k] = null;
            int c0 = part.from, cn = part.to - part.from, g0 = first[c0], gn = part.nf;
            System.arraycopy(part.centre, 0, flat.centre, c0 * d, cn * d);
            System.arraycopy(part.inradius, 0, flat.inradius, c0, cn);
            System.arraycopy(part.volume, 0, flat.volume, c0, cn);
            System.arraycopy(part.fa, 0, flat.fa, g0 * d, gn * d);
            System.arraycopy(part.fb, 0, flat.fb, g0, gn);
            System.arraycopy(part.points, 0, flat.points, g0 * d, gn * d);
            System.arraycopy(part.rowUnit, 0, flat.rowUnit, g0, gn);
            System.arraycopy(part.hash, 0, flat.hash, g0, gn);
            System.arraycopy(part.units, 0, flat.units, unitsBefore[k], part.nu);
            facetRanges(part, g0, unitsBefore[k], first, flat);
        });
        return flat;
    }

    /**
     * A chunk's facets' unit ranges (uStart, from {@code u0}), cells (regionOf) and partners (-1: not matched yet),
     * from global facet {@code g0} on.
     */
    private static void facetRanges(Chunk part, int g0, int u0, int[] first, Flat flat) {
        int run = u0;
        for (int i = 0; i < part.nf; i++) {
            flat.uStart[g0 + i] = run;
            run += part.uCount[i];
            flat.partner[g0 + i] = -1;
        }
        for (int c = part.from; c < part.to; c++) for (int g = first[c]; g < first[c + 1]; g++) flat.regionOf[g] = c;
    }

    /** to[at + i + 1] = to[at + i] + counts[i] for i in [0, n): the running sums after to[at]. */
    private static void prefix(int[] counts, int n, int[] to, int at) {
        for (int i = 0; i < n; i++) to[at + i + 1] = to[at + i] + counts[i];
    }

    /**
     * Matches the interior facets of one half of the hashes (bit 62 of the hash is {@code half}; all of them when
     * {@code halves} is 1) by their vertex sets (hash &lt; 0: on the box): partner[g] is the other facet with g's
     * set, left -1 when none; in facet order, as one pass over all facets with one map would. Returns how many of
     * its interior facets found their set already matched twice (a third region on one facet: not a face-to-face
     * complex) or no partner.
     */
    private static int matchFacets(long[] hash, int[] partner, int half, int halves) {
        int nf = hash.length, mine = 0;
        for (int g = 0; g < nf; g++) if (hash[g] >= 0 && (halves == 1 || (int) (hash[g] >>> 62) == half)) mine++;
        // open addressing, at most half full; a key is found or placed by one probe sequence
        int cap = Integer.highestOneBit(Math.max(1024, 2 * mine - 1)) << 1, mask = cap - 1;
        long[] keys = new long[cap];
        int[] firstWith = new int[cap]; // the first facet with the key in the same slot
        Arrays.fill(keys, -1);
        int unresolved = 0;
        for (int g = 0; g < nf; g++) {
            long h = hash[g];
            if (h < 0 || (halves != 1 && (int) (h >>> 62) != half)) continue; // on the box, or the other half's
            long z = h * 0x9E3779B97F4A7C15L;
            int i = (int) (z ^ (z >>> 29)) & mask;
            while (keys[i] != -1 && keys[i] != h) i = (i + 1) & mask;
            if (keys[i] == -1) { keys[i] = h; firstWith[i] = g; continue; }
            int o = firstWith[i];
            if (partner[o] < 0) { partner[o] = g; partner[g] = o; }
            else unresolved++;
        }
        for (int g = 0; g < nf; g++) // interior facets left without a partner
            if (hash[g] >= 0 && (halves == 1 || (int) (hash[g] >>> 62) == half) && partner[g] < 0) unresolved++;
        return unresolved;
    }

    /**
     * Region ids of the cells in cell order, -1 for a sliver: a cell whose Chebyshev radius is not above eps (one LP,
     * counted in lpCount[0], for each cell whose centroid is that close to a facet); returns the regions kept.
     */
    private int newIds(int n, double eps, int[] first, double[] fa, double[] fb, double[] centre, double[] inradius,
                       int[] newId, long[] lpCount) {
        int kept = 0;
        for (int c = 0; c < n; c++) {
            boolean sliver = false;
            if (!(inradius[c] > eps)) {
                int f0 = first[c], f1 = first[c + 1];
                ChebyshevBall ball = Chebyshev.of(new HPolytope(d, f1 - f0, Arrays.copyOfRange(fa, f0 * d, f1 * d),
                        Arrays.copyOfRange(fb, f0, f1)), Arrays.copyOfRange(centre, c * d, c * d + d), LpSolver.defaultSolver());
                lpCount[0]++;
                sliver = !(ball.radius() > eps);
            }
            newId[c] = sliver ? -1 : kept++;
        }
        return kept;
    }

    /**
     * The kept regions' cells (cellOf) and their facets' neighbours (region ids; -1 on the box, unmatched, or
     * towards a sliver, the latter marked thin); sums[0] = the kept volumes' sum (in cell order), sums[1] = the thin facets.
     */
    private static void neighbours(int n, int[] first, int[] newId, int[] rowUnit, int[] partner, int[] regionOf, double[] volume,
                                   int[] cellOf, int[] neighbour, boolean[] thinFacet, double[] sums) {
        double volumeSum = 0;
        int thin = 0;
        for (int c = 0; c < n; c++) {
            if (newId[c] < 0) continue; // a sliver
            cellOf[newId[c]] = c;
            for (int g = first[c]; g < first[c + 1]; g++) {
                int p = rowUnit[g] < 0 ? -1 : partner[g];
                int nb = p < 0 ? -1 : regionOf[p];
                if (nb >= 0 && newId[nb] < 0) { thinFacet[g] = true; thin++; nb = -1; }
                neighbour[g] = nb < 0 ? -1 : newId[nb];
            }
            volumeSum += volume[c];
        }
        sums[0] = volumeSum;
        sums[1] = thin;
    }

    /**
     * Runs {@code body} for 0..n-1 on the pool, or on the calling thread with one thread or one item (a small
     * net's records cost less than the fork-join start).
     */
    private void forEach(ForkJoinPool pool, int n, java.util.function.IntConsumer body) throws InterruptedException, ExecutionException {
        if (threads == 1 || n < 2) {
            for (int c = 0; c < n; c++) body.accept(c);
            return;
        }
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
    }

    /**
     * The largest input dimension taken: the box starts as 2^d corners and every cell of a d-dimensional complex
     * has at least d + 1 vertices, so beyond about a dozen inputs the complex, not the network, is the cost.
     */
    public static final int MAX_DIM = 12;

    /**
     * Parallel phases of a cut: from this many cells (the scan), resp. cells to split (the halves). Measured on 2
     * cores: below some ten thousand cells (a 3 -> [16]x3 net) the hand-overs to the pool cost as much as they save,
     * and more when the other core is busy; a 3 -> [80]x3 net's subdivision is about a tenth faster. In chunks of at
     * least 64, resp. 16, cells, some per thread so that uneven chunks even out. The scan's threshold is 32,768 cells
     * (it was 16,384): the one-thread scan now splits the crossed edges as it goes, and a net of some 20,000 regions
     * (a trained 3 -> [16]x3) that reached the parallel scan only in its last units spent more in a cold JVM on the
     * second path's first, slower calls (and on the compiled scan's return to the interpreter when the path changed)
     * than the second core saved.
     */
    /** Facets from which the records' facet matching runs on two threads, one half of the hashes each. */
    private static final int MIN_PARALLEL_MATCH = 16384;
    private int minParallelMatch = MIN_PARALLEL_MATCH;

    private static final int MIN_PARALLEL_CELLS = 32768, MIN_PARALLEL_SPLITS = 2048, CHUNKS_PER_THREAD = 4;
    private int minParallelCells = MIN_PARALLEL_CELLS, minParallelSplits = MIN_PARALLEL_SPLITS;

    /**
     * Tests: the parallel phases of the cuts from these sizes on (instead of the defaults), and the records' facet
     * matching from {@code cells} facets.
     */
    SubdivisionEnumerator parallelFrom(int cells, int splits) {
        this.minParallelCells = cells;
        this.minParallelMatch = cells;
        this.minParallelSplits = splits;
        return this;
    }

    /**
     * Initial sizes of the records' and the cuts' scratch arrays (vertices of a cell, hyperplanes at a cell): they
     * still grow when a cell needs more, but seldom. An array that starts small grows during the first cells of
     * every run, and in a cold JVM that growth, first met after C2 had compiled the code from a profile without it,
     * sent the compiled method back to the interpreter (an unstable_if trap) to be compiled again.
     */
    private static final int SCRATCH_VERTICES = 256, SCRATCH_PLANES = 64;

    /** The name that {@link RegionSet#solver()} reports for this engine (it solves no LP). */
    public static final String SOLVER = "none (edge subdivision)";

    /**
     * Affine fits from a cell's vertices: the output map from d + 1 well-spread vertices, a facet's normal from d
     * of its vertices. A fit is declined (and the pattern's rows composed instead) when the chosen vertices are too
     * close to a lower-dimensional flat for their values to fix it: the same aspect rule as the plane kernel's
     * map fit ({@link KernelParameters#MIN_FIT_ASPECT}).
     */
    private static final class Fit {
        final int d;
        final int[] chosen;
        /** orthonormal directions spanned so far, row-major */
        final double[] q;
        /** scratch: the residual vectors of {@link #span}, d per listed vertex */
        private double[] res;
        /** scratch of {@link #map}: the system's matrix and right-hand sides (filled anew on every call) */
        private double[] e, rhs;
        int k;

        /** @param outputs the outputs of the maps fitted ({@link #map}; 0 when only normals are) */
        Fit(int d, int outputs) {
            this.d = d;
            this.chosen = new int[d + 1];
            this.q = new double[d * d];
            this.res = new double[SCRATCH_VERTICES * d];
            this.e = new double[d * d];
            this.rhs = new double[d * outputs];
        }

        /**
         * Greedily picks {@code want} + 1 of the listed vertices spanning the most (Gram-Schmidt on the distances
         * from the first); false when some new direction is shorter than MIN_FIT_ASPECT x max(first, FIT_BASE_FLOOR x
         * the domain's diameter).
         */
        boolean span(double[] verts, int[] list, int n, int want, double diameter) {
            k = 0;
            chosen[0] = list[0];
            if (n < want + 1) return false;
            double first = 0;
            if (res.length < n * d) res = new double[Math.max(n * d, 2 * res.length)];
            // res[t] is vertex t's distance vector from the first with the directions so far projected out, one after
            // the other: updated by the newest direction only, the same operations in the same order as projecting
            // all of them anew each round. The rounds are methods of their own, with d = 3 written out: in a cold JVM
            // the loops over d made this method's inner loops the hottest back edges of the records, so the JIT
            // compiled it on the stack at one loop after another (and recompiled it after a profiled-predicate trap
            // on the first round's branch), some six C2 compilations of the whole method in a short run
            for (int j = 1; j <= want; j++) {
                int bi = j == 1 ? (d == 3 ? differences3(verts, list, n) : differences(verts, list, n))
                        : (d == 3 ? project3(n) : project(n));
                double best = bestLen;
                if (j == 1) first = best;
                if (!(best > 0) || (j > 1 && best < KernelParameters.MIN_FIT_ASPECT * Math.max(first, KernelParameters.FIT_BASE_FLOOR * diameter))) return false;
                for (int m = 0; m < d; m++) q[k * d + m] = res[bi * d + m] / best;
                k++;
                chosen[j] = list[bi];
            }
            return true;
        }

        /** the longest residual of the last round of {@link #span} (-1 when none is a number) */
        private double bestLen;

        /**
         * The first round of {@link #span}: res[t] = vertex list[t] - vertex list[0] for t in [1, n); returns the t
         * of the longest (the first of equals; -1 when no length is a number) and leaves its length in bestLen.
         */
        private int differences(double[] verts, int[] list, int n) {
            int o = list[0] * d, bi = -1;
            double best = -1, bestSquare = Double.NEGATIVE_INFINITY;
            for (int t = 1; t < n; t++) {
                int x = list[t] * d, rt = t * d;
                for (int m = 0; m < d; m++) res[rt + m] = verts[x + m] - verts[o + m];
                double s = 0;
                for (int m = 0; m < d; m++) s += res[rt + m] * res[rt + m];
                if (s > bestSquare) { // else sqrt(s) <= best: no sqrt needed to know it is not longer
                    double len = Math.sqrt(s);
                    if (len > best) { best = len; bi = t; bestSquare = s; }
                }
            }
            bestLen = best;
            return bi;
        }

        /** {@link #differences} for d = 3, the same operations in the same order. */
        private int differences3(double[] verts, int[] list, int n) {
            int o = list[0] * 3, bi = -1;
            double best = -1, bestSquare = Double.NEGATIVE_INFINITY, o0 = verts[o], o1 = verts[o + 1], o2 = verts[o + 2];
            for (int t = 1; t < n; t++) {
                int x = list[t] * 3, rt = t * 3;
                double r0 = verts[x] - o0, r1 = verts[x + 1] - o1, r2 = verts[x + 2] - o2;
                res[rt] = r0;
                res[rt + 1] = r1;
                res[rt + 2] = r2;
                double s = 0;
                s += r0 * r0;
                s += r1 * r1;
                s += r2 * r2;
                if (s > bestSquare) { // else sqrt(s) <= best: no sqrt needed to know it is not longer
                    double len = Math.sqrt(s);
                    if (len > best) { best = len; bi = t; bestSquare = s; }
                }
            }
            bestLen = best;
            return bi;
        }

        /**
         * A later round of {@link #span}: projects the newest direction q[k - 1] out of res[t], t in [1, n); returns
         * the t of the longest result as {@link #differences} does.
         */
        private int project(int n) {
            int qi = (k - 1) * d, bi = -1;
            double best = -1, bestSquare = Double.NEGATIVE_INFINITY;
            for (int t = 1; t < n; t++) {
                int rt = t * d;
                double s = 0;
                for (int m = 0; m < d; m++) s += q[qi + m] * res[rt + m];
                for (int m = 0; m < d; m++) res[rt + m] -= s * q[qi + m];
                s = 0;
                for (int m = 0; m < d; m++) s += res[rt + m] * res[rt + m];
                if (s > bestSquare) { // else sqrt(s) <= best: no sqrt needed to know it is not longer
                    double len = Math.sqrt(s);
                    if (len > best) { best = len; bi = t; bestSquare = s; }
                }
            }
            bestLen = best;
            return bi;
        }

        /** {@link #project} for d = 3, the same operations in the same order. */
        private int project3(int n) {
            int qi = (k - 1) * 3, bi = -1;
            double best = -1, bestSquare = Double.NEGATIVE_INFINITY, q0 = q[qi], q1 = q[qi + 1], q2 = q[qi + 2];
            for (int t = 1; t < n; t++) {
                int rt = t * 3;
                double r0 = res[rt], r1 = res[rt + 1], r2 = res[rt + 2];
                double s = 0;
                s += q0 * r0;
                s += q1 * r1;
                s += q2 * r2;
                r0 -= s * q0;
                r1 -= s * q1;
                r2 -= s * q2;
                res[rt] = r0;
                res[rt + 1] = r1;
                res[rt + 2] = r2;
                s = 0;
                s += r0 * r0;
                s += r1 * r1;
                s += r2 * r2;
                if (s > bestSquare) { // else sqrt(s) <= best: no sqrt needed to know it is not longer
                    double len = Math.sqrt(s);
                    if (len > best) { best = len; bi = t; bestSquare = s; }
                }
            }
            bestLen = best;
            return bi;
        }

        /**
         * The outputs' affine map through the d + 1 chosen vertices (after a successful {@link #span} of d), written
         * to {@code out[at ..]} as the m x d matrix (row-major) then the m offsets; false (nothing written) when the
         * chosen vertices are singular. Their vertex ids are {@code ids[s0 + chosen]}.
         */
        boolean map(double[] verts, int[] ids, int s0, double[] outputs, int m, double[] out, int at) {
            if (e.length < d * d) e = new double[d * d];
            if (rhs.length < d * m) rhs = new double[d * m];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) e[i * d + j] = verts[chosen[i + 1] * d + j] - verts[chosen[0] * d + j];
            int g0 = ids[s0 + chosen[0]];
            for (int i = 0; i < d; i++)
                for (int o = 0; o < m; o++) rhs[i * m + o] = outputs[ids[s0 + chosen[i + 1]] * m + o] - outputs[g0 * m + o];
            if (!solve(e, rhs, d, m)) return false;
            for (int o = 0; o < m; o++) {
                double s = outputs[g0 * m + o];
                for (int j = 0; j < d; j++) {
                    out[at + o * d + j] = rhs[j * m + o];
                    s -= rhs[j * m + o] * verts[chosen[0] * d + j];
                }
                out[at + m * d + o] = s;
            }
            return true;
        }
    }

    /** Solves E X = B in place (E d x d, B d x m, row-major; X written to B); false when E is singular. */
    private static boolean solve(double[] e, double[] b, int d, int m) {
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) if (Math.abs(e[r * d + col]) > Math.abs(e[piv * d + col])) piv = r;
            if (e[piv * d + col] == 0) return false;
            if (piv != col) {
                for (int j = 0; j < d; j++) { double t = e[col * d + j]; e[col * d + j] = e[piv * d + j]; e[piv * d + j] = t; }
                for (int j = 0; j < m; j++) { double t = b[col * m + j]; b[col * m + j] = b[piv * m + j]; b[piv * m + j] = t; }
            }
            for (int r = 0; r < d; r++) {
                if (r == col) continue;
                double f = e[r * d + col] / e[col * d + col];
                if (f == 0) continue;
                for (int j = col; j < d; j++) e[r * d + j] -= f * e[col * d + j];
                for (int j = 0; j < m; j++) b[r * m + j] -= f * b[col * m + j];
            }
        }
        for (int r = 0; r < d; r++) for (int j = 0; j < m; j++) b[r * m + j] /= e[r * d + r];
        return true;
    }

    /**
     * The length (d = 2) or area (d = 3) of a facet from its vertices: in 3-D they are ordered by angle around the
     * facet's vertex centroid in the facet's plane (a convex polygon) and fanned.
     * <p>The order is that of {@code Math.atan2} of each vertex's in-plane coordinates, found without it (atan2 is a
     * native call in Java 17, about a third of the records' time): by the "diamond angle" of the same coordinates,
     * an increasing function of the angle with the same cut ({@link #diamondAngle}), made by one division. Where
     * every two neighbours in that order are more than {@link KernelParameters#ANGLE_ORDER_GAP} apart, atan2's values
     * (within 2 ulps of the angle, and the angle moves at least as much as the diamond angle) have the same strict
     * order, so the fan and its sum are the same; where not (near-equal angles, a vertex at the centroid, a value
     * that is not a number) the angles are taken from atan2 as before.
     */
    private double facetMeasure(double[] verts, int[] on, int cnt, double[] point, double[] normal, double[] ang, int[] ord, double[] rel) {
        if (d == 2) {
            double best = 0; // a facet is a segment; its vertices are its two ends (more only when degenerate)
            for (int i = 0; i < cnt; i++)
                for (int j = i + 1; j < cnt; j++)
                    best = Math.max(best, Math.hypot(verts[on[i] * 2] - verts[on[j] * 2], verts[on[i] * 2 + 1] - verts[on[j] * 2 + 1]));
            return best;
        }
        // u: towards the first vertex, v = normal x u; the same operations, in the same order, as with arrays
        int f0 = on[0] * 3;
        double u0 = verts[f0] - point[0], u1 = verts[f0 + 1] - point[1], u2 = verts[f0 + 2] - point[2];
        double v0 = normal[1] * u2 - normal[2] * u1, v1 = normal[2] * u0 - normal[0] * u2, v2 = normal[0] * u1 - normal[1] * u0;
        for (int i = 0; i < cnt; i++) {
            int o = on[i] * 3;
            double x = 0, y = 0, r;
            r = verts[o] - point[0];
            rel[3 * i] = r;
            x += r * u0;
            y += r * v0;
            r = verts[o + 1] - point[1];
            rel[3 * i + 1] = r;
            x += r * u1;
            y += r * v1;
            r = verts[o + 2] - point[2];
            rel[3 * i + 2] = r;
            x += r * u2;
            y += r * v2;
            ang[i] = diamondAngle(x, y);
        }
        sortByAngle(ang, ord, cnt);
        boolean exact = false; // whether the order must come from atan2 itself (a NaN key fails the test too)
        for (int i = 1; i < cnt && !exact; i++) if (!(ang[ord[i]] - ang[ord[i - 1]] > KernelParameters.ANGLE_ORDER_GAP)) exact = true;
        if (exact) {
            atan2Angles(verts, on, cnt, point, u0, u1, u2, v0, v1, v2, ang);
            sortByAngle(ang, ord, cnt);
        }
        // the fan over the vertices' differences from the point, made above (the same subtractions)
        double sx = 0, sy = 0, sz = 0;
        for (int i = 0; i < cnt; i++) {
            int a = ord[i] * 3, b = ord[i + 1 < cnt ? i + 1 : 0] * 3;
            double ax = rel[a], ay = rel[a + 1], az = rel[a + 2];
            double bx = rel[b], by = rel[b + 1], bz = rel[b + 2];
            sx += ay * bz - az * by;
            sy += az * bx - ax * bz;
            sz += ax * by - ay * bx;
        }
        return 0.5 * Math.sqrt(sx * sx + sy * sy + sz * sz);
    }

    /**
     * The "diamond angle" of (x, y): {@code 1 - x / (|x| + |y|)} with the sign of y (a zero's sign too); an increasing
     * function of {@code atan2(y, x)} on [-pi, pi] (between half and all of its change), with atan2's cut: y = +0 or
     * -0 with x &lt; 0 gives +2 or -2 as atan2 gives +pi or -pi. NaN at the origin or where |x| + |y| is not finite
     * (there atan2 decides).
     */
    static double diamondAngle(double x, double y) {
        double s = Math.abs(x) + Math.abs(y);
        if (!(s < Double.POSITIVE_INFINITY)) return Double.NaN; // (at the origin, 0 / 0 is NaN below)
        return Math.copySign(1 - x / s, y); // (y < 0: -(1 - t) = t - 1 exactly; no branch on the half-plane)
    }

    /** The angles of {@link #facetMeasure}'s vertices by atan2 (its in-plane coordinates made the same way). */
    private static void atan2Angles(double[] verts, int[] on, int cnt, double[] point, double u0, double u1, double u2,
                                    double v0, double v1, double v2, double[] ang) {
        for (int i = 0; i < cnt; i++) {
            int o = on[i] * 3;
            double x = 0, y = 0, r;
            r = verts[o] - point[0];
            x += r * u0;
            y += r * v0;
            r = verts[o + 1] - point[1];
            x += r * u1;
            y += r * v1;
            r = verts[o + 2] - point[2];
            x += r * u2;
            y += r * v2;
            ang[i] = Math.atan2(y, x);
        }
    }

    /**
     * ord[0, cnt) = 0, 1, ... in ascending order of ang (an insertion sort: equal angles keep their order), after
     * all angles are made: the same order as sorting each angle in as it is made. The loop starts at 1 (0 needs no
     * move): from 0, C2 hoisted the inner loop's first index check (ord[i - 1]) out of the outer loop as a profiled
     * predicate that fails at i = 0, so in a cold JVM it trapped at every call (a hundred deoptimisations under the
     * launcher's trap limit), and then recompiled {@link #facetMeasure}, more than once.
     */
    private static void sortByAngle(double[] ang, int[] ord, int cnt) {
        if (cnt > 0) ord[0] = 0;
        for (int i = 1; i < cnt; i++) {
            ord[i] = i;
            for (int j = i; j > 0 && ang[ord[j]] < ang[ord[j - 1]]; j--) { int t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t; }
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The facets of the face with vertex set {@code face} (of dimension {@code k}): the maximal proper subsets
     * {@code face & masks[h]} with at least k vertices, each once. Every proper face of a polytope is its
     * intersection with a facet, and every facet is on one of the hyperplanes, so the maximal ones are the facets.
     */
    static List<long[]> facetsOf(long[] face, long[][] masks, int k) {
        List<long[]> cands = new ArrayList<>();
        int w = face.length;
        for (long[] m : masks) {
            long[] t = new long[w];
            int cnt = 0;
            boolean proper = false;
            for (int i = 0; i < w; i++) {
                t[i] = face[i] & m[i];
                cnt += Long.bitCount(t[i]);
                proper |= t[i] != face[i];
            }
            if (!proper || cnt < k) continue;
            boolean dup = false;
            for (long[] o : cands) if (Arrays.equals(o, t)) { dup = true; break; }
            if (!dup) cands.add(t);
        }
        List<long[]> out = new ArrayList<>(cands.size());
        for (long[] t : cands) {
            boolean maximal = true;
            for (long[] o : cands) {
                if (o == t) continue;
                if (subset(t, o)) { maximal = false; break; } // o != t and t inside o: t is a lower face
            }
            if (maximal) out.add(t);
        }
        return out;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) if ((a[i] & ~b[i]) != 0) return false;
        return true;
    }

    /**
     * The volume of a polytope from its vertices and vertex-hyperplane incidences: a pulling triangulation (cone
     * from the first vertex of each face over the facets of the face that do not hold it, recursively), summing
     * |det| / d! over the simplices.
     */
    static double volume(double[] verts, int n, long[] full, long[][] masks, int d) {
        int[] simplex = new int[d + 1];
        double[] acc = new double[1];
        pull(verts, full, masks, d, d, simplex, 0, acc);
        double fact = 1;
        for (int k = 2; k <= d; k++) fact *= k;
        return acc[0] / fact;
    }

    private static void pull(double[] verts, long[] face, long[][] masks, int k, int d, int[] simplex, int depth, double[] acc) {
        int apex = first(face);
        simplex[depth] = apex;
        if (k == 0) {
            acc[0] += Math.abs(det(verts, simplex, d));
            return;
        }
        for (long[] f : facetsOf(face, masks, k)) {
            if ((f[apex >>> 6] & (1L << (apex & 63))) != 0) continue;
            pull(verts, f, masks, k - 1, d, simplex, depth + 1, acc);
        }
    }

    private static int first(long[] m) {
        for (int i = 0; i < m.length; i++) if (m[i] != 0) return i * 64 + Long.numberOfTrailingZeros(m[i]);
        throw new IllegalStateException("empty face");
    }

    /** det of the d x d matrix of rows v_i - v_0 (i = 1..d), by Gaussian elimination with partial pivoting. */
    private static double det(double[] verts, int[] s, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) m[i * d + j] = verts[s[i + 1] * d + j] - verts[s[0] * d + j];
        double det = 1;
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) if (Math.abs(m[r * d + col]) > Math.abs(m[piv * d + col])) piv = r;
            if (m[piv * d + col] == 0) return 0;
            if (piv != col) {
                for (int j = 0; j < d; j++) { double t = m[col * d + j]; m[col * d + j] = m[piv * d + j]; m[piv * d + j] = t; }
                det = -det;
            }
            double p = m[col * d + col];
            det *= p;
            for (int r = col + 1; r < d; r++) {
                double f = m[r * d + col] / p;
                if (f == 0) continue;
                for (int j = col; j < d; j++) m[r * d + j] -= f * m[col * d + j];
            }
        }
        return det;
    }
}
