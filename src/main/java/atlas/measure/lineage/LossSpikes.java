package atlas.measure.lineage;

import atlas.error.BadInputException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Loss spikes in a loss curve, by the rule of {@code atlas experiment depth}: an epoch whose loss exceeds
 * {@code factor} times the lowest loss of the previous {@code window} ordinary epochs is a spike epoch; consecutive
 * spike epochs form one spike, reported at its first epoch. Spike epochs do not enter the window, so a long
 * spike is compared with the losses before it.
 */
public final class LossSpikes {
    /** The depth experiment's defaults: 1.5 x the minimum of the previous 20 epochs. */
    public static final double DEFAULT_FACTOR = 1.5;
    public static final int DEFAULT_WINDOW = 20;

    /**
     * One spike.
     *
     * @param epoch    its first epoch
     * @param endEpoch its last epoch (the last consecutive spike epoch)
     * @param baseline the lowest loss of the window before it
     * @param peak     the largest loss during it
     */
    public record Spike(double epoch, double endEpoch, double baseline, double peak) {
        /** peak / baseline. */
        public double factor() { return peak / baseline; }
    }

    private LossSpikes() {}

    /** The spikes of the curve {@code loss} against {@code epochs} (non-finite losses are skipped). */
    public static List<Spike> detect(double[] epochs, double[] loss, double factor, int window) {
        if (epochs.length != loss.length) throw new BadInputException(epochs.length + " epochs but " + loss.length + " losses");
        if (!(factor > 1)) throw new BadInputException("the spike factor must exceed 1, got " + factor);
        if (window < 1) throw new BadInputException("the spike window must be at least 1, got " + window);
        List<Spike> out = new ArrayList<>();
        ArrayDeque<Double> recent = new ArrayDeque<>();
        double start = Double.NaN, end = Double.NaN, base = Double.NaN, peak = Double.NaN;
        for (int k = 0; k < loss.length; k++) {
            double v = loss[k];
            if (!Double.isFinite(v)) continue;
            double min = Double.POSITIVE_INFINITY;
            for (double r : recent) min = Math.min(min, r);
            boolean spike = recent.size() == window && v > factor * min;
            if (spike) {
                if (Double.isNaN(start)) {
                    start = epochs[k];
                    base = min;
                    peak = v;
                }
                end = epochs[k];
                peak = Math.max(peak, v);
            } else {
                if (!Double.isNaN(start)) out.add(new Spike(start, end, base, peak));
                start = Double.NaN;
                recent.addLast(v);
                if (recent.size() > window) recent.removeFirst();
            }
        }
        if (!Double.isNaN(start)) out.add(new Spike(start, end, base, peak));
        return out;
    }
}
