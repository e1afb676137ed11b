package atlas.regions;

/**
 * An affine map {@code y = A x + c} from {@code inputs} to {@code outputs} dimensions: the network on one
 * region. {@code A} is row-major, one row per output.
 */
public record AffineMap(int outputs, int inputs, double[] matrix, double[] offset) {
    public AffineMap {
        if (matrix.length != outputs * inputs || offset.length != outputs)
            throw new IllegalArgumentException("affine map shape mismatch");
        matrix = matrix.clone();
        offset = offset.clone();
    }

    @Override
    public double[] matrix() { return matrix.clone(); }

    @Override
    public double[] offset() { return offset.clone(); }

    public double coefficient(int output, int input) { return matrix[output * inputs + input]; }

    public double offset(int output) { return offset[output]; }

    /** y = A x + c. */
    public double[] apply(double... x) {
        if (x.length != inputs) throw new IllegalArgumentException("affine map takes " + inputs + " inputs, got " + x.length);
        double[] y = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double s = offset[o];
            for (int k = 0; k < inputs; k++) s += matrix[o * inputs + k] * x[k];
            y[o] = s;
        }
        return y;
    }

    /**
     * Magnitude floor of {@link #samePiece}: maps whose entries are all below 1 are compared absolutely (to
     * {@code mergeEps}), so that near-zero maps are not split by rounding relative to their own tiny size.
     */
    private static final double PIECE_SCALE_FLOOR = 1;

    /**
     * True when this map and {@code o} are the same linear piece under {@code tol}: every coefficient and offset
     * agrees to {@code tol.mergeEps()} relative to the larger magnitude of the two maps' entries (at least
     * {@link #PIECE_SCALE_FLOOR}). The one "same piece" decision of the project ({@code measure.LinearPieces},
     * {@link TropicalForm#distinctMaps}).
     */
    public boolean samePiece(AffineMap o, atlas.geometry.Tolerance tol) {
        return distance(o) <= tol.mergeEps() * Math.max(magnitude(), o.magnitude());
    }

    /**
     * {@link #samePiece} of two maps stored flat ({@link RegionStore}): {@code len} entries each, coefficients then
     * offsets, from {@code x[ix]} and {@code y[iy]}; {@code matrixLen} is not needed by the rule (a max over all
     * entries) and only documents the layout.
     */
    static boolean samePiece(double[] x, int ix, double[] y, int iy, int matrixLen, int len, atlas.geometry.Tolerance tol) {
        return maxAbsDiff(0, x, ix, y, iy, len)
                <= tol.mergeEps() * Math.max(maxAbs(PIECE_SCALE_FLOOR, x, ix, len), maxAbs(PIECE_SCALE_FLOOR, y, iy, len));
    }

    /** The largest absolute coefficient or offset, at least {@link #PIECE_SCALE_FLOOR}. */
    double magnitude() {
        return maxAbs(maxAbs(PIECE_SCALE_FLOOR, matrix, 0, matrix.length), offset, 0, offset.length);
    }

    /** max(s, |v[from]|, ..., |v[from + n - 1]|) (a max: the order of the entries does not matter). */
    private static double maxAbs(double s, double[] v, int from, int n) {
        for (int k = from; k < from + n; k++) s = Math.max(s, Math.abs(v[k]));
        return s;
    }

    /** max(d, |a[ia + k] - b[ib + k]| for k &lt; n). */
    private static double maxAbsDiff(double d, double[] a, int ia, double[] b, int ib, int n) {
        for (int k = 0; k < n; k++) d = Math.max(d, Math.abs(a[ia + k] - b[ib + k]));
        return d;
    }

    /** The largest absolute difference of coefficients and offsets. */
    public double distance(AffineMap o) {
        return maxAbsDiff(maxAbsDiff(0, matrix, 0, o.matrix, 0, matrix.length), offset, 0, o.offset, 0, offset.length);
    }
}
