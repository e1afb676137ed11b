package atlas.cli;

import atlas.error.BadInputException;

import atlas.data.mnist.DatasetSpec;
import atlas.data.mnist.DatasetStore;
import atlas.data.mnist.MnistData;
import atlas.data.mnist.SyntheticImages;
import atlas.experiment.HaninRolnickConfig;
import atlas.experiment.MnistBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas bench mnist}: MNIST training speed (samples/s) of the Hanin-Rolnick setup. */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = {"MNIST training speed: samples/s of softmax cross-entropy + Adam, batch 128, for dense ReLU nets 784 -> hidden -> 10.",
                "Needs 'atlas data mnist' (or --dataset synthetic)."})
final class MnistBenchCommand implements Callable<Integer> {

    @Option(names = "--archs", defaultValue = "3x20,3x80,5x100", description = "Architectures (default: ${DEFAULT-VALUE}).")
    String archs;

    @Option(names = "--samples", defaultValue = "60000", description = "Samples timed per architecture (default: ${DEFAULT-VALUE}, one epoch).")
    long samples;

    @Option(names = "--warmup", defaultValue = "10000", description = "Samples trained before timing (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--threads", description = "Threads (default: min(2, cores)).")
    Integer threads;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion-mnist or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "D", description = "Data cache (default: ~/.relu-atlas/data).")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (samples <= 0 || warmup < 0) throw new BadInputException("--samples must be positive and --warmup >= 0");
        if (threads != null && threads < 1) throw new BadInputException("--threads must be positive, got " + threads);
        MnistData data = dataset.equals("synthetic") ? SyntheticImages.generate(1, 6000, 1000, 28, 10)
                : new DatasetStore(dataDir != null ? dataDir : DatasetStore.defaultRoot()).load(DatasetSpec.byId(dataset));
        int t = threads != null ? threads : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-8s %6s %10s %10s %8s %12s %9s%n", "arch", "N", "params", "samples", "s", "samples/s", "test acc");
        for (MnistBenchmark.Result r : MnistBenchmark.run(data, HaninRolnickConfig.parseArchitectures(archs), warmup, samples, 128, t, 1)) {
            out.printf(Locale.ROOT, "%-8s %6d %10d %10d %8.2f %12.0f %9.4f%n", r.arch(), r.neurons(), r.parameters(), r.samples(), r.seconds(),
                    r.samplesPerSecond(), r.testAccuracy());
            out.flush();
        }
        out.printf(Locale.ROOT, "(%s, %d training images, batch 128, Adam, %d thread%s)%n", dataset, data.train().count(), t, t == 1 ? "" : "s");
        out.flush();
        return ExitCodes.OK;
    }
}
