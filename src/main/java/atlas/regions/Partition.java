package atlas.regions;

import java.util.List;
import java.util.stream.Stream;

/**
 * A set of linear regions found by one engine: the partition of a plane rectangle ({@link PlanePartition}), of a
 * segment ({@link SegmentPartition}) or of an n-D domain ({@link RegionSet}).
 *
 * @param <R> the kind of region
 */
public interface Partition<R extends Region> {

    /** The regions, in the engine's order (ids 0..n-1 where the region has an id). */
    List<R> regions();

    /** The number of regions. */
    default int count() { return regions().size(); }

    /** The regions as a stream. */
    default Stream<R> stream() { return regions().stream(); }

    /** The sum of the regions' measures (NaN when an engine did not compute them). */
    default double totalMeasure() {
        double s = 0;
        for (R r : regions()) s += r.measure();
        return s;
    }

    /** Wall time of the computation, seconds. */
    double seconds();
}
