package atlas.regions;

import atlas.geometry.Polygons;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The exact partition of a plane rectangle computed on several cores: the rectangle is cut into vertical strips
 * (tiles), each strip is partitioned by its own {@link PlanePartitioner} on its own thread, and the pieces are
 * glued back along the strip borders.
 *
 * <p>Why gluing is exact: the region of an activation pattern is convex (an intersection of half-planes), so the
 * pieces of one region in two neighbouring strips meet along one segment of their common border, and two pieces
 * with different patterns that share a border segment are neighbours. The glue therefore matches the border
 * edges of the two sides by overlap (a sweep along the border): same pattern, one region (union-find over pieces,
 * so a region may span several strips); different patterns, an adjacency. Areas add; the centroid is the
 * area-weighted mean of the pieces' centroids; the polygon is spliced from the pieces (the two points where the
 * region's boundary crosses the border stay, as straight-angle vertices, which {@link LinearRegion} allows).
 * Regions per layer are counted as distinct pattern prefixes, which is what the single-strip kernel's face
 * counts are. The result has the same regions (patterns), areas (to rounding) and adjacencies as one strip;
 * only the ids (order) and the polygons' straight-angle vertices differ.
 *
 * <p>Strips, not a grid: with a handful of cores, strips keep the border work linear in the number of regions
 * crossing a border and every region within at most a few pieces.
 */
public final class TiledPlanePartitioner {
    private TiledPlanePartitioner() {}

    /**
     * The number of strips used by default for {@code net}: 1 (the plain kernel) for nets of fewer than
     * {@link KernelParameters#MIN_TILED_UNITS} cutting units, whose partitions are too small for a second thread
     * to pay for its start and the glue, else {@link KernelParameters#DEFAULT_STRIPS}. It depends on the net
     * only, never on the machine, so region ids (the order of regions in every output) are the same everywhere.
     */
    public static int tilesFor(Network net) {
        return net.cuttingUnits() < KernelParameters.MIN_TILED_UNITS ? 1 : KernelParameters.DEFAULT_STRIPS;
    }

    /** The partition with the default strips ({@link #tilesFor}), on up to as many threads as cores. */
    public static PlanePartition compute(Network net, PlaneSlice slice, Rectangle domain, Tolerance tol) {
        return compute(net, slice, domain, tol, tilesFor(net), i -> { });
    }

    /** The partition with the default tolerance and strips. */
    public static PlanePartition compute(Network net, PlaneSlice slice, Rectangle domain) {
        return compute(net, slice, domain, Tolerance.DEFAULT);
    }

    /**
     * @param tiles         number of vertical strips, computed on up to as many threads as there are cores (1: the
     *                      plain kernel on the calling thread); the result does not depend on the thread count
     * @param layerListener called with the number of layers every strip has finished (for progress bars), from
     *                      worker threads, never twice with the same value
     */
    public static PlanePartition compute(Network net, PlaneSlice slice, Rectangle domain, Tolerance tol, int tiles,
                                         IntConsumer layerListener) {
        if (tiles == 1) return new PlanePartitioner(net, slice, domain, tol).setLayerListener(layerListener).getResult();
        return (PlanePartition) run(net, slice, domain, tol, tiles, layerListener, Result.RECORDS, null);
    }

    /**
     * The number of regions of the partition {@link #compute(Network, PlaneSlice, Rectangle)} makes (the same
     * strips, so the same count), without building any region record: no maps, polygons, neighbours or per-layer
     * counts. For callers that want the count alone (a training run's snapshot that draws no frame).
     */
    public static int countRegions(Network net, PlaneSlice slice, Rectangle domain) {
        int tiles = tilesFor(net);
        if (tiles == 1) return new PlanePartitioner(net, slice, domain, Tolerance.DEFAULT).pieces(false).count;
        return (Integer) run(net, slice, domain, Tolerance.DEFAULT, tiles, i -> { }, Result.COUNT, null);
    }

    /**
     * The outline of the partition {@link #compute(Network, PlaneSlice, Rectangle)} makes (the same strips, so the same
     * regions, numbered alike, with the same polygons), without the rest of the region records: no maps, neighbours,
     * patterns, areas, interior points or per-layer counts. For callers that draw the boundaries and read the count
     * alone (a training frame of a classification image, whose output panel comes from the trainer).
     */
    public static PlaneOutline outline(Network net, PlaneSlice slice, Rectangle domain) {
        return outline(net, slice, domain, null);
    }

