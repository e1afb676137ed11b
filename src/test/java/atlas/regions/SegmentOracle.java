package atlas.regions;

import atlas.TestTolerances;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A slow, naive reference for the 1-D kernel: samples the network's activation bits at {@code G + 1} evenly
 * spaced points of a segment, and wherever a unit's bit changes between two neighbouring samples, finds the
 * change by bisection (on full forward passes in input space). Misses a unit that changes twice between two
 * samples; never reports a change that is not there.
 */
final class SegmentOracle {
    private SegmentOracle() {}

    /** The sorted parameters t in (0, 1) where some unit's bit changes, changes closer than 1e-10 merged. */
    static double[] breakpoints(Network net, double[] p, double[] q, int grid) {
        List<Double> found = new ArrayList<>();
        boolean[] prev = bits(net, p, q, 0);
        for (int i = 1; i <= grid; i++) {
            double t0 = (double) (i - 1) / grid, t1 = (double) i / grid;
            boolean[] cur = bits(net, p, q, t1);
            for (int u = 0; u < cur.length; u++) {
                if (cur[u] == prev[u]) continue;
                double a = t0, b = t1;
                boolean bitA = prev[u];
                while (b - a > TestTolerances.BISECTION) {
                    double m = 0.5 * (a + b);
                    if (bits(net, p, q, m)[u] == bitA) a = m; else b = m;
                }
                found.add(0.5 * (a + b));
            }
            prev = cur;
        }
        double[] t = found.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] merged = new double[t.length];
        int n = 0;
        for (double v : t) if (n == 0 || v - merged[n - 1] > 1e-10) merged[n++] = v;
        return Arrays.copyOf(merged, n);
    }

    static boolean[] bits(Network net, double[] p, double[] q, double t) {
        double[] x = new double[p.length];
        for (int k = 0; k < x.length; k++) x[k] = p[k] + t * (q[k] - p[k]);
        return net.trace(x).activeBits(net);
    }
}
