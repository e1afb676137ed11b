package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.TrainBenchmark;
import atlas.train.FlatModel;
import atlas.train.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas bench train}: training throughput of 2 -> [30]x30 -> 1 next to a plain matrix multiply. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput (samples/s, GFLOP/s) of a 2 -> [width]x depth -> 1 leaky-ReLU net, Adam, MSE, next to a plain matrix multiply's GFLOP/s measured in the same run.")
final class TrainBenchCommand implements Callable<Integer> {
    @Option(names = "--width", defaultValue = "30", description = "Hidden width (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--depth", defaultValue = "30", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;
    @Option(names = "--batch", defaultValue = "1024", description = "Minibatch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--points", defaultValue = "5000", description = "Training points per epoch (default: ${DEFAULT-VALUE}).")
    int points;
    @Option(names = "--epochs", defaultValue = "30", description = "Timed epochs, after a warm-up of a fifth as many (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--threads", description = "Worker threads (default: the number of cores, at most 8).")
    Integer threads;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (width < 1 || depth < 1 || batch < 1 || points < 1 || epochs < 1) throw new BadInputException("--width, --depth, --batch, --points and --epochs must be positive");
        int t = threads == null ? atlas.train.TrainConfig.defaultThreads() : threads;
        if (t < 1) throw new BadInputException("--threads must be positive");
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "cores: %d, java %s, load average %s; net 2 -> [%d]x%d -> 1, batch %d, %d points, %d threads%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage(), width, depth, batch, points, t);
        w.flush();
        boolean vector = FlatModel.vectorKernelsAvailable();
        TrainBenchmark.Result r = null;
        for (boolean v : vector ? new boolean[]{false, true} : new boolean[]{false}) {
            for (Precision pr : Precision.values()) {
                FlatModel.useVectorKernels(v);
                r = TrainBenchmark.run(width, depth, batch, points, epochs, t, seed, pr);
                w.printf(Locale.ROOT, "training (%s): %.0f samples/s, %.2f GFLOP/s (%d flop per sample), %.4f s per epoch%n",
                        r.kernels(), r.samplesPerSecond(), r.trainingGflops(), r.flopsPerPoint(), r.secondsPerEpoch());
                w.flush();
            }
        }
        FlatModel.useVectorKernels(vector);
        if (!vector) w.println("(the Vector API kernels need --add-modules jdk.incubator.vector, e.g. JDK_JAVA_OPTIONS='--add-modules jdk.incubator.vector')");
        w.printf(Locale.ROOT, "plain matrix multiply (%dx%d times %dx%d, one thread, same run): %.2f GFLOP/s%n", width, width, width, batch, r.matmulGflops());
        w.printf(Locale.ROOT, "projected 6000 epochs on %d points without frames (last kernels): %.0f s; load average after: %s%n",
                points, r.projected6000Seconds(), loadAverage());
        w.flush();
        return ExitCodes.OK;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
