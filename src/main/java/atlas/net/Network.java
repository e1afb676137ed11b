package atlas.net;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable piecewise-linear network: dense layers with relu / leaky_relu / identity activations and
 * optional skip connections (the relu-atlas-model/1 format). {@code h_0} is the input; layer {@code i}
 * (1-based) computes {@code z_i = W_i h_{i-1} + b_i + sum_skips P h_from} and {@code h_i = act(z_i)}.
 *
 * <p>Cutting units (the relu and leaky_relu units) are numbered layer by layer, in unit order; that
 * numbering is the bit order of every {@code ActivationPattern}.
 *
 * <p>The constructor validates everything and throws {@link ModelException} with a one-line message
 * naming the layer and the field.
 */
public record Network(int inputDim, List<DenseLayer> layers) {

    public Network {
        if (inputDim <= 0) throw new ModelException("input_dim must be positive, got " + inputDim);
        if (layers == null || layers.isEmpty()) throw new ModelException("the network has no layers");
        layers = List.copyOf(layers);
        int[] sizes = new int[layers.size() + 1];
        sizes[0] = inputDim;
        for (int i = 1; i <= layers.size(); i++) {
            DenseLayer l = layers.get(i - 1);
            String where = "layer " + i + ": ";
            if (l.units() <= 0) throw new ModelException(where + "weights has no rows");
            if (l.inputSize() != sizes[i - 1])
                throw new ModelException(where + "weights has " + l.inputSize() + " columns, expected "
                        + sizes[i - 1] + " (the size of " + (i == 1 ? "the input" : "layer " + (i - 1)) + ")");
            if (l.weights().length != l.units() * l.inputSize())
                throw new ModelException(where + "weights has " + l.weights().length + " entries, expected "
                        + l.units() + "x" + l.inputSize());
            if (l.bias().length != l.units())
                throw new ModelException(where + "bias has " + l.bias().length + " entries, expected " + l.units());
            if (l.activation() == null) throw new ModelException(where + "activation is missing");
            if (!Double.isFinite(l.leak())) throw new ModelException(where + "leak is not a finite number");
            checkFinite(where + "weights", l.weights(), l.inputSize());
            checkFinite(where + "bias", l.bias(), 1);
            for (int s = 0; s < l.skips().size(); s++) {
                Skip skip = l.skips().get(s);
                String sw = where + "skips[" + s + "]: ";
                if (skip.from() < 0 || skip.from() >= i)
                    throw new ModelException(sw + "from = " + skip.from() + " must name an earlier layer (0.." + (i - 1) + ")");
                int fromSize = sizes[skip.from()];
                if (skip.isIdentity()) {
                    if (fromSize != l.units())
                        throw new ModelException(sw + "identity skip needs equal sizes, but layer " + skip.from()
                                + " has " + fromSize + " units and this layer " + l.units());
                } else {
                    if (skip.cols() != fromSize)
                        throw new ModelException(sw + "weights has " + skip.cols() + " columns, expected " + fromSize);
                    if (skip.weights().length != l.units() * skip.cols())
                        throw new ModelException(sw + "weights has " + skip.weights().length / Math.max(1, skip.cols())
                                + " rows, expected " + l.units());
                    checkFinite(sw + "weights", skip.weights(), skip.cols());
                }
            }
            sizes[i] = l.units();
        }
    }

    private static void checkFinite(String what, double[] a, int cols) {
        for (int k = 0; k < a.length; k++) {
            if (!Double.isFinite(a[k])) {
                String at = cols == 1 ? "[" + k + "]" : "[" + (k / cols) + "][" + (k % cols) + "]";
                throw new ModelException(what + at + " is " + a[k] + " (weights must be finite numbers)");
            }
        }
    }

    /** Number of layers L (not counting the input). */
    public int depth() { return layers.size(); }

    /** Layer {@code i}, 1-based. */
    public DenseLayer layer(int i) { return layers.get(i - 1); }

