package atlas.regions;

import atlas.geometry.Rectangle;

import java.util.List;

/**
 * The exact partition of a rectangle of a plane slice into linear regions.
 *
 * <p>A final class with the accessors of a record (it was one): the tiled kernel leaves the regions per layer to be
 * counted when first asked for ({@link #regionsPerLayer()}), since a training frame or snapshot never reads them and
 * their count is a sort of every pattern. The result is the same whenever it is computed.
 */
public final class PlanePartition implements Partition<LinearRegion> {
    private final PlaneSlice slice;
    private final Rectangle domain;
    private final List<LinearRegion> regions;
    private final int anomalies, declinedCuts;
    private final double seconds;
    /** the regions per layer, or null until {@link #perLayerOf} has made them */
    private int[] regionsPerLayer;
    private java.util.function.Supplier<int[]> perLayerOf;

    /**
     * @param slice            the plane (input space coordinates)
     * @param domain           the rectangle in plane coordinates
     * @param regions          every region, ids 0..n-1
     * @param regionsPerLayer  regionsPerLayer[i] = number of regions after cutting by layers 1..i (index 0: 1)
     * @param anomalies        faces where rounding produced an inconsistent sign sequence and the cut was skipped
     *                         (0 on every network we have tested; reported so a user can see it)
     * @param declinedCuts     cuts not made because one piece would have been below the tolerance's minimum area
     *                         (a region thinner than the tolerance merged into its larger neighbour)
     * @param seconds          wall time of the computation
     */
    public PlanePartition(PlaneSlice slice, Rectangle domain, List<LinearRegion> regions, int[] regionsPerLayer,
                          int anomalies, int declinedCuts, double seconds) {
        this(slice, domain, regions, regionsPerLayer.clone(), null, anomalies, declinedCuts, seconds);
    }

    /** With the regions per layer made by {@code perLayerOf} when first asked for (once; it may keep data alive until then). */
    PlanePartition(PlaneSlice slice, Rectangle domain, List<LinearRegion> regions, java.util.function.Supplier<int[]> perLayerOf,
                   int anomalies, int declinedCuts, double seconds) {
        this(slice, domain, regions, null, perLayerOf, anomalies, declinedCuts, seconds);
    }

    private PlanePartition(PlaneSlice slice, Rectangle domain, List<LinearRegion> regions, int[] regionsPerLayer,
                           java.util.function.Supplier<int[]> perLayerOf, int anomalies, int declinedCuts, double seconds) {
        this.slice = slice;
        this.domain = domain;
        this.regions = List.copyOf(regions);
        this.regionsPerLayer = regionsPerLayer;
        this.perLayerOf = perLayerOf;
        this.anomalies = anomalies;
        this.declinedCuts = declinedCuts;
        this.seconds = seconds;
    }

    /** The plane (input space coordinates). */
    public PlaneSlice slice() { return slice; }

    /** The rectangle in plane coordinates. */
    public Rectangle domain() { return domain; }

    /** Every region, ids 0..n-1. */
    @Override public List<LinearRegion> regions() { return regions; }

    /** regionsPerLayer[i] = number of regions after cutting by layers 1..i (index 0: 1). */
    public int[] regionsPerLayer() {
        synchronized (this) {
            if (regionsPerLayer == null) {
                regionsPerLayer = perLayerOf.get();
                perLayerOf = null;
            }
            return regionsPerLayer.clone();
        }
    }

    /** Faces where rounding produced an inconsistent sign sequence and the cut was skipped. */
    public int anomalies() { return anomalies; }

    /** Cuts not made because one piece would have been below the tolerance's minimum area. */
    public int declinedCuts() { return declinedCuts; }

    /** Wall time of the computation, seconds (the regions per layer of a tiled partition, if counted later, not included). */
    @Override public double seconds() { return seconds; }

    @Override public int count() { return regions.size(); }

    @Override public String toString() {
        return "PlanePartition[slice=" + slice + ", domain=" + domain + ", regions=" + regions.size() + ", anomalies=" + anomalies
                + ", declinedCuts=" + declinedCuts + ", seconds=" + seconds + "]";
    }

    /** Sum of region areas (equals the domain's area up to rounding). */
    public double totalArea() {
        double s = 0;
        for (LinearRegion r : regions) s += r.area();
        return s;
    }

    /** The region containing plane point (s, t), or null outside the domain. Linear scan. */
    public LinearRegion locate(double s, double t) {
        if (!domain.contains(s, t)) return null;
        double eps = KernelParameters.EDGE_SLACK * Math.max(1, domain.magnitude());
        for (LinearRegion r : regions)
            if (r.contains(s, t, eps)) return r;
        return null;
    }

    /** Number of pairs of regions that share an edge. */
    public int adjacentPairs() {
        int e = 0;
        for (LinearRegion r : regions) e += r.neighbourCount();
        return e / 2;
    }
}
