package atlas.regions;

import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

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

    /** Composes the masked layers of {@code net} for {@code pattern}. */
    public static LocalAffine of(Network net, ActivationPattern pattern) {
        if (pattern.length() != net.cuttingUnits())
            throw new IllegalArgumentException("pattern has " + pattern.length() + " bits, the network " + net.cuttingUnits() + " cutting units");
        int n = net.inputDim();
        int cols = n + 1; // coefficients, then the constant
        double[][] h = new double[net.depth() + 1][];
        h[0] = new double[n * cols];
        for (int k = 0; k < n; k++) h[0][k * cols + k] = 1.0;
        double[] zRows = new double[net.cuttingUnits() * cols];
        int bit = 0;
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            int units = l.units(), in = l.inputSize();
            double[] z = new double[units * cols];
            double[] prev = h[i - 1];
            double[] w = l.weights();
            for (int u = 0; u < units; u++) {
                int zr = u * cols;
                z[zr + n] = l.bias()[u];
                for (int k = 0; k < in; k++) {
                    double wk = w[u * in + k];
                    if (wk == 0) continue;
                    int pr = k * cols;
                    for (int c = 0; c < cols; c++) z[zr + c] += wk * prev[pr + c];
                }
                for (Skip s : l.skips()) {
                    double[] src = h[s.from()];
                    int srcSize = net.size(s.from());
                    for (int k = 0; k < srcSize; k++) {
                        double pk = s.weight(u, k);
                        if (pk == 0) continue;
                        for (int c = 0; c < cols; c++) z[zr + c] += pk * src[k * cols + c];
                    }
                }
            }
            double[] out = z;
            if (l.activation().cuts()) {
                System.arraycopy(z, 0, zRows, bit * cols, units * cols);
                out = new double[units * cols];
                for (int u = 0; u < units; u++) {
                    boolean on = pattern.get(bit + u);
                    double slope = on ? 1.0 : (l.activation() == atlas.net.Activation.LEAKY_RELU ? l.leak() : 0.0);
                    for (int c = 0; c < cols; c++) out[u * cols + c] = slope * z[u * cols + c];
                }
                bit += units;
            }
            h[i] = out;
        }
        return new LocalAffine(split(zRows, net.cuttingUnits(), n), split(h[net.depth()], net.outputDim(), n));
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
