package atlas.cli;

import atlas.experiment.PlaneSpecs;
import atlas.net.Network;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** MODEL, {@code --from} and {@code --to}: a model and a segment in its input space (line, fold). */
final class SegmentArgs {
    @Parameters(index = "0", paramLabel = "MODEL", description = ModelArgs.MODEL_HELP)
    Path model;

    @picocli.CommandLine.Mixin
    ModelImportArgs modelImport;

    @Option(names = "--from", required = true, paramLabel = "x1,x2,...", description = "Start point.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "x1,x2,...", description = "End point.")
    String to;

    /** The model and the two end points, checked against its input dimension. */
    record Segment(Network net, double[] from, double[] to) {}

    Segment load() {
        Network net = ModelArgs.load(model, modelImport);
        double[] p = PlaneSpecs.vector(from, net.inputDim(), "--from"), q = PlaneSpecs.vector(to, net.inputDim(), "--to");
        Ranges.points(net, "the segment", p, q);
        return new Segment(net, p, q);
    }
}
