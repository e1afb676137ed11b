package atlas.measure.lineage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spike rule on hand-made curves, and the rank correlation against values worked out by hand. */
class LossSpikesTest {
    @Test
    void spikesAreFoundWhereTheyWerePlacedAndConsecutiveEpochsFormOne() {
        int n = 100;
        double[] e = new double[n], l = new double[n];
        for (int k = 0; k < n; k++) {
            e[k] = k;
            l[k] = 1.0 / (1 + k); // falling: never 1.5 x the minimum of the window before
        }
        l[40] = l[41] = l[42] = 3 * l[39];   // one spike over 3 epochs
        l[70] = 1.6 * l[69];                 // just above 1.5 x the recent minimum (l[69])
        l[90] = 1.4 * l[89];                 // below the factor: no spike
        List<LossSpikes.Spike> s = LossSpikes.detect(e, l, 1.5, 20);
        assertEquals(2, s.size(), s.toString());
        assertEquals(40, s.get(0).epoch());
        assertEquals(42, s.get(0).endEpoch());
        assertEquals(l[39], s.get(0).baseline(), 0);
        assertEquals(3, s.get(0).factor(), 1e-12);
        assertEquals(70, s.get(1).epoch());
        // the first 20 epochs only fill the window: no spike can start there
        double[] early = l.clone();
        early[5] = 100;
        assertEquals(2, LossSpikes.detect(e, early, 1.5, 20).size());
    }

    @Test
    void rankCorrelationMatchesHandComputedValues() {
        assertEquals(1, TrackReport.spearman(new double[]{1, 2, 3, 4}, new double[]{10, 20, 30, 40}), 1e-15);
        assertEquals(-1, TrackReport.spearman(new double[]{1, 2, 3, 4}, new double[]{4, 3, 2, 1}), 1e-15);
        // ranks (1,2,3,4) vs (2,1,4,3): d^2 = 4, rho = 1 - 6*4/(4*15) = 0.6
        assertEquals(0.6, TrackReport.spearman(new double[]{1, 2, 3, 4}, new double[]{2, 1, 4, 3}), 1e-12);
        assertTrue(Double.isNaN(TrackReport.spearman(new double[]{1, 1, 1}, new double[]{1, 2, 3})));
    }
}
