package atlas.measure.lineage;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The answer to the question a tracked run is asked: when did the loss spike, and did the geometry (the
 * activation patterns) or the maps (the affine functions on the regions) change then?
 *
 * <p>Each spike ({@link LossSpikes}) falls into the step whose interval (epochBefore, epochAfter] holds its first
 * epoch. That step's geometry change ({@link #geometry}: units flipped at a mean point) and share of the domain
 * whose map changed are compared with the
 * median of the same shares over the nearby steps without a spike (the ordinary step there, see
 * {@link #localBaseline}): a share is <em>unusual</em>
 * when it exceeds {@value #UNUSUAL_RATIO} times that median (and {@value #MIN_SHARE} of the domain, so that a run
 * whose ordinary steps change nothing does not call rounding unusual). Snapshots are taken every few epochs, so a
 * step also holds the ordinary drift of the epochs around the spike; the comparison with the ordinary step is
 * what separates the two.
 *
 * @param spikes          every spike with its step's figures
 * @param ordinaryGeometry median geometry change ({@link #geometry}), over steps without a spike
 * @param ordinaryMap      median share whose map changed, over the same steps
 * @param lateGeometry     median geometry change over the second half of the steps
 * @param lateMap          median map-changed share over the second half
 * @param lateMapSurvived  median share whose pattern survived but whose map changed, over the second half
 * @param lossKnown        whether the steps carried losses (else no spike can be found)
 * @param spikySteps       steps holding at least one spike
 * @param spikeGeometryCorrelation Spearman rank correlation over the steps between the step's largest spike factor
 *                         (1 without a spike) and its geometry change; NaN with fewer than 3 steps or no spread
 * @param spikeMapCorrelation the same for the map-changed share
 * @param text             the answer in a few sentences
 */
public record TrackReport(List<SpikeStep> spikes, double ordinaryGeometry, double ordinaryMap, double lateGeometry,
                          double lateMap, double lateMapSurvived, boolean lossKnown, int spikySteps,
                          double spikeGeometryCorrelation, double spikeMapCorrelation, String text) {
    /** A share is unusual above this multiple of the ordinary step's. */
    public static final double UNUSUAL_RATIO = 2;
    /** ... and above this share of the domain (below it, both shares are rounding for this purpose). */
    public static final double MIN_SHARE = 1e-6;
    /** The text lists at most this many spikes (the largest); summary.json has them all. */
    public static final int MAX_LISTED = 10;
    /** With fewer steps free of spikes than this, the ordinary step is the median over all steps. */
    public static final int MIN_ORDINARY_STEPS = 3;
    /** The ordinary step of a spike's step is taken from the steps at most this many steps away. */
    public static final int NEIGHBOURS = 5;

    public TrackReport {
        spikes = List.copyOf(spikes);
    }

    /**
     * One spike and its step.
     *
     * @param spike            the spike
     * @param step             the step (1-based) holding its first epoch, 0 when no step does
     * @param epochBefore      the step's earlier snapshot
     * @param epochAfter       the step's later snapshot
     * @param geometryChanged  the step's geometry change ({@link #geometry})
     * @param mapChanged       share whose map changed by more than the threshold
     * @param unusualGeometry  geometryChanged is unusual (see the class comment)
     * @param unusualMap       mapChanged is unusual
     * @param verdict          "geometry and maps", "maps only", "geometry only" or "neither" (changed more than usual)
     */
    public record SpikeStep(LossSpikes.Spike spike, int step, double epochBefore, double epochAfter, double geometryChanged,
                            double mapChanged, boolean unusualGeometry, boolean unusualMap, String verdict) {}

    /**
     * The report of {@code steps}, with spikes found in the loss curve {@code epochs, loss} (per epoch when known;
     * else pass the steps' own losses).
     */
    public static TrackReport of(List<TrackStep> steps, double[] epochs, double[] loss, double factor, int window) {
        if (steps == null) throw new BadInputException("no steps");
        boolean lossKnown = Arrays.stream(loss).anyMatch(Double::isFinite);
        List<LossSpikes.Spike> found = lossKnown ? LossSpikes.detect(epochs, loss, factor, window) : List.of();
        int[] stepOf = new int[found.size()];
        boolean[] spiky = new boolean[steps.size()];
        for (int k = 0; k < found.size(); k++) {
            double e = found.get(k).epoch();
            for (TrackStep s : steps)
                if (e > s.epochBefore() && e <= s.epochAfter()) {
                    stepOf[k] = s.index();
                    spiky[s.index() - 1] = true;
                    break;
                }
        }
        int spikySteps = 0;
        for (boolean b : spiky) if (b) spikySteps++;
        boolean allSteps = steps.size() - spikySteps < MIN_ORDINARY_STEPS;
        List<Double> geoOrd = new ArrayList<>(), mapOrd = new ArrayList<>();
        for (TrackStep s : steps) {
            if (spiky[s.index() - 1] && !allSteps) continue;
            geoOrd.add(geometry(s.summary()));
            mapOrd.add(s.summary().mapChangedShare());
        }
        double[] stepFactor = new double[steps.size()];
        Arrays.fill(stepFactor, 1);
        for (int k = 0; k < found.size(); k++) if (stepOf[k] > 0) stepFactor[stepOf[k] - 1] = Math.max(stepFactor[stepOf[k] - 1], found.get(k).factor());
        double[] geo = steps.stream().mapToDouble(s -> geometry(s.summary())).toArray();
        double[] map = steps.stream().mapToDouble(s -> s.summary().mapChangedShare()).toArray();
        double cg = spearman(stepFactor, geo), cm = spearman(stepFactor, map);
        double og = median(geoOrd), om = median(mapOrd);
        List<SpikeStep> out = new ArrayList<>();
        for (int k = 0; k < found.size(); k++) {
            LossSpikes.Spike sp = found.get(k);
            if (stepOf[k] == 0) {
                out.add(new SpikeStep(sp, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, false, "outside the snapshots"));
                continue;
            }
            TrackStep s = steps.get(stepOf[k] - 1);
            double g = geometry(s.summary()), m = s.summary().mapChangedShare();
            double[] base = localBaseline(steps, spiky, s.index() - 1);
            boolean ug = unusual(g, base[0]), um = unusual(m, base[1]);
            String v = ug && um ? "geometry and maps" : um ? "maps only" : ug ? "geometry only" : "neither";
            out.add(new SpikeStep(sp, s.index(), s.epochBefore(), s.epochAfter(), g, m, ug, um, v));
        }
        List<TrackStep> late = steps.subList(steps.size() / 2, steps.size());
        double lg = median(late.stream().map(s -> geometry(s.summary())).toList());
        double lm = median(late.stream().map(s -> s.summary().mapChangedShare()).toList());
        double ls = median(late.stream().map(s -> s.summary().mapChangedSurvivedShare()).toList());
        return new TrackReport(out, og, om, lg, lm, ls, lossKnown, spikySteps, cg, cm,
                text(steps, out, og, om, lg, lm, ls, lossKnown, factor, window, spikySteps, allSteps, cg, cm));
    }

    /**
     * The ordinary step near step {@code i} (0-based): the medians of the pattern- and map-changed shares over the
     * spike-free steps within {@value #NEIGHBOURS} steps of it, or over all other steps that near when fewer than
     * {@value #MIN_ORDINARY_STEPS} are free of spikes. Local, because the shares fall as training settles: an early
     * step is not the yardstick of a late one.
     */
    static double[] localBaseline(List<TrackStep> steps, boolean[] spiky, int i) {
        List<Double> g = new ArrayList<>(), m = new ArrayList<>(), ga = new ArrayList<>(), ma = new ArrayList<>();
        for (int k = Math.max(0, i - NEIGHBOURS); k <= Math.min(steps.size() - 1, i + NEIGHBOURS); k++) {
            if (k == i) continue;
            LineageSummary s = steps.get(k).summary();
            ga.add(geometry(s));
            ma.add(s.mapChangedShare());
            if (!spiky[k]) {
                g.add(geometry(s));
                m.add(s.mapChangedShare());
            }
        }
        if (g.size() < MIN_ORDINARY_STEPS) {
            g = ga;
            m = ma;
        }
        if (g.isEmpty()) return new double[]{0, 0};
        return new double[]{median(g), median(m)};
    }

    /** Spearman's rank correlation (average ranks for ties); NaN with fewer than 3 values or a constant series. */
    static double spearman(double[] x, double[] y) {
        if (x.length < 3) return Double.NaN;
        double[] rx = ranks(x), ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0), my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int k = 0; k < x.length; k++) {
            sxy += (rx[k] - mx) * (ry[k] - my);
            sxx += (rx[k] - mx) * (rx[k] - mx);
            syy += (ry[k] - my) * (ry[k] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int k = 0; k < v.length; k++) idx[k] = k;
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) j++;
            for (int k = i; k <= j; k++) r[idx[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }

    /**
     * The geometry change of a step, graded: the mean number of units whose activation bit flipped at a point of
     * the domain. The share of the domain whose whole pattern changed saturates at 1 for deep nets (with 900 units,
     * some bit flips almost everywhere over a few epochs), so it cannot tell a large change from a small one. When
     * the two networks' patterns are not comparable (no bit can be matched), the pattern-changed share.
     */
    public static double geometry(LineageSummary s) {
        double flipped = Arrays.stream(s.flippedUnitsByLayer()).sum();
        return flipped > 0 || s.geometryChangedShare() <= MIN_SHARE ? flipped : s.geometryChangedShare();
    }

    static boolean unusual(double share, double ordinary) {
        return share > MIN_SHARE && share > UNUSUAL_RATIO * ordinary;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A share in per cent; shares below {@link #MIN_SHARE} are rounding and print as 0. */
    private static String pct(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) <= MIN_SHARE) return "0.0%";
        return String.format(Locale.ROOT, Math.abs(v) < 0.001 ? "%.2g%%" : "%.1f%%", 100 * v);
    }

    private static String units(double u) {
        if (Double.isNaN(u)) return "n/a";
        return u == 0 ? "0" : String.format(Locale.ROOT, u < 10 ? "%.3g" : "%.1f", u);
    }

    private static String corr(double c) { return Double.isNaN(c) ? "n/a" : String.format(Locale.ROOT, "%+.2f", c); }

    private static String ep(double e) {
        return e == Math.rint(e) ? Long.toString((long) e) : String.format(Locale.ROOT, "%g", e);
    }

    private static String text(List<TrackStep> steps, List<SpikeStep> spikes, double og, double om, double lg, double lm, double ls,
                               boolean lossKnown, double factor, int window, int spikySteps, boolean allSteps, double cg, double cm) {
        StringBuilder sb = new StringBuilder();
        if (steps.isEmpty()) return "Fewer than two snapshots: nothing to compare.";
        sb.append(String.format(Locale.ROOT, "%d steps from epoch %s to %s. ", steps.size(), ep(steps.get(0).epochBefore()),
                ep(steps.get(steps.size() - 1).epochAfter())));
        double pg = median(steps.stream().map(s -> s.summary().geometryChangedShare()).toList());
        sb.append("A median step changed the whole activation pattern on ").append(pct(pg)).append(" of the domain. ");
        sb.append(allSteps ? "A median step (too few steps are free of spikes to set them apart) flipped "
                : "An ordinary step (no loss spike) flipped ").append(units(og))
                .append(" units at a mean point and changed the affine map on ").append(pct(om)).append(" of the domain (medians).\n");
        if (!lossKnown) {
            sb.append("No losses are known for these snapshots, so no spike can be found (give the run's metrics).\n");
        } else if (spikes.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "The loss never spiked (no training loss above %.3g x the lowest of the previous %d epochs).%n",
                    factor, window));
        } else {
            sb.append(String.format(Locale.ROOT, "Loss spikes (training loss above %.3g x the lowest of the previous %d epochs): %d, in %d of the %d steps.%n",
                    factor, window, spikes.size(), spikySteps, steps.size()));
            List<SpikeStep> listed = spikes;
            if (spikes.size() > MAX_LISTED) {
                listed = new ArrayList<>(spikes);
                listed.sort((a, b) -> Double.compare(b.spike().factor(), a.spike().factor()));
                listed = new ArrayList<>(listed.subList(0, MAX_LISTED));
                listed.sort((a, b) -> Double.compare(a.spike().epoch(), b.spike().epoch()));
                sb.append(String.format(Locale.ROOT, "The %d largest (all in summary.json):%n", MAX_LISTED));
            }
            int maps = 0, geo = 0, both = 0, neither = 0;
            for (SpikeStep s : spikes) {
                if (s.step() == 0) continue;
                switch (s.verdict()) {
                    case "maps only" -> maps++;
                    case "geometry only" -> geo++;
                    case "geometry and maps" -> both++;
                    default -> neither++;
                }
            }
            for (SpikeStep s : listed) {
                if (s.step() == 0) {
                    sb.append(String.format(Locale.ROOT, "- epoch %s (loss x%.2f): outside the tracked snapshots.%n", ep(s.spike().epoch()), s.spike().factor()));
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "- epoch %s%s (loss %.3g, x%.2f its recent minimum), step %s -> %s: %s units flipped at a mean point, map changed on %s: %s.%n",
                        ep(s.spike().epoch()), s.spike().endEpoch() > s.spike().epoch() ? "-" + ep(s.spike().endEpoch()) : "",
                        s.spike().peak(), s.spike().factor(), ep(s.epochBefore()), ep(s.epochAfter()), units(s.geometryChanged()),
                        pct(s.mapChanged()), s.verdict().equals("neither") ? "no more than an ordinary step" : s.verdict() + " changed more than usual"));
            }
            sb.append(String.format(Locale.ROOT, "Answer: at %d spike(s) only the maps changed more than usual, at %d only the geometry, "
                    + "at %d both, at %d neither.%n", maps, geo, both, neither));
            if (!Double.isNaN(cg) || !Double.isNaN(cm))
                sb.append(String.format(Locale.ROOT, "Across the steps, the largest spike in a step (its loss over the recent minimum) has rank correlation "
                        + "%s with the units flipped and %s with the share whose map changed.%n", corr(cg), corr(cm)));
        }
        sb.append("Over the second half of the run a median step flipped ").append(units(lg)).append(" units at a mean point and changed the map on ")
                .append(pct(lm)).append(" (on ").append(pct(ls)).append(" the pattern survived but the map changed).\n");
        return sb.toString();
    }
}