    /** The size of layer {@code i}; {@code size(0)} is the input dimension. */
    public int size(int i) { return i == 0 ? inputDim : layers.get(i - 1).units(); }

    public int outputDim() { return layers.get(layers.size() - 1).units(); }

    /** Number of cutting (relu / leaky_relu) units over all layers: the length of an activation pattern. */
    public int cuttingUnits() {
        int n = 0;
        for (DenseLayer l : layers) if (l.activation().cuts()) n += l.units();
        return n;
    }

    /** Number of hidden cutting units in the layers before the last: the N of Hanin and Rolnick. */
    public int hiddenNeurons() {
        int n = 0;
        for (int i = 0; i < layers.size() - 1; i++) if (layers.get(i).activation().cuts()) n += layers.get(i).units();
        return n;
    }

    /** Index of the first bit of layer {@code i} (1-based) in an activation pattern; -1 when it does not cut. */
    public int patternOffset(int i) {
        if (!layer(i).activation().cuts()) return -1;
        int off = 0;
        for (int j = 1; j < i; j++) if (layer(j).activation().cuts()) off += layer(j).units();
        return off;
    }

    /** The number of trainable parameters. */
    public long parameterCount() {
        long n = 0;
        for (DenseLayer l : layers) {
            n += l.weights().length + l.bias().length;
            for (Skip s : l.skips()) if (!s.isIdentity()) n += s.weights().length;
        }
        return n;
    }

    /** For each layer index j, the last layer that reads h_j (as its previous layer or through a skip). */
    public int[] lastReader() {
        int[] last = new int[layers.size() + 1];
        for (int i = 1; i <= layers.size(); i++) {
            last[i - 1] = Math.max(last[i - 1], i);
            for (Skip s : layer(i).skips()) last[s.from()] = Math.max(last[s.from()], i);
        }
        last[layers.size()] = layers.size() + 1; // the output is read by the caller
        return last;
    }

    /**
     * Computes the pre-activation of layer {@code i} from the layer outputs {@code h[0..i-1]}.
     *
     * @param h   h[j] is the output of layer j (h[0] the input). Not modified.
     * @param z   output, length size(i). Modified.
     * @return z
     */
    public double[] preActivation(int i, double[][] h, double[] z) {
        DenseLayer l = layer(i);
        double[] w = l.weights();
        double[] in = h[i - 1];
        int n = l.inputSize();
        for (int u = 0; u < l.units(); u++) {
            double s = l.bias()[u];
            int row = u * n;
            for (int k = 0; k < n; k++) s += w[row + k] * in[k];
            z[u] = s;
        }
        for (Skip skip : l.skips()) {
            double[] src = h[skip.from()];
            if (skip.isIdentity()) {
                for (int u = 0; u < l.units(); u++) z[u] += src[u];
            } else {
                double[] p = skip.weights();
                int c = skip.cols();
                for (int u = 0; u < l.units(); u++) {
                    double s = 0;
                    for (int k = 0; k < c; k++) s += p[u * c + k] * src[k];
                    z[u] += s;
                }
            }
        }
        return z;
    }

    /** The network's output at {@code x}. */
    public double[] forward(double[] x) {
        return trace(x).outputs()[layers.size()];
    }

    /** All pre-activations and outputs at {@code x} (a fresh {@link ForwardPass}, so the arrays are the caller's). */
    public Trace trace(double[] x) {
        ForwardPass pass = new ForwardPass(this);
        pass.apply(x);
        return new Trace(pass.preActivations(), pass.outputs());
    }