    /**
     * {@link #outline(Network, PlaneSlice, Rectangle)}, handing {@code listener} each strip's own part as soon as the
     * strip is cut (on the strip's thread, before the glue; see {@link StripOutlineListener}): a picture of the
     * boundaries can then be drawn while the other strips are still being cut. Not called when the partition is one
     * strip ({@link #tilesFor}).
     */
    public static PlaneOutline outline(Network net, PlaneSlice slice, Rectangle domain, StripOutlineListener listener) {
        int tiles = tilesFor(net);
        if (tiles == 1) return outlineOfFaces(new PlanePartitioner(net, slice, domain, Tolerance.DEFAULT).pieces(false), domain);
        return (PlaneOutline) run(net, slice, domain, Tolerance.DEFAULT, tiles, i -> { }, Result.OUTLINE, listener);
    }

    /**
     * {@link #outline(Network, PlaneSlice, Rectangle)} whose regions' maps are made when asked for ({@link PlaneOutline#map}:
     * the same maps as the records hold, made from the vertex values the strips keep): for a picture that shades the
     * output, which reads the maps of the regions holding a pixel centre only (on a late ring frame, 160k pixels against
     * 450k-900k regions, and no other record).
     */
    public static PlaneOutline outlineWithMaps(Network net, PlaneSlice slice, Rectangle domain) {
        return outlineWithMaps(net, slice, domain, null);
    }

    /**
     * {@link #outlineWithMaps(Network, PlaneSlice, Rectangle)}, handing {@code listener} each strip's own part (with its
     * regions' maps) as soon as the strip is cut, as {@link #outline(Network, PlaneSlice, Rectangle, StripOutlineListener)}.
     */
    public static PlaneOutline outlineWithMaps(Network net, PlaneSlice slice, Rectangle domain, StripOutlineListener listener) {
        int tiles = tilesFor(net);
        if (tiles == 1) return outlineOfFaces(new PlanePartitioner(net, slice, domain, Tolerance.DEFAULT).pieces(false, true), domain);
        return (PlaneOutline) run(net, slice, domain, Tolerance.DEFAULT, tiles, i -> { }, Result.OUTLINE_WITH_MAPS, listener);
    }

    /** What a tiled run returns: the partition with its records, its region count alone, or its outline (with maps on demand). */
    private enum Result {
        RECORDS, COUNT, OUTLINE, OUTLINE_WITH_MAPS;

        boolean outline() { return this == OUTLINE || this == OUTLINE_WITH_MAPS; }
    }

