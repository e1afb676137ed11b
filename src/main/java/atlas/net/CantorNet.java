package atlas.net;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * CantorNet (Lewandowski et al. 2024): a hand-built ReLU network on {@code (x, y)} whose decision boundary is a
 * Cantor-like staircase with exactly known vertices.
 *
 * <p>With {@code A(x) = relu(3x - 2) + relu(1 - 3x)} (on [0, 1]: {@code 1 - 3x} on [0, 1/3], 0 on the middle
 * third, {@code 3x - 2} on [2/3, 1]), the level-k net computes {@code f(x, y) = y - (A^k(x) + 1) / 2}. Hidden
 * layer j holds the two units {@code relu(3u - 2)} and {@code relu(1 - 3u)} of {@code u = A^{j-1}(x)} (the
 * next layer reads their sum); y is carried to the output by an identity skip from the input
 * ({@link #of}), or, in {@link #withCarriedY}, by one extra {@code relu(y)} unit per layer (no skips; equal to
 * f for {@code y >= 0}).
 *
 * <p>Closed form: {@code A^k} maps each of the {@code 2^k} level-k Cantor intervals {@code [a, a + 3^-k]}
 * linearly onto [0, 1]; it is 0 on the middle thirds removed at step k and 1 on those removed earlier. The
 * boundary {@code y = g(x) = (A^k(x) + 1)/2} therefore runs between 1/2 and 1, and its vertices (slope
 * changes) are exactly the interior endpoints of the level-k Cantor intervals, {@code m / 3^k} with m an
 * integer ({@link #endpointNumerators}).
 */
public final class CantorNet {
    private CantorNet() {}

    /** The largest level built (the endpoint numerators 3^k must fit a long; networks of this depth are tiny). */
    public static final int MAX_LEVEL = 30;

    private static void checkLevel(int level) {
        if (level < 1 || level > MAX_LEVEL) throw new BadInputException("CantorNet level must be in 1.." + MAX_LEVEL + ", got " + level);
    }

    /** The level-k net, y carried by an identity-weighted skip from the input to the output. */
    public static Network of(int level) {
        checkLevel(level);
        List<DenseLayer> layers = new ArrayList<>();
        layers.add(new DenseLayer(2, 2, new double[]{3, 0, -3, 0}, new double[]{-2, 1}, Activation.RELU, 0));
        for (int j = 2; j <= level; j++)
            layers.add(new DenseLayer(2, 2, new double[]{3, 3, -3, -3}, new double[]{-2, 1}, Activation.RELU, 0));
        Skip carryY = new Skip(0, new double[]{0, 1}, 2);
        layers.add(new DenseLayer(2, 1, new double[]{-0.5, -0.5}, new double[]{-0.5}, Activation.IDENTITY, 0, List.of(carryY)));
        return new Network(2, layers);
    }

    /** The level-k net without skips: y carried by one relu(y) unit per hidden layer (equal to f where y &gt;= 0). */
    public static Network withCarriedY(int level) {
        checkLevel(level);
        List<DenseLayer> layers = new ArrayList<>();
        layers.add(new DenseLayer(2, 3, new double[]{3, 0, -3, 0, 0, 1}, new double[]{-2, 1, 0}, Activation.RELU, 0));
        for (int j = 2; j <= level; j++)
            layers.add(new DenseLayer(3, 3, new double[]{3, 3, 0, -3, -3, 0, 0, 0, 1}, new double[]{-2, 1, 0}, Activation.RELU, 0));
        layers.add(new DenseLayer(3, 1, new double[]{-0.5, -0.5, 1}, new double[]{-0.5}, Activation.IDENTITY, 0));
        return new Network(2, layers);
    }

    /** {@code A(x) = relu(3x - 2) + relu(1 - 3x)}. */
    public static double a(double x) {
        return Math.max(3 * x - 2, 0) + Math.max(1 - 3 * x, 0);
    }

    /** {@code A^k(x)}. */
    public static double aPow(int k, double x) {
        for (int j = 0; j < k; j++) x = a(x);
        return x;
    }

    /** The decision boundary {@code g(x) = (A^k(x) + 1) / 2}. */
    public static double boundary(int level, double x) {
        return (aPow(level, x) + 1) / 2;
    }

    /** The network's function {@code f(x, y) = y - g(x)}. */
    public static double value(int level, double x, double y) {
        return y - boundary(level, x);
    }

    /** {@code 3^k} as a long. */
    public static long denominator(int level) {
        checkLevel(level);
        long d = 1;
        for (int j = 0; j < level; j++) d *= 3;
        return d;
    }

    /**
     * The endpoints of the {@code 2^k} level-k Cantor intervals as numerators over {@code 3^k}, ascending,
     * 0 and {@code 3^k} included ({@code 2^{k+1}} values).
     */
    public static long[] endpointNumerators(int level) {
        checkLevel(level);
        if (level > 20) throw new BadInputException("endpoint lists are built up to level 20, got " + level);
        long[] lefts = {0};
        long len = denominator(level);
        for (int j = 0; j < level; j++) {
            len /= 3;
            long[] next = new long[lefts.length * 2];
            for (int i = 0; i < lefts.length; i++) {
                next[2 * i] = lefts[i];
                next[2 * i + 1] = lefts[i] + 2 * len;
            }
            lefts = next;
        }
        long[] ends = new long[lefts.length * 2];
        for (int i = 0; i < lefts.length; i++) {
            ends[2 * i] = lefts[i];
            ends[2 * i + 1] = lefts[i] + 1;
        }
        return ends;
    }
}
