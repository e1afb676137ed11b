package atlas.cli;

import atlas.error.BadInputException;
import atlas.experiment.RunTracking;
import atlas.geometry.Rectangle;
import atlas.io.AtomicFiles;
import atlas.measure.LocalComplexity;
import atlas.measure.lineage.LineageOptions;
import atlas.net.Network;
import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code atlas local}: local complexity, the exact number of regions near given points (or a run's data, over training). */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Local complexity: the exact number of linear regions in the cube of radius R around each point",
                "(n-D enumeration for up to " + LocalComplexity.MAX_BOX_DIM + " inputs, else the mean over planes through the point).",
                "Given a run folder of `atlas train`, the counts around its training and validation points at every snapshot,",
                "their mean and distribution plotted against the epoch with the loss."})
final class LocalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL|RUN_DIR", description = ModelArgs.MODEL_HELP + " Or a run folder.")
    Path input;

    @Option(names = "--points", paramLabel = "FILE", description = "Points: CSV (one point a line, comma or space separated; a header line is skipped) or JSON ([[x,y],...] or {\"points\": [...]}).")
    Path points;

    @Option(names = "--radius", required = true, paramLabel = "R", description = "Half the side of the cube (square on a plane) around each point.")
    double radius;

    @Option(names = "--mode", paramLabel = "box|planes", description = "box: the cube itself; planes: squares on random planes through the point (default: box up to "
            + LocalComplexity.MAX_BOX_DIM + " inputs, planes above).")
    LocalComplexity.Mode mode;

    @Option(names = "--planes", defaultValue = "1", description = "Planes per point in planes mode (default: ${DEFAULT-VALUE}).")
    int planes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the plane directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-regions", defaultValue = "100000", description = "Most regions enumerated per cube; beyond it the count is a lower bound (default: ${DEFAULT-VALUE}).")
    int maxRegions;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write each point's count (MODEL mode).")
    Path csv;

    @Option(names = "--every", defaultValue = "1", paramLabel = "K", description = "Run folder: every K-th snapshot (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Run folder: output folder (default: RUN_DIR/local).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    ModelImportArgs modelImport;

    @Mixin
    ToleranceMixin toleranceMixin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(radius > 0 && Double.isFinite(radius))) throw new BadInputException("--radius must be a positive number, got " + radius);
        PrintWriter w = spec.commandLine().getOut();
        if (Files.isDirectory(input)) return run(w);
        if (points == null) throw new BadInputException("--points FILE is required for a model (a run folder has its own points)");
        OutputArgs.checkFile("--csv", csv);
        Network net = ModelArgs.load(input, modelImport);
        double[] pts = readPoints(points, net.inputDim());
        LocalComplexity.Mode m = mode != null ? mode : LocalComplexity.Options.forInputs(net.inputDim(), radius).mode();
        if (m == LocalComplexity.Mode.BOX && net.inputDim() > 12)
            throw new BadInputException("--mode box on " + net.inputDim() + " inputs would enumerate astronomically many regions; use --mode planes");
        LocalComplexity.Options o = new LocalComplexity.Options(radius, m, planes, seed, maxRegions, toleranceMixin.tolerance());
        LocalComplexity.Result r;
        try (ProgressBar bar = ProgressBars.openIndefinite("local complexity", (pts.length / net.inputDim()) + " points")) {
            r = LocalComplexity.measure(net, pts, o);
        }
        if (csv != null) {
            StringBuilder sb = new StringBuilder("point,count\n");
            double[] c = r.counts();
            for (int k = 0; k < c.length; k++) sb.append(k).append(',').append(fmt(c[k])).append('\n');
            AtomicFiles.writeString(csv, sb.toString());
        }
        if (json) {
            ObjectNode j = new ObjectMapper().createObjectNode();
            j.put("points", r.counts().length);
            j.put("radius", radius);
            j.put("mode", m.name().toLowerCase(Locale.ROOT));
            j.put("mean", r.mean());
            j.put("p10", r.quantile(0.1));
            j.put("median", r.quantile(0.5));
            j.put("p90", r.quantile(0.9));
            j.put("max", r.max());
            j.put("incomplete", r.incomplete());
            j.put("exact", toleranceMixin.exact);
            j.put("seconds", r.seconds());
            var arr = j.putArray("counts");
            for (double c : r.counts()) arr.add(c);
            w.println(j.toString());
        } else {
            w.printf(Locale.ROOT, "%s, %d points, radius %g, %s: mean %.4g regions, 10%% %.4g, median %.4g, 90%% %.4g, max %.4g (%.2f s)%n",
                    net.shape(), r.counts().length, radius, m == LocalComplexity.Mode.BOX ? "cube" : planes + " plane(s) per point",
                    r.mean(), r.quantile(0.1), r.quantile(0.5), r.quantile(0.9), r.max(), r.seconds());
            if (r.incomplete() > 0) w.printf("warning: %d points reached --max-regions; their counts are lower bounds%n", r.incomplete());
            if (toleranceMixin.exact)
                w.println(m == LocalComplexity.Mode.PLANES ? "exact: counts certified on each plane as restricted (its first layer rounded once, as regions --plane --exact)"
                        : net.inputDim() == 2 ? "exact: counts certified (exact plane partition of each square)"
                        : "exact: counts certified (exact enumerator in each cube)");
            if (csv != null) w.println("wrote " + csv);
        }
        w.flush();
        return ExitCodes.OK;
    }

    /** Over a training run: the counts at every snapshot, from the snapshot's exact partition of [0,1]^2. */
    private int run(PrintWriter w) throws IOException {
        if (points != null) throw new BadInputException("--points is for a model; a run folder uses its own training and validation points");
        RunTracking.Options o = RunTracking.Options.defaults().withLineage(new LineageOptions(toleranceMixin.tolerance(), LineageOptions.DEFAULT_MAP_THRESHOLD))
                .localOnly(radius);
        List<RunTracking.Source> sources = RunTracking.runSources(input, every, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        if (sources.isEmpty()) throw new BadInputException(input + " holds no snapshots (models/epoch-*.json)");
        double[][] pts = RunTracking.runPoints(input);
        Path dir = out != null ? out : input.resolve("local");
        RunTracking.Outcome res;
        try (ProgressBar bar = ProgressBars.open("snapshots", sources.size())) {
            res = RunTracking.track(sources, dir, o, Rectangle.UNIT, PlaneSlice.inputPlane(), RunTracking.runMetrics(input), pts[0], pts[1],
                    input.getFileName().toString(), p -> {
                        bar.stepTo(p.done());
                        bar.setExtraMessage(p.label() + ": " + p.stage());
                    });
        }
        if (json) {
            w.println(new String(Files.readAllBytes(dir.resolve("local.json"))).trim());
        } else {
            for (RunTracking.LocalRow r : res.local())
                w.printf(Locale.ROOT, "%s: mean %.4g regions near the %d training points (median %.4g, 90%% %.4g)%s%n", r.label(), r.train().mean(),
                        r.train().counts().length, r.train().quantile(0.5), r.train().quantile(0.9),
                        r.validation() != null ? String.format(Locale.ROOT, ", %.4g near the validation points", r.validation().mean()) : "");
            w.println("wrote " + dir + ": local.csv, local.json, local.png");
        }
        w.flush();
        return ExitCodes.OK;
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v); }

    /** Points from CSV or JSON, each of {@code dim} coordinates, row-major. */
    static double[] readPoints(Path f, int dim) {
        if (!Files.isRegularFile(f)) throw new BadInputException("no such points file: " + f);
        List<double[]> rows = new ArrayList<>();
        try {
            String text = Files.readString(f).trim();
            if (text.startsWith("[") || text.startsWith("{")) {
                JsonNode n = new ObjectMapper().readTree(text);
                if (n.isObject()) n = n.path("points");
                if (!n.isArray()) throw new BadInputException(f + ": expected [[x1,x2,...],...] or {\"points\": [...]}");
                for (JsonNode p : n) {
                    if (!p.isArray()) throw new BadInputException(f + ": every point must be an array of numbers");
                    double[] x = new double[p.size()];
                    for (int k = 0; k < x.length; k++) {
                        if (!p.get(k).isNumber()) throw new BadInputException(f + ": point " + rows.size() + " holds a non-number");
                        x[k] = p.get(k).asDouble();
                    }
                    rows.add(x);
                }
            } else {
                String[] lines = text.split("\\R");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i].trim();
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    String[] parts = line.split("[,;\\s]+");
                    double[] x = new double[parts.length];
                    try {
                        for (int k = 0; k < parts.length; k++) x[k] = Double.parseDouble(parts[k]);
                    } catch (NumberFormatException e) {
                        if (rows.isEmpty() && i == firstLine(lines)) continue; // a header
                        throw new BadInputException(f + " line " + (i + 1) + ": not a number in '" + line + "'");
                    }
                    rows.add(x);
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + f + ": " + e.getMessage().split("\n")[0]);
        }
        if (rows.isEmpty()) throw new BadInputException(f + " holds no points");
        double[] out = new double[rows.size() * dim];
        for (int k = 0; k < rows.size(); k++) {
            double[] x = rows.get(k);
            if (x.length != dim) throw new BadInputException(f + ": point " + (k + 1) + " has " + x.length + " coordinates, the model " + dim + " inputs");
            for (double v : x) if (!Double.isFinite(v)) throw new BadInputException(f + ": point " + (k + 1) + " holds a non-finite value");
            System.arraycopy(x, 0, out, k * dim, dim);
        }
        return out;
    }

    private static int firstLine(String[] lines) {
        for (int i = 0; i < lines.length; i++) if (!lines[i].trim().isEmpty() && !lines[i].trim().startsWith("#")) return i;
        return -1;
    }
}
