package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.PredictBenchmark;
import atlas.geometry.Rectangle;
import atlas.net.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas bench predict}: region-cached prediction against a plain forward pass. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Region-cached prediction (locate the point's region in the exact partition, apply its affine map)",
                "against a plain allocation-free forward pass, one thread each, on seeded uniform points of the box.",
                "Default nets: seeded 2 -> [W]xD -> 1 leaky-relu nets for each --shapes entry."})
final class PredictBenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", description = "A two-input relu-atlas-model/1 file instead of the seeded nets.")
    Path model;

    @Option(names = "--shapes", defaultValue = "4x8;4x30;10x30;30x30", split = ";",
            description = "Seeded nets, separated by ';', each in train's shape syntax: AxB is A hidden layers of width B, "
                    + "so 4x8 is 2 -> [8]x4 -> 1 (default ${DEFAULT-VALUE}).")
    String[] shapes;

    @Option(names = "--box", defaultValue = "0,1,0,1", paramLabel = "xmin,xmax,ymin,ymax", description = "Domain (default ${DEFAULT-VALUE}).")
    String box;

    @Option(names = "--points", defaultValue = "2000000", description = "Points predicted each way (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--cells-per-region", defaultValue = "2", description = "Grid cells per region of the index (default ${DEFAULT-VALUE}).")
    double cellsPerRegion;

    @Option(names = "--dim", defaultValue = "2",
            description = "Input dimension of the seeded nets (default ${DEFAULT-VALUE}); above 2 the regions of [-1,1]^dim are enumerated and walked.")
    int dim;

    @Option(names = "--cells-per-axis", defaultValue = "8", description = "Grid cells per axis of the walker's start grid (dim > 2; default ${DEFAULT-VALUE}).")
    int cellsPerAxis;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the nets and points (default ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (dim < 2 || dim > 8) throw new BadInputException("--dim must be between 2 and 8, got " + dim);
        if (cellsPerAxis < 1) throw new BadInputException("--cells-per-axis must be positive, got " + cellsPerAxis);
        if (dim > 2 && model == null) return callND(w);
        Rectangle rect = Rectangle.parse(box);
        w.printf("java %s; %d points per way, single thread each, box %s%n", System.getProperty("java.version"), points, box);
        w.printf("%-22s %8s %10s %9s %6s %14s %14s %8s %10s %12s%n", "net", "regions", "partition", "index s", "cand",
                "forward pts/s", "cached pts/s", "speedup", "max diff", "break-even");
        if (model != null) {
            report(w, ModelArgs.load(model), rect);
        } else {
            for (String s : shapes) report(w, PredictBenchmark.defaultNetwork(seed, hidden(s)), rect);
        }
        w.println("break-even = points after which (partition + index + cached lookups) is faster than forward passes.");
        w.flush();
        return ExitCodes.OK;
    }

    private Integer callND(PrintWriter w) {
        w.printf("java %s; %d points per way in [-1,1]^%d, single thread each%n", System.getProperty("java.version"), points, dim);
        w.printf("%-22s %8s %9s %10s %9s %14s %14s %8s %10s %10s%n", "net", "regions", "complete", "enumerate", "walker s",
                "forward pts/s", "cached pts/s", "speedup", "max diff", "fallbacks");
        for (String s : shapes) {
            Network net = atlas.net.Networks.kaiming(seed, dim, hidden(s), 1, atlas.net.Activation.RELU, 0, 0.1);
            PredictBenchmark.ResultND r = PredictBenchmark.runND(net, points, seed, cellsPerAxis);
            w.printf("%-22s %8d %9s %9.3fs %9.3f %14.0f %14.0f %7.1fx %10.2g %10d%n", r.shape(), r.regions(), r.complete() ? "yes" : "NO",
                    r.enumerateSeconds(), r.walkerSeconds(), r.forwardPerSecond(), r.cachedPerSecond(), r.cachedPerSecond() / r.forwardPerSecond(),
                    r.maxAbsDifference(), r.fallbacks());
            w.flush();
        }
        return ExitCodes.OK;
    }

    private void report(PrintWriter w, Network net, Rectangle rect) {
        PredictBenchmark.Result r = PredictBenchmark.run(net, rect, points, seed, cellsPerRegion);
        w.printf("%-22s %8d %9.3fs %9.4f %6.1f %14.0f %14.0f %7.1fx %10.2g %12.3g%n", r.shape(), r.regions(), r.partitionSeconds(),
                r.indexSeconds(), r.meanCandidates(), r.forwardPerSecond(), r.cachedPerSecond(), r.cachedPerSecond() / r.forwardPerSecond(),
                r.maxAbsDifference(), r.breakEvenPoints());
        w.flush();
    }

    /** One --shapes entry in {@link atlas.train.ShapeSpec}'s syntax, the one {@code atlas train --shape} reads. */
    private static int[] hidden(String s) {
        try {
            return atlas.train.ShapeSpec.parse(s);
        } catch (BadInputException e) {
            throw new BadInputException("--shapes: " + e.getMessage());
        }
    }
}
