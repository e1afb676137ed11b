package atlas.cli;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;
import atlas.regions.SubdivisionEnumerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code atlas bench enumerate}: regions per second of the n-D enumeration engines (LP search and edge subdivision)
 * on seeded nets d -> [16]x3 -> 1 and d -> [32]x3 -> 1 (Kaiming-normal weights, biases 0.1, seed 1) in boxes
 * [-h, h]^d, and in 2-D next to the plane algorithm; wall and process CPU time (the machine may be shared: the load
 * average is printed).
 */
@Command(name = "enumerate", mixinStandardHelpOptions = true,
        description = "Regions/s of the n-D region enumeration engines (lp, subdivision) on seeded nets d->[16]x3->1 and d->[32]x3->1 in boxes "
                + "[-h,h]^d (d = 2, 3, 4, 6), and in 2-D next to the exact plane algorithm. Runs that finish in under 10 s "
                + "are repeated once and the faster is reported.")
final class EnumerateBenchCommand implements Callable<Integer> {
    @Option(names = "--dims", defaultValue = "2,3,4,6", description = "Input dimensions to run (default ${DEFAULT-VALUE}).")
    String dims;

    @Option(names = "--widths", defaultValue = "16,32", description = "Hidden widths of the [w]x3 nets (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--half-widths",
            description = "Box half-width h for each entry of --dims (default: 1 for d <= 3, 0.5 for d = 4, 0.25 above).")
    String halfWidths;

