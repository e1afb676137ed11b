package atlas.net.formats;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A tensor-valued affine function of the outputs of the layers built so far:
 * {@code value = sum over sources j of M_j h_j + offset}, with {@code M_j} a row-major matrix of
 * {@code size} rows and {@code |h_j|} columns. The ONNX lowering pushes every affine op (Gemm, Conv,
 * batch-norm, pooling, reshapes, adds) through these values; an activation turns one into a layer.
 *
 * <p>{@code identityOf = j} marks the value that is exactly {@code h_j} (matrix not materialised, no offset),
 * which keeps Gemm-after-activation bit-exact and cheap.
 */
final class AffineValue {
    final int[] shape;
    final int size;
    /** Source layer index to its matrix (size x sourceSize, row-major); empty only while identityOf >= 0. */
    final TreeMap<Integer, double[]> coef;
    /** The constant term; null means zero. */
    final double[] offset;
    final int identityOf;
    /** Sizes of all layer outputs, h_0 first (the builder's list, which only grows; read only here). */
    final java.util.List<Integer> sourceSizes;

    private AffineValue(int[] shape, TreeMap<Integer, double[]> coef, double[] offset, int identityOf, java.util.List<Integer> sourceSizes) {
        this.shape = shape.clone();
        this.size = sizeOf(shape);
        this.coef = coef;
        this.offset = offset;
        this.identityOf = identityOf;
        this.sourceSizes = sourceSizes;
    }

    static AffineValue identity(int source, int[] shape, java.util.List<Integer> sourceSizes) {
        return new AffineValue(shape, new TreeMap<>(), null, source, sourceSizes);
    }

    static AffineValue of(int[] shape, TreeMap<Integer, double[]> coef, double[] offset, java.util.List<Integer> sourceSizes) {
        return new AffineValue(shape, coef, offset, -1, sourceSizes);
    }

