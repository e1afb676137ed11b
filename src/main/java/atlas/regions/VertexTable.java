package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.stream.IntStream;

/**
 * Vertices of a 1-D or 2-D partition and, per vertex, the network values that later layers still need.
 *
 * <p>While layer {@code i} is being cut, a vertex's state row holds {@code z_i} (the layer's pre-activations)
 * in columns {@code [0, size(i))}, followed by each earlier output {@code h_j} that a later layer still reads
 * (through a skip). {@code h_0} is the vertex's coordinates and is never copied into the state. After
 * {@link #activate}, columns {@code [0, size(i))} hold {@code h_i}.
 *
 * <p>invariant: every value stored at a vertex is the network's exact value at that point up to rounding,
 * and every pre-activation within tolerance of 0 is stored as exactly 0, so all faces that share a vertex
 * see the same sign there.
 */
final class VertexTable {
    final int dim;
    double[] coords;
    double[] state;
    int stride;
    int size;
    /** offset[j] = column of h_j in the state row, or -1 when not stored (j = 0 reads coords). */
    int[] offset;
    /** number of pre-activation columns of the layer being cut */
    int zWidth;

    VertexTable(int dim, int capacity) {
        this.dim = dim;
        this.coords = new double[capacity * dim];
        this.state = new double[0];
        this.offset = new int[0];
    }

    int addVertex(double... c) {
        ensureCapacity(size + 1);
        System.arraycopy(c, 0, coords, size * dim, dim);
        return size++;
    }

    private void ensureCapacity(int n) {
        if (n * dim > coords.length) coords = java.util.Arrays.copyOf(coords, Math.max(n * dim, coords.length * 2));
        if (n * stride > state.length) state = java.util.Arrays.copyOf(state, Math.max(n * stride, state.length * 2));
    }

    double z(int v, int unit) { return state[v * stride + unit]; }

    /**
     * Computes the pre-activations of layer {@code i} at every vertex (snapped to 0 within tolerance) and
     * rearranges the state to the layout of layer {@code i}. Uses all cores.
     */
    void enterLayer(Network net, int i, int[] lastReader, Tolerance tol) {
        DenseLayer layer = net.layer(i);
        int units = layer.units();
        int[] newOffset = new int[i + 1];
        java.util.Arrays.fill(newOffset, -1);
        newOffset[i] = 0; // z_i, and h_i once activated
        int col = units;
        for (int j = 1; j < i; j++) {
            if (lastReader[j] > i) { newOffset[j] = col; col += net.size(j); }
        }
        int newStride = col;
        final double[] old = state;
        final int oldStride = stride;
        final int[] oldOffset = offset;
        final double[] next = new double[Math.max(1, size) * newStride];
        final double[] w = layer.weights();
        final double[] b = layer.bias();
        final int in = layer.inputSize();
        final int n = size;
        int chunk = Math.max(KernelParameters.MIN_PARALLEL_VERTICES, n / (4 * Runtime.getRuntime().availableProcessors()) + 1);
        int chunks = (n + chunk - 1) / chunk;
        IntStream range = IntStream.range(0, chunks);
        // few vertices (a segment, an early layer): no fork-join overhead, and no contention with callers that
        // already run many partitions in parallel
        (chunks > 1 ? range.parallel() : range).forEach(ch -> {
            int end = Math.min(n, (ch + 1) * chunk);
            double[] acc = new double[2];
            for (int v = ch * chunk; v < end; v++) {
                double[] src = i == 1 ? coords : old;
                int srcBase = i == 1 ? v * dim : v * oldStride + oldOffset[i - 1];
                int dst = v * newStride;
                for (int u = 0; u < units; u++) {
                    double s = b[u];
                    double mag = Math.abs(s);
                    int row = u * in;
                    for (int k = 0; k < in; k++) {
                        double t = w[row + k] * src[srcBase + k];
                        s += t;
                        mag += Math.abs(t);
                    }
                    if (!layer.skips().isEmpty()) {
                        acc[0] = s;
                        acc[1] = mag;
                        for (Skip skip : layer.skips()) {
                            int f = skip.from();
                            SnappedSum.addSkip(skip, u, f == 0 ? coords : old, f == 0 ? v * dim : v * oldStride + oldOffset[f], acc);
                        }
                        s = acc[0];
                        mag = acc[1];
                    }
                    next[dst + u] = tol.snap(s, mag);
                }
                for (int j = 1; j < i; j++) {
                    if (newOffset[j] >= 0)
                        System.arraycopy(old, v * oldStride + oldOffset[j], next, dst + newOffset[j], net.size(j));
                }
            }
        });
        state = next;
        stride = newStride;
        offset = newOffset;
        zWidth = units;
    }

    /**
     * Adds the point on edge (a, b) where pre-activation {@code unit} is zero; {@code z(a)} and {@code z(b)}
     * must have strictly opposite signs. All state is interpolated linearly (exact, since everything stored is
     * affine along an edge of the current partition), the cut unit's value is set to exactly 0 and the other
     * pre-activations are snapped with the larger end magnitude as their scale.
     */
    int addCrossing(int a, int b, int unit, Tolerance tol) {
        // canonical order, so the same edge always yields bit-identical values
        if (a > b) { int t = a; a = b; b = t; }
        double za = z(a, unit), zb = z(b, unit);
        double t = za / (za - zb);
        ensureCapacity(size + 1);
        int v = size++;
        for (int k = 0; k < dim; k++) {
            double ca = coords[a * dim + k], cb = coords[b * dim + k];
            coords[v * dim + k] = ca + t * (cb - ca);
        }
        int sa = a * stride, sb = b * stride, sv = v * stride;
        for (int k = 0; k < stride; k++) state[sv + k] = state[sa + k] + t * (state[sb + k] - state[sa + k]);
        for (int k = 0; k < zWidth; k++) {
            double scale = Math.max(Math.abs(state[sa + k]), Math.abs(state[sb + k]));
            state[sv + k] = tol.snap(state[sv + k], scale);
        }
        state[sv + unit] = 0.0;
        return v;
    }

    /** Replaces z_i by h_i = act(z_i) in columns [0, zWidth). */
    void activate(DenseLayer layer) {
        if (layer.activation() == atlas.net.Activation.IDENTITY) return;
        for (int v = 0; v < size; v++) {
            int base = v * stride;
            for (int u = 0; u < zWidth; u++) state[base + u] = layer.activation().apply(state[base + u], layer.leak());
        }
    }

    /** -1, 0 or +1: the (already snapped) sign of pre-activation {@code unit} at vertex v. */
    int sign(int v, int unit) {
        double z = state[v * stride + unit];
        return z > 0 ? 1 : (z < 0 ? -1 : 0);
    }

    /** Output {@code o} of the network at vertex v (valid after the last layer). */
    double output(int v, int o) { return state[v * stride + o]; }
}
