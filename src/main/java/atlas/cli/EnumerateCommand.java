package atlas.cli;

import atlas.measure.LinearPieces;
import atlas.measure.RegionBounds;
import atlas.measure.RegionJson;
import atlas.net.Network;
import atlas.regions.RegionSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code atlas enumerate MODEL --box lo,hi}: every linear region in a box or polytope, any input dimension. */
@Command(name = "enumerate", mixinStandardHelpOptions = true,
        description = "Every linear region of MODEL inside a box (or polytope), for any input dimension: count, "
                + "completeness certificate, linear pieces, bounds.")
final class EnumerateCommand extends EnumerationCommandBase implements Callable<Integer> {
    /** Boxes go to the edge-subdivision engine (no LP), polytopes to the LP engine, --exact to the certified engine. */
    @Override
    String defaultEngine() { return EnumerationOptions.SUBDIVISION; }

    @Override
    public Integer call() throws Exception {
        if (options.toleranceMixin.exact) return certified();
        Enumerated e = enumerate();
        Network net = e.net();
        RegionSet set = e.set();
        LinearPieces.Result pieces = e.pieces();
        if (regionsOut != null) RegionJson.writeRegions(regionsOut, set, pieces, net);
        PrintWriter w = spec.commandLine().getOut();
        ObjectNode summary = RegionJson.summary(set, pieces, net, hrT);
        if (json) {
            w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        } else {
            printText(w, set, pieces, net, hrT);
            if (regionsOut != null) w.println("regions written to " + regionsOut);
        }
        w.flush();
        return ExitCodes.OK;
    }

    /**
     * {@code --exact}: certified enumeration ({@link CertifiedRegions}: exact plane partition for 2 inputs on a box, else
     * {@link atlas.regions.ExactRegionEnumerator}); the count and pieces are certified, the volumes float (labelled).
     */
    private Integer certified() throws Exception {
        CertifiedRegions.check(options, regionsOut != null);
        Network net = ModelArgs.load(model, modelImport);
        CertifiedRegions c = CertifiedRegions.compute(net, options);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = c.json(net);
            var a = o.putArray("patterns");
            for (String p : c.patterns()) a.add(p);
            w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            c.printText(w, net, false);
        }
        w.flush();
        return ExitCodes.OK;
    }

    static void printText(PrintWriter w, RegionSet set, LinearPieces.Result pieces, Network net, double hrT) {
        w.printf("network: %s (%d cutting units)%n", net.shape(), net.cuttingUnits());
        w.printf("regions: %d%s%n", set.count(), set.complete() ? " (complete: every facet leads to a region found)"
                : " (PARTIAL: stopped by " + set.stop().name().toLowerCase() + ", " + set.pending() + " pending, "
                + set.unresolvedFacets() + " unresolved facets)");
        if (set.thinFacets() > 0)
            w.printf("thin facets (inradius below %.0f x tolerance, not followed): %d%n", atlas.regions.Facet.THIN, set.thinFacets());
        w.printf("linear pieces: %d (adjacent regions with equal affine maps merged)%n", pieces.pieces());
        if (!Double.isNaN(set.volumeSum()))
            w.printf("volume: sum of regions %.12g, domain %.12g (relative difference %.2e)%n", set.volumeSum(), set.domainVolume(), set.volumeError());
        if (RegionBounds.plainRelu(net))
            w.printf("bounds: Serra et al. 2018 %s, Montufar %s%n", RegionBounds.serra(net), RegionBounds.montufar(net));
        else
            w.printf("bound: arrangement %s (leaky ReLU or skips: Serra's bound does not apply)%n", RegionBounds.arrangement(net));
        double vol = RegionJson.domainVolume(set.domain());
        if (!Double.isNaN(vol))
            w.printf("Hanin-Rolnick scale (T N)^d/d! x volume: %.4g (T = %s, N = %d, d = %d)%n",
                    RegionBounds.haninRolnick(net, vol, hrT), hrT, net.hiddenNeurons(), net.inputDim());
        if (set.solver().equals(atlas.regions.SubdivisionEnumerator.SOLVER))
            w.printf("time: %.3f s, %.0f regions/s, edge subdivision (no LP%s), %d threads%n", set.seconds(),
                    set.count() / Math.max(set.seconds(), 1e-9), set.lps() == 0 ? "" : " per region; " + set.lps() + " for sliver checks",
                    set.threads());
        else
            w.printf("time: %.3f s, %.0f regions/s, %d LPs (%s), %d threads%n", set.seconds(), set.count() / Math.max(set.seconds(), 1e-9),
                    set.lps(), set.solver(), set.threads());
    }
}
