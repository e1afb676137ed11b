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
 * epoch. That step's share of the domain whose pattern changed and share whose map changed are compared with the
 * median of the same shares over the steps without a spike (the run's ordinary step): a share is <em>unusual</em>
 * when it exceeds {@value #UNUSUAL_RATIO} times that median (and {@value #MIN_SHARE} of the domain, so that a run
 * whose ordinary steps change nothing does not call rounding unusual). Snapshots are taken every few epochs, so a
 * step also holds the ordinary drift of the epochs around the spike; the comparison with the ordinary step is
 * what separates the two.
 *
 * @param spikes          every spike with its step's figures
 * @param ordinaryGeometry median share of the domain whose pattern changed, over steps without a spike
 * @param ordinaryMap      median share whose map changed, over the same steps
 * @param lateGeometry     median pattern-changed share over the second half of the steps
 * @param lateMap          median map-changed share over the second half
 * @param lateMapSurvived  median share whose pattern survived but whose map changed, over the second half
 * @param lossKnown        whether the steps carried losses (else no spike can be found)
 * @param text             the answer in a few sentences
 */
public record TrackReport(List<SpikeStep> spikes, double ordinaryGeometry, double ordinaryMap, double lateGeometry,
                          double lateMap, double lateMapSurvived, boolean lossKnown, String text) {
    /** A share is unusual above this multiple of the ordinary step's. */
    public static final double UNUSUAL_RATIO = 2;
    /** ... and above this share of the domain (below it, both shares are rounding for this purpose). */
    public static final double MIN_SHARE = 1e-6;

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
     * @param geometryChanged  share of the domain whose pattern changed over the step
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
        List<Double> geoOrd = new ArrayList<>(), mapOrd = new ArrayList<>();
        for (TrackStep s : steps) {
            if (spiky[s.index() - 1]) continue;
            geoOrd.add(s.summary().geometryChangedShare());
            mapOrd.add(s.summary().mapChangedShare());
        }
        double og = median(geoOrd), om = median(mapOrd);
        List<SpikeStep> out = new ArrayList<>();
        for (int k = 0; k < found.size(); k++) {
            LossSpikes.Spike sp = found.get(k);
            if (stepOf[k] == 0) {
                out.add(new SpikeStep(sp, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, false, "outside the snapshots"));
                continue;
            }
            TrackStep s = steps.get(stepOf[k] - 1);
            double g = s.summary().geometryChangedShare(), m = s.summary().mapChangedShare();
            boolean ug = unusual(g, og), um = unusual(m, om);
            String v = ug && um ? "geometry and maps" : um ? "maps only" : ug ? "geometry only" : "neither";
            out.add(new SpikeStep(sp, s.index(), s.epochBefore(), s.epochAfter(), g, m, ug, um, v));
        }
        List<TrackStep> late = steps.subList(steps.size() / 2, steps.size());
        double lg = median(late.stream().map(s -> s.summary().geometryChangedShare()).toList());
        double lm = median(late.stream().map(s -> s.summary().mapChangedShare()).toList());
        double ls = median(late.stream().map(s -> s.summary().mapChangedSurvivedShare()).toList());
        return new TrackReport(out, og, om, lg, lm, ls, lossKnown, text(steps, out, og, om, lg, lm, ls, lossKnown, factor, window));
    }

    static boolean unusual(double share, double ordinary) {
        return share > MIN_SHARE && share > UNUSUAL_RATIO * ordinary;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v != 0 && Math.abs(v) < 0.001 ? "%.2g%%" : "%.1f%%", 100 * v);
    }

    private static String ep(double e) {
        return e == Math.rint(e) ? Long.toString((long) e) : String.format(Locale.ROOT, "%g", e);
    }

    private static String text(List<TrackStep> steps, List<SpikeStep> spikes, double og, double om, double lg, double lm, double ls,
                               boolean lossKnown, double factor, int window) {
        StringBuilder sb = new StringBuilder();
        if (steps.isEmpty()) return "Fewer than two snapshots: nothing to compare.";
        sb.append(String.format(Locale.ROOT, "%d steps from epoch %s to %s. ", steps.size(), ep(steps.get(0).epochBefore()),
                ep(steps.get(steps.size() - 1).epochAfter())));
        sb.append("An ordinary step (no loss spike) changed the activation pattern on ").append(pct(og))
                .append(" of the domain and the affine map on ").append(pct(om)).append(" (medians).\n");
        if (!lossKnown) {
            sb.append("No losses are known for these snapshots, so no spike can be found (give the run's metrics).\n");
        } else if (spikes.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "The loss never spiked (no training loss above %.3g x the lowest of the previous %d epochs).%n",
                    factor, window));
        } else {
            sb.append(String.format(Locale.ROOT, "Loss spikes (training loss above %.3g x the lowest of the previous %d epochs): %d.%n",
                    factor, window, spikes.size()));
            int maps = 0, geo = 0, both = 0, neither = 0;
            for (SpikeStep s : spikes) {
                if (s.step() == 0) {
                    sb.append(String.format(Locale.ROOT, "- epoch %s (loss x%.2f): outside the tracked snapshots.%n", ep(s.spike().epoch()), s.spike().factor()));
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "- epoch %s%s (loss %.3g, x%.2f its recent minimum), step %s -> %s: pattern changed on %s, map on %s: %s.%n",
                        ep(s.spike().epoch()), s.spike().endEpoch() > s.spike().epoch() ? "-" + ep(s.spike().endEpoch()) : "",
                        s.spike().peak(), s.spike().factor(), ep(s.epochBefore()), ep(s.epochAfter()), pct(s.geometryChanged()),
                        pct(s.mapChanged()), s.verdict().equals("neither") ? "no more than an ordinary step" : s.verdict() + " changed more than usual"));
                switch (s.verdict()) {
                    case "maps only" -> maps++;
                    case "geometry only" -> geo++;
                    case "geometry and maps" -> both++;
                    default -> neither++;
                }
            }
            sb.append(String.format(Locale.ROOT, "Answer: at %d spike(s) only the maps changed more than usual, at %d only the geometry, "
                    + "at %d both, at %d neither.%n", maps, geo, both, neither));
        }
        sb.append("Over the second half of the run a median step changed the pattern on ").append(pct(lg)).append(" of the domain and the map on ")
                .append(pct(lm)).append(" (on ").append(pct(ls)).append(" the pattern survived but the map changed).\n");
        return sb.toString();
    }
}
