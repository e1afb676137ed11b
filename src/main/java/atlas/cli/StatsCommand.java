package atlas.cli;

import atlas.measure.LinearPieces;
import atlas.measure.RegionJson;
import atlas.measure.RegionStatistics;
import atlas.net.Network;
import atlas.regions.RegionSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code atlas stats MODEL --box lo,hi}: statistics of every region in a domain. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Statistics of the linear regions of MODEL in a box or polytope: count, facets per region, "
                + "vertices per region (2-D, 3-D; with --exact in any dimension), volumes, dead and always-on units, linear pieces, bounds.")
final class StatsCommand extends EnumerationCommandBase implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        if (options.toleranceMixin.exact) return certified();
        Enumerated e = enumerate();
        Network net = e.net();
        RegionSet set = e.set();
        LinearPieces.Result pieces = e.pieces();
        RegionStatistics st = RegionStatistics.of(set);
        if (regionsOut != null) RegionJson.writeRegions(regionsOut, set, pieces, net);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = RegionJson.summary(set, pieces, net, hrT);
            o.set("statistics", RegionJson.statistics(st));
            w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            EnumerateCommand.printText(w, set, pieces, net, hrT);
            w.printf("facets per region: mean %.2f, histogram %s%n", st.meanFacets(), histogram(st.facets()));
            if (!st.vertices().isEmpty()) w.printf("vertices per region: histogram %s%n", histogram(st.vertices()));
            if (st.volume() != null)
                w.printf("volume: min %.4g, q1 %.4g, median %.4g, q3 %.4g, max %.4g, mean %.4g%n", st.volume().min(), st.volume().q1(),
                        st.volume().median(), st.volume().q3(), st.volume().max(), st.volume().mean());
            w.printf("inradius: min %.4g, median %.4g, max %.4g%n", st.inradius().min(), st.inradius().median(), st.inradius().max());
            w.printf("dead units (off in every region): %d %s%n", st.deadUnits().length, Arrays.toString(st.deadUnits()));
            w.printf("always-on units (on in every region): %d %s%n", st.alwaysOnUnits().length, Arrays.toString(st.alwaysOnUnits()));
        }
        w.flush();
        return ExitCodes.OK;
    }

    /** {@code --exact}: the certified statistics, each labelled [certified] or [float] ({@link CertifiedRegions}). */
    private Integer certified() throws Exception {
        CertifiedRegions.check(options, regionsOut != null);
        Network net = ModelArgs.load(model, modelImport);
        CertifiedRegions c = CertifiedRegions.compute(net, options);
        PrintWriter w = spec.commandLine().getOut();
        if (json) w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(c.json(net)));
        else c.printText(w, net, true);
        w.flush();
        return ExitCodes.OK;
    }

    private static String histogram(Map<Integer, Integer> h) {
        StringBuilder sb = new StringBuilder();
        for (var e : h.entrySet()) sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append(':').append(e.getValue());
        return sb.toString();
    }
}
