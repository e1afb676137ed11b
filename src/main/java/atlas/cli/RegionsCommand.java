package atlas.cli;

import atlas.error.BadInputException;

import atlas.measure.RegionJson;
import atlas.experiment.PlaneSpecs;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import atlas.render.RegionPictures;
import atlas.render.Viewport;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas regions MODEL}: the exact linear regions on a plane slice. */
@Command(name = "regions", mixinStandardHelpOptions = true,
        description = "Exact linear regions of MODEL on a rectangle of a plane (the input plane of a 2-input model, or a plane through an n-input model's input space).")
final class RegionsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = ModelArgs.MODEL_HELP)
    Path model;

    @picocli.CommandLine.Mixin
    ModelImportArgs modelImport;

    @Option(names = "--domain", paramLabel = "xmin,xmax,ymin,ymax",
            description = "Rectangle in plane coordinates (default [0,1]^2 for a 2-input model, [-1,1]^2 on a --plane).")
    String domain;

    @Option(names = "--plane", paramLabel = "SPEC",
            description = "The plane for n-input models: points:A;B;C (through three points), origin:O;D1;D2, random:SEED, or a JSON file with \"points\" or \"origin\"+\"directions\".")
    String plane;

    @Option(names = "--png", paramLabel = "FILE", description = "Write a PNG picture.")
    Path png;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write an SVG with the exact polygons.")
    Path svg;

    @Option(names = "--shade", paramLabel = "MODE", defaultValue = "PATTERN",
            description = "pattern (each region its own colour, stable across runs) or output (grey by output 0, boundaries in red). Default: ${DEFAULT-VALUE}.")
    RegionPictures.Shading shade;

    @Option(names = "--size", paramLabel = "PIXELS", defaultValue = "1024", description = "Longer side of the PNG/SVG (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--regions-out", paramLabel = "FILE", description = "Write every region (relu-atlas-regions/1 JSON).")
    Path regionsOut;

    @Option(names = "--json", description = "Print one JSON object (count, domain, regions_per_layer, ...) instead of text.")
    boolean json;

    @Mixin
    ToleranceMixin toleranceMixin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputArgs.checkFile("--png", png);
        OutputArgs.checkFile("--svg", svg);
        OutputArgs.checkFile("--regions-out", regionsOut);
        // checked before the (possibly long) partition; Viewport accepts at most 16384 pixels a side
        if (size < 1 || size > 16384)
            throw new ExitException(ExitCodes.INVALID_INPUT, "--size must be between 1 and 16384 pixels, got " + size);
        Network net = ModelArgs.load(model, modelImport);
        PlaneSlice slice;
        if (plane != null) slice = PlaneSpecs.parse(plane, net.inputDim());
        else if (net.inputDim() == 2) slice = PlaneSlice.inputPlane();
        else throw new BadInputException("the model has " + net.inputDim() + " inputs: give a plane with --plane (e.g. --plane random:1)");
        Rectangle rect = domain != null ? Rectangle.parse(domain) : slice.defaultDomain();
        Ranges.plane(net, slice, rect);
        Tolerance tol = toleranceMixin.tolerance();
        PlanePartition p;
        try (ProgressBar bar = ProgressBars.open("layers", net.depth())) {
            // strips on several threads for large nets; the same regions as one thread (TiledPlanePartitioner)
            p = TiledPlanePartitioner.compute(net, slice, rect, tol, TiledPlanePartitioner.tilesFor(net),
                    i -> bar.stepTo(i));
            // the bar stays open while the files are written (large partitions take seconds to draw and write)
            boolean yDown = false;
            Viewport v = Viewport.fit(rect, size, yDown);
            String title = net.shape() + ", " + p.count() + " regions";
            if (png != null) {
                bar.setExtraMessage("drawing " + png);
                RegionPictures.writePng(p, v, shade, title, png);
            }
            if (svg != null) {
                bar.setExtraMessage("writing " + svg);
                RegionPictures.writeSvg(p, v, shade, svg);
            }
            if (regionsOut != null) {
                bar.setExtraMessage("writing " + regionsOut);
                RegionJson.writeRegions(p, net, tol, regionsOut);
            }
            bar.setExtraMessage("done");
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(RegionJson.summary(p, net, tol).toString());
        } else {
            w.printf("%s on %s, domain [%g,%g]x[%g,%g]%n", net.shape(), p.slice().description(), rect.xmin(), rect.xmax(), rect.ymin(), rect.ymax());
            w.printf("regions: %d%nregions after each layer: %s%narea sum: %.15g of %.15g%ntime: %.3f s%n",
                    p.count(), PlaneSummary.perLayer(p.regionsPerLayer()), p.totalArea(), rect.area(), p.seconds());
            if (p.anomalies() > 0) w.printf("warning: %d faces had inconsistent signs after rounding (see README, Tolerance policy)%n", p.anomalies());
            if (tol.isExact()) w.println("exact: every sign decision certified (--exact)");
            else if (p.declinedCuts() > 0)
                w.printf("note: %d cuts declined (pieces below the minimum area merged into a neighbour): rerun with --exact for the exact count%n", p.declinedCuts());
        }
        w.flush();
        return ExitCodes.OK;
    }
}