    /**
     * The pre-activations {@code z[i]} (i = 1..L; z[0] is null) and outputs {@code h[i]} (h[0] = input) of one
     * forward pass.
     */
    public record Trace(double[][] preActivations, double[][] outputs) {
        /** The activation bits at this point: bit = 1 iff the pre-activation is &gt; 0. */
        public boolean[] activeBits(Network net) {
            boolean[] bits = new boolean[net.cuttingUnits()];
            int b = 0;
            for (int i = 1; i <= net.depth(); i++) {
                if (!net.layer(i).activation().cuts()) continue;
                for (double v : preActivations[i]) bits[b++] = v > 0;
            }
            return bits;
        }
    }

    /**
     * The network restricted to the affine subspace {@code x = origin + sum_k s_k dirs[k]}: an equivalent
     * network on the coordinates {@code s} (input dimension {@code dirs.length}). Only the first layer and the
     * skips from the input change; cutting units keep their numbering.
     *
     * @param origin a point of input space. Not modified.
     * @param dirs   direction vectors, each of length inputDim. Not modified.
     */
    public Network restrictTo(double[] origin, double[]... dirs) {
        if (origin.length != inputDim) throw new BadInputException("origin has " + origin.length + " values, expected " + inputDim);
        for (double[] d : dirs) if (d.length != inputDim) throw new BadInputException("direction has " + d.length + " values, expected " + inputDim);
        int m = dirs.length;
        boolean finite = SparseRows.allFinite(origin, dirs);
        List<DenseLayer> out = new ArrayList<>(layers.size());
        for (int i = 1; i <= layers.size(); i++) {
            DenseLayer l = layer(i);
            double[] w = l.weights();
            double[] b = l.bias().clone();
            int units = l.units();
            int inSize = l.inputSize();
            double[] newW = w;
            SparseRows sparse = i == 1 && finite ? SparseRows.of(w, units, inputDim) : null;
            if (i == 1 && sparse != null) {
                newW = sparse.restrict(b, origin, dirs);
                inSize = m;
            } else if (i == 1) {
                newW = new double[units * m];
                for (int u = 0; u < units; u++) {
                    double sc = 0;
                    for (int k = 0; k < inputDim; k++) sc += w[u * inputDim + k] * origin[k];
                    b[u] += sc;
                    for (int d = 0; d < m; d++) {
                        double s = 0;
                        for (int k = 0; k < inputDim; k++) s += w[u * inputDim + k] * dirs[d][k];
                        newW[u * m + d] = s;
                    }
                }
                inSize = m;
            }
            List<Skip> skips = new ArrayList<>();
            for (Skip skip : l.skips()) {
                if (skip.from() != 0) { skips.add(skip); continue; }
                SparseRows sp = finite && !skip.isIdentity() ? SparseRows.of(skip.weights(), units, inputDim) : null;
                if (sp != null) {
                    skips.add(new Skip(0, sp.restrict(b, origin, dirs), m));
                    continue;
                }
                double[] p = new double[units * m];
                for (int u = 0; u < units; u++) {
                    double sc = 0;
                    for (int k = 0; k < inputDim; k++) sc += skip.weight(u, k) * origin[k];
                    b[u] += sc;
                    for (int d = 0; d < m; d++) {
                        double s = 0;
                        for (int k = 0; k < inputDim; k++) s += skip.weight(u, k) * dirs[d][k];
                        p[u * m + d] = s;
                    }
                }
                skips.add(new Skip(0, p, m));
            }
            out.add(new DenseLayer(inSize, units, newW, b, l.activation(), l.leak(), skips));
        }
        return new Network(m, out);
    }

    /**
     * The nonzero entries of a matrix's rows, in column order: what {@link #restrictTo} multiplies when a layer
     * that reads the input is mostly zeros (a convolution or pooling lowered to a dense matrix touches a few
     * pixels per unit: the README's CNN's first layer has 25 of 784 entries per row). Skipping a zero term
     * never changes a sum that starts at +0.0 (x + 0.0 == x, and such a sum is never -0.0), so with finite
     * inputs the products are bit for bit those of the dense loops, in far fewer operations; the engines that
     * repeat {@code restrictTo}'s arithmetic (the segment cutter) see the same numbers. Built once per matrix
     * (cached by the array's identity, which the immutable layers keep).
     */
    private record SparseRows(int rows, int[] start, int[] col, double[] val) {
        /** Sparse form only below this density: above it the dense loops are as fast and use less memory. */
        private static final double MAX_DENSITY = 0.25;
        private static final java.util.Map<double[], java.util.Optional<SparseRows>> CACHE =
                java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

