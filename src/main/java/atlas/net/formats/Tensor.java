package atlas.net.formats;

import atlas.net.ModelException;

import java.util.Arrays;

/**
 * A named dense tensor read from or written to a model file: its shape (row-major, C order) and its values
 * widened to double (exact for F16, BF16 and F32), with the element type it was stored in.
 *
 * @param name  the tensor's key in the file
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param data  the values in row-major order; not copied (read-only by convention)
 * @param dtype the element type in the file
 */
record Tensor(String name, long[] shape, double[] data, DType dtype) {
    public Tensor {
        shape = shape.clone();
        long n = elementCount(shape, name);
        if (n != data.length)
            throw new ModelException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " but " + data.length + " values");
    }

    /** The number of elements of a shape; one-line error when negative or too large for an array. */
    public static long elementCount(long[] shape, String name) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new ModelException("tensor '" + name + "' has a negative dimension " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE - 8)
                throw new ModelException("tensor '" + name + "' has " + n + "+ elements, more than this reader handles");
        }
        return n;
    }

    public int rank() { return shape.length; }

    /** Dimension {@code k} as an int. */
    public int dim(int k) { return (int) shape[k]; }

    @Override
    public String toString() { return name + " " + dtype + Arrays.toString(shape); }
}
