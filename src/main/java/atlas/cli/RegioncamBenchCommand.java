package atlas.cli;

import atlas.error.BadInputException;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code atlas bench regioncam}: the plane partition of the same nets and rectangles by this library and by
 * Regioncam's Rust core (the peer program built from bench/regioncam, see docs/benchmarks.md), run one after
 * the other in one call so that both see the same machine load; checks that both find the same number of
 * regions and prints times, regions/s and the ratio. Regioncam is a benchmark peer only: nothing else uses it.
 */
@Command(name = "regioncam", mixinStandardHelpOptions = true,
        description = "Plane partitions by ReLU Atlas and by Regioncam's Rust core (bench/regioncam, built by "
                + "bench/regioncam/run.sh) on the same nets and rectangles: regions (must agree), seconds, regions/s, "
                + "ratio, peak memory.")
public final class RegioncamBenchCommand implements Callable<Integer> {
    static final List<String> CASES = List.of("small", "w64x6", "w100x4", "ring");

    @Option(names = "--peer", defaultValue = "bench/regioncam/target/release/regioncam-bench",
            description = "The Regioncam peer program (default ${DEFAULT-VALUE}).")
    Path peer;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats per case and engine (median; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--cases", defaultValue = "small,w64x6,w100x4,ring",
            description = "Seeded cases (default ${DEFAULT-VALUE}): small 2->[12]x4->1, w64x6 2->[64]x6->1, w100x4 "
                    + "2->[100]x4->1 (ReLU), ring 2->[30]x30->1 leaky, all on [-1,1]^2.")
    String cases;

    @Option(names = "--model", description = "Also a model file (relu-atlas-model/1, 2 inputs) on --domain; repeatable.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--domain", defaultValue = "0,1,0,1", description = "Rectangle xmin,xmax,ymin,ymax for --model files (default ${DEFAULT-VALUE}).")
    String domain;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private record Case(String name, Network net, Path file, Rectangle box) { }

