package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.FoldingBenchmark;
import atlas.net.Network;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code atlas bench folding}: exact space folding of many paths, paths per second. */
@Command(name = "folding", mixinStandardHelpOptions = true,
        description = {"Exact space folding (chi) of many straight paths through a seeded 784 -> [10]x6 -> 10 ReLU net, on all cores.",
                "End points: a seeded pool of uniform points of [0,1]^784; paths join random pairs of the pool."})
final class FoldingBenchCommand implements Callable<Integer> {
    @Option(names = "--paths", defaultValue = "1000000", description = "Paths (default ${DEFAULT-VALUE}).")
    int paths;

    @Option(names = "--pool", defaultValue = "2000", description = "End-point pool size (default ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the net and the points (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--input", defaultValue = "784", description = "Input dimension (default ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--width", defaultValue = "10", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "6", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--outputs", defaultValue = "10", description = "Output units (default ${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--with-outputs", description = "Include the output units' signs in the patterns.")
    boolean withOutputs;

    @Option(names = "--reference", defaultValue = "2000",
            description = "Also fold this many of the paths one by one through SegmentPartitioner, for comparison (default ${DEFAULT-VALUE}; 0 = skip).")
    int reference;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (input < 1 || width < 1 || depth < 1 || outputs < 1) throw new BadInputException("--input, --width, --depth and --outputs must be positive");
        Network net = FoldingBenchmark.network(seed, input, width, depth, outputs);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("cores: %d, java %s; net %s, %d paths between %d seeded points of [0,1]^%d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), net.shape(), paths, pool, input);
        w.flush();
        FoldingBenchmark.Result r;
        try (ProgressBar bar = ProgressBars.open("paths", paths)) {
            r = FoldingBenchmark.run(net, seed, paths, pool, reference, withOutputs, bar::stepTo);
        }
        w.printf("exact chi (PathFolder): %d paths in %.3f s = %.0f paths/s%n", r.paths(), r.seconds(), r.pathsPerSecond());
        w.printf("mean regions per path %.2f, folded paths %.1f%%, Phi (median non-zero chi) %.4f, median non-zero max running chi %.4f%n",
                r.meanRegions(), 100 * r.foldedFraction(), r.phi(), r.phiOfMaxima());
        if (r.referencePaths() > 0)
            w.printf("reference (SegmentPartitioner, one path per call): %.0f paths/s on %d paths, chi %s%n", r.referencePerSecond(),
                    Math.min(r.referencePaths(), r.paths()), r.referenceAgrees() ? "identical" : "DIFFERS");
        w.flush();
        return ExitCodes.OK;
    }
}
