package atlas.regions;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

/**
 * The kernel behind {@link LocalAffine} for the hot loop of the n-D enumeration: for a fixed pattern, every layer's
 * pre-activations and outputs as affine functions of the input, as flat rows of {@code d + 1} numbers
 * (coefficients, then the constant). Built incrementally from a <em>base</em> pattern: layers before the first bit
 * where the two patterns differ are shared with the base (read-only), since a layer's rows depend only on the bits of
 * earlier layers. Crossing a facet of a last-layer unit thus costs one activation instead of a full composition.
 *
 * <p>Arrays are shared between instances and must not be modified after construction.
 */
final class PatternRows {
    final ActivationPattern pattern;
    final int dim;
    /** z[i]: pre-activation rows of layer i (1-based; z[0] unused), units_i x (dim + 1). */
    final double[][] z;
    /** h[i]: output rows of layer i (h[0] the identity), units_i x (dim + 1). */
    final double[][] h;
    /** For cutting unit k: its layer and its index in the layer. */
    final int[] unitLayer, unitIndex;

    private PatternRows(ActivationPattern pattern, int dim, double[][] z, double[][] h, int[] unitLayer, int[] unitIndex) {
        this.pattern = pattern;
        this.dim = dim;
        this.z = z;
        this.h = h;
        this.unitLayer = unitLayer;
        this.unitIndex = unitIndex;
    }

    /** The rows of {@code pattern}; {@code base} (may be null) is a pattern of the same network to share layers with. */
    static PatternRows of(Network net, ActivationPattern pattern, PatternRows base) {
        if (pattern.length() != net.cuttingUnits())
            throw new IllegalArgumentException("pattern has " + pattern.length() + " bits, the network " + net.cuttingUnits() + " cutting units");
        int d = net.inputDim(), cols = d + 1, depth = net.depth();
        double[][] z = new double[depth + 1][];
        double[][] h = new double[depth + 1][];
        int[] unitLayer, unitIndex;
        int firstDiff = depth + 1; // first layer whose bits differ from the base
        if (base != null) {
            unitLayer = base.unitLayer;
            unitIndex = base.unitIndex;
            int[] diff = pattern.differingUnits(base.pattern);
            firstDiff = diff.length == 0 ? depth + 1 : unitLayer[diff[0]];
            for (int i = 0; i < firstDiff && i <= depth; i++) { z[i] = base.z[i]; h[i] = base.h[i]; }
            if (firstDiff <= depth) z[firstDiff] = base.z[firstDiff];
        } else {
            unitLayer = new int[pattern.length()];
            unitIndex = new int[pattern.length()];
            int k = 0;
            for (int i = 1; i <= depth; i++) {
                if (!net.layer(i).activation().cuts()) continue;
                for (int u = 0; u < net.layer(i).units(); u++) { unitLayer[k] = i; unitIndex[k] = u; k++; }
            }
            h[0] = new double[d * cols];
            for (int k2 = 0; k2 < d; k2++) h[0][k2 * cols + k2] = 1.0;
            firstDiff = 1;
        }
        for (int i = Math.max(1, firstDiff); i <= depth; i++) {
            DenseLayer l = net.layer(i);
            int units = l.units(), in = l.inputSize();
            if (z[i] == null) {
                double[] zi = new double[units * cols];
                double[] prev = h[i - 1];
                double[] w = l.weights();
                for (int u = 0; u < units; u++) {
                    int zr = u * cols;
                    zi[zr + d] = l.bias()[u];
                    for (int k = 0; k < in; k++) {
                        double wk = w[u * in + k];
                        if (wk == 0) continue;
                        int pr = k * cols;
                        for (int c = 0; c < cols; c++) zi[zr + c] += wk * prev[pr + c];
                    }
                    for (Skip s : l.skips()) {
                        double[] src = h[s.from()];
                        int srcSize = net.size(s.from());
                        for (int k = 0; k < srcSize; k++) {
                            double pk = s.weight(u, k);
                            if (pk == 0) continue;
                            for (int c = 0; c < cols; c++) zi[zr + c] += pk * src[k * cols + c];
                        }
                    }
                }
                z[i] = zi;
            }
            if (!l.activation().cuts()) {
                h[i] = z[i];
                continue;
            }
            int off = net.patternOffset(i);
            double leak = l.activation() == Activation.LEAKY_RELU ? l.leak() : 0.0;
            double[] hi = new double[units * cols];
            double[] zi = z[i];
            for (int u = 0; u < units; u++) {
                double slope = pattern.get(off + u) ? 1.0 : leak;
                if (slope == 0) continue;
                for (int c = 0; c < cols; c++) hi[u * cols + c] = slope * zi[u * cols + c];
            }
            h[i] = hi;
        }
        return new PatternRows(pattern, d, z, h, unitLayer, unitIndex);
    }

    int units() { return unitLayer.length; }

    /** Coefficient j of cutting unit k's pre-activation. */
    double a(int k, int j) { return z[unitLayer[k]][unitIndex[k] * (dim + 1) + j]; }

    /** Constant of cutting unit k's pre-activation. */
    double c(int k) { return z[unitLayer[k]][unitIndex[k] * (dim + 1) + dim]; }

    /** The gradient norm of cutting unit k. */
    double norm(int k) {
        double[] zl = z[unitLayer[k]];
        int r = unitIndex[k] * (dim + 1);
        double s = 0;
        for (int j = 0; j < dim; j++) s += zl[r + j] * zl[r + j];
        return Math.sqrt(s);
    }

    /** Cutting unit k's pre-activation at x. */
    double value(int k, double[] x) {
        double[] zl = z[unitLayer[k]];
        int r = unitIndex[k] * (dim + 1);
        double s = zl[r + dim];
        for (int j = 0; j < dim; j++) s += zl[r + j] * x[j];
        return s;
    }

    /** The outputs as an affine map. */
    AffineMap output() {
        double[] rows = h[h.length - 1];
        int m = rows.length / (dim + 1);
        double[] a = new double[m * dim], c = new double[m];
        for (int r = 0; r < m; r++) {
            System.arraycopy(rows, r * (dim + 1), a, r * dim, dim);
            c[r] = rows[r * (dim + 1) + dim];
        }
        return new AffineMap(m, dim, a, c);
    }
}
