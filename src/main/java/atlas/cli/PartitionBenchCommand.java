package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.PartitionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code atlas bench partition}: exact 2-D partition vs a 1024^2 raster vs a forward pass over R points. */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = "Exact 2-D partition of seeded nets (a) 2->[30]x30->1, (b) 2->[64]x4->1, (c) 784->[64]x3->10 on a plane, "
                + "next to a raster pattern-hashing pass and a batched forward pass over one point per region.")
final class PartitionBenchCommand implements Callable<Integer> {
    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats of the exact partition (median; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--raster", defaultValue = "1024", description = "Raster grid side (default ${DEFAULT-VALUE}).")
    int raster;

    @Option(names = "--cases", defaultValue = "a,b,c", description = "Which cases to run (default ${DEFAULT-VALUE}).")
    String cases;

    @Option(names = "--exact", description = "Instead: the default tolerance next to certified exact mode (--exact) on each case: regions, declined cuts, wall and CPU seconds, their ratios, the share of vertices each stage decided, exact evaluations.")
    boolean exact;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (repeats < 1 || raster < 16) throw new BadInputException("--repeats must be >= 1 and --raster >= 16");
        PrintWriter w = spec.commandLine().getOut();
        Set<String> wanted = new java.util.HashSet<>(java.util.Arrays.asList(cases.split(",")));
        Set<String> known = new java.util.TreeSet<>();
        for (PartitionBenchmark.Case c : PartitionBenchmark.defaultCases()) known.add(c.name());
        for (String c : wanted)
            if (!known.contains(c)) throw new BadInputException("--cases: unknown case '" + c + "' (known: " + String.join(",", known) + ")");
        w.printf("cores: %d, java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (exact) return compareExact(w, wanted);
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-4s %-22s %8s %10s %12s %9s %10s %9s %10s %12s %11s%n", "case", "network", "regions", "exact s",
                "regions/s", "raster", "raster s", "found %", "exact/rast", "forward(R) s", "exact/fwd"));
        for (PartitionBenchmark.Case c : PartitionBenchmark.defaultCases()) {
            if (!wanted.contains(c.name())) continue;
            w.println("case " + c.name() + ": " + c.net().shape() + " on " + c.slice().description());
            w.flush();
            PartitionBenchmark.Row r = PartitionBenchmark.run(c, repeats, raster, s -> { w.println(s); w.flush(); });
            if (r.rasterPatternsNotExact() > 0)
                w.println("  WARNING: " + r.rasterPatternsNotExact() + " raster patterns are not among the exact regions");
            table.append(String.format("%-4s %-22s %8d %10.4f %12.0f %9d %10.3f %8.1f%% %10.3f %12.5f %11.1f%n", r.name(), r.shape(), r.regions(),
                    r.exactSeconds(), r.regionsPerSecond(), r.rasterPatterns(), r.rasterSeconds(), 100 * r.rasterFoundFraction(),
                    r.exactOverRaster(), r.forwardSeconds(), r.exactOverForward()));
        }
        w.println();
        w.print(table);
        w.println("raster = distinct activation patterns at the centres of a " + raster + "x" + raster + " grid; found % = share of exact regions the raster saw.");
        w.flush();
        return ExitCodes.OK;
    }

    private Integer compareExact(PrintWriter w, Set<String> wanted) {
        w.printf("%-4s %-22s %8s %8s %9s %9s %8s %9s %9s %7s %7s %8s %-6s %7s %7s %6s %-16s%n", "case", "network", "default", "declined",
                "default s", "def cpu s", "exact", "exact s", "exa cpu s", "ratio", "cpu rat", "vertices", "stage", "filter%", "exact%", "evals",
                "plain gave up");
        for (PartitionBenchmark.Case c : PartitionBenchmark.defaultCases()) {
            if (!wanted.contains(c.name())) continue;
            PartitionBenchmark.ExactRow r = PartitionBenchmark.compareExact(c, repeats, BenchCommand::processCpu);
            String gaveUp = r.plainGaveUpAt() == 0 ? "-" : "layer " + r.plainGaveUpAt() + ", " + r.plainVertices() + " v";
            w.printf("%-4s %-22s %8d %8d %9.4f %9.4f %8d %9.4f %9.4f %7.2f %7.2f %8d %-6s %7.2f %7.2f %6d %-16s%n", r.name(), r.shape(), r.defaultRegions(),
                    r.declinedCuts(), r.defaultSeconds(), r.defaultCpuSeconds(), r.exactRegions(), r.exactSeconds(), r.exactCpuSeconds(),
                    r.ratio(), r.cpuRatio(), r.vertices(), "plain".equals(r.stage()) ? "plain" : "dd", 100 * r.filterShare(), 100 * r.exactShare(),
                    r.exactEvaluations(), gaveUp);
            w.flush();
        }
        w.println("default = Tolerance.DEFAULT (side 1e-9, min area 1e-16); exact = --exact (certified); "
                + repeats + " interleaved runs: median wall-clock seconds, mean process CPU seconds (ratio, cpu rat = exact / default); vertices = vertices "
                + "of the exact partition; stage = the stage that made it (plain: plain double with certified bounds; dd: double-double); "
                + "filter% = share of its vertices whose every sign that stage's filter decided; exact% = share that needed exact arithmetic; "
                + "evals = network evaluations in exact arithmetic (a plain stage given up included); plain gave up = the layer at which the "
                + "plain stage gave up and the vertices it had made.");
        w.flush();
        return ExitCodes.OK;
    }
}
