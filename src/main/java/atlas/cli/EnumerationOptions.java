package atlas.cli;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.measure.RegionJson;
import atlas.net.Network;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionSet;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options shared by {@code atlas enumerate} and {@code atlas stats}: the domain and the search limits. */
final class EnumerationOptions {
    @Option(names = "--box", paramLabel = "lo,hi",
            description = "The box: lo,hi on every input, or lo1,hi1,lo2,hi2,... one interval per input.")
    String box;

    @Option(names = "--polytope", paramLabel = "FILE",
            description = "A polytope domain instead of a box: JSON {\"A\": [[...], ...], \"b\": [...]} meaning A x <= b.")
    Path polytope;

    @Option(names = "--max-regions", paramLabel = "N", description = "Stop after N regions (the result is labelled partial).")
    Integer maxRegions;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop after this many seconds (the result is labelled partial).")
    Double timeLimit;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--lp", paramLabel = "SOLVER", defaultValue = "dual-simplex",
            description = "LP solver: dual-simplex (built in, fast), hipparchus (library) or exact (fractions, slow; default ${DEFAULT-VALUE}).")
    String lp;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on standard error.")
    boolean noProgress;

    @Mixin
    ToleranceMixin toleranceMixin;

    HPolytope domain(Network net) {
        if ((box == null) == (polytope == null)) throw new BadInputException("give the domain with exactly one of --box and --polytope");
        return box != null ? HPolytope.parseBox(box, net.inputDim()) : RegionJson.readPolytope(polytope, net.inputDim());
    }

    RegionSet enumerate(Network net) {
        HPolytope d = domain(net);
        Ranges.domain(net, d);
        RegionEnumerator e = new RegionEnumerator(net, d, toleranceMixin.floatingTolerance("enumerate"));
        if (maxRegions != null) e.setMaxRegions(maxRegions);
        if (timeLimit != null) e.setTimeLimit(timeLimit);
        if (threads != null) e.setThreads(threads);
        e.setSolver(atlas.geometry.LpSolver.byName(lp));
        if (noProgress) return e.getResult();
        try (ProgressBar bar = ProgressBars.open("regions", maxRegions == null ? -1 : maxRegions)) {
            e.setProgressListener(bar::stepTo);
            return e.getResult();
        }
    }
}
