package atlas.cli;

import atlas.geometry.Tolerance;
import atlas.measure.FoldingResult;
import atlas.measure.PathPiece;
import atlas.measure.SpaceFolding;
import atlas.net.Network;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code atlas fold MODEL --from ... --to ...}: the space folding measure along a straight path. */
@Command(name = "fold", mixinStandardHelpOptions = true,
        description = {"Space folding (Lewandowski et al.) of MODEL along the straight path --from -> --to: the exact sequence of",
                "regions crossed, r1 = max Hamming distance from the first pattern, r2 = Hamming length of the walk,",
                "chi = 1 - r1/r2 and the running chi; with --samples n also chi from n equally spaced points."})
final class FoldCommand implements Callable<Integer> {
    @Mixin
    SegmentArgs segment;

    @Option(names = "--samples", paramLabel = "N", description = "Also compute chi the sampled way, from N >= 2 equally spaced points.")
    Integer samples;

    @Option(names = "--outputs", description = "Append the output units' signs to the patterns (a crossed decision boundary counts).")
    boolean outputs;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20", description = "Pieces listed in the text output (default ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--json", description = "Print one JSON object with every piece.")
    boolean json;

    @Option(names = "--png", paramLabel = "FILE", description = "Plot the distance from the first pattern and the running chi against t.")
    Path png;

    @Mixin
    ToleranceMixin toleranceMixin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputArgs.checkFile("--png", png);
        SegmentArgs.Segment seg = segment.load();
        Network net = seg.net();
        double[] p = seg.from();
        double[] q = seg.to();
        if (samples != null && samples < 2) throw new ExitException(ExitCodes.INVALID_INPUT, "--samples must be at least 2, got " + samples);
        if (show < 0) throw new ExitException(ExitCodes.INVALID_INPUT, "--show must not be negative, got " + show);
        Tolerance tol = toleranceMixin.tolerance(); // --exact: the certified segment partition
        long t0 = System.nanoTime();
        List<PathPiece> pieces;
        FoldingResult r, s;
        double seconds;
        double[] running;
        try (var bar = ProgressBars.openIndefinite("fold", "exact path")) {
            pieces = SpaceFolding.exactPieces(net, p, q, outputs, tol);
            r = SpaceFolding.ofPatterns(SpaceFolding.patternsOf(pieces));
            seconds = (System.nanoTime() - t0) / 1e9;
            if (samples != null) bar.setExtraMessage(samples + " samples");
            s = samples == null ? null : SpaceFolding.sampled(net, p, q, samples, outputs);
            running = r.runningChi();
            if (png != null) bar.setExtraMessage("drawing " + png);
        if (png != null) {
            int n = pieces.size();
            double[] starts = new double[n], ends = new double[n];
            int[] dist = new int[n];
            for (int k = 0; k < n; k++) {
                starts[k] = pieces.get(k).t0();
                ends[k] = pieces.get(k).t1();
                dist[k] = pieces.get(k).pattern().hamming(pieces.get(0).pattern());
            }
            atlas.render.FoldingPlot.writePng(starts, ends, dist, running,
                    String.format(java.util.Locale.ROOT, "%s: %d regions, chi = %.4f", net.shape(), r.regions(), r.chi()), png);
        }
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("model", segment.model.toString());
            o.put("shape", net.shape());
            o.set("from", m.valueToTree(p));
            o.set("to", m.valueToTree(q));
            o.put("outputs_in_pattern", outputs && SpaceFolding.outputsAppended(net));
            o.put("exact", tol.isExact());
            o.put("regions", r.regions());
            o.put("r1", r.r1());
            o.put("r2", r.r2());
            o.put("chi", r.chi());
            o.put("max_running_chi", r.maxRunningChi());
            o.put("seconds", seconds);
            ArrayNode a = o.putArray("pieces");
            for (int k = 0; k < pieces.size(); k++) {
                PathPiece piece = pieces.get(k);
                ObjectNode e = a.addObject();
                e.put("t0", piece.t0());
                e.put("t1", piece.t1());
                e.put("pattern", piece.pattern().toBitString());
                e.put("distance_from_start", piece.pattern().hamming(pieces.get(0).pattern()));
                e.put("running_chi", running[k]);
            }
            if (s != null) {
                ObjectNode so = o.putObject("sampled");
                so.put("samples", samples);
                so.put("r1", s.r1());
                so.put("r2", s.r2());
                so.put("chi", s.chi());
                so.put("max_running_chi", s.maxRunningChi());
            }
            w.println(o);
        } else {
            w.printf("%s along a path of %d regions (patterns of %d bits%s)%n", net.shape(), r.regions(),
                    pieces.get(0).pattern().length(), outputs && SpaceFolding.outputsAppended(net) ? ", output signs included" : "");
            w.printf("r1 = %d, r2 = %d, chi = %.6f, max running chi = %.6f (%.4f s)%n", r.r1(), r.r2(), r.chi(), r.maxRunningChi(), seconds);
            if (tol.isExact()) w.println("exact: certified (every breakpoint decided as exact arithmetic on the weights decides it)");
            if (s != null) w.printf("sampled with %d points: r1 = %d, r2 = %d, chi = %.6f%n", samples, s.r1(), s.r2(), s.chi());
            int shown = Math.min(pieces.size(), Math.max(0, show));
            if (shown > 0) w.println("pieces (t0, t1, Hamming distance from the first pattern, running chi):");
            for (int k = 0; k < shown; k++) {
                PathPiece piece = pieces.get(k);
                w.printf("  [%.9f, %.9f]  %4d  %.6f%n", piece.t0(), piece.t1(), piece.pattern().hamming(pieces.get(0).pattern()), running[k]);
            }
            if (shown < pieces.size()) w.println("  ... (" + (pieces.size() - shown) + " more; --json lists all)");
        }
        w.flush();
        return ExitCodes.OK;
    }
}
