package atlas.regions;

import atlas.net.Skip;

/**
 * The terms a skip connection adds to a pre-activation, shared by the plane kernel ({@link VertexTable}) and the
 * segment kernel ({@link SegmentCutter}) so that both sum them in one order. A pre-activation is accumulated as
 * {@code acc[0]} (the sum) and {@code acc[1]} (the sum of the terms' magnitudes: the scale of
 * {@link atlas.geometry.Tolerance#snap}).
 */
final class SnappedSum {
    private SnappedSum() {}

    /**
     * Adds skip {@code skip}'s terms for unit u, reading the skipped layer's outputs at {@code src[base..]}.
     *
     * @param acc {sum, magnitude}; updated
     */
    static void addSkip(Skip skip, int u, double[] src, int base, double[] acc) {
        double s = acc[0], mag = acc[1];
        if (skip.isIdentity()) {
            double t = src[base + u];
            s += t;
            mag += Math.abs(t);
        } else {
            double[] p = skip.weights();
            int c = skip.cols();
            for (int k = 0; k < c; k++) {
                double t = p[u * c + k] * src[base + k];
                s += t;
                mag += Math.abs(t);
            }
        }
        acc[0] = s;
        acc[1] = mag;
    }
}
