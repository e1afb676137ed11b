package atlas.net;

import atlas.error.BadInputException;

/**
 * The one unsnapped forward pass of a {@link Network} (skips included): pre-activations by
 * {@link Network#preActivation}, then the layer's activation. Buffers are kept between calls, so a pass
 * allocates nothing; {@link Network#trace} and {@link Network#forward} use a fresh pass, loops over many
 * points keep one.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class ForwardPass {
    private final Network net;
    private final double[][] z;
    private final double[][] h;

    public ForwardPass(Network net) {
        this.net = net;
        int depth = net.depth();
        z = new double[depth + 1][];
        h = new double[depth + 1][];
        h[0] = new double[net.inputDim()];
        for (int i = 1; i <= depth; i++) {
            z[i] = new double[net.size(i)];
            h[i] = new double[net.size(i)];
        }
    }

    /** The network. */
    public Network network() { return net; }

    /**
     * Runs the pass at x; the results are read with {@link #output()}, {@link #preActivations()} and
     * {@link #outputs()} until the next call.
     *
     * @param x the input, length inputDim. Not modified.
     * @return the output buffer (overwritten by the next call)
     */
    public double[] apply(double[] x) {
        if (x.length != net.inputDim())
            throw new BadInputException("input has " + x.length + " values, the network expects " + net.inputDim());
        System.arraycopy(x, 0, h[0], 0, x.length);
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            net.preActivation(i, h, z[i]);
            Activation act = l.activation();
            double leak = l.leak();
            double[] zi = z[i], hi = h[i];
            for (int u = 0; u < zi.length; u++) hi[u] = act.apply(zi[u], leak);
        }
        return h[net.depth()];
    }

    /** Runs the pass at x and copies the output into {@code out} (length outputDim). */
    public void apply(double[] x, double[] out) {
        System.arraycopy(apply(x), 0, out, 0, out.length);
    }

    /** The output of the last pass (a buffer, overwritten by the next call). */
    public double[] output() { return h[net.depth()]; }

    /** {@code z[i]}, i = 1..L, of the last pass ({@code z[0]} is null); buffers, overwritten by the next call. */
    public double[][] preActivations() { return z; }

    /** {@code h[i]}, i = 0..L ({@code h[0]} the input), of the last pass; buffers, overwritten by the next call. */
    public double[][] outputs() { return h; }
}
