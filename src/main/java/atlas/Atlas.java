package atlas;

import atlas.data.Dataset;
import atlas.error.BadInputException;
import atlas.experiment.PlaneSpecs;
import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.formats.ImportOptions;
import atlas.net.formats.ModelFiles;
import atlas.regions.PlaneSlice;
import atlas.regions.PointRegion;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import atlas.train.TrainConfig;
import atlas.train.Trainer;

import java.nio.file.Path;

/**
 * A network and a tolerance, with one call per question: the library's facade (see docs/library.md).
 *
 * <pre>{@code
 * Atlas net = Atlas.load(Path.of("atlas-out/demo-model.json"));
 * int n = net.plane(0, 1, 0, 1).regions().count();                 // exact regions on [0,1]^2
 * SegmentPartition line = net.segment(new double[]{0, 0}, new double[]{1, 1});
 * RegionSet box = net.box(new double[]{-1, -1}, new double[]{1, 1}).enumerate();
 * PointRegion p = net.point(0.1, 0.2);
 * }</pre>
 *
 * Every result is an immutable record of {@code atlas.regions} (a {@link atlas.regions.Partition} of
 * {@link atlas.regions.Region}s where it is a set of regions) that can be streamed. An Atlas is immutable and
 * thread-safe; each call runs the engine anew.
 */
public final class Atlas {
    private final Network network;
    private final Tolerance tolerance;

    private Atlas(Network network, Tolerance tolerance) {
        if (network == null) throw new BadInputException("no network given");
        if (tolerance == null) throw new BadInputException("no tolerance given");
        this.network = network;
        this.tolerance = tolerance;
    }

    /**
     * Reads a model in any format the CLI reads: relu-atlas-model/1 or /2 JSON, ONNX, or a state_dict of linear
     * layers in .pt/.pth/.safetensors (ReLU between them; use {@link #load(Path, ImportOptions)} for another
     * activation). @throws BadInputException when it is missing or invalid
     */
    public static Atlas load(Path modelFile) {
        return load(modelFile, ImportOptions.DEFAULT);
    }

    /** Reads a model as {@link #load(Path)}, with the hidden activation for weight-only files ({@code .pt}, safetensors). */
    public static Atlas load(Path modelFile, ImportOptions weightsOnly) {
        return new Atlas(ModelFiles.read(modelFile, weightsOnly), Tolerance.DEFAULT);
    }

    /** Wraps a network with the default tolerance. */
    public static Atlas of(Network network) {
        return new Atlas(network, Tolerance.DEFAULT);
    }

    /** The same network with another tolerance. */
    public Atlas withTolerance(Tolerance t) {
        return new Atlas(network, t);
    }

    public Network network() { return network; }

    public Tolerance tolerance() { return tolerance; }

    /** The input dimension. */
    public int inputDim() { return network.inputDim(); }

    /** The network's outputs at {@code x} (the snapped forward pass of the engines is not needed here). */
    public double[] output(double... x) {
        checkPoint(x, "the point");
        return network.forward(x);
    }

    /** The input plane of a 2-input network on [xmin, xmax] x [ymin, ymax]. */
    public Plane plane(double xmin, double xmax, double ymin, double ymax) {
        return plane(new Rectangle(xmin, xmax, ymin, ymax));
    }

    /** The input plane of a 2-input network on {@code domain}. */
    public Plane plane(Rectangle domain) {
        if (network.inputDim() != 2)
            throw new BadInputException("the network has " + network.inputDim() + " inputs: give a plane through its input space (plane(domain, slice))");
        return new Plane(this, PlaneSlice.inputPlane(), domain);
    }

    /** A plane through input space, {@code domain} in the plane's coordinates. */
    public Plane plane(Rectangle domain, PlaneSlice slice) {
        if (slice.inputDim() != network.inputDim())
            throw new BadInputException("the plane lives in " + slice.inputDim() + " dimensions but the network has " + network.inputDim() + " inputs");
        return new Plane(this, slice, domain);
    }

    /**
     * A plane given as the command line's {@code --plane} text: {@code points:A;B;C}, {@code origin:O;D1;D2},
     * {@code random:SEED} or a JSON file; {@code domain} in the plane's coordinates.
     */
    public Plane plane(Rectangle domain, String planeSpec) {
        return plane(domain, PlaneSpecs.parse(planeSpec, network.inputDim()));
    }

