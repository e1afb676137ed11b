package atlas.cli;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.geometry.LpSolver;
import atlas.measure.RegionJson;
import atlas.net.Network;
import atlas.regions.AffineMap;
import atlas.regions.Facet;
import atlas.regions.PointRegion;
import atlas.regions.RegionPolytope;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code atlas point MODEL --x ...}: the linear region of one input point. */
@Command(name = "point", mixinStandardHelpOptions = true,
        description = "The linear region of one input point: pattern, inequalities, facets, Chebyshev centre and "
                + "inradius, affine map, neighbours, distance to the boundary (exact and Hanin-Rolnick).")
final class PointCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = ModelArgs.MODEL_HELP)
    Path model;

    @picocli.CommandLine.Mixin
    ModelImportArgs modelImport;

    @Option(names = "--x", required = true, paramLabel = "x1,x2,...", description = "The input point.")
    String x;

    @Option(names = "--box", paramLabel = "lo,hi", description = "Clip the region to this box (lo,hi or lo1,hi1,...); needed for vertices and volume.")
    String box;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--lp", paramLabel = "SOLVER", defaultValue = "dual-simplex",
            description = "LP solver: dual-simplex or hipparchus (default ${DEFAULT-VALUE}).")
    String lp;

    @Mixin
    ToleranceMixin toleranceMixin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Network net = ModelArgs.load(model, modelImport);
        double[] p = parsePoint(x, net.inputDim());
        HPolytope domain = box == null ? null : HPolytope.parseBox(box, net.inputDim());
        if (domain != null) Ranges.points(net, "the point and --box", p, domain.boxLo(), domain.boxHi());
        else Ranges.points(net, "the point", p);
        if (toleranceMixin.exact) return certified(net, p, domain);
        PointRegion pr = PointRegion.of(net, p, domain, LpSolver.byName(lp), toleranceMixin.floatingTolerance("point"));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(RegionJson.point(pr, net)));
        } else {
            printText(w, pr, net);
        }
        w.flush();
        return ExitCodes.OK;
    }

    /**
     * {@code --exact}: the point's pattern, the units it lies on, and the region's facets with the regions across,
     * each decided in exact arithmetic ({@link atlas.regions.ExactRegionEnumerator#regionAt}); the float measures
     * (inequalities, centre, volume, distances) are not part of the certified report.
     */
    private Integer certified(Network net, double[] p, HPolytope domain) throws Exception {
        HPolytope d = domain != null ? domain : new HPolytope(net.inputDim(), 0, new double[0], new double[0]);
        atlas.regions.ExactRegionEnumerator.PointRegion r = new atlas.regions.ExactRegionEnumerator(net, d).regionAt(p);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode o = m.createObjectNode();
            o.set("x", m.valueToTree(p));
            o.put("exact", true);
            o.put("pattern", r.pattern().toBitString());
            o.set("zero_units", m.valueToTree(r.zeroUnits()));
            o.put("full_dimensional", r.fullDimensional());
            var fa = o.putArray("facets");
            for (atlas.regions.ExactRegionEnumerator.ExactFacet f : r.facets()) {
                var fo = fa.addObject();
                fo.set("units", m.valueToTree(f.units()));
                fo.put("neighbour", f.neighbour().toBitString());
            }
            w.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            w.printf("point: %s%n", Arrays.toString(p));
            w.printf("pattern: %s (%d of %d units on; exact: certified)%n", r.pattern().toBitString(), r.pattern().activeCount(), r.pattern().length());
            if (r.zeroUnits().length > 0) w.printf("on the hyperplanes of units %s (counted as off)%n", Arrays.toString(r.zeroUnits()));
            if (!r.fullDimensional()) {
                w.println("the region of this pattern is lower-dimensional (the point lies where several units change at once)");
            } else {
                w.printf("facets (%d, inside %s):%n", r.facets().size(), domain != null ? "the box" : "the input space");
                for (atlas.regions.ExactRegionEnumerator.ExactFacet f : r.facets())
                    w.printf("  units %s -> neighbour %s%n", Arrays.toString(f.units()), f.neighbour().toBitString());
            }
        }
        w.flush();
        return ExitCodes.OK;
    }

    static double[] parsePoint(String s, int dim) {
        String[] parts = s.trim().split("\\s*,\\s*");
        if (parts.length != dim) throw new BadInputException("--x has " + parts.length + " values, the model has " + dim + " inputs");
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            try {
                v[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new BadInputException("--x: '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i])) throw new BadInputException("--x: " + parts[i] + " is not finite");
        }
        return v;
    }

    private static void printText(PrintWriter w, PointRegion p, Network net) {
        w.printf("point: %s%n", Arrays.toString(p.x()));
        w.printf("pattern: %s (%d of %d units on)%n", layered(p, net), p.pattern().activeCount(), p.pattern().length());
        if (p.zeroUnits().length > 0) w.printf("on the hyperplanes of units %s (counted as off)%n", Arrays.toString(p.zeroUnits()));
        RegionPolytope r = p.region();
        if (r == null) {
            w.println("the region of this pattern is lower-dimensional (the point lies where several units change at once)");
            return;
        }
        w.printf("inequalities (%d, unit-normalised, a . x <= b):%n", r.inequalities().rows());
        int[] ru = r.rowUnit();
        for (int i = 0; i < r.inequalities().rows(); i++) {
            double[] a = new double[r.dim()];
            for (int k = 0; k < a.length; k++) a[k] = r.inequalities().a(i, k);
            w.printf("  %-10s %s . x <= %.6g%n", ru[i] >= 0 ? "unit " + ru[i] : "domain " + (-1 - ru[i]), fmt(a), r.inequalities().b()[i]);
        }
        w.printf("facets (%d non-redundant):%n", r.facetCount());
        for (Facet f : r.facets()) {
            String who = f.units().length > 0 ? "units " + Arrays.toString(f.units()) : "domain";
            String across = f.domainBoundary() ? "domain boundary"
                    : f.neighbour() == null ? "neighbour unresolved" : "neighbour " + f.neighbour().toBitString()
                    + " (" + f.neighbour().hamming(p.pattern()) + " unit(s) flipped)";
            w.printf("  %s . x <= %.6g  [%s] -> %s%n", fmt(f.normal()), f.offset(), who, across);
        }
        if (r.centre() != null) w.printf("Chebyshev centre: %s, inradius %s%n", fmt(r.centre()),
                Double.isInfinite(r.inradius()) ? "unbounded" : String.format("%.6g", r.inradius()));
        if (r.vertices() != null) w.printf("vertices: %d, volume %.6g%n", r.vertexCount(), r.volume());
        AffineMap m = r.output();
        for (int o = 0; o < m.outputs(); o++) {
            double[] row = new double[m.inputs()];
            for (int k = 0; k < row.length; k++) row[k] = m.coefficient(o, k);
            w.printf("output %d = %s . x + %.6g%n", o, fmt(row), m.offset(o));
        }
        w.printf("distance to the region's boundary: %.6g%s%n", p.boundaryDistance(), p.domain() != null ? " (within the box)" : "");
        w.printf("distance to the nearest unit hyperplane (region in R^d): %.6g (unit %d)%n", p.unitDistance(), p.nearestUnit());
        w.printf("Hanin-Rolnick estimate min |z|/|grad z| over hidden units: %.6g (unit %d)%n", p.haninRolnick(), p.haninRolnickUnit());
    }

    private static String layered(PointRegion p, Network net) {
        StringBuilder sb = new StringBuilder();
        String bits = p.pattern().toBitString();
        int at = 0;
        for (int i = 1; i <= net.depth(); i++) {
            if (!net.layer(i).activation().cuts()) continue;
            if (at > 0) sb.append('|');
            sb.append(bits, at, at + net.layer(i).units());
            at += net.layer(i).units();
        }
        return sb.toString();
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < v.length; k++) sb.append(k == 0 ? "" : ", ").append(String.format("%.6g", v[k]));
        return sb.append(']').toString();
    }
}
