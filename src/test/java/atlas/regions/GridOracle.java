package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * A slow, naive reference: the activation pattern of the network at the centre of every cell of a
 * {@code g x g} grid over the domain (what pixel-hashing tools compute), and for each sample the exact regions
 * whose closed polygon contains it, found by brute force over each region's bounding box. Shares no code with
 * the kernel beyond {@link Network#trace}.
 */
final class GridOracle {
    final PlanePartition partition;
    final int g;
    final double[] s, t;                  // sample coordinates, index = row * g + col
    final ActivationPattern[] sampled;    // the network's pattern at each sample
    final List<List<Integer>> containing; // regions whose polygon contains each sample

    GridOracle(Network net, PlanePartition p, int g) {
        this.partition = p;
        this.g = g;
        Rectangle d = p.domain();
        int n = g * g;
        s = new double[n];
        t = new double[n];
        sampled = new ActivationPattern[n];
        containing = new ArrayList<>(n);
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                int k = i * g + j;
                s[k] = d.xmin() + (j + 0.5) * d.width() / g;
                t[k] = d.ymin() + (i + 0.5) * d.height() / g;
                sampled[k] = RegionChecks.patternAt(net, p.slice(), s[k], t[k]);
                containing.add(new ArrayList<>(1));
            }
        }
        double slack = 1e-12 * Math.hypot(d.width(), d.height());
        for (LinearRegion r : p.regions()) {
            double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
            for (int v = 0; v < r.vertexCount(); v++) {
                x0 = Math.min(x0, r.x(v)); x1 = Math.max(x1, r.x(v));
                y0 = Math.min(y0, r.y(v)); y1 = Math.max(y1, r.y(v));
            }
            int j0 = Math.max(0, (int) Math.floor((x0 - d.xmin()) / d.width() * g - 0.5));
            int j1 = Math.min(g - 1, (int) Math.ceil((x1 - d.xmin()) / d.width() * g - 0.5));
            int i0 = Math.max(0, (int) Math.floor((y0 - d.ymin()) / d.height() * g - 0.5));
            int i1 = Math.min(g - 1, (int) Math.ceil((y1 - d.ymin()) / d.height() * g - 0.5));
            for (int i = i0; i <= i1; i++)
                for (int j = j0; j <= j1; j++) {
                    int k = i * g + j;
                    if (RegionChecks.distanceToBoundary(r, s[k], t[k]) >= -slack) containing.get(k).add(r.id());
                }
        }
    }

    /** Spacing of the samples along the larger side. */
    double spacing() {
        return Math.max(partition.domain().width(), partition.domain().height()) / g;
    }
}