    @Override
    public Integer call() throws IOException {
        if (repeats < 1) throw new BadInputException("--repeats must be positive");
        if (!Files.isExecutable(peer))
            throw new BadInputException("--peer: no Regioncam peer program at " + peer + " (build it with bench/regioncam/run.sh, see docs/benchmarks.md)");
        Rectangle modelBox = Rectangle.parse(domain);
        Path tmp = Files.createTempDirectory("atlas-regioncam");
        List<Case> todo = new ArrayList<>();
        for (String c : cases.isBlank() ? new String[0] : cases.split(",")) {
            if (!CASES.contains(c)) throw new BadInputException("--cases: unknown case '" + c + "' (known: " + String.join(",", CASES) + ")");
            Network net = switch (c) {
                case "small" -> Networks.kaiming(1, 2, Networks.uniform(12, 4), 1, Activation.RELU, 0, 0.1);
                case "w64x6" -> Networks.kaiming(2, 2, Networks.uniform(64, 6), 1, Activation.RELU, 0, 0.1);
                case "w100x4" -> Networks.kaiming(3, 2, Networks.uniform(100, 4), 1, Activation.RELU, 0, 0.1);
                default -> Networks.kaiming(1, 2, Networks.uniform(30, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1);
            };
            Path file = tmp.resolve(c + ".json");
            ModelFormat.write(net, file);
            todo.add(new Case(c, net, file, new Rectangle(-1, 1, -1, 1)));
        }
        for (Path m : models) todo.add(new Case(String.valueOf(m.getFileName()), ModelFormat.read(m), m, modelBox));
        PrintWriter w = spec.commandLine().getOut();
        w.printf("cores: %d, java %s, load average %.1f; peer %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), peer);
        StringBuilder table = new StringBuilder(String.format("%-22s %-22s %9s %9s %10s %9s %12s %10s %9s %9s %12s%n", "case", "network",
                "atlas", "regioncam", "atlas s", "cpu s", "atlas reg/s", "rc s", "rc cpu s", "rc MiB", "atlas/rc speed"));
        boolean allSame = true;
        try {
            for (Case c : todo) {
                // warm-up, untimed: calls until one second has passed (at least one), so that a small net's timed calls
                // run compiled code as they would in a warm process (one call compiles little of a 2 ms partition)
                long warmUntil = System.nanoTime() + 1_000_000_000L;
                do TiledPlanePartitioner.compute(c.net(), PlaneSlice.inputPlane(), c.box());
                while (System.nanoTime() < warmUntil);
                double[] wall = new double[repeats], cpu = new double[repeats];
                int count = 0;
                for (int r = 0; r < repeats; r++) {
                    long c0 = BenchCommand.processCpu(), t0 = System.nanoTime();
                    PlanePartition p = TiledPlanePartitioner.compute(c.net(), PlaneSlice.inputPlane(), c.box());
                    wall[r] = (System.nanoTime() - t0) / 1e9;
                    cpu[r] = (BenchCommand.processCpu() - c0) / 1e9;
                    count = p.count();
                }
                PeerRun rc = runPeer(c);
                boolean same = rc.regions() == count;
                allSame &= same;
                double a = BenchCommand.upperMedian(wall);
                String row = String.format("%-22s %-22s %9d %9d %10.3f %9.3f %12.0f %10.3f %9.3f %9.0f %11.2fx%s%n", c.name(), c.net().shape(), count,
                        rc.regions(), a, BenchCommand.upperMedian(cpu), count / a, rc.seconds(), rc.cpuSeconds() / repeats, rc.peakKib() / 1024.0, rc.seconds() / a,
                        same ? "" : "  (counts differ)");
                w.print(row);
                w.flush();
                table.append(row);
            }
        } finally {
            for (String c : CASES) Files.deleteIfExists(tmp.resolve(c + ".json"));
            Files.deleteIfExists(tmp);
        }
        w.println();
        w.print(table);
        w.println("atlas s: median wall seconds of warm calls in this process (default strips; after a second of untimed calls); cpu s: process CPU of the same calls;");
        w.println("rc s: median of Regioncam's own timer over the same repeats in one peer process (its first call included); "
                + "rc cpu s: the peer process's CPU time / repeats (reading the model included); rc MiB: the peer's peak resident set; "
                + "atlas/rc speed: rc s / atlas s (above 1: Atlas faster).");
        w.println(allSame ? "region counts: all the same" : "region counts: SOME DIFFER (see the rows marked)");
        w.flush();
        return ExitCodes.OK;
    }

    private record PeerRun(int regions, double seconds, double cpuSeconds, long peakKib) { }

    /** Runs the peer on the case's file and rectangle; the median of its own per-repeat timer. */
    private PeerRun runPeer(Case c) throws IOException {
        Rectangle b = c.box();
        ProcessBuilder pb = new ProcessBuilder(peer.toString(), c.file().toString(), Double.toString(b.xmin()), Double.toString(b.xmax()),
                Double.toString(b.ymin()), Double.toString(b.ymax()), Integer.toString(repeats)).redirectErrorStream(true);
        Process proc = pb.start();
        List<Double> secs = new ArrayList<>();
        int regions = -1;
        long peak = 0;
        double peerCpu = 0;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                all.append(line).append('\n');
                for (String field : line.trim().split(" ")) {
                    String[] kv = field.split("=", 2);
                    if (kv.length != 2) continue;
                    switch (kv[0]) {
                        case "regions" -> regions = Integer.parseInt(kv[1]);
                        case "seconds" -> secs.add(Double.parseDouble(kv[1]));
                        case "peak_rss_kib" -> peak = Long.parseLong(kv[1]);
                        case "cpu_seconds" -> peerCpu = Double.parseDouble(kv[1]);
                        default -> { }
                    }
                }
            }
        }
        try {
            int exit = proc.waitFor();
            if (exit != 0 || secs.isEmpty()) throw new BadInputException("the Regioncam peer failed on " + c.name() + " (exit " + exit + "): " + all.toString().strip());
        } catch (InterruptedException e) {
            proc.destroy();
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        }
        return new PeerRun(regions, BenchCommand.upperMedian(secs.stream().mapToDouble(Double::doubleValue).toArray()), peerCpu, peak);
    }
}
