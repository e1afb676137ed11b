package atlas.experiment;

import atlas.measure.RegionJson;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.io.AtomicFiles;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import atlas.render.RegionPictures;
import atlas.render.SegmentPlot;
import atlas.render.Viewport;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in demo: a seeded, Kaiming-initialised 2 -> [30]x30 -> 1 leaky-ReLU network (the shape of the
 * ring experiments), its exact regions on [0,1]^2, pictures and JSON.
 */
public final class Demo {
    private Demo() {}

    /** What the demo wrote and found. */
    public record Result(Network network, PlanePartition partition, SegmentPartition diagonal, List<Path> files) {
        public Result { files = List.copyOf(files); }
    }

    public static final long SEED = 2024;

    /** The demo network: Kaiming-normal weights (seed {@link #SEED}), biases 0.1, LeakyReLU(0.01). */
    public static Network network() {
        return Networks.kaiming(SEED, 2, Networks.uniform(30, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1);
    }

    public static Result run(Path outDir) {
        return run(network(), outDir, "demo");
    }

    /** Exact regions of a 2-input network on [0,1]^2 with every picture, written into {@code outDir}. */
    public static Result run(Network net, Path outDir, String prefix) {
        Tolerance tol = Tolerance.DEFAULT;
        PlanePartition p = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT, tol);
        SegmentPartition diag = new SegmentPartitioner(net, new double[]{0, 0}, new double[]{1, 1}, tol).getResult();
        List<Path> files = new ArrayList<>();
        Path model = outDir.resolve(prefix + "-model.json");
        ModelFormat.write(net, model);
        files.add(model);
        Viewport v = new Viewport(Rectangle.UNIT, 1024, 1024, false); // y up, as regions --png
        String title = net.shape() + ", " + p.count() + " regions";
        Path png = outDir.resolve(prefix + "-regions.png");
        RegionPictures.writePng(p, v, RegionPictures.Shading.PATTERN, title, png);
        files.add(png);
        Path shaded = outDir.resolve(prefix + "-output.png");
        RegionPictures.writePng(p, v, RegionPictures.Shading.OUTPUT, title, shaded);
        files.add(shaded);
        Path svg = outDir.resolve(prefix + "-regions.svg");
        RegionPictures.writeSvg(p, v, RegionPictures.Shading.PATTERN, svg);
        files.add(svg);
        Path line = outDir.resolve(prefix + "-diagonal.png");
        SegmentPlot.writePng(diag, line, 900, 500, "output along (0,0) -> (1,1): " + diag.count() + " linear pieces");
        files.add(line);
        Path regions = outDir.resolve(prefix + "-regions.json");
        RegionJson.writeRegions(p, net, tol, regions);
        files.add(regions);
        ObjectNode summary = RegionJson.summary(p, net, tol);
        summary.put("diagonal_pieces", diag.count());
        Path sum = outDir.resolve(prefix + "-summary.json");
        AtomicFiles.writeString(sum, summary.toPrettyString() + "\n");
        files.add(sum);
        return new Result(net, p, diag, files);
    }
}
