package atlas.measure;

import atlas.error.BadInputException;

import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

/**
 * Hanin and Rolnick's distance from a point to the nearest linear-region boundary:
 * {@code d(x) = min over hidden units k of |z_k(x)| / ||grad_x z_k(x)||}, where {@code z_k} is the pre-activation
 * of cutting unit {@code k} of a hidden layer (every layer but the last).
 *
 * <p>Exactness: on the linear region R of x, every {@code z_k} is affine with gradient {@code a_k}; R is the
 * polytope {@code {y : s_k (a_k . y + c_k) >= 0}} with s_k the sign of z_k(x). The distance from an interior
 * point to the complement of a polytope is the smallest distance to one of its constraint hyperplanes, so d(x)
 * is the exact Euclidean distance from x to the boundary of its region whenever every cutting unit is in a
 * hidden layer (true for the usual nets with a linear output layer). Units whose gradient is zero (dead through
 * the units before them) give no boundary near x and are skipped; a point with no such unit gets +infinity.
 *
 * <p>Algorithm: one forward pass carrying the Jacobian of each hidden layer's pre-activations with respect to the
 * input, {@code J_1 = W_1}, {@code J_{i} = W_i diag(act'(z_{i-1})) J_{i-1} + skips}; units that are off
 * (slope 0) are skipped. Cost: O(sum_i units_i x active_{i-1} x inputDim) per point; no allocation per point
 * (the workspace is allocated once per instance). Not thread-safe: use one instance per thread.
 */
public final class BoundaryDistance {
    private final Network net;
    private final int n;          // input dimension
    private final int hiddenLayers;
    private final double[][] h;   // h[i]: output of layer i (h[0] is the caller's x)
    private final double[][] z;   // z[i]: pre-activation of layer i
    private final double[][] jh;  // jh[i]: Jacobian of h[i], units_i x n, row-major (jh[0] unused: identity)
    private final double[] jz;    // scratch: Jacobian of the current layer's pre-activations
    private int nearest = -1;

    /** @param net a network; its last layer is treated as the output and not counted */
    public BoundaryDistance(Network net) {
        this.net = net;
        this.n = net.inputDim();
        this.hiddenLayers = net.depth() - 1;
        this.h = new double[net.depth() + 1][];
        this.z = new double[net.depth() + 1][];
        this.jh = new double[net.depth() + 1][];
        int maxUnits = 1;
        for (int i = 1; i <= net.depth(); i++) {
            h[i] = new double[net.size(i)];
            z[i] = new double[net.size(i)];
            if (i <= hiddenLayers) jh[i] = new double[net.size(i) * n];
            maxUnits = Math.max(maxUnits, net.size(i));
        }
        this.jz = new double[maxUnits * n];
    }

    /** One-off convenience (allocates a workspace). */
    public static double of(Network net, double[] x) {
        return new BoundaryDistance(net).distance(x);
    }

    /** N: the number of hidden cutting units the minimum runs over. */
    public int hiddenUnits() {
        int c = 0;
        for (int i = 1; i <= hiddenLayers; i++) if (net.layer(i).activation().cuts()) c += net.size(i);
        return c;
    }

    /** The cutting-unit index (pattern bit) of the unit that gave the last distance; -1 when none did. */
    public int nearestUnit() { return nearest; }

    /**
     * The distance from {@code x} to the nearest boundary.
     *
     * @param x a point, length inputDim. Not modified.
     */
    public double distance(double[] x) {
        if (x.length != n) throw new BadInputException("point has " + x.length + " values, the network expects " + n);
        h[0] = x;
        double best = Double.POSITIVE_INFINITY;
        nearest = -1;
        int bit = 0;
        for (int i = 1; i <= hiddenLayers; i++) {
            DenseLayer l = net.layer(i);
            int units = l.units();
            net.preActivation(i, h, z[i]);
            // invariant: jz rows 0..units-1 hold grad_x z_i[u] after this block
            jacobian(i, l, units);
            boolean cuts = l.activation().cuts();
            double[] jhi = jh[i];
            for (int u = 0; u < units; u++) {
                double zu = z[i][u];
                int row = u * n;
                if (cuts) {
                    double sq = 0;
                    for (int k = 0; k < n; k++) sq += jz[row + k] * jz[row + k];
                    if (sq > 0) {
                        double d = Math.abs(zu) / Math.sqrt(sq);
                        if (d < best) { best = d; nearest = bit + u; }
                    }
                }
                double slope = l.activation().slope(zu, l.leak());
                h[i][u] = l.activation().apply(zu, l.leak());
                if (slope == 0) java.util.Arrays.fill(jhi, row, row + n, 0.0);
                else for (int k = 0; k < n; k++) jhi[row + k] = slope * jz[row + k];
            }
            if (cuts) bit += units;
        }
        return best;
    }

    /** jz = W_i jh[i-1] + sum over skips P jh[from] (jh[0] = identity). */
    private void jacobian(int i, DenseLayer l, int units) {
        java.util.Arrays.fill(jz, 0, units * n, 0.0);
        addProduct(l.weights(), l.inputSize(), i - 1, units);
        for (Skip s : l.skips()) {
            if (s.isIdentity()) {
                int from = s.from();
                for (int u = 0; u < units; u++) addRow(u, from, u, 1.0);
            } else {
                addProduct(s.weights(), s.cols(), s.from(), units);
            }
        }
    }

    /** jz += M jh[from], M is units x cols row-major. */
    private void addProduct(double[] m, int cols, int from, int units) {
        for (int u = 0; u < units; u++) {
            int mr = u * cols;
            for (int k = 0; k < cols; k++) {
                double w = m[mr + k];
                if (w != 0) addRow(u, from, k, w);
            }
        }
    }

    /** jz row u += w * (row k of jh[from]); row k of the identity when from = 0. */
    private void addRow(int u, int from, int k, double w) {
        int row = u * n;
        if (from == 0) {
            jz[row + k] += w;
            return;
        }
        if (h[from][k] == 0 && net.layer(from).activation() == atlas.net.Activation.RELU) return; // off unit: zero row
        double[] src = jh[from];
        int sr = k * n;
        for (int c = 0; c < n; c++) jz[row + c] += w * src[sr + c];
    }
}
