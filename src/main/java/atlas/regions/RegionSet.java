package atlas.regions;

import atlas.geometry.HPolytope;

import java.util.List;

/**
 * The linear regions of a network inside a domain, as found by {@link RegionEnumerator}.
 *
 * <p>Certification: the enumeration is a search over facet-adjacent regions, so the regions found cover the
 * domain exactly when every interior facet of every region found leads to a region found. {@link #complete()} is
 * true only when the search ran to the end (no stop), no interior facet (other than facets thinner than the
 * tolerance, counted in {@link #thinFacets()}) was left unresolved or led to a lower-dimensional pattern, and, where volumes are known (dimension 1 to 3), the volumes sum to the domain's
 * volume within {@link #VOLUME_CHECK}.
 *
 * @param inputDim         the input dimension
 * @param domain           the domain
 * @param regions          the regions, ids 0..n-1 in discovery (breadth-first) order
 * @param complete         see above
 * @param stop             why the search ended
 * @param pending          regions discovered but not built when it stopped (0 when complete)
 * @param unresolvedFacets interior facets whose neighbour could not be determined or is not in the set
 * @param thinFacets       interior facets left without a neighbour because they are thinner than the tolerance
 *                         ({@link Facet#thin()}); they do not count against completeness: regions reachable only
 *                         through such facets are slivers at the resolution of the tolerance
 * @param volumeSum        sum of region volumes (NaN when not computed)
 * @param domainVolume     the domain's volume (NaN when not computed)
 * @param lps              number of linear programs solved
 * @param seconds          wall time
 * @param threads          worker threads used
 * @param solver           the LP solver's name
 */
public record RegionSet(int inputDim, HPolytope domain, List<RegionPolytope> regions, boolean complete, Stop stop,
                        int pending, int unresolvedFacets, int thinFacets, double volumeSum, double domainVolume, long lps,
                        double seconds, int threads, String solver) implements Partition<RegionPolytope> {

    /** Relative agreement required between the sum of region volumes and the domain's volume. */
    public static final double VOLUME_CHECK = 1e-7;

    /** Why an enumeration ended. */
    public enum Stop {
        /** Every discovered region was built. */
        FINISHED,
        /** The region limit was reached. */
        MAX_REGIONS,
        /** The time budget ran out. */
        TIME_LIMIT,
        /** The thread was interrupted. */
        INTERRUPTED
    }

    public RegionSet {
        // a RegionStore is read-only and builds its records on demand: copying it would make them all at once
        if (!(regions instanceof RegionStore)) regions = List.copyOf(regions);
    }

    @Override public int count() { return regions.size(); }

    public RegionPolytope region(int id) { return regions.get(id); }

    /** Relative difference |sum of volumes - domain volume| / domain volume, NaN when not known. */
    public double volumeError() {
        return Math.abs(volumeSum - domainVolume) / domainVolume;
    }

    /** A one-line description such as "1234 regions, complete, 2.1 s". */
    public String summary() {
        return count() + " regions, " + (complete ? "complete" : "partial (" + stop.name().toLowerCase() + ", "
                + pending + " pending, " + unresolvedFacets + " unresolved facets)") + String.format(", %.3f s", seconds);
    }
}