    /** The exact linear regions along the segment {@code from -> to}, in order. */
    public SegmentPartition segment(double[] from, double[] to) {
        checkPoint(from, "the segment's start");
        checkPoint(to, "the segment's end");
        return new SegmentPartitioner(network, from, to, tolerance).getResult();
    }

    /** The box {@code lo <= x <= hi} of input space, ready to {@link Box#enumerate()}. */
    public Box box(double[] lo, double[] hi) {
        checkPoint(lo, "the box's lower corner");
        checkPoint(hi, "the box's upper corner");
        return new Box(this, HPolytope.box(lo, hi));
    }

    /** A polytope {@code A x <= b} of input space, ready to {@link Box#enumerate()}. */
    public Box polytope(HPolytope domain) {
        if (domain.dim() != network.inputDim())
            throw new BadInputException("the domain has dimension " + domain.dim() + ", the network " + network.inputDim() + " inputs");
        return new Box(this, domain);
    }

    /** Everything about the region of one point in all of input space (pattern, inequalities, facets, map, distances). */
    public PointRegion point(double... x) {
        checkPoint(x, "the point");
        return PointRegion.of(network, x, null, atlas.geometry.LpSolver.defaultSolver(), tolerance);
    }

    /**
     * Trains a copy of this network for {@code epochs} epochs and returns the trained model with its loss curves.
     * The result depends only on the network, the data and {@code config} (its seed), not on the thread count.
     *
     * @param validation a validation set, or null
     * @throws atlas.error.NumericalException when the training diverges
     */
    public Training train(Dataset train, Dataset validation, TrainConfig config, int epochs) {
        if (epochs <= 0) throw new BadInputException("epochs must be positive, got " + epochs);
        double[] trainLoss = new double[epochs];
        double[] validationLoss = new double[epochs];
        try (Trainer t = new Trainer(network, train, validation, config)) {
            for (int e = 0; e < epochs; e++) {
                trainLoss[e] = t.trainEpoch();
                validationLoss[e] = t.validationLoss();
            }
            return new Training(new Atlas(t.network(), tolerance), trainLoss, validationLoss);
        }
    }

    /**
     * The lineage of this network's exact regions into those of {@code later} (the next snapshot of a training run)
     * on {@code domain} of the input plane: which region became which, the share whose pattern survived, the share
     * whose map changed (see docs/lineage.md). For a whole sequence use {@link atlas.measure.lineage.Tracker}.
     */
    public atlas.measure.lineage.Lineage lineageTo(Atlas later, Rectangle domain) {
        if (later == null) throw new BadInputException("no later network given");
        atlas.regions.PlanePartition a = plane(domain).regions(), b = later.plane(domain).regions();
        return atlas.measure.lineage.RegionLineage.between(a, b, atlas.measure.lineage.RegionLineage.comparableLayers(network, later.network),
                Math.max(network.depth(), later.network.depth()), new atlas.measure.lineage.LineageOptions(tolerance,
                        atlas.measure.lineage.LineageOptions.DEFAULT_MAP_THRESHOLD));
    }

    /**
     * Local complexity: the exact number of regions in the cube of half-side {@code radius} around each of the
     * points (row-major), by n-D enumeration up to {@link atlas.measure.LocalComplexity#MAX_BOX_DIM} inputs and on
     * a random plane through each point above.
     */
    public atlas.measure.LocalComplexity.Result localComplexity(double[] points, double radius) {
        atlas.measure.LocalComplexity.Options d = atlas.measure.LocalComplexity.Options.forInputs(network.inputDim(), radius);
        return atlas.measure.LocalComplexity.measure(network, points, new atlas.measure.LocalComplexity.Options(radius, d.mode(), d.planes(),
                d.seed(), d.maxRegions(), tolerance));
    }

    /** Writes the network as {@code relu-atlas-model/1} JSON (atomically). */
    public void save(Path modelFile) {
        ModelFormat.write(network, modelFile);
    }

    private void checkPoint(double[] x, String what) {
        if (x == null || x.length != network.inputDim())
            throw new BadInputException(what + " has " + (x == null ? 0 : x.length) + " values, the network " + network.inputDim() + " inputs");
        for (double v : x) if (!Double.isFinite(v)) throw new BadInputException(what + " holds a non-finite value");
    }

    @Override
    public String toString() { return "Atlas[" + network.shape() + ", " + tolerance + "]"; }
}
