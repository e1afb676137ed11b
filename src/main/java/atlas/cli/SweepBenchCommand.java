package atlas.cli;

import atlas.error.BadInputException;
import atlas.experiment.jobs.SweepTimings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code atlas bench sweep DIR...}: the measured seconds of sweeps (their timings.csv) side by side, the overhead per
 * unit of each runner, and a projection of the wall time on N slots (executor cores) from the measured per-unit times.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Reads the timings.csv of one or more sweep folders (the same sweep run on local threads, on Spark local[2], ...):",
                "per stage the units, seconds inside units, wall time and overhead per unit; the difference in overhead per unit",
                "against the first folder; and the projected wall time on N slots (executor cores) from the measured per-unit times,",
                "optionally scaled to a bigger run (--work-scale: seconds per unit times X, --unit-scale: units times Y)."})
final class SweepBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Sweep folders (or timings.csv files).")
    List<Path> dirs;

    @Option(names = "--slots", split = ",", defaultValue = "1,2,4,8,16,32,64,128,256", description = "Slot counts to project for (default: ${DEFAULT-VALUE}).")
    List<Integer> slots;

    @Option(names = "--work-scale", paramLabel = "X", defaultValue = "1", description = "Seconds per unit multiplied by X in the projection: one number, "
            + "or per stage as STAGE:X,... such as train:30 (default: ${DEFAULT-VALUE}).")
    String workScale;

    @Option(names = "--unit-scale", paramLabel = "Y", defaultValue = "1", description = "Units multiplied by Y in the projection: one number, or per stage "
            + "as STAGE:Y,... such as train:3,fold:300 (default: ${DEFAULT-VALUE}).")
    String unitScale;

    /** "3" (every stage) or "train:3,fold:300" (others 1). */
    static java.util.function.ToDoubleFunction<String> scale(String spec, String flag) {
        java.util.Map<String, Double> m = new java.util.HashMap<>();
        double all = 1;
        try {
            for (String part : spec.split(",")) {
                String p = part.trim();
                int c = p.indexOf(':');
                double v = Double.parseDouble(c < 0 ? p : p.substring(c + 1).trim());
                if (!(v > 0) || Double.isInfinite(v)) throw new NumberFormatException();
                if (c < 0) all = v;
                else m.put(p.substring(0, c).trim(), v);
            }
        } catch (NumberFormatException e) {
            throw new BadInputException(flag + " takes a positive number or STAGE:NUMBER pairs such as train:30,fold:300, got '" + spec + "'");
        }
        double rest = all;
        return stage -> m.getOrDefault(stage, rest);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var work = scale(workScale, "--work-scale");
        var units = scale(unitScale, "--unit-scale");
        for (int n : slots) if (n < 1) throw new BadInputException("--slots must be positive");
        PrintWriter w = spec.commandLine().getOut();
        SweepTimings first = null;
        for (Path d : dirs) {
            SweepTimings t = SweepTimings.read(d);
            w.printf(Locale.ROOT, "%s: %s%n", d, t.runner());
            w.println("  stage            units  resumed  slots   unit s sum  unit s mean  unit s max     wall s  overhead s/unit");
            for (SweepTimings.Stage s : t.stages())
                w.printf(Locale.ROOT, "  %-15s %6d  %7d  %5d  %11.3f  %11.4f  %10.3f  %9.3f  %15.4f%n", s.name(), s.run(), s.resumed(), s.slots(), s.unitSum(),
                        s.unitMean(), s.unitMax(), s.wall(), s.overheadPerUnit());
            if (first != null && first.stages().size() == t.stages().size()) {
                for (int k = 0; k < t.stages().size(); k++) {
                    SweepTimings.Stage a = first.stages().get(k), b = t.stages().get(k);
                    w.printf(Locale.ROOT, "  %-15s overhead per unit vs the first folder: %+.4f s (%.4f -> %.4f); mean unit %.4f -> %.4f s%n", b.name(),
                            b.overheadPerUnit() - a.overheadPerUnit(), a.overheadPerUnit(), b.overheadPerUnit(), a.unitMean(), b.unitMean());
                }
            }
            if (first == null) first = t;
        }
        SweepTimings base = SweepTimings.read(dirs.get(dirs.size() - 1));
        w.printf(Locale.ROOT, "projection from %s (overheads as measured there; units x %s, seconds per unit x %s):%n", dirs.get(dirs.size() - 1),
                unitScale, workScale);
        w.println("   slots   projected wall s   projected wall h   speed-up vs 1 slot");
        double one = base.project(1, work, units);
        for (int n : slots) {
            double p = base.project(n, work, units);
            w.printf(Locale.ROOT, "  %6d  %17.1f  %17.2f  %19.1f%n", n, p, p / 3600, one / p);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
