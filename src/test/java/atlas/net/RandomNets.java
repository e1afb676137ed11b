package atlas.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded random networks for tests, and exact rewritings of a network (unit permutations, skip removal) whose
 * linear regions are known to equal the original's.
 */
public final class RandomNets {
    private RandomNets() {}

    /**
     * A dense net {@code inputDim -> hidden... -> outputDim} with N(0, 2/fan_in) weights, N(0, 0.3^2) biases (so
     * that the net is generic: no two cuts coincide), the given hidden activation and an identity output.
     * With {@code skips}, each layer from 2 on receives, with probability 1/2, a skip from a random earlier
     * layer: the identity where sizes agree (half of those times), else a random matrix.
     */
    public static Network random(long seed, int inputDim, int[] hidden, int outputDim, Activation act,
                                 double leak, boolean skips) {
        Random rnd = new Random(seed);
        int depth = hidden.length + 1;
        int[] sizes = new int[depth + 1];
        sizes[0] = inputDim;
        for (int i = 1; i <= depth; i++) sizes[i] = i <= hidden.length ? hidden[i - 1] : outputDim;
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i <= depth; i++) {
            int units = sizes[i], in = sizes[i - 1];
            double[] w = gaussian(rnd, units * in, Math.sqrt(2.0 / in));
            double[] b = gaussian(rnd, units, 0.3);
            List<Skip> sk = new ArrayList<>();
            if (skips && i >= 2 && rnd.nextBoolean()) {
                int from = rnd.nextInt(i - 1); // 0 .. i-2: a layer other than the previous one
                if (sizes[from] == units && rnd.nextBoolean()) sk.add(Skip.identity(from));
                else sk.add(new Skip(from, gaussian(rnd, units * sizes[from], Math.sqrt(1.0 / sizes[from])), sizes[from]));
            }
            Activation a = i <= hidden.length ? act : Activation.IDENTITY;
            layers.add(new DenseLayer(in, units, w, b, a, leak, sk));
        }
        return new Network(inputDim, layers);
    }

    /** Like {@link #random} but every layer from 2 on has a skip (identity where possible) from layer i-2. */
    public static Network withSkipsEverywhere(long seed, int inputDim, int[] hidden, int outputDim, Activation act, double leak) {
        Random rnd = new Random(seed);
        Network base = random(seed, inputDim, hidden, outputDim, act, leak, false);
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i <= base.depth(); i++) {
            DenseLayer l = base.layer(i);
            List<Skip> sk = new ArrayList<>();
            if (i >= 2) {
                int from = i - 2;
                if (base.size(from) == l.units()) sk.add(Skip.identity(from));
                else sk.add(new Skip(from, gaussian(rnd, l.units() * base.size(from), Math.sqrt(1.0 / base.size(from))), base.size(from)));
            }
            layers.add(new DenseLayer(l.inputSize(), l.units(), l.weights(), l.bias(), l.activation(), l.leak(), sk));
        }
        return new Network(inputDim, layers);
    }

    static double[] gaussian(Random rnd, int n, double std) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) a[k] = rnd.nextGaussian() * std;
        return a;
    }

    /**
     * Random permutations of the units of every hidden layer (layer 0, the input, and the last layer, the
     * output, keep their order): {@code perm[i][r]} is the old index of the unit now at position r of layer i.
     */
    public static int[][] randomPermutations(Network net, long seed) {
        Random rnd = new Random(seed);
        int[][] perm = new int[net.depth() + 1][];
        for (int i = 0; i <= net.depth(); i++) {
            int n = net.size(i);
            perm[i] = new int[n];
            for (int k = 0; k < n; k++) perm[i][k] = k;
            if (i == 0 || i == net.depth()) continue;
            for (int k = n - 1; k > 0; k--) {
                int j = rnd.nextInt(k + 1);
                int t = perm[i][k]; perm[i][k] = perm[i][j]; perm[i][j] = t;
            }
        }
        return perm;
    }

    /**
     * The same function with the units of each layer reordered: new unit r of layer i is old unit
     * {@code perm[i][r]}. Identity skips between layers with different permutations become explicit
     * permutation matrices.
     */
    public static Network permute(Network net, int[][] perm) {
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            int units = l.units(), in = l.inputSize();
            int[] pr = perm[i], pc = perm[i - 1];
            double[] w = new double[units * in];
            double[] b = new double[units];
            for (int r = 0; r < units; r++) {
                b[r] = l.bias()[pr[r]];
                for (int c = 0; c < in; c++) w[r * in + c] = l.weight(pr[r], pc[c]);
            }
            List<Skip> sk = new ArrayList<>();
            for (Skip s : l.skips()) {
                int cols = net.size(s.from());
                int[] ps = perm[s.from()];
                if (s.isIdentity() && Arrays.equals(ps, pr)) { sk.add(s); continue; }
                double[] p = new double[units * cols];
                for (int r = 0; r < units; r++)
                    for (int c = 0; c < cols; c++) p[r * cols + c] = s.weight(pr[r], ps[c]);
                sk.add(new Skip(s.from(), p, cols));
            }
            layers.add(new DenseLayer(in, units, w, b, l.activation(), l.leak(), sk));
        }
        return new Network(net.inputDim(), layers);
    }

    /**
     * Maps a pattern's bits of the permuted net to the original net's bit order: {@code map[newBit] = oldBit}.
     */
    public static int[] permutedBitMap(Network net, int[][] perm) {
        int[] map = new int[net.cuttingUnits()];
        for (int i = 1; i <= net.depth(); i++) {
            int off = net.patternOffset(i);
            if (off < 0) continue;
            for (int r = 0; r < net.size(i); r++) map[off + r] = off + perm[i][r];
        }
        return map;
    }

    /**
     * The same function written without skip connections. Every value that a skip reads from layer j into a
     * later layer m is carried through layers j+1 .. m-1 by extra units appended after each layer's own units:
     * <ul>
     *   <li>the input x (j = 0): one unit {@code x_k + M} per coordinate, where {@code M = inputBound + 1} and
     *       {@code |x_k| <= inputBound} on the domain, so the unit is always on (its zero set lies outside the
     *       domain) and passes its value on unchanged; receivers subtract {@code P M} in their bias;</li>
     *   <li>a hidden output h_j (j &gt;= 1): a pair of units {@code act(h_j)} and {@code act(-h_j)}, whose
     *       difference is {@code kappa h_j} with {@code kappa = 1 + (negative-side slope)}; their zero sets are
     *       the zero set of unit j's own pre-activation, already a region boundary, so they add no cut.</li>
     * </ul>
     * A skip from the previous layer is folded into the weights. The result has the original cutting units, in
     * order, at the start of each layer (see {@link #originalBits}); the carriers' bits are functions of the
     * original bits, so the regions are the same sets with the same projected patterns.
     */
    public static Network withoutSkips(Network a, double inputBound) {
        int L = a.depth();
        int n0 = a.inputDim();
        double M = inputBound + 1;
        // carried[i] = sorted layers j < i whose output must leave B's layer i (read by a skip into a layer > i)
        List<List<Integer>> carried = new ArrayList<>();
        for (int i = 0; i <= L; i++) {
            List<Integer> c = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                boolean needed = false;
                for (int m = i + 1; m <= L; m++) for (Skip s : a.layer(m).skips()) needed |= s.from() == j;
                if (needed) c.add(j);
            }
            carried.add(c);
        }
        List<DenseLayer> out = new ArrayList<>();
        int prevWidth = n0;
        for (int i = 1; i <= L; i++) {
            DenseLayer l = a.layer(i);
            int units = l.units();
            // column where carrier block of layer j starts in B's layer i-1 output (its input here)
            int[] carrierCol = new int[L + 1];
            Arrays.fill(carrierCol, -1);
            int col = a.size(i - 1);
            for (int j : carried.get(i - 1)) { carrierCol[j] = col; col += j == 0 ? n0 : 2 * a.size(j); }
            double prevKappa = i >= 2 ? kappa(a.layer(i - 1)) : 1;
            int width = units;
            for (int j : carried.get(i)) width += j == 0 ? n0 : 2 * a.size(j);
            double[] w = new double[width * prevWidth];
            double[] b = new double[width];
            // the layer's own units
            for (int u = 0; u < units; u++) {
                b[u] = l.bias()[u];
                for (int k = 0; k < l.inputSize(); k++) w[u * prevWidth + k] = l.weight(u, k);
                for (Skip s : l.skips()) {
                    int j = s.from(), sz = a.size(j);
                    for (int k = 0; k < sz; k++) {
                        double p = s.weight(u, k);
                        if (j == i - 1) {
                            w[u * prevWidth + k] += p;
                        } else if (j == 0) {
                            w[u * prevWidth + carrierCol[0] + k] += p;
                            b[u] -= p * M;
                        } else {
                            w[u * prevWidth + carrierCol[j] + k] += p / prevKappa;
                            w[u * prevWidth + carrierCol[j] + sz + k] -= p / prevKappa;
                        }
                    }
                }
            }
            // the carriers
            int row = units;
            for (int j : carried.get(i)) {
                int sz = j == 0 ? n0 : a.size(j);
                if (j == 0) {
                    for (int k = 0; k < sz; k++, row++) {
                        if (i == 1) { w[row * prevWidth + k] = 1; b[row] = M; }
                        else w[row * prevWidth + carrierCol[0] + k] = 1;
                    }
                } else {
                    for (int sign = 1; sign >= -1; sign -= 2) {
                        for (int k = 0; k < sz; k++, row++) {
                            if (j == i - 1) {
                                w[row * prevWidth + k] = sign;
                            } else {
                                w[row * prevWidth + carrierCol[j] + k] = sign / prevKappa;
                                w[row * prevWidth + carrierCol[j] + sz + k] = -sign / prevKappa;
                            }
                        }
                    }
                }
            }
            out.add(new DenseLayer(prevWidth, width, w, b, l.activation(), l.leak()));
            prevWidth = width;
        }
        return new Network(n0, out);
    }

    /** 1 + the negative-side slope of the layer's activation: act(h) - act(-h) = kappa h. */
    private static double kappa(DenseLayer l) {
        return switch (l.activation()) {
            case RELU -> 1;
            case LEAKY_RELU -> 1 + l.leak();
            case IDENTITY -> 2;
        };
    }

    /**
     * For a net built by {@link #withoutSkips}: {@code map[k]} = the bit of {@code noSkips} that holds bit k of
     * the original net {@code a}.
     */
    public static int[] originalBits(Network a, Network noSkips) {
        int[] map = new int[a.cuttingUnits()];
        for (int i = 1; i <= a.depth(); i++) {
            int off = a.patternOffset(i);
            if (off < 0) continue;
            int offB = noSkips.patternOffset(i);
            for (int u = 0; u < a.size(i); u++) map[off + u] = offB + u;
        }
        return map;
    }
}
