package atlas.net;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a network with skip connections as a plain chain that computes the same function: the output
 * {@code h_j} of a skip's source layer is carried forward by extra "carrier" units ({@code relu(v) = v} for
 * {@code v >= 0}) in every layer between the source and the receiving layer, and the skip's matrix is moved
 * onto those carriers.
 *
 * <p>Contract: every skip must come from a relu layer (whose outputs are never negative), so a carrier's
 * pre-activation is {@code h_j >= 0} and it never changes sign where {@code h_j} does not: the carriers add
 * cutting units but no boundary, and the linear regions of the two networks are the same sets (the longer
 * patterns of the plain chain are functions of the original ones). Skips from the input (which can be
 * negative) are refused: carrying them through relu units would add the boundaries {@code x_k = 0}.
 */
public final class SkipUnrolling {
    private SkipUnrolling() {}

    /** The equivalent network without skips. Networks without skips are returned as they are. */
    public static Network unroll(Network net) {
        int depth = net.depth();
        boolean any = false;
        for (DenseLayer l : net.layers()) any |= !l.skips().isEmpty();
        if (!any) return net;
        // carried[m] = source layers whose output rides along in layer m (j < m < i for a skip j -> i)
        List<List<Integer>> carried = new ArrayList<>();
        for (int m = 0; m <= depth; m++) carried.add(new ArrayList<>());
        for (int i = 1; i <= depth; i++) {
            for (Skip s : net.layer(i).skips()) {
                int j = s.from();
                if (j == 0) throw new BadInputException("layer " + i + ": a skip from the input cannot be unrolled without adding boundaries");
                if (net.layer(j).activation() != Activation.RELU)
                    throw new BadInputException("layer " + i + ": skip from layer " + j + ", which is not a relu layer, cannot be unrolled");
                for (int m = j + 1; m < i; m++) {
                    Set<Integer> set = new LinkedHashSet<>(carried.get(m));
                    set.add(j);
                    carried.set(m, new ArrayList<>(set));
                }
            }
        }
        int[] newSize = new int[depth + 1];
        newSize[0] = net.inputDim();
        for (int m = 1; m <= depth; m++) {
            newSize[m] = net.size(m);
            for (int j : carried.get(m)) newSize[m] += net.size(j);
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int m = 1; m <= depth; m++) {
            DenseLayer l = net.layer(m);
            int rows = newSize[m], cols = newSize[m - 1];
            double[] w = new double[rows * cols];
            double[] b = new double[rows];
            for (int u = 0; u < l.units(); u++) {
                b[u] = l.bias()[u];
                for (int k = 0; k < l.inputSize(); k++) w[u * cols + k] = l.weight(u, k);
                for (Skip s : l.skips()) {
                    int col0 = columnOf(net, carried, m - 1, s.from());
                    for (int k = 0; k < net.size(s.from()); k++) w[u * cols + col0 + k] += s.weight(u, k);
                }
            }
            int row = l.units();
            for (int j : carried.get(m)) {
                int col0 = columnOf(net, carried, m - 1, j);
                for (int k = 0; k < net.size(j); k++, row++) w[row * cols + col0 + k] = 1;
            }
            layers.add(new DenseLayer(cols, rows, w, b, l.activation(), l.leak()));
        }
        return new Network(net.inputDim(), layers);
    }

    /** The first column of h_j among the outputs of the new layer m (its own units, then its carriers). */
    private static int columnOf(Network net, List<List<Integer>> carried, int m, int j) {
        if (j == m) return 0;
        int c = net.size(m);
        for (int src : carried.get(m)) {
            if (src == j) return c;
            c += net.size(src);
        }
        throw new IllegalStateException("layer " + j + " is not carried in layer " + m);
    }
}
