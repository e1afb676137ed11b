package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.HaninRolnickConfig;
import atlas.experiment.HaninRolnickExperiment;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code atlas experiment hanin-rolnick}: trains MNIST classifiers and measures, exactly, regions along lines and
 * planes and distances to the nearest boundary against N and epoch; writes a report folder (PNG plots, their CSVs,
 * summary.md). Ctrl-C stops after writing a partial report; {@code --resume} continues from the finished units.
 */
@Command(name = "hanin-rolnick", mixinStandardHelpOptions = true,
        description = {"Hanin & Rolnick on MNIST: exact regions along lines and on planes, distance to the nearest boundary, vs N and epoch.",
                "Defaults are scaled down to finish in about 10 minutes on 2 cores; --full gives the published setups.",
                "Needs the data: run 'atlas data mnist' first (or --dataset synthetic)."})
final class HaninRolnickExperimentCommand implements Callable<Integer> {

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion-mnist or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "D", description = "Data cache (default: ~/.relu-atlas/data).")
    Path dataDir;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "hanin-rolnick-report", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--full", description = "The published setups: 3x{20,40,60,80}, 4x{16,32,64}, 5x{25,50,75,100}, 20 epochs, 100 lines, 5 planes, "
            + "500 points, memorisation with noise 0..1 to epoch 200 on all images (hours).")
    boolean full;

    @Option(names = "--archs", paramLabel = "LIST", description = "Architectures, e.g. 3x20,4x32,20-40-20 (default: the published 3x{20,40,60,80}, 4x{16,32,64}, 5x{25,50,75,100}).")
    String archs;

    @Option(names = "--max-epoch", paramLabel = "E", description = "Snapshots at the published epochs 0, 1/32, ..., 1, 2, 4, ..., 20 up to E (default: 4).")
    Double maxEpoch;

    @Option(names = "--train", paramLabel = "N", description = "Training images used, the first N (default: all).")
    Integer trainLimit;

    @Option(names = "--test", paramLabel = "N", description = "Test images used for accuracy and probes (default: all).")
    Integer testLimit;

    @Option(names = "--lines", paramLabel = "K", description = "Lines of each kind per snapshot (default: 20).")
    Integer lines;

    @Option(names = "--planes", paramLabel = "K", description = "Planes of each kind per snapshot (default: 2).")
    Integer planes;

    @Option(names = "--points", paramLabel = "K", description = "Points of each kind (test, train, noise) for distances (default: 100).")
    Integer points;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bias-std", defaultValue = "1e-3", description = "Std of the initial biases (default: ${DEFAULT-VALUE}, i.e. variance 1e-6).")
    double biasStd;

    @Option(names = "--batch", defaultValue = "128", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--threads", description = "Training threads (default: min(2, cores)).")
    Integer threads;

    @Option(names = "--no-memorisation", description = "Skip the label-noise study.")
    boolean noMemo;

    @Option(names = "--mem-noise", paramLabel = "LIST", description = "Label-noise fractions (default: 0,0.2,0.4,0.6,0.8,1).")
    String memNoise;

    @Option(names = "--mem-epochs", paramLabel = "LIST", description = "Memorisation snapshot epochs (default: 0,5,10,20,50,100).")
    String memEpochs;

    @Option(names = "--mem-train", paramLabel = "N", description = "Training images of the memorisation study (default: 3000).")
    Integer memTrain;

    @Option(names = "--mem-lines", paramLabel = "K", description = "Lines per memorisation snapshot (default: 50).")
    Integer memLines;

    @Option(names = "--resume", description = "Continue a run in --out from its finished units (same settings).")
    boolean resume;

    @Option(names = "--sweep", description = "Run as a resumable sweep of units (train one net; measure one snapshot) on local threads, or on Apache "
            + "Spark with --spark; rerunning the same command resumes. The report's CSV files are the same bytes on either runner "
            + "(no timings in them: seconds per unit go to timings.csv).")
    boolean sweepMode;

    @CommandLine.Mixin
    SweepOptions sweep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe. */
    HaninRolnickConfig config() {
        HaninRolnickConfig.Memorisation memo = null;
        if (!noMemo) {
            HaninRolnickConfig.Memorisation base = full ? HaninRolnickConfig.Memorisation.full() : HaninRolnickConfig.Memorisation.defaults();
            memo = new HaninRolnickConfig.Memorisation(base.hidden(), memNoise != null ? parseList(memNoise, "--mem-noise") : base.noise(),
                    memEpochs != null ? parseList(memEpochs, "--mem-epochs") : base.epochs(), memTrain != null ? memTrain : base.trainLimit(),
                    memLines != null ? memLines : base.lines());
        }
        List<int[]> a = archs != null ? HaninRolnickConfig.parseArchitectures(archs)
                : HaninRolnickConfig.publishedArchitectures();
        double me = maxEpoch != null ? maxEpoch : full ? 20 : 4;
        if (!(me >= 0)) throw new BadInputException("--max-epoch must be >= 0");
        int t = threads != null ? threads : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        return new HaninRolnickConfig(dataset, dataDir, out, a, HaninRolnickConfig.publishedEpochs(me),
                trainLimit != null ? trainLimit : 0, testLimit != null ? testLimit : 0,
                lines != null ? lines : full ? 100 : 20, planes != null ? planes : full ? 5 : 2, points != null ? points : full ? 500 : 100,
                seed, biasStd, batch, lr, t, memo, resume);
    }

    static double[] parseList(String s, String flag) {
        try {
            String[] p = s.split(",");
            double[] v = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                String x = p[k].trim();
                int slash = x.indexOf('/');
                v[k] = slash > 0 ? Double.parseDouble(x.substring(0, slash)) / Double.parseDouble(x.substring(slash + 1)) : Double.parseDouble(x);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException(flag + " takes numbers separated by commas, got '" + s + "'");
        }
    }

    @Override
    public Integer call() {
        HaninRolnickConfig cfg = config();
        var err = spec.commandLine().getErr();
        var outw = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        if (sweepMode || sweep.spark != null) {
            HaninRolnickExperiment.Result res = sweep.run("hanin-rolnick", cfg.out(), atlas.experiment.HaninRolnickSweep.settings(cfg), err,
                    s -> atlas.experiment.HaninRolnickSweep.run(cfg, s));
            outw.printf(Locale.ROOT, "hanin-rolnick: %d units in %.1f s (data %s, %d architectures); report: %s (seconds per unit: %s)%n", res.unitsTotal(),
                    (System.nanoTime() - t0) / 1e9, cfg.dataset(), cfg.architectures().size(), cfg.out().resolve("summary.md"),
                    cfg.out().resolve(atlas.experiment.jobs.Sweep.TIMINGS));
            printClaims(outw, cfg.out().resolve("summary.md"));
            outw.flush();
            return ExitCodes.OK;
        }
        var data = HaninRolnickExperiment.loadData(cfg);
        HaninRolnickExperiment exp = new HaninRolnickExperiment(cfg, data);
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            main.interrupt();
            try { finished.await(20, TimeUnit.SECONDS); } catch (InterruptedException ignored) { /* exiting anyway */ }
        }, "hanin-rolnick-stop");
        boolean hooked = false;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            hooked = true;
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        HaninRolnickExperiment.Result res;
        try (ProgressBar bar = ProgressBars.open("hanin-rolnick", exp.unitsTotal())) {
            exp.onUnitDone(bar::step).onMessage(bar::setExtraMessage);
            res = exp.run();
        } catch (CancellationException e) {
            err.println("atlas: interrupted; partial report in " + cfg.out() + " (resume with --resume)");
            err.flush();
            throw new ExitException(ExitCodes.INTERRUPTED, "interrupted; partial report written to " + cfg.out().resolve("summary.md"));
        } catch (ArithmeticException e) {
            throw new ExitException(ExitCodes.NUMERICAL, e.getMessage() + "; partial report written to " + cfg.out().resolve("summary.md"));
        } finally {
            finished.countDown();
            if (hooked) {
                try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException ignored) { /* shutting down */ }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        outw.printf(Locale.ROOT, "hanin-rolnick: %d of %d units in %.1f s (data %s, %d architectures); report: %s%n", res.unitsDone(), res.unitsTotal(),
                wall, cfg.dataset(), cfg.architectures().size(), cfg.out().resolve("summary.md"));
        printTrainingSpeed(outw, res);
        printClaims(outw, cfg.out().resolve("summary.md"));
        outw.flush();
        return ExitCodes.OK;
    }

    private static void printTrainingSpeed(java.io.PrintWriter out, HaninRolnickExperiment.Result res) {
        StringBuilder sb = new StringBuilder("training speed (samples/s):");
        String last = null;
        for (int k = res.rows().size() - 1; k >= 0; k--) {
            HaninRolnickExperiment.Row r = res.rows().get(k);
            if (r.arch().equals(last) || !Double.isFinite(r.samplesPerSecond())) continue;
            last = r.arch();
            sb.insert(sb.indexOf(":") + 1, String.format(Locale.ROOT, " %s %.0f;", r.arch(), r.samplesPerSecond()));
        }
        out.println(sb);
    }

    private static void printClaims(java.io.PrintWriter out, Path summary) {
        try {
            String title = null;
            for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
                if (line.startsWith("### ")) title = line.substring(4);
                else if (line.startsWith("**") && title != null) {
                    out.println(line.replace("**", "") + "  " + title);
                    title = null;
                }
            }
        } catch (IOException e) {
            out.println("(cannot read " + summary + ": " + e.getMessage() + ")");
        }
    }
}
