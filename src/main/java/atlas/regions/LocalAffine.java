package atlas.regions;

import atlas.net.Network;

/**
 * The network with its activation pattern fixed: every cutting unit's pre-activation and every output as an
 * affine function of the input. On the region of that pattern these are the network's exact values; row k of
 * {@link #preActivations} is the inequality {@code z_k(x) > 0} (bit on) or {@code z_k(x) <= 0} (bit off) that
 * bounds the region.
 *
 * <p>Cost: O(sum over layers of units x inputs x (inputDim + 1)); allocates. Use the vertex-based maps of the
 * region kernels in hot loops and this where a single region is asked about, or where a region is too thin for
 * vertex values to fix its map accurately.
 */
public record LocalAffine(AffineMap preActivations, AffineMap output) {

    /** Composes the masked layers of {@code net} for {@code pattern} (the kernel is {@link PatternRows}). */
    public static LocalAffine of(Network net, ActivationPattern pattern) {
        PatternRows rows = PatternRows.of(net, pattern, null);
        int n = net.inputDim();
        int cols = n + 1;
        double[] zRows = new double[net.cuttingUnits() * cols];
        int bit = 0;
        for (int i = 1; i <= net.depth(); i++) {
            if (!net.layer(i).activation().cuts()) continue;
            int units = net.layer(i).units();
            System.arraycopy(rows.z[i], 0, zRows, bit * cols, units * cols);
            bit += units;
        }
        return new LocalAffine(split(zRows, net.cuttingUnits(), n), split(rows.h[net.depth()], net.outputDim(), n));
    }

    private static AffineMap split(double[] rows, int m, int n) {
        double[] a = new double[m * n];
        double[] c = new double[m];
        for (int r = 0; r < m; r++) {
            System.arraycopy(rows, r * (n + 1), a, r * n, n);
            c[r] = rows[r * (n + 1) + n];
        }
        return new AffineMap(m, n, a, c);
    }
}