    static int sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return Math.toIntExact(n);
    }

    /** The coefficient matrices, materialising the identity when needed. */
    Map<Integer, double[]> matrices() {
        if (identityOf < 0) return coef;
        double[] id = new double[size * size];
        for (int k = 0; k < size; k++) id[k * size + k] = 1.0;
        TreeMap<Integer, double[]> m = new TreeMap<>();
        m.put(identityOf, id);
        return m;
    }

    /** The same value with another shape of equal size (Flatten, Reshape). */
    AffineValue reshape(int[] newShape) {
        return new AffineValue(newShape, coef, offset, identityOf, sourceSizes);
    }

    /**
     * Applies a linear map {@code f} (on vectors of this value's size, giving vectors of {@code outShape}) and
     * then adds {@code bias} (null for none): each matrix column and the offset go through {@code f}.
     */
    AffineValue mapLinear(int[] outShape, UnaryOperator<double[]> f, double[] bias) {
        int outSize = sizeOf(outShape);
        TreeMap<Integer, double[]> out = new TreeMap<>();
        if (identityOf >= 0) { // the columns of the identity are unit vectors: not materialised
            double[] r = new double[outSize * size];
            double[] unit = new double[size];
            for (int c = 0; c < size; c++) {
                unit[c] = 1.0;
                double[] y = f.apply(unit);
                unit[c] = 0.0;
                for (int k = 0; k < outSize; k++) r[k * size + c] = y[k];
            }
            out.put(identityOf, r);
            return of(outShape, out, bias == null ? null : bias.clone(), sourceSizes);
        }
        for (Map.Entry<Integer, double[]> e : matrices().entrySet()) {
            int cols = sourceSizes.get(e.getKey());
            double[] m = e.getValue();
            double[] r = new double[outSize * cols];
            double[] col = new double[size];
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < size; k++) col[k] = m[k * cols + c];
                double[] y = f.apply(col);
                for (int k = 0; k < outSize; k++) r[k * cols + c] = y[k];
            }
            out.put(e.getKey(), r);
        }
        double[] off = offset == null ? null : f.apply(offset.clone());
        return of(outShape, out, addBias(off, bias, outSize), sourceSizes);
    }

    /**
     * Left-multiplies by a dense matrix {@code w} (rows x size): the Gemm / MatMul case with one batch row. When
     * this value is exactly {@code h_j} the result's matrix is {@code w} itself, bit for bit.
     */
    AffineValue mapDense(int[] outShape, double[] w, int rows, double[] bias) {
        TreeMap<Integer, double[]> out = new TreeMap<>();
        if (identityOf >= 0) {
            out.put(identityOf, w.clone());
            return of(outShape, out, addBias(null, bias, rows), sourceSizes);
        }
        for (Map.Entry<Integer, double[]> e : coef.entrySet()) {
            int cols = sourceSizes.get(e.getKey());
            double[] m = e.getValue();
            double[] r = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < size; k++) {
                    double a = w[i * size + k];
                    if (a == 0) continue;
                    int mr = k * cols, rr = i * cols;
                    for (int c = 0; c < cols; c++) r[rr + c] += a * m[mr + c];
                }
            }
            out.put(e.getKey(), r);
        }
        double[] off = null;
        if (offset != null) {
            off = new double[rows];
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int k = 0; k < size; k++) s += w[i * size + k] * offset[k];
                off[i] = s;
            }
        }
        return of(outShape, out, addBias(off, bias, rows), sourceSizes);
    }

    private static double[] addBias(double[] off, double[] bias, int n) {
        if (bias == null) return off;
        if (off == null) return bias.clone();
        double[] r = off.clone();
        for (int k = 0; k < n; k++) r[k] += bias[k];
        return r;
    }

    /** This value plus a constant of the same size. */
    AffineValue plusConstant(double[] c) {
        return new AffineValue(shape, coef, addBias(offset, c, size), identityOf, sourceSizes)
                .withoutIdentityIfOffset();
    }

    private AffineValue withoutIdentityIfOffset() {
        if (identityOf < 0 || offset == null) return this;
        return of(shape, new TreeMap<>(matrices()), offset, sourceSizes);
    }

    /** {@code a*this + b*other} for two values of the same shape (Add, Sub); disjoint sources are copied exactly. */
    AffineValue combine(double a, AffineValue other, double b) {
        TreeMap<Integer, double[]> out = new TreeMap<>();
        Map<Integer, double[]> mine = matrices(), theirs = other.matrices();
        for (Map.Entry<Integer, double[]> e : mine.entrySet()) out.put(e.getKey(), scaled(e.getValue(), a));
        for (Map.Entry<Integer, double[]> e : theirs.entrySet()) {
            double[] t = scaled(e.getValue(), b);
            double[] m = out.get(e.getKey());
            if (m == null) { out.put(e.getKey(), t); continue; }
            double[] s = m.clone();
            for (int k = 0; k < s.length; k++) s[k] += t[k];
            out.put(e.getKey(), s);
        }
        double[] off;
        if (offset == null && other.offset == null) off = null;
        else if (other.offset == null) off = scaled(offset, a);
        else if (offset == null) off = scaled(other.offset, b);
        else {
            off = scaled(offset, a);
            for (int k = 0; k < size; k++) off[k] += b * other.offset[k];
        }
        return of(shape, out, off, sourceSizes);
    }

    private static double[] scaled(double[] v, double s) {
        if (s == 1.0) return v.clone();
        double[] r = new double[v.length];
        for (int k = 0; k < v.length; k++) r[k] = s * v[k];
        return r;
    }

    /** Row {@code unit} of every matrix scaled by {@code d[unit]}, offset too (elementwise Mul by a constant). */
    AffineValue scaleRows(double[] d) {
        TreeMap<Integer, double[]> out = new TreeMap<>();
        for (Map.Entry<Integer, double[]> e : matrices().entrySet()) {
            int cols = sourceSizes.get(e.getKey());
            double[] m = e.getValue().clone();
            for (int u = 0; u < size; u++) for (int c = 0; c < cols; c++) m[u * cols + c] *= d[u];
            out.put(e.getKey(), m);
        }
        double[] off = null;
        if (offset != null) {
            off = offset.clone();
            for (int u = 0; u < size; u++) off[u] *= d[u];
        }
        return of(shape, out, off, sourceSizes);
    }

    @Override
    public String toString() {
        return "affine" + Arrays.toString(shape) + " of layers " + (identityOf >= 0 ? "[" + identityOf + "]" : coef.keySet());
    }
}
