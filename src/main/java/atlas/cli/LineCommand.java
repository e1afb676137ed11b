package atlas.cli;

import atlas.measure.RegionJson;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import atlas.render.SegmentPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas line MODEL --from ... --to ...}: the exact linear regions along a segment. */
@Command(name = "line", mixinStandardHelpOptions = true,
        description = "Exact linear regions of MODEL along the segment from --from to --to.")
final class LineCommand implements Callable<Integer> {
    @Mixin
    SegmentArgs segment;

    @Option(names = "--png", paramLabel = "FILE", description = "Plot of the outputs along the segment with its breakpoints.")
    Path png;

    @Option(names = "--intervals-out", paramLabel = "FILE", description = "Write every interval (relu-atlas-intervals/1 JSON).")
    Path intervalsOut;

    @Option(names = "--json", description = "Print one JSON object (count, segment, regions_per_layer, breakpoints, ...).")
    boolean json;

    @Mixin
    ToleranceMixin toleranceMixin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputArgs.checkFile("--png", png);
        OutputArgs.checkFile("--intervals-out", intervalsOut);
        SegmentArgs.Segment seg = segment.load();
        Network net = seg.net();
        double[] p = seg.from();
        double[] q = seg.to();
        Tolerance tol = toleranceMixin.tolerance();
        SegmentPartition s = new SegmentPartitioner(net, p, q, tol).getResult();
        if (png != null) SegmentPlot.writePng(s, png, 1000, 500, net.shape() + ": " + s.count() + " linear pieces along the segment");
        if (intervalsOut != null) RegionJson.writeIntervals(s, net, tol, intervalsOut);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(RegionJson.summary(s, net, tol).toString());
        } else {
            w.printf("%s along a segment of length %.6g%n", net.shape(), s.length());
            w.printf("regions: %d (%.6g per unit length)%nregions after each layer: %s%ntime: %.4f s%n",
                    s.count(), s.density(), PlaneSummary.perLayer(s.piecesPerLayer()), s.seconds());
            if (tol.isExact()) w.println("exact: every sign decision certified (--exact)");
            else if (s.declinedCuts() > 0)
                w.printf("note: %d cuts declined (pieces below the minimum length merged into a neighbour): rerun with --exact for the exact count%n", s.declinedCuts());
            int shown = Math.min(s.count(), 20);
            w.println("first intervals (t0, t1, output 0 at the midpoint):");
            for (int k = 0; k < shown; k++) {
                SegmentInterval iv = s.intervals().get(k);
                w.printf("  [%.9f, %.9f]  %.6g%n", iv.t0(), iv.t1(), iv.map().apply(iv.midpoint())[0]);
            }
            if (shown < s.count()) w.println("  ... (" + (s.count() - shown) + " more; --intervals-out writes all)");
        }
        w.flush();
        return ExitCodes.OK;
    }
}