        /** The sparse rows of {@code w} (rows x cols), or null when it is not sparse enough to pay. */
        static SparseRows of(double[] w, int rows, int cols) {
            return CACHE.computeIfAbsent(w, k -> java.util.Optional.ofNullable(build(w, rows, cols))).orElse(null);
        }

        private static SparseRows build(double[] w, int rows, int cols) {
            int nnz = 0;
            for (double v : w) if (v != 0) nnz++;
            if (nnz > MAX_DENSITY * w.length) return null;
            int[] start = new int[rows + 1], col = new int[nnz];
            double[] val = new double[nnz];
            int at = 0;
            for (int u = 0; u < rows; u++) {
                start[u] = at;
                for (int k = 0; k < cols; k++) {
                    double v = w[u * cols + k];
                    if (v != 0) { col[at] = k; val[at++] = v; }
                }
            }
            start[rows] = at;
            return new SparseRows(rows, start, col, val);
        }

        static boolean allFinite(double[] origin, double[][] dirs) {
            for (double v : origin) if (!Double.isFinite(v)) return false;
            for (double[] d : dirs) for (double v : d) if (!Double.isFinite(v)) return false;
            return true;
        }

        /** Adds {@code W origin} to {@code bias} and returns {@code W dirs} (rows x dirs.length), as restrictTo does. */
        double[] restrict(double[] bias, double[] origin, double[][] dirs) {
            int m = dirs.length;
            double[] r = new double[rows * m];
            for (int u = 0; u < rows; u++) {
                double sc = 0;
                for (int e = start[u]; e < start[u + 1]; e++) sc += val[e] * origin[col[e]];
                bias[u] += sc;
                for (int d = 0; d < m; d++) {
                    double s = 0;
                    double[] dir = dirs[d];
                    for (int e = start[u]; e < start[u + 1]; e++) s += val[e] * dir[col[e]];
                    r[u * m + d] = s;
                }
            }
            return r;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(inputDim);
        for (DenseLayer l : layers) sb.append(" -> ").append(l.units()).append(' ').append(l.activation().jsonName());
        return sb.toString();
    }

    /** A short shape string such as {@code 2 -> [30]x30 -> 1}. */
    public String shape() {
        StringBuilder sb = new StringBuilder().append(inputDim).append(" -> ");
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < layers.size() - 1; i++) hidden.add(layers.get(i).units());
        if (!hidden.isEmpty() && hidden.stream().distinct().count() == 1)
            sb.append('[').append(hidden.get(0)).append("]x").append(hidden.size()).append(" -> ");
        else if (!hidden.isEmpty()) sb.append(hidden).append(" -> ");
        sb.append(outputDim());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Network other) || other.inputDim != inputDim || other.layers.size() != layers.size()) return false;
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer a = layers.get(i), b = other.layers.get(i);
            if (a.units() != b.units() || a.activation() != b.activation() || a.leak() != b.leak()
                    || !Arrays.equals(a.weights(), b.weights()) || !Arrays.equals(a.bias(), b.bias())
                    || a.skips().size() != b.skips().size()) return false;
            for (int s = 0; s < a.skips().size(); s++) {
                Skip p = a.skips().get(s), q = b.skips().get(s);
                if (p.from() != q.from() || !Arrays.equals(p.weights(), q.weights())) return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = inputDim;
        for (DenseLayer l : layers) h = 31 * h + Arrays.hashCode(l.weights()) + 7 * Arrays.hashCode(l.bias());
        return h;
    }
}
