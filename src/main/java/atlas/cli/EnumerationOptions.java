package atlas.cli;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.measure.RegionJson;
import atlas.net.Network;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionSet;
import atlas.regions.SubdivisionEnumerator;
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

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "subdivision: edge subdivision of a cell complex, no LP (box domains, floating tolerance; "
                    + "centre = vertex centroid); lp: breadth-first search with LPs (polytope domains, Chebyshev centres, "
                    + "partial results, --exact where implemented). Default: subdivision for enumerate on a box of up to 12 inputs without --max-regions/--time-limit, else lp.")
    String engine;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on standard error.")
    boolean noProgress;

    @Mixin
    ToleranceMixin toleranceMixin;

    HPolytope domain(Network net) {
        if ((box == null) == (polytope == null)) throw new BadInputException("give the domain with exactly one of --box and --polytope");
        return box != null ? HPolytope.parseBox(box, net.inputDim()) : RegionJson.readPolytope(polytope, net.inputDim());
    }

    /** The engines {@code --engine} takes. */
    static final String SUBDIVISION = "subdivision", LP = "lp";

    /**
     * The regions, by {@code --engine} or else {@code defaultEngine}. A default subdivision engine gives way to the LP
     * engine where it does not apply (a {@code --polytope} domain, {@code --exact}; asked for by name it refuses
     * those) and where a limit is given ({@code --max-regions}, {@code --time-limit}): a stopped LP search lists the
     * regions it found, a stopped subdivision none (its cells are not yet regions).
     */
    RegionSet enumerate(Network net, String defaultEngine) {
        String eng = engine != null ? engine : defaultEngine;
        if (!eng.equals(SUBDIVISION) && !eng.equals(LP))
            throw new BadInputException("--engine must be subdivision or lp, got '" + eng + "'");
        if (eng.equals(SUBDIVISION) && (polytope != null || toleranceMixin.exact)) {
            if (engine != null)
                throw new BadInputException(polytope != null ? "--engine subdivision takes --box domains only (use --engine lp for --polytope)"
                        : "--exact is not implemented in --engine subdivision (use --engine lp)");
            eng = LP;
        }
        if (eng.equals(SUBDIVISION) && engine == null
                && (maxRegions != null || timeLimit != null || net.inputDim() > SubdivisionEnumerator.MAX_DIM)) eng = LP;
        HPolytope d = domain(net);
        Ranges.domain(net, d);
        if (eng.equals(SUBDIVISION)) {
            SubdivisionEnumerator s = new SubdivisionEnumerator(net, d, toleranceMixin.floatingTolerance("enumerate"));
            if (maxRegions != null) s.setMaxRegions(maxRegions);
            if (timeLimit != null) s.setTimeLimit(timeLimit);
            if (threads != null) s.setThreads(threads);
            if (noProgress) return s.getResult();
            try (ProgressBar bar = ProgressBars.open("cells", maxRegions == null ? -1 : maxRegions)) {
                s.setProgressListener(bar::stepTo);
                return s.getResult();
            }
        }
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
