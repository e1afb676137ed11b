package atlas.experiment.jobs;

import atlas.error.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep's {@code timings.csv} read back: per stage, the units run, their seconds, the stage's wall time and the
 * slots (threads or Spark cores) it had. From these: the overhead per unit (slot-seconds of wall time not spent
 * inside a unit: scheduling, serialisation, idle slots at the stage's end) and a projection of the stage's time on
 * N slots, {@code max(longest unit, (unit seconds + units x overhead) / N)}, summed over stages.
 *
 * @param runner the runner's name (first line of the file)
 * @param stages the stages of the run that wrote the file, in order
 */
public record SweepTimings(String runner, List<Stage> stages) {
    public SweepTimings {
        stages = List.copyOf(stages);
    }

    /**
     * One stage as the last run saw it.
     *
     * @param name     the stage
     * @param run      units run by that run (resumed ones excluded)
     * @param resumed  units found done
     * @param wall     the stage's wall seconds
     * @param slots    units the runner ran at once
     * @param unitSum  seconds inside the units run, summed
     * @param unitMax  the longest unit
     */
    public record Stage(String name, int run, int resumed, double wall, int slots, double unitSum, double unitMax) {
        /** Wall slot-seconds per unit not spent inside a unit (0 when no unit ran). */
        public double overheadPerUnit() { return run == 0 ? 0 : Math.max(0, wall * slots - unitSum) / run; }

        /** Mean seconds inside a unit. */
        public double unitMean() { return run == 0 ? 0 : unitSum / run; }

        /** Projected wall seconds on {@code n} slots with {@code overhead} seconds per unit on top of the work. */
        public double project(int n, double overhead) {
            if (run == 0) return 0;
            return Math.max(unitMax + overhead, (unitSum + run * overhead) / n);
        }
    }

    private static final Pattern STAGE = Pattern.compile("# stage (\\S+): (\\d+) units run, (\\d+) resumed, ([0-9.]+) s wall, (\\d+) slots");

    /** Reads {@code DIR/timings.csv} (or the file itself). */
    public static SweepTimings read(Path dirOrFile) {
        Path f = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(Sweep.TIMINGS) : dirOrFile;
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) throw new BadInputException(f + " is not a sweep's timings file");
        String runner = lines.get(0).substring(2);
        Map<String, double[]> sums = new LinkedHashMap<>(); // stage -> {sum, max}
        List<String[]> heads = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            Matcher m = STAGE.matcher(l);
            if (m.matches()) {
                heads.add(new String[]{m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
                continue;
            }
            if (l.startsWith("#") || l.startsWith("stage,") || l.isBlank()) continue;
            String[] c = l.split(",", -1);
            if (c.length < 5) throw new BadInputException(f + ": bad line '" + l + "'");
            if (c[2].equals("resumed")) continue;
            double s = Double.parseDouble(c[4]);
            double[] acc = sums.computeIfAbsent(c[0], k -> new double[2]);
            acc[0] += s;
            acc[1] = Math.max(acc[1], s);
        }
        List<Stage> stages = new ArrayList<>();
        for (String[] h : heads) {
            double[] acc = sums.getOrDefault(h[0], new double[2]);
            stages.add(new Stage(h[0], Integer.parseInt(h[1]), Integer.parseInt(h[2]), Double.parseDouble(h[3]), Integer.parseInt(h[4]), acc[0], acc[1]));
        }
        return new SweepTimings(runner, stages);
    }

    /** Seconds inside units, all stages. */
    public double unitSeconds() { return stages.stream().mapToDouble(Stage::unitSum).sum(); }

    /** Wall seconds, all stages. */
    public double wallSeconds() { return stages.stream().mapToDouble(Stage::wall).sum(); }

    /** Units run, all stages. */
    public int unitsRun() { return stages.stream().mapToInt(Stage::run).sum(); }

    /** Projected wall seconds of every stage on {@code n} slots, each unit costing its stage's measured overhead on top. */
    public double project(int n) {
        double t = 0;
        for (Stage s : stages) t += s.project(n, s.overheadPerUnit());
        return t;
    }

    /** The same with the units' seconds scaled by {@code workScale} (e.g. 100 for 100 times the paths per unit). */
    public double project(int n, double workScale, double unitCountScale) {
        return project(n, s -> workScale, s -> unitCountScale);
    }

    /**
     * The same with per-stage scales: a stage's seconds per unit times {@code workScale(stage)} and its units times
     * {@code unitCountScale(stage)}, e.g. a run of 1 epoch projected to 30 epochs in stage "train" only.
     */
    public double project(int n, java.util.function.ToDoubleFunction<String> workScale, java.util.function.ToDoubleFunction<String> unitCountScale) {
        double t = 0;
        for (Stage s : stages) {
            double workScale_ = workScale.applyAsDouble(s.name()), unitCountScale_ = unitCountScale.applyAsDouble(s.name());
            Stage big = new Stage(s.name(), (int) Math.round(s.run() * unitCountScale_), 0, 0, s.slots(), s.unitSum() * workScale_ * unitCountScale_,
                    s.unitMax() * workScale_);
            t += big.project(n, s.overheadPerUnit());
        }
        return t;
    }
}
