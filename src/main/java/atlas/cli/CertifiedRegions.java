package atlas.cli;

import atlas.error.BadInputException;
import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.ExactStatistics;
import atlas.measure.RegionJson;
import atlas.net.Network;
import atlas.regions.ExactRegionEnumerator;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code enumerate --exact} and {@code stats --exact}: the certified regions of a model in a box or polytope and
 * their {@link ExactStatistics}. A 2-input model on a box goes to the exact plane partition (fast: exact only
 * where its float filter cannot decide), anything else to {@link ExactRegionEnumerator} (an exact LP per unit
 * per region, at most {@link ExactRegionEnumerator#MAX_UNITS} cutting units).
 *
 * @param stats    the statistics, each field certified or float (see {@link ExactStatistics})
 * @param patterns the regions' activation patterns (bit strings, certified)
 * @param engine  "exact plane partition" or "exact enumerator"
 * @param work    exact evaluations (plane) or exact LPs (enumerator) of the search itself
 * @param seconds wall time, search and statistics
 */
record CertifiedRegions(ExactStatistics stats, java.util.List<String> patterns, String engine, int work, double seconds) {
    static final String PLANE = "exact plane partition", ENUMERATOR = "exact enumerator";

    /** The options --exact refuses (bad ones fail before any work). */
    static void check(EnumerationOptions options, boolean regionsOut) {
        if (regionsOut)
            throw new BadInputException("--regions-out is not available with --exact (certified mode lists the regions' patterns; use --json)");
        if (options.timeLimit != null) throw new BadInputException("--time-limit is not available with --exact (use --max-regions)");
        if (EnumerationOptions.SUBDIVISION.equals(options.engine))
            throw new BadInputException("--exact is not implemented in --engine subdivision (omit --engine: --exact has its own certified engine)");
    }

    static CertifiedRegions compute(Network net, EnumerationOptions options) {
        HPolytope d = options.domain(net);
        Ranges.domain(net, d);
        long t0 = System.nanoTime();
        if (net.inputDim() == 2 && d.isBox() && options.maxRegions == null) {
            double[] lo = d.boxLo(), hi = d.boxHi();
            PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(lo[0], hi[0], lo[1], hi[1]), Tolerance.EXACT);
            PlanePartition p = pp.getResult();
            java.util.List<String> pats = p.regions().stream().map(r -> r.pattern().toBitString()).toList();
            return new CertifiedRegions(ExactStatistics.of(net, p), pats, PLANE, pp.exactEvaluations(), (System.nanoTime() - t0) / 1e9);
        }
        ExactRegionEnumerator en = new ExactRegionEnumerator(net, d);
        if (options.maxRegions != null) en.setMaxRegions(options.maxRegions);
        ExactRegionEnumerator.Result r = en.run();
        java.util.List<String> pats = r.patterns().stream().map(atlas.regions.ActivationPattern::toBitString).toList();
        return new CertifiedRegions(ExactStatistics.of(net, d, r), pats, ENUMERATOR, r.lps(), (System.nanoTime() - t0) / 1e9);
    }

    /** The JSON summary: shape, engine and the statistics with their certified / float lists. */
    ObjectNode json(Network net) {
        ObjectNode o = RegionJson.MAPPER.createObjectNode();
        o.put("shape", net.shape());
        o.put("exact", true);
        o.put("engine", engine);
        o.put(engine.equals(PLANE) ? "exact_evaluations" : "exact_lps", work);
        o.put("seconds", seconds);
        o.setAll(RegionJson.exactStatistics(stats));
        return o;
    }

    /** The count, pieces and volumes ({@code enumerate --exact}); {@code all}: every statistic ({@code stats --exact}). */
    void printText(PrintWriter w, Network net, boolean all) {
        ExactStatistics s = stats;
        w.printf(Locale.ROOT, "network: %s (%d cutting units)%n", net.shape(), net.cuttingUnits());
        w.printf(Locale.ROOT, "regions: %d%s [certified]%n", s.count(), s.complete() ? "" : " (PARTIAL: --max-regions reached)");
        w.printf(Locale.ROOT, "linear pieces: %d (adjacent regions with exactly equal affine maps merged) [certified]%n", s.pieces());
        if (all) {
            w.printf(Locale.ROOT, "facets per region: histogram %s [certified]%n", histogram(s.facets()));
            w.printf(Locale.ROOT, "interior facets per region: histogram %s [certified]%n", histogram(s.interiorFacets()));
            if (!s.vertices().isEmpty() || s.verticesUncounted() > 0)
                w.printf(Locale.ROOT, "vertices per region: histogram %s%s [certified]%n", histogram(s.vertices()), s.verticesUncounted() == 0 ? ""
                        : String.format(Locale.ROOT, " (%d regions not counted: more than %d subsets of facets to solve)", s.verticesUncounted(),
                        atlas.regions.KernelParameters.EXACT_VERTEX_SUBSETS));
            w.printf(Locale.ROOT, "dead units (off in every region): %d %s [certified]%n", s.deadUnits().length, java.util.Arrays.toString(s.deadUnits()));
            w.printf(Locale.ROOT, "always-on units (on in every region): %d %s [certified]%n", s.alwaysOnUnits().length,
                    java.util.Arrays.toString(s.alwaysOnUnits()));
        }
        if (s.volume() != null) {
            if (all)
                w.printf(Locale.ROOT, "volume: min %.4g, q1 %.4g, median %.4g, q3 %.4g, max %.4g, mean %.4g [float]%n", s.volume().min(), s.volume().q1(),
                        s.volume().median(), s.volume().q3(), s.volume().max(), s.volume().mean());
            w.printf(Locale.ROOT, "volume: sum of regions %.12g%s [float]%n", s.volume().sum(),
                    Double.isNaN(s.domainVolume()) ? "" : String.format(Locale.ROOT, ", domain %.12g", s.domainVolume()));
        }
        if (all) w.printf(Locale.ROOT, "inradius: min %.4g, median %.4g, max %.4g [float]%n", s.inradius().min(), s.inradius().median(), s.inradius().max());
        w.printf(Locale.ROOT, "exact: %s, %d %s, %.3f s; [certified] = exact arithmetic on the float64 weights, [float] = floating point%n",
                engine, work, engine.equals(PLANE) ? "exact evaluations" : "exact LPs", seconds);
    }

    private static String histogram(Map<Integer, Integer> h) {
        StringBuilder sb = new StringBuilder();
        for (var e : h.entrySet()) sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append(':').append(e.getValue());
        return sb.toString();
    }
}