    /** The tiled partition, or only its region count as an Integer, or its {@link PlaneOutline}. */
    private static Object run(Network net, PlaneSlice slice, Rectangle domain, Tolerance tol, int tiles, IntConsumer layerListener,
                              Result result, StripOutlineListener listener) {
        boolean records = result == Result.RECORDS;
        if (tiles < 1) throw new IllegalArgumentException("tiles must be positive, got " + tiles);
        long t0 = System.nanoTime();
        double[] xs = new double[tiles + 1];
        for (int j = 0; j <= tiles; j++) xs[j] = domain.xmin() + domain.width() * j / tiles;
        xs[tiles] = domain.xmax(); // exactly, whatever the rounding above
        // slack for "on the border": border vertices are interpolated between two points on it, so they lie on
        // it up to rounding; the same slack as point location on region edges
        double eps = KernelParameters.EDGE_SLACK * Math.max(1, domain.magnitude());
        int[] layersDone = new int[tiles];
        int[] reported = {0};
        Strip[] parts = new Strip[tiles];
        int threads = Math.min(tiles, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.atomic.AtomicInteger unfinished = new java.util.concurrent.atomic.AtomicInteger(tiles);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "atlas-tile");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Strip>> futures = new ArrayList<>();
            for (int j = 0; j < tiles; j++) {
                int tile = j;
                Rectangle strip = new Rectangle(xs[j], xs[j + 1], domain.ymin(), domain.ymax());
                futures.add(pool.submit(() -> {
                    STRIPS_UNFINISHED.set(unfinished);
                    try {
                        PlanePartitioner.Pieces pieces = new PlanePartitioner(net, slice, strip, tol).minimumAreaOf(domain).setLayerListener(i -> {
                            synchronized (layersDone) {
                                layersDone[tile] = i;
                                int all = Arrays.stream(layersDone).min().orElse(0);
                                if (all > reported[0]) {
                                    reported[0] = all;
                                    layerListener.accept(all);
                                }
                            }
                        }).pieces(records, result == Result.OUTLINE_WITH_MAPS);
                        // the strip's border edges, for the glue, and its own part of the outline, for the listener, are
                        // found here, while the other strips may still be cut (this thread's core stays counted busy)
                        Strip done = borders(pieces, tile, xs, eps);
                        if (result.outline()) {
                            // the strip's own regions' polygons: for the listener now, and copied whole into the outline later
                            double[] slab = new double[2];
                            done = new Strip(pieces, done.left(), done.right(), done.sides(), ownPart(done, tile, xs, eps, domain, slab));
                            if (listener != null) listener.stripDone(done.own(), slab[0], slab[1], unfinished.get() == 1);
                        }
                        return done;
                    } finally {
                        unfinished.decrementAndGet();
                        STRIPS_UNFINISHED.remove();
                    }
                }));
            }
            for (int j = 0; j < tiles; j++) parts[j] = futures.get(j).get();
            return glue(net, slice, domain, xs, eps, parts, t0, pool, threads, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** On a strip's thread: the number of the call's strips not yet finished (null on other threads). */
    private static final ThreadLocal<java.util.concurrent.atomic.AtomicInteger> STRIPS_UNFINISHED = new ThreadLocal<>();

    /**
     * True on a strip's thread while the strips still running occupy every core: the strip's per-layer passes then
     * run on its own thread (parallel streams would only add hand-offs and threads waiting on each other); once
     * strips finish, the remaining ones use the freed cores again. Does not change any result.
     */
    static boolean coresBusy() {
        java.util.concurrent.atomic.AtomicInteger u = STRIPS_UNFINISHED.get();
        return u != null && u.get() >= Runtime.getRuntime().availableProcessors();
    }

    /** A piece's edge lying on a strip border: its extent along the border and the piece's index in its strip. */
    private record BorderEdge(double lo, double hi, int piece) { }

    /**
     * A strip's pieces and their edges on its left and right borders (each list sorted by its lower end; empty at the
     * rectangle's sides), and per piece the borders it has edges on ({@link #LEFT}, {@link #RIGHT}: only such pieces can
     * the glue join to others); for an outline, the polygons of the other pieces in piece order ({@link #ownPart}), else null.
     */
    private record Strip(PlanePartitioner.Pieces pieces, List<BorderEdge> left, List<BorderEdge> right, byte[] sides, PlaneOutline own) { }

    /** In {@link Strip#sides}: the piece has an edge on the strip's left border, on its right border. */
    private static final byte LEFT = 1, RIGHT = 2;

    /**
     * The border edges of strip {@code tile}'s pieces (both ends within {@code eps} of the border line), from one pass
     * over the cycles, on the strip's thread: whether a vertex lies on a border is decided once per vertex (a byte
     * array that stays in cache), not for each edge from scattered coordinates.
     */
    private static Strip borders(PlanePartitioner.Pieces part, int tile, double[] xs, double eps) {
        int tiles = xs.length - 1;
        double[] xy = part.coords;
        int vertices = xy.length / 2;
        // per vertex: LEFT on the left border, RIGHT on the right one (a strip's inner borders only, not the rectangle's
        // sides); an edge is on a border when both its ends are
        byte[] on = new byte[vertices];
        double left = xs[tile], right = xs[tile + 1];
        boolean hasLeft = tile > 0, hasRight = tile + 1 < tiles;
        for (int v = 0; v < vertices; v++) {
            double x = xy[2 * v];
            on[v] = (byte) ((hasLeft && Math.abs(x - left) <= eps ? LEFT : 0) | (hasRight && Math.abs(x - right) <= eps ? RIGHT : 0));
        }
        List<BorderEdge> l = new ArrayList<>(), r = new ArrayList<>();
        byte[] sides = new byte[part.count];
        for (int f = 0; f < part.count; f++) {
            int s = part.start[f], m = part.length[f];
            for (int k = 0; k < m; k++) {
                int v = part.arena[s + k], w = part.arena[k + 1 == m ? s : s + k + 1];
                int both = on[v] & on[w];
                if (both == 0) continue;
                BorderEdge e = new BorderEdge(Math.min(xy[2 * v + 1], xy[2 * w + 1]), Math.max(xy[2 * v + 1], xy[2 * w + 1]), f);
                if ((both & LEFT) != 0) l.add(e);
                if ((both & RIGHT) != 0) r.add(e);
                sides[f] |= (byte) both;
            }
        }
        // stable sorts of lists made in piece and cycle order: the same order as when the glue made them, so the same glue
        l.sort((a, b) -> Double.compare(a.lo(), b.lo()));
        r.sort((a, b) -> Double.compare(a.lo(), b.lo()));
        return new Strip(part, l, r, sides, null);
    }

    /**
     * The polygons of strip {@code tile}'s pieces with no border edge, in piece order, and into {@code slab} the open
     * slab of x that no other edge of the glued outline enters ({@link StripOutlineListener}): right of every vertex of
     * the strip's pieces on its left border and of the strip on its left, left of those on its right. Every region of
     * the glued outline made of other pieces (one piece with a border edge, or several joined, spliced or their hull) has
     * its vertices among those pieces', and a piece without a border edge is a region of its own, its polygon its cycle,
     * numbered in piece order among the strip's others.
     */
    private static PlaneOutline ownPart(Strip strip, int tile, double[] xs, double eps, Rectangle domain, double[] slab) {
        PlanePartitioner.Pieces part = strip.pieces();
        int tiles = xs.length - 1;
        double lo = tile > 0 ? xs[tile] + eps : Double.NEGATIVE_INFINITY, hi = tile + 1 < tiles ? xs[tile + 1] - eps : Double.POSITIVE_INFINITY;
        double[] xy = part.coords;
        int own = 0, vertexTotal = 0;
        byte[] sides = strip.sides();
        for (int f = 0; f < part.count; f++) {
            int s = part.start[f], m = part.length[f];
            if (sides[f] == 0) {
                own++;
                vertexTotal += m;
                continue;
            }
            double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
            for (int k = s; k < s + m; k++) {
                double x = xy[2 * part.arena[k]];
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
            // (a piece on both borders leaves lo >= hi: no slab)
            if ((sides[f] & LEFT) != 0) lo = Math.max(lo, maxX);
            if ((sides[f] & RIGHT) != 0) hi = Math.min(hi, minX);
        }
        slab[0] = lo;
        slab[1] = hi;
        int[] vertexFirst = new int[own + 1];
        double[] out = new double[2 * vertexTotal];
        int[] pieceOf = part.hasMaps() ? new int[own] : null; // with maps: own region r is piece pieceOf[r]
        int r = 0;
        for (int f = 0; f < part.count; f++) {
            if (sides[f] != 0) continue;
            part.copyVertices(f, out, 2 * vertexFirst[r]);
            vertexFirst[r + 1] = vertexFirst[r] + part.length[f];
            if (pieceOf != null) pieceOf[r] = f;
            r++;
        }
        return new PlaneOutline(domain, out, vertexFirst, pieceOf == null ? null : k -> part.map(pieceOf[k]));
    }

    /**
     * Glues the strips' pieces into the partition of the whole rectangle (or only its region count, as an Integer, or
     * only its outline: the strips then made no maps or neighbours; {@code result} says which). The region records are
     * built on the strips' {@code pool} (its {@code threads} are idle by now) in chunks of groups (each record depends
     * on its own group's pieces only, so the records are the same whatever the thread count), each once, from the strips' flat arrays (no record per piece first). The regions per layer (a
     * sort of all patterns) are left to the partition's first call of {@link PlanePartition#regionsPerLayer()}.
     */
    private static Object glue(Network net, PlaneSlice slice, Rectangle domain, double[] xs, double eps, Strip[] strips, long t0,
                               ExecutorService pool, int threads, Result result) throws InterruptedException, ExecutionException {
        int tiles = strips.length;
        PlanePartitioner.Pieces[] parts = new PlanePartitioner.Pieces[tiles];
        for (int j = 0; j < tiles; j++) parts[j] = strips[j].pieces();
        int[] first = new int[tiles + 1];
        for (int j = 0; j < tiles; j++) first[j + 1] = first[j] + parts[j].count;
        int n = first[tiles];
        int[] tileOf = new int[n];
        for (int j = 0; j < tiles; j++) Arrays.fill(tileOf, first[j], first[j + 1], j);
        int[] parent = new int[n];
        for (int p = 0; p < n; p++) parent[p] = p;
        IntList crossPairs = new IntList(); // piece pairs (a, b), flat
        for (int j = 0; j + 1 < tiles; j++) {
            // strip j's edges on its right border against strip j + 1's on its left border (the same line, xs[j + 1])
            List<BorderEdge> left = strips[j].right(), right = strips[j + 1].left();
            int a = 0, b = 0;
            while (a < left.size() && b < right.size()) {
                BorderEdge l = left.get(a), r = right.get(b);
                if (Math.min(l.hi(), r.hi()) - Math.max(l.lo(), r.lo()) > eps) {
                    if (parts[j].samePattern(l.piece(), parts[j + 1], r.piece())) union(parent, first[j] + l.piece(), first[j + 1] + r.piece());
                    else { crossPairs.add(first[j] + l.piece()); crossPairs.add(first[j + 1] + r.piece()); }
                }
                if (l.hi() < r.hi()) a++; else b++;
            }
        }
        int anomalies = 0, declined = 0;
        for (PlanePartitioner.Pieces p : parts) { anomalies += p.anomalies; declined += p.declined; }
        // regions: groups of pieces, numbered in order of their first piece. Flat arrays (groups and cross
        // adjacencies in compressed rows), not a list and a hash set per region: at hundreds of thousands of
        // regions those objects made the glue need more memory than the pieces themselves.
        int[] regionOf = new int[n];
        int[] groupOfRoot = new int[n];
        Arrays.fill(groupOfRoot, -1);
        int groupCount = 0;
        for (int p = 0; p < n; p++) {
            int root = find(parent, p);
            if (groupOfRoot[root] < 0) groupOfRoot[root] = groupCount++;
            regionOf[p] = groupOfRoot[root];
        }
        groupOfRoot = null;
        if (result == Result.COUNT) return groupCount;
        int[] memberStart = rowStarts(regionOf, n, groupCount);
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(memberStart, groupCount);
        for (int p = 0; p < n; p++) members[fill[regionOf[p]]++] = p; // ascending within each group
        if (result.outline()) return outline(domain, strips, first, tileOf, memberStart, members, groupCount, xs, eps, pool, threads,
                result == Result.OUTLINE_WITH_MAPS);
        int pairs = crossPairs.size / 2;
        int[] crossGroup = new int[2 * pairs]; // both directions of every cross adjacency, as (from, to) groups
        for (int k = 0; k < pairs; k++) {
            int ga = regionOf[crossPairs.get(2 * k)], gb = regionOf[crossPairs.get(2 * k + 1)];
            crossGroup[2 * k] = ga;
            crossGroup[2 * k + 1] = gb;
        }
        int[] crossStart = rowStarts(crossGroup, 2 * pairs, groupCount); // rows by the "from" group of each direction
        int[] crossTo = new int[2 * pairs];
        fill = Arrays.copyOf(crossStart, groupCount);
        for (int k = 0; k < pairs; k++) {
            crossTo[fill[crossGroup[2 * k]]++] = crossGroup[2 * k + 1];
            crossTo[fill[crossGroup[2 * k + 1]]++] = crossGroup[2 * k];
        }
        crossGroup = fill = null;
        LinearRegion[] regions = new LinearRegion[groupCount];
        // chunks of groups, several per thread, so that the threads finish together
        int chunk = Math.max(1024, groupCount / (8 * threads) + 1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < groupCount; from += chunk) {
            int lo = from, hi = Math.min(groupCount, from + chunk);
            tasks.add(pool.submit(() -> buildRecords(lo, hi, parts, first, tileOf, regionOf, memberStart, members, crossStart, crossTo, xs, eps, regions)));
        }
        for (Future<?> f : tasks) f.get();
        // regions per layer: counted from the records' patterns when first asked for (a frame never asks)
        List<LinearRegion> list = Arrays.asList(regions);
        return new PlanePartition(slice, domain, list, () -> perLayer(net, list), anomalies, declined, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The glued region records of groups [lo, hi): neighbours from the pieces' neighbours and the cross-border
     * adjacencies; a group of one piece is its face's polygon, a larger one is spliced. The area and centroid of a
     * piece are those of its polygon (as a strip's own record of it would hold them).
     */
    private static void buildRecords(int lo, int hi, PlanePartitioner.Pieces[] parts, int[] first, int[] tileOf, int[] regionOf, int[] memberStart,
                                     int[] members, int[] crossStart, int[] crossTo, double[] xs, double eps, LinearRegion[] regions) {
        IntList buffer = new IntList();
        for (int g = lo; g < hi; g++) {
            buffer.clear();
            for (int m = memberStart[g]; m < memberStart[g + 1]; m++) {
                int p = members[m];
                PlanePartitioner.Pieces part = parts[tileOf[p]];
                int f = p - first[tileOf[p]], s = part.start[f];
                for (int k = s; k < s + part.length[f]; k++) {
                    int q = part.neighbourAt[k];
                    if (q < 0) continue;
                    int h = regionOf[first[tileOf[p]] + q];
                    if (h != g) buffer.add(h);
                }
            }
            for (int k = crossStart[g]; k < crossStart[g + 1]; k++) if (crossTo[k] != g) buffer.add(crossTo[k]);
            int[] neighbours = PlanePartitioner.sortedDistinct(buffer.data, buffer.size);
            int size = memberStart[g + 1] - memberStart[g];
            if (size == 1) {
                int only = members[memberStart[g]];
                regions[g] = parts[tileOf[only]].region(only - first[tileOf[only]], g, neighbours);
                continue;
            }
            int[] groupMembers = Arrays.copyOfRange(members, memberStart[g], memberStart[g + 1]); // ascending, so by strip
            double[][] polys = new double[size][];
            double area = 0, cx = 0, cy = 0;
            for (int i = 0; i < size; i++) {
                int p = groupMembers[i];
                polys[i] = parts[tileOf[p]].vertices(p - first[tileOf[p]]);
                double a = Polygons.signedArea(polys[i]);
                double[] c = Polygons.centroid(polys[i], null);
                area += a;
                cx += a * c[0];
                cy += a * c[1];
            }
            int largest = largestPiece(groupMembers, polys);
            PlanePartitioner.Pieces lp = parts[tileOf[largest]];
            int lf = largest - first[tileOf[largest]];
            regions[g] = new LinearRegion(splice(groupMembers, polys, tileOf, xs, eps), new double[]{cx / area, cy / area}, neighbours, g,
                    lp.pattern(lf), lp.maps[lf], area);
        }
    }

    /**
     * The glued regions' polygons, as {@link #buildRecords} makes them (a group of one piece: its face's cycle; a larger
     * one spliced), in one flat array: the groups' vertex counts first (splicing the few groups of several pieces,
     * the regions that cross a strip border), then the coordinates copied in chunks of groups on the strips' pool. A
     * piece with no border edge is a group of its own, and the strip has its polygon already ({@link Strip#own}, where
     * the strip's such pieces come in piece order, as their groups do here): copied from there, not gathered again
     * from the strip's vertices.
     */
    private static PlaneOutline outline(Rectangle domain, Strip[] strips, int[] first, int[] tileOf, int[] memberStart,
                                        int[] members, int groupCount, double[] xs, double eps, ExecutorService pool, int threads,
                                        boolean maps) throws InterruptedException, ExecutionException {
        int[] vertexFirst = new int[groupCount + 1];
        // with maps: the piece whose map is the region's (buildRecords's choice: the only piece, or the largest)
        int[] mapPiece = maps ? new int[groupCount] : null;
        double[][] spliced = new double[groupCount][]; // null for a group of one piece
        int[] ownOf = new int[groupCount]; // the group's region in its strip's own part, or -1
        int[] nextOwn = new int[strips.length];
        for (int g = 0; g < groupCount; g++) {
            int size = memberStart[g + 1] - memberStart[g], m;
            ownOf[g] = -1;
            if (size == 1) {
                int p = members[memberStart[g]], j = tileOf[p], f = p - first[j];
                m = strips[j].pieces().length[f];
                if (strips[j].sides()[f] == 0) ownOf[g] = nextOwn[j]++;
                if (maps) mapPiece[g] = p;
            } else {
                int[] groupMembers = Arrays.copyOfRange(members, memberStart[g], memberStart[g + 1]);
                double[][] polys = new double[size][];
                for (int i = 0; i < size; i++) polys[i] = strips[tileOf[groupMembers[i]]].pieces().vertices(groupMembers[i] - first[tileOf[groupMembers[i]]]);
                if (maps) mapPiece[g] = largestPiece(groupMembers, polys);
                spliced[g] = splice(groupMembers, polys, tileOf, xs, eps);
                m = spliced[g].length / 2;
            }
            vertexFirst[g + 1] = vertexFirst[g] + m;
        }
        for (int j = 0; j < strips.length; j++)
            if (nextOwn[j] != strips[j].own().count()) throw new IllegalStateException("strip " + j + ": " + nextOwn[j] + " own regions glued, " + strips[j].own().count() + " made");
        double[] xy = new double[2 * vertexFirst[groupCount]];
        int chunk = Math.max(4096, groupCount / (4 * threads) + 1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < groupCount; from += chunk) {
            int lo = from, hi = Math.min(groupCount, from + chunk);
            tasks.add(pool.submit(() -> {
                for (int g = lo; g < hi; g++) {
                    if (spliced[g] != null) {
                        System.arraycopy(spliced[g], 0, xy, 2 * vertexFirst[g], spliced[g].length);
                        continue;
                    }
                    int p = members[memberStart[g]], j = tileOf[p];
                    if (ownOf[g] >= 0) strips[j].own().copyRegion(ownOf[g], xy, 2 * vertexFirst[g]);
                    else strips[j].pieces().copyVertices(p - first[j], xy, 2 * vertexFirst[g]);
                }
            }));
        }
        for (Future<?> f : tasks) f.get();
        if (!maps) return new PlaneOutline(domain, xy, vertexFirst);
        return new PlaneOutline(domain, xy, vertexFirst, r -> {
            int p = mapPiece[r], j = tileOf[p];
            return strips[j].pieces().map(p - first[j]);
        });
    }

    /** The member whose map a glued region's record takes ({@link #buildRecords}): the first of the largest area. */
    private static int largestPiece(int[] groupMembers, double[][] polys) {
        int largest = -1;
        double largestArea = 0;
        for (int i = 0; i < groupMembers.length; i++) {
            double a = Polygons.signedArea(polys[i]);
            if (largest < 0 || a > largestArea) { largest = groupMembers[i]; largestArea = a; }
        }
        return largest;
    }

    /** The outline of one strip's faces, as the plain kernel's records number them (region f is face f); with its maps when the pieces have them. */
    private static PlaneOutline outlineOfFaces(PlanePartitioner.Pieces part, Rectangle domain) {
        int[] vertexFirst = new int[part.count + 1];
        for (int f = 0; f < part.count; f++) vertexFirst[f + 1] = vertexFirst[f] + part.length[f];
        double[] xy = new double[2 * vertexFirst[part.count]];
        for (int f = 0; f < part.count; f++) part.copyVertices(f, xy, 2 * vertexFirst[f]);
        return new PlaneOutline(domain, xy, vertexFirst, part.hasMaps() ? part::map : null);
    }

    /** Compressed-row starts: row r of the values [0, n) of {@code rowOf} spans [start[r], start[r + 1]). */
    private static int[] rowStarts(int[] rowOf, int n, int rows) {
        int[] start = new int[rows + 1];
        for (int k = 0; k < n; k++) start[rowOf[k] + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        return start;
    }

    /**
     * The polygon of a region from its pieces ({@code members} ascending, so by strip, with polygons {@code polys}),
     * one per strip in consecutive strips, spliced left to right along each border; a group of any other shape (a
     * rounding accident) gets the convex hull of its pieces' vertices.
     */
    private static double[] splice(int[] members, double[][] polys, int[] tileOf, double[] xs, double eps) {
        double[] poly = polys[0];
        for (int i = 1; i < members.length; i++) {
            int tile = tileOf[members[i]];
            if (tile != tileOf[members[i - 1]] + 1) return hull(polys);
            double[] joined = join(poly, polys[i], xs[tile], eps);
            if (joined == null) return hull(polys);
            poly = joined;
        }
        return poly;
    }

    /**
     * Joins counter-clockwise convex polygon {@code a}, left of the line x = xb, with {@code b} right of it, where
     * both touch the line along one run of vertices: a's run is replaced by its two ends and b's run dropped.
     * Null when either does not touch the line along exactly one run of at least two vertices.
     */
    static double[] join(double[] a, double[] b, double xb, double eps) {
        int[] ra = run(a, xb, eps), rb = run(b, xb, eps);
        if (ra == null || rb == null) return null;
        int na = a.length / 2, nb = b.length / 2;
        double[] out = new double[2 * (na + nb)];
        int m = 0;
        // a from its run's end (the top, going counter-clockwise up its right side) round to the run's start
        for (int k = ra[1]; ; k = (k + 1) % na) {
            out[m++] = a[2 * k];
            out[m++] = a[2 * k + 1];
            if (k == ra[0]) break;
        }
        // b from just after its run's end (the bottom of its left side) round to just before the run's start
        for (int k = (rb[1] + 1) % nb; k != rb[0]; k = (k + 1) % nb) {
            out[m++] = b[2 * k];
            out[m++] = b[2 * k + 1];
        }
        return Arrays.copyOf(out, m);
    }

    /** {start, end} of the single cyclic run of at least two vertices on x = xb, or null. */
    private static int[] run(double[] p, double xb, double eps) {
        int n = p.length / 2;
        boolean[] on = new boolean[n];
        int count = 0;
        for (int k = 0; k < n; k++) if (on[k] = Math.abs(p[2 * k] - xb) <= eps) count++;
        if (count < 2 || count == n) return null;
        int start = -1, runs = 0;
        for (int k = 0; k < n; k++) if (on[k] && !on[(k + n - 1) % n]) { start = k; runs++; }
        if (runs != 1) return null;
        return new int[]{start, (start + count - 1) % n};
    }

    /** Counter-clockwise convex hull (monotone chain) of all the pieces' vertices. */
    private static double[] hull(double[][] polys) {
        List<double[]> pts = new ArrayList<>();
        for (double[] poly : polys) for (int k = 0; k < poly.length / 2; k++) pts.add(new double[]{poly[2 * k], poly[2 * k + 1]});
        pts.sort((u, v) -> u[0] != v[0] ? Double.compare(u[0], v[0]) : Double.compare(u[1], v[1]));
        double[][] h = new double[2 * pts.size()][];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            int lower = k + 1;
            for (int i = 0; i < pts.size(); i++) {
                double[] q = pts.get(pass == 0 ? i : pts.size() - 1 - i);
                while (k >= lower && cross(h[k - 2], h[k - 1], q) <= 0) k--;
                h[k++] = q;
            }
            k--; // the last point starts the other chain
        }
        double[] out = new double[2 * k];
        for (int i = 0; i < k; i++) { out[2 * i] = h[i][0]; out[2 * i + 1] = h[i][1]; }
        return out;
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** {@link #perLayer(Network, long[], int, int)} of the regions' patterns. */
    private static int[] perLayer(Network net, List<LinearRegion> regions) {
        int words = (net.cuttingUnits() + 63) >>> 6, n = regions.size();
        long[] keys = new long[n * words];
        for (int g = 0; g < n; g++) {
            long[] pw = regions.get(g).pattern().wordArray();
            for (int k = 0; k < words; k++) keys[g * words + k] = sortKey(pw[k]);
        }
        return perLayer(net, keys, words, n);
    }

    /**
     * Regions after each layer: the number of distinct prefixes of the final patterns up to that layer's bits
     * (every face after a layer is one prefix's region, and each has at least one final region inside). Sorted
     * by bits (lowest index first), patterns sharing a prefix are contiguous, so the prefixes of length L number
     * one more than the neighbouring pairs whose first differing bit is below L.
     *
     * @param keys the n patterns as rows of {@code words} {@link #sortKey}s (row-major, one flat array: the sort
     *             reads neighbouring words, not one array object per pattern)
     */
    static int[] perLayer(Network net, long[] keys, int words, int n) {
        int[] order = sortedRows(keys, words, n);
        int length = net.cuttingUnits();
        int[] firstDiffCount = new int[length + 1];
        for (int r = 1; r < n; r++) firstDiffCount[Math.min(length, firstDiff(keys, words, order[r - 1], order[r]))]++;
        int[] below = new int[length + 1]; // below[L] = pairs whose first difference is below bit L
        for (int k = 0; k < length; k++) below[k + 1] = below[k] + firstDiffCount[k];
        int[] out = new int[net.depth() + 1];
        out[0] = 1;
        for (int i = 1; i <= net.depth(); i++) {
            if (net.layer(i).activation().cuts()) out[i] = 1 + below[net.patternOffset(i) + net.layer(i).units()];
            else out[i] = out[i - 1];
        }
        return out;
    }

    /** The row indices [0, n) of the keys ({@link #sortKey} rows of {@code words}) in pattern order; equal rows adjacent. */
    static int[] sortedRows(long[] keys, int words, int n) {
        int[] order = new int[n];
        for (int r = 0; r < n; r++) order[r] = r;
        sortRows(order, 0, n, 0, keys, words, 0);
        return order;
    }

    /**
     * A pattern word as a sort key: bit-reversed (pattern bit 0 becomes the most significant) with the top bit
     * flipped, so that signed comparison of keys, word by word, orders patterns by their lowest differing bit.
     */
    static long sortKey(long word) { return Long.reverse(word) ^ Long.MIN_VALUE; }

    /** Index of the lowest pattern bit where rows a and b of the keys differ (Integer.MAX_VALUE when equal). */
    private static int firstDiff(long[] keys, int words, int a, int b) {
        for (int k = 0; k < words; k++) {
            long x = keys[a * words + k] ^ keys[b * words + k];
            if (x != 0) return 64 * k + Long.numberOfLeadingZeros(x);
        }
        return Integer.MAX_VALUE;
    }

    /**
     * Sorts rows {@code order[lo, hi)}, all equal in words before {@code w}, by their keys from word w on: multikey
     * quicksort (a three-way partition on one word; the equal part goes on to the next word). Only the grouping of
     * equal prefixes matters to the counts, not the order among equal rows.
     */
    private static void sortRows(int[] order, int lo, int hi, int w, long[] keys, int words, int depth) {
        while (hi - lo > 1 && w < words) {
            if (hi - lo <= 16 || depth > 200) { // short ranges, or a pathological run of bad pivots: insertion/library sort
                sortSmall(order, lo, hi, w, keys, words);
                return;
            }
            int mid = (lo + hi) >>> 1;
            long a = keys[order[lo] * words + w], b = keys[order[mid] * words + w], c = keys[order[hi - 1] * words + w];
            long pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int lt = lo, i = lo, gt = hi - 1;
            while (i <= gt) {
                long k = keys[order[i] * words + w];
                if (k < pivot) swap(order, lt++, i++);
                else if (k > pivot) swap(order, i, gt--);
                else i++;
            }
            sortRows(order, lo, lt, w, keys, words, depth + 1);
            sortRows(order, gt + 1, hi, w, keys, words, depth + 1);
            lo = lt;
            hi = gt + 1;
            w++;
        }
    }

    private static void sortSmall(int[] order, int lo, int hi, int w, long[] keys, int words) {
        if (hi - lo > 16) {
            Integer[] boxed = new Integer[hi - lo];
            for (int r = lo; r < hi; r++) boxed[r - lo] = order[r];
            Arrays.sort(boxed, (x, y) -> compareRows(keys, words, x, y, w));
            for (int r = lo; r < hi; r++) order[r] = boxed[r - lo];
            return;
        }
        for (int r = lo + 1; r < hi; r++) {
            int x = order[r], q = r;
            while (q > lo && compareRows(keys, words, order[q - 1], x, w) > 0) { order[q] = order[q - 1]; q--; }
            order[q] = x;
        }
    }

    private static int compareRows(long[] keys, int words, int a, int b, int from) {
        for (int k = from; k < words; k++) {
            int c = Long.compare(keys[a * words + k], keys[b * words + k]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static void swap(int[] a, int i, int j) { int t = a[i]; a[i] = a[j]; a[j] = t; }

    private static int find(int[] parent, int p) {
        while (parent[p] != p) { parent[p] = parent[parent[p]]; p = parent[p]; }
        return p;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