    @Option(names = "--time-limit", defaultValue = "60", description = "Seconds per case; a case that hits it is reported partial, with its rate (default ${DEFAULT-VALUE}).")
    double timeLimit;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--lp", defaultValue = "dual-simplex", description = "LP solver: dual-simplex or hipparchus (default ${DEFAULT-VALUE}).")
    String lp;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the nets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warm-up", defaultValue = "0",
            description = "Unmeasured subdivision runs of each case before the measured ones (JIT warm-up; default ${DEFAULT-VALUE}: "
                    + "only the small warm-up net).")
    int warmUp;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A model file to run instead of the seeded nets (any format `enumerate` reads; repeatable), in --box.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--box", paramLabel = "lo,hi", defaultValue = "-1,1",
            description = "The box [lo,hi]^d of the --model files (default ${DEFAULT-VALUE}).")
    String box;

    @Option(names = "--engines", defaultValue = "lp,subdivision",
            description = "Engines to run on each case: lp, subdivision, or both (default ${DEFAULT-VALUE}); with both, the "
                    + "subdivision row says whether its patterns equal the LP engine's.")
    String engines;

    @Override
    public Integer call() {
        int[] ds = ints(dims, "--dims");
        int[] ws = ints(widths, "--widths");
        double[] hs = halfWidths == null ? Arrays.stream(ds).mapToDouble(EnumerateBenchCommand::defaultHalfWidth).toArray()
                : halfWidths(halfWidths);
        if (hs.length != ds.length) throw new BadInputException("--half-widths needs one value per --dims entry (" + ds.length + ")");
        if (!(timeLimit > 0)) throw new BadInputException("--time-limit must be positive");
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads <= 0) throw new BadInputException("--threads must be positive");
        if (warmUp < 0) throw new BadInputException("--warm-up must not be negative");
        boolean runLp = false, runSub = false;
        for (String e : engines.split(",")) {
            switch (e.trim()) {
                case "lp" -> runLp = true;
                case "subdivision" -> runSub = true;
                default -> throw new BadInputException("--engines: '" + e.trim() + "' is not lp or subdivision");
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("cores: %d, threads: %d, java %s, LP: %s, load average: %s%n", Runtime.getRuntime().availableProcessors(), nThreads,
                System.getProperty("java.version"), atlas.geometry.LpSolver.byName(lp).name(), loadAverage());
        // warm-up (JIT): a small 3-D enumeration by each engine
        Network warm = Networks.kaiming(99, 3, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        if (runLp)
            new RegionEnumerator(warm, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT)
                    .setThreads(nThreads).setSolver(atlas.geometry.LpSolver.byName(lp)).getResult();
        if (runSub) for (int k = 0; k < 3; k++) new SubdivisionEnumerator(warm, HPolytope.cube(3, -1, 1), Tolerance.DEFAULT).setThreads(nThreads).getResult();
        List<Case> cases = new ArrayList<>();
        if (!models.isEmpty()) {
            double[] lohi = lowHigh(box);
            for (Path m : models) {
                Network net = ModelArgs.load(m);
                cases.add(new Case(net, net.inputDim(), lohi[0], lohi[1]));
            }
        } else {
            for (int i = 0; i < ds.length; i++)
                for (int width : ws)
                    cases.add(new Case(Networks.kaiming(seed, ds[i], Networks.uniform(width, 3), 1, Activation.RELU, 0, 0.1), ds[i], -hs[i], hs[i]));
        }
        StringBuilder table = new StringBuilder(String.format("%-3s %-16s %-14s %-12s %9s %-9s %9s %11s %9s %s%n",
                "d", "network", "box", "engine", "regions", "complete", "seconds", "regions/s", "CPU s", "notes"));
        for (Case c : cases) {
            Network net = c.net();
            int d = c.d();
            String box = "[" + c.lo() + "," + c.hi() + "]^" + d;
            RegionSet set = null;
            if (runLp) {
                double cpu = 0;
                for (int rep = 0; rep < 2; rep++) { // short runs are repeated once (JIT warm-up); the faster counts
                    long c0 = BenchCommand.processCpu();
                    RegionSet s = new RegionEnumerator(net, HPolytope.cube(d, c.lo(), c.hi()), Tolerance.DEFAULT)
                            .setThreads(nThreads).setTimeLimit(timeLimit).setSolver(atlas.geometry.LpSolver.byName(lp)).getResult();
                    long c1 = BenchCommand.processCpu();
                    if (set == null || s.seconds() < set.seconds()) { set = s; cpu = (c1 - c0) / 1e9; }
                    if (!s.complete() || s.seconds() > 10) break;
                }
                double facets = 0;
                for (RegionPolytope r : set.regions()) facets += r.facetCount();
                String plane = "";
                if (d == 2) {
                    Rectangle rect = new Rectangle(c.lo(), c.hi(), c.lo(), c.hi());
                    double best = Double.POSITIVE_INFINITY;
                    PlanePartition p = null;
                    for (int rep = 0; rep < 5; rep++) {
                        long t0 = System.nanoTime();
                        p = PlanePartitioner.compute(net, rect);
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    }
                    Set<ActivationPattern> a = new HashSet<>(), b = new HashSet<>();
                    for (LinearRegion r : p.regions()) a.add(r.pattern());
                    for (RegionPolytope r : set.regions()) b.add(r.pattern());
                    plane = String.format("; plane algorithm %d regions in %.4f s (%.0f regions/s, best of 5), same patterns: %s",
                            p.count(), best, p.count() / best, a.equals(b));
                }
                String row = String.format("%-3d %-16s %-14s %-12s %9d %-9s %9.3f %11.0f %9.2f %.1f LPs/region, %.1f facets/region%s%n", d,
                        net.shape(), box, "lp", set.count(), set.complete() ? "yes" : "partial", set.seconds(),
                        set.count() / set.seconds(), cpu, (double) set.lps() / Math.max(1, set.count()),
                        facets / Math.max(1, set.count()), plane);
                w.print(row);
                w.flush();
                table.append(row);
            }
            if (runSub) {
                for (int k = 0; k < warmUp; k++)
                    new SubdivisionEnumerator(net, HPolytope.cube(d, c.lo(), c.hi()), Tolerance.DEFAULT).setThreads(nThreads)
                            .setTimeLimit(timeLimit).getResult();
                RegionSet best = null;
                double bestCells = 0, cellsCpu = 0, cpu = 0, bestMaps = 0;
                for (int rep = 0; rep < 2; rep++) {
                    SubdivisionEnumerator e = new SubdivisionEnumerator(net, HPolytope.cube(d, c.lo(), c.hi()), Tolerance.DEFAULT)
                            .setThreads(nThreads).setTimeLimit(timeLimit);
                    long c0 = BenchCommand.processCpu(), t0 = threadCpu();
                    SubdivisionEnumerator.Cells cells = e.getCells();
                    long t1 = threadCpu();
                    RegionSet s = e.getResult();
                    long c1 = BenchCommand.processCpu();
                    // the regions' output maps are made at the first call that needs one (a region's record,
                    // linear pieces): timed here, apart, so that the row says what a full set of records costs
                    long m0 = System.nanoTime();
                    if (s.count() > 0) s.region(0);
                    double maps = (System.nanoTime() - m0) / 1e9;
                    if (best == null || s.seconds() < best.seconds()) {
                        best = s;
                        bestCells = cells.seconds();
                        cellsCpu = (t1 - t0) / 1e9;
                        cpu = (c1 - c0) / 1e9;
                        bestMaps = maps;
                    }
                    if (!s.complete() || s.seconds() > 10) break;
                }
                String same = "";
                if (set != null && set.complete() && best.complete()) {
                    Set<ActivationPattern> a = new HashSet<>(), b = new HashSet<>();
                    for (RegionPolytope r : set.regions()) a.add(r.pattern());
                    for (RegionPolytope r : best.regions()) b.add(r.pattern());
                    same = String.format(", same patterns as lp: %s, %.1fx lp's regions/s", a.equals(b), set.seconds() / best.seconds());
                }
                String row = String.format("%-3d %-16s %-14s %-12s %9d %-9s %9.3f %11.0f %9.2f %.1f us/region (wall); subdivision alone %.3f s "
                                + "(%.0f regions/s, %.2f s CPU of the calling thread), region records %.3f s, then output maps on first "
                                + "use %.3f s (%.1f us/region with them)%s%s%n", d, net.shape(), box,
                        "subdivision", best.count(), best.complete() ? "yes" : "partial", best.seconds(), best.count() / best.seconds(),
                        cpu, 1e6 * best.seconds() / Math.max(1, best.count()), bestCells, best.count() / Math.max(bestCells, 1e-9),
                        cellsCpu, best.seconds() - bestCells, bestMaps, 1e6 * (best.seconds() + bestMaps) / Math.max(1, best.count()),
                        warmUp > 0 ? ", after " + warmUp + " warm-up run(s)" : "", same);
                w.print(row);
                w.flush();
                table.append(row);
            }
        }
        w.println();
        if (runSub) // the peer the issue measures against; bench/edge-subdivision/run.sh runs it on the same net and box
            w.println("for comparison: relu_edge_subdivision (Berzins, ICML 2023, PyTorch on CPU, one thread), the whole complex of the "
                    + "same seeded 3 -> [16]x3 net in [-1,1]^3 on the 2-core development machine: 0.066-0.090 s warm (6.3-8.6 us/region), "
                    + "0.15 s for a process's first call; it makes vertices, edges and sign vectors, no facets, neighbours or volumes "
                    + "(bench/edge-subdivision/run.sh runs it beside this bench on any net)");
        w.printf("load average at the end: %s%n", loadAverage());
        w.print(table);
        w.flush();
        return ExitCodes.OK;
    }

    /** One bench case: a network and its box [lo, hi]^d. */
    private record Case(Network net, int d, double lo, double hi) {}

    /** {@code lo,hi} of --box. */
    private static double[] lowHigh(String text) {
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                double lo = Double.parseDouble(parts[0].trim()), hi = Double.parseDouble(parts[1].trim());
                if (lo < hi && Double.isFinite(lo) && Double.isFinite(hi)) return new double[]{lo, hi};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException("--box must be lo,hi with finite lo < hi, got '" + text + "'");
    }

    /** The 1-minute load average (the machine may be shared), or "n/a". */
    static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format("%.2f", l);
    }

    /** CPU time of the calling thread in ns (the subdivision runs on it). */
    private static long threadCpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static int[] ints(String s, String what) {
        try {
            int[] v = Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
            for (int x : v) if (x <= 0) throw new BadInputException(what + " values must be positive");
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException(what + ": not a list of integers: " + s);
        }
    }

    /**
     * The box half-width used when none is given: the boxes of the measured table (1, 1, 0.5, 0.25 for d = 2, 3, 4,
     * 6), chosen so that every case finishes or nearly finishes within the default time limit; regions per box grow
     * roughly like h^d, so higher dimensions get smaller boxes.
     */
    static double defaultHalfWidth(int d) {
        return d <= 3 ? 1 : d == 4 ? 0.5 : 0.25;
    }

    private static double[] halfWidths(String text) {
        String[] parts = text.split(",");
        double[] hs = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                hs[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--half-widths: '" + parts[i].trim() + "' is not a number");
            }
            if (!(hs[i] > 0) || Double.isInfinite(hs[i])) throw new BadInputException("--half-widths must be positive finite numbers, got " + parts[i].trim());
        }
        return hs;
    }
}
