package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.HaninRolnickConfig;
import atlas.experiment.SpaceFoldsExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code atlas experiment space-folds}: folding against depth on MNIST (Lewandowski et al., Algorithm 2), exactly. */
@Command(name = "space-folds", mixinStandardHelpOptions = true,
        description = {"Space folding vs depth on MNIST (Lewandowski et al., Algorithm 2) with exact chi: nets of 60 hidden relu",
                "neurons (2x30, 3x20, 4x15, 5x12, 6x10, 10x6) trained on fixed seeds; for each of the 100 ordered pairs of",
                "digit classes, paths between test images; per pair the median of the non-zero maxima of the running chi.",
                "Defaults are small (1 seed, 5 epochs, 500 paths per pair, about a minute on 2 cores);",
                "--full: the paper's scale, seeds 1,2,3, 30 epochs, 1,000,000 paths per pair (days on 2 cores: a cluster job).",
                "Units of work (train one net; fold the paths of some pairs through one net) run on local threads or on Apache",
                "Spark (--spark MASTER); rerunning the same command resumes (finished units are kept in DIR/units).",
                "Results are the same bytes on either runner; seconds per unit go to DIR/timings.csv.",
                "Needs the data: run 'atlas data mnist' first (or --dataset synthetic)."})
final class SpaceFoldsExperimentCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion-mnist or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "D", description = "Data cache (default: ~/.relu-atlas/data).")
    Path dataDir;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "space-folds-report", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--archs", paramLabel = "LIST", description = "Architectures, e.g. 2x30,6x10 (default: 2x30,3x20,4x15,5x12,6x10,10x6).")
    String archs;

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs (default: 5; --full: 30).")
    Double epochs;

    @Option(names = "--paths", paramLabel = "P", description = "Paths per ordered pair of classes (default: 500; --full: 1000000).")
    Integer paths;

    @Option(names = "--full", description = "The paper's scale: seeds 1,2,3 (unless --seeds), 30 epochs and 1,000,000 paths per pair (100,000,000 paths per net).")
    boolean full;

    @Option(names = "--pairs", paramLabel = "LIST", description = "Only these ordered pairs of classes, e.g. 0-1,3-8 (default: all); a pair's paths "
            + "and figures are the same as in a run over all pairs.")
    String pairs;

    @Option(names = "--unit-paths", paramLabel = "N", description = "Paths per unit of work: consecutive pairs are grouped up to N paths, a pair is never split "
            + "(default: ${DEFAULT-VALUE}); changes how the work is cut, never a result.", defaultValue = "50000")
    int unitPaths;

    @Option(names = "--min-accuracy", defaultValue = "0.9", description = "Validation accuracy a net needs to count in the trend (default: ${DEFAULT-VALUE}).")
    double minAccuracy;

    @Option(names = "--outputs", description = "Include the output units' signs in the patterns.")
    boolean outputs;

    @Option(names = "--train", paramLabel = "N", description = "Training images used, the first N (default: all).")
    Integer trainLimit;

    @Option(names = "--seeds", defaultValue = "1", split = ",", description = "Training seeds, one net per architecture and seed (default: ${DEFAULT-VALUE}; --full: 1,2,3).")
    List<Long> seeds;

    @Option(names = "--validation", paramLabel = "N", description = "Training images held out for the validation accuracy (default: a sixth, at most 10000; 0: use the test accuracy).")
    Integer validation;

    @Option(names = "--threads", defaultValue = "1", description = "Threads inside one training unit (default: ${DEFAULT-VALUE}; units run side by side, see --units-threads).")
    int threads;

    @CommandLine.Mixin
    SweepOptions sweep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<int[]> a = archs != null ? HaninRolnickConfig.parseArchitectures(archs) : SpaceFoldsExperiment.Config.publishedArchitectures();
        if (threads < 1) throw new BadInputException("--threads must be positive");
        if (trainLimit != null && trainLimit < 1) throw new BadInputException("--train must be positive");
        List<Long> sd = full && spec.commandLine().getParseResult().matchedOption("--seeds") == null ? List.of(1L, 2L, 3L) : seeds;
        SpaceFoldsExperiment.Config cfg = new SpaceFoldsExperiment.Config(dataset, dataDir, out, a,
                epochs != null ? epochs : full ? 30 : 5, sd, paths != null ? paths : full ? 1_000_000 : 500, minAccuracy, outputs,
                trainLimit != null ? trainLimit : 0, validation != null ? validation : -1, threads,
                pairs != null ? SpaceFoldsExperiment.parsePairs(pairs) : null, unitPaths);
        var err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        SpaceFoldsExperiment.validate(cfg); // bad data or pairs fail before the sweep starts
        List<SpaceFoldsExperiment.NetResult> results = sweep.run("space-folds", out, cfg.settings(), err, s -> SpaceFoldsExperiment.run(cfg, s));
        var w = spec.commandLine().getOut();
        w.println("net     depth  seed  val acc  test acc  counted  median-pairs phi  mean-pairs phi  folded  regions/path");
        for (SpaceFoldsExperiment.NetResult r : results)
            w.printf(java.util.Locale.ROOT, "%-7s %5d  %4d  %7.4f  %8.4f  %-7s  %16.4f  %14.4f  %5.1f%%  %12.1f%n", r.arch(), r.depth(), r.seed(),
                    r.validationAccuracy(), r.accuracy(), r.counted() ? "yes" : "no", r.phiMedian(), r.phiMean(), 100 * r.foldedFraction(), r.meanRegions());
        w.println();
        w.println("net     depth  counted/nets  mean phi      sd  (over counted nets)");
        for (SpaceFoldsExperiment.ArchSummary s : SpaceFoldsExperiment.summarise(results))
            w.printf(java.util.Locale.ROOT, "%-7s %5d  %7d/%-4d  %8.4f  %6.4f%n", s.arch(), s.depth(), s.counted(), s.nets(), s.meanPhi(), s.sdPhi());
        w.printf(java.util.Locale.ROOT, "space-folds: %d nets in %.1f s; report: %s (seconds per unit: %s)%n", results.size(), (System.nanoTime() - t0) / 1e9,
                out.toAbsolutePath(), out.resolve(atlas.experiment.jobs.Sweep.TIMINGS));
        w.flush();
        return ExitCodes.OK;
    }
}
