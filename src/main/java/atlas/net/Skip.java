package atlas.net;

/**
 * A skip (residual) connection into a layer: adds {@code P h_from} to that layer's pre-activation.
 *
 * @param from    the index of the earlier layer whose output is added (0 = the input)
 * @param weights the matrix P, row-major, one row per unit of the receiving layer; null means the identity
 *                (which needs the two layers to have equal sizes). The array is copied.
 * @param cols    the number of columns of P (the size of layer {@code from}); ignored by the identity
 */
public record Skip(int from, double[] weights, int cols) {
    public Skip {
        weights = weights == null ? null : weights.clone();
    }

    /** An identity skip from layer {@code from}. */
    public static Skip identity(int from) { return new Skip(from, null, 0); }

    public boolean isIdentity() { return weights == null; }

    /** P's entry at (row, col); works for the identity as well. */
    public double weight(int row, int col) {
        if (weights == null) return row == col ? 1.0 : 0.0;
        return weights[row * cols + col];
    }

    /** The weights, not copied: do not modify. Null for the identity. */
    @Override
    public double[] weights() { return weights; }
}
