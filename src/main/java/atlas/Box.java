package atlas;

import atlas.error.BadInputException;
import atlas.geometry.HPolytope;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionSet;

/**
 * An n-D domain of a network's input space, from {@link Atlas#box} or {@link Atlas#polytope}, with the search
 * limits of its {@link #enumerate()}.
 *
 * @param atlas       the network and tolerance
 * @param domain      the domain
 * @param maxRegions  stop after this many regions (the result then says it is incomplete)
 * @param threads     worker threads
 * @param timeLimit   stop after this many seconds (+infinity: no limit)
 */
public record Box(Atlas atlas, HPolytope domain, int maxRegions, int threads, double timeLimit) {

    /** Default limits: 1,000,000 regions, one thread, no time limit. */
    public static final int DEFAULT_MAX_REGIONS = 1_000_000;

    Box(Atlas atlas, HPolytope domain) {
        this(atlas, domain, DEFAULT_MAX_REGIONS, 1, Double.POSITIVE_INFINITY);
    }

    public Box {
        if (maxRegions <= 0) throw new BadInputException("maxRegions must be positive, got " + maxRegions);
        if (threads <= 0) throw new BadInputException("threads must be positive, got " + threads);
        if (!(timeLimit > 0)) throw new BadInputException("the time limit must be positive, got " + timeLimit);
    }

    public Box maxRegions(int n) { return new Box(atlas, domain, n, threads, timeLimit); }

    public Box threads(int n) { return new Box(atlas, domain, maxRegions, n, timeLimit); }

    public Box timeLimit(double seconds) { return new Box(atlas, domain, maxRegions, threads, seconds); }

    /** Every linear region in the domain, with the completeness certificate ({@link RegionSet#complete()}). */
    public RegionSet enumerate() {
        RegionEnumerator e = new RegionEnumerator(atlas.network(), domain, atlas.tolerance())
                .setMaxRegions(maxRegions).setThreads(threads);
        if (Double.isFinite(timeLimit)) e.setTimeLimit(timeLimit);
        return e.getResult();
    }
}
