package atlas.cli;

import atlas.error.BadInputException;

import atlas.experiment.TropicalReport;
import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code atlas tropical MODEL}: the network as a difference of tropical polynomials, monomial counts, pieces. */
@Command(name = "tropical", mixinStandardHelpOptions = true,
        description = {"Writes MODEL (or seeded random nets, --random) as F - G with F, G tropical polynomials (max of affine",
                "functions) and prints the number of monomials: duplicates merged only, and pruned to those that are",
                "somewhere the maximum (1 input: exact; 2 inputs: on --box). For 2-input nets also compares the",
                "linear pieces of F - G with the exact plane partition on --box (regions, distinct affine maps)."})
final class TropicalCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ModelArgs.MODEL_HELP)
    Path model;

    @picocli.CommandLine.Mixin
    ModelImportArgs modelImport;

    @Option(names = "--random", paramLabel = "SHAPE", split = ";",
            description = "Seeded Kaiming relu nets instead of MODEL, e.g. '2-4-4-1;2-8-8-1' (input-hidden...-output).")
    List<String> random;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of --random nets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--box", defaultValue = "-1,1,-1,1", paramLabel = "xmin,xmax,ymin,ymax",
            description = "Rectangle for 2-input pruning and the region comparison (default ${DEFAULT-VALUE}).")
    String box;

    @Option(names = "--raw-limit", defaultValue = "2000000", description = "Largest unpruned product attempted (default ${DEFAULT-VALUE}).")
    long rawLimit;

    @Option(names = "--json", description = "One JSON object per net, one per line.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((model == null) == (random == null || random.isEmpty()))
            throw new ExitException(ExitCodes.INVALID_INPUT, "give either MODEL or --random SHAPE");
        if (rawLimit < 1) throw new ExitException(ExitCodes.INVALID_INPUT, "--raw-limit must be positive, got " + rawLimit);
        Rectangle rect = Rectangle.parse(box);
        List<Network> nets = new ArrayList<>();
        if (model != null) nets.add(ModelArgs.load(model, modelImport));
        else for (String s : random) nets.add(parseShape(s, seed));
        PrintWriter w = spec.commandLine().getOut();
        ObjectMapper m = new ObjectMapper();
        if (!json) w.printf("%-22s %12s %8s  %-28s %8s %12s %12s %8s %10s%n", "net", "monomials", "pruned", "pruned per layer",
                "regions", "region maps", "F-G maps", "(F,G)", "seconds");
        for (Network net : nets) {
            if (net.inputDim() == 2) Ranges.rectangle(net, rect);
            else Ranges.points(net, "the box", filled(net.inputDim(), rect.xmin()), filled(net.inputDim(), rect.xmax()));
            TropicalReport.Result r;
            // products of tropical polynomials can take minutes on wider nets: show that work goes on
            try (var bar = ProgressBars.openIndefinite("tropical", net.shape())) {
                r = TropicalReport.run(net, rect, rawLimit);
            }
            if (json) {
                w.println(m.valueToTree(r).toString());
            } else {
                w.printf("%-22s %12s %8d  %-28s %8s %12s %12s %8s %10.3f%n", r.shape(), r.rawMonomials() < 0 ? "too many" : Long.toString(r.rawMonomials()),
                        r.prunedMonomials(), Arrays.toString(r.prunedPerLayer()), dash(r.regions()), dash(r.distinctRegionMaps()),
                        dash(r.distinctTropicalMaps()), dash(r.tropicalPairs()), r.seconds());
            }
            w.flush();
        }
        return ExitCodes.OK;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private static String dash(int v) { return v < 0 ? "-" : Integer.toString(v); }

    static Network parseShape(String s, long seed) {
        String[] parts = s.trim().split("-");
        if (parts.length < 2) throw new BadInputException("--random: shape '" + s + "' needs at least input-output, e.g. 2-4-4-1");
        int[] sizes = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                sizes[k] = Integer.parseInt(parts[k].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--random: '" + parts[k] + "' in shape '" + s + "' is not a number");
            }
            if (sizes[k] < 1) throw new BadInputException("--random: layer sizes must be positive in '" + s + "'");
            // the same bound as atlas train's shapes: wider layers only exhaust the memory before any work starts
            if (sizes[k] > atlas.train.ShapeSpec.MAX_WIDTH)
                throw new BadInputException("--random: layer size " + sizes[k] + " in '" + s + "' is above " + atlas.train.ShapeSpec.MAX_WIDTH);
        }
        return Networks.kaiming(seed, sizes[0], Arrays.copyOfRange(sizes, 1, sizes.length - 1), sizes[sizes.length - 1], Activation.RELU, 0, 0.1);
    }
}
