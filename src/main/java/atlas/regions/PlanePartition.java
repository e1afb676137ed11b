package atlas.regions;

import atlas.geometry.Rectangle;

import java.util.List;

/**
 * The exact partition of a rectangle of a plane slice into linear regions.
 *
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
public record PlanePartition(PlaneSlice slice, Rectangle domain, List<LinearRegion> regions, int[] regionsPerLayer,
                             int anomalies, int declinedCuts, double seconds)
        implements Partition<LinearRegion> {
    public PlanePartition {
        regions = List.copyOf(regions);
        regionsPerLayer = regionsPerLayer.clone();
    }

    @Override public int[] regionsPerLayer() { return regionsPerLayer.clone(); }

    @Override public int count() { return regions.size(); }

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
