package atlas.regions;

import atlas.geometry.Rectangle;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The outline of a plane partition: its regions' polygons and nothing else (no patterns, areas, interior points or
 * neighbours; maps only when asked for, region by region), in flat arrays. What a picture of the boundaries and the
 * region count read; a training frame needs no more ({@link TiledPlanePartitioner#outline}, about a fifth less work
 * than the records of {@link TiledPlanePartitioner#compute} on a late ring frame; a grey-value image's frame also reads
 * the maps of the regions that hold a pixel centre, {@link TiledPlanePartitioner#outlineWithMaps}).
 *
 * <p>Region r's polygon is vertices {@code [first(r), first(r + 1))}, counter-clockwise, with the same
 * coordinates, the same first vertex and the same order as {@code partition.regions().get(r).vertices()} of the
 * partition with the same strips; regions are numbered as in that partition. So a picture drawn from the outline
 * is the same, pixel for pixel, as one drawn from the partition's records. Immutable: the arrays are never handed out.
 */
public final class PlaneOutline {
    private final Rectangle domain;
    /** vertex v at (xy[2v], xy[2v + 1]) */
    private final double[] xy;
    /** region r's vertices are [first[r], first[r + 1]) */
    private final int[] first;
    /** region r's affine map, made when asked for; null when the outline was made without maps */
    private final IntFunction<AffineMap> maps;

    /** Keeps the arrays given (this package's kernels make them for the outline alone). */
    PlaneOutline(Rectangle domain, double[] xy, int[] first) {
        this(domain, xy, first, null);
    }

    /** @param maps region r's map, made when asked for (thread-safe), or null */
    PlaneOutline(Rectangle domain, double[] xy, int[] first, IntFunction<AffineMap> maps) {
        if (first.length < 1 || xy.length != 2 * first[first.length - 1]) throw new IllegalArgumentException("outline arrays do not match");
        this.domain = domain;
        this.xy = xy;
        this.first = first;
        this.maps = maps;
    }

    /** The outline of a partition's records (its regions' polygons, copied in region order; without maps). */
    public static PlaneOutline of(PlanePartition p) {
        List<LinearRegion> regions = p.regions();
        int n = regions.size();
        int[] first = new int[n + 1];
        for (int r = 0; r < n; r++) first[r + 1] = first[r] + regions.get(r).vertexCount();
        double[] xy = new double[2 * first[n]];
        for (int r = 0; r < n; r++) {
            double[] v = regions.get(r).vertexArray();
            System.arraycopy(v, 0, xy, 2 * first[r], v.length);
        }
        return new PlaneOutline(p.domain(), xy, first);
    }

    /** The rectangle in plane coordinates. */
    public Rectangle domain() { return domain; }

    /** Number of regions. */
    public int count() { return first.length - 1; }

    /** Number of vertices of all regions' polygons together (a vertex shared by k regions counted k times). */
    public int vertexTotal() { return first[first.length - 1]; }

    /** Index of region r's first vertex among all regions' vertices ({@code first(count())} = {@link #vertexTotal()}). */
    public int first(int r) { return first[r]; }

    /** Number of vertices of region r's polygon. */
    public int vertexCount(int r) { return first[r + 1] - first[r]; }

    /** x of vertex v (an index from {@link #first}, not per region). */
    public double x(int v) { return xy[2 * v]; }

    /** y of vertex v (an index from {@link #first}, not per region). */
    public double y(int v) { return xy[2 * v + 1]; }

    /** True when {@link #map} answers ({@link TiledPlanePartitioner#outlineWithMaps}). */
    public boolean hasMaps() { return maps != null; }

    /**
     * Region r's affine map (the network's outputs on the region), the same as the partition's record of region r holds;
     * made on each call from what the cut kept (a vertex fit, or a composition for a kinked or thin region), so a caller
     * that reads the maps of a few regions pays for those only. Thread-safe.
     *
     * @throws IllegalStateException when the outline was made without maps
     */
    public AffineMap map(int r) {
        if (maps == null) throw new IllegalStateException("this outline was made without maps (TiledPlanePartitioner.outlineWithMaps makes them)");
        return maps.apply(r);
    }

    /** Region r's polygon, x0,y0,x1,y1,..., into {@code out[at, at + 2 vertexCount(r))}. */
    void copyRegion(int r, double[] out, int at) {
        System.arraycopy(xy, 2 * first[r], out, at, 2 * (first[r + 1] - first[r]));
    }

    /** A copy of region r's polygon, x0,y0,x1,y1,... (as {@link LinearRegion#vertices()}). */
    public double[] vertices(int r) { return java.util.Arrays.copyOfRange(xy, 2 * first[r], 2 * first[r + 1]); }

    @Override public String toString() {
        return "PlaneOutline[domain=" + domain + ", regions=" + count() + ", vertices=" + vertexTotal() + "]";
    }
}
