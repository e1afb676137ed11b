package atlas.measure;

import atlas.error.BadInputException;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Theoretical numbers of linear regions to print beside a measured count.
 *
 * <ul>
 *   <li><b>Serra, Tjandraatmadja and Ramalingam (ICML 2018), Theorem 1</b>, for ReLU networks without skips:
 *       {@code sum over (j_1..j_L) in J of prod_l C(n_l, j_l)}, with
 *       {@code J = {0 <= j_l <= min(n_0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l)}}. Computed exactly by dynamic
 *       programming over the running minimum.</li>
 *   <li><b>Montufar (2017) / Montufar et al. (2014)</b>: {@code prod_l sum_{j=0}^{d_l} C(n_l, j)} with
 *       {@code d_l = min(n_0, n_1, ..., n_l)}; for ReLU networks without skips. Never below Serra's.</li>
 *   <li><b>Arrangement bound</b>, valid for every network here (leaky ReLU and skips included): on any region of
 *       the earlier layers, layer l's units are n_l affine functions of the n_0 inputs, so they cut it into at
 *       most {@code sum_{j=0}^{min(n_0, n_l)} C(n_l, j)} pieces: the product over layers.</li>
 *   <li><b>Hanin and Rolnick (2019) scale</b> {@code (T N)^d / d! x vol(domain)}, with N the number of hidden
 *       neurons, d the input dimension and T their constant (the product of the gradient and bias-density bounds;
 *       1 by default). It is the order of magnitude at initialisation, not a worst-case bound.</li>
 * </ul>
 * Layers that do not cut (identity) add no regions but limit the dimension to their width.
 */
public final class RegionBounds {
    private RegionBounds() {}

    /** True when every cutting layer is ReLU and no layer has skips: Serra's and Montufar's bounds apply. */
    public static boolean plainRelu(Network net) {
        for (DenseLayer l : net.layers()) {
            if (!l.skips().isEmpty()) return false;
            if (l.activation() == Activation.LEAKY_RELU) return false;
        }
        return true;
    }

    /** Serra et al.'s bound; requires {@link #plainRelu}. */
    public static BigInteger serra(Network net) {
        if (!plainRelu(net)) throw new BadInputException("Serra's bound is for ReLU networks without skips");
        Map<Integer, BigInteger> states = new HashMap<>();
        states.put(net.inputDim(), BigInteger.ONE); // running minimum -> weighted count
        for (DenseLayer l : net.layers()) {
            int n = l.units();
            Map<Integer, BigInteger> next = new HashMap<>();
            for (Map.Entry<Integer, BigInteger> e : states.entrySet()) {
                int m = e.getKey();
                if (!l.activation().cuts()) {
                    next.merge(Math.min(m, n), e.getValue(), BigInteger::add);
                    continue;
                }
                for (int j = 0; j <= Math.min(m, n); j++)
                    next.merge(Math.min(m, n - j), e.getValue().multiply(binomial(n, j)), BigInteger::add);
            }
            states = next;
        }
        BigInteger total = BigInteger.ZERO;
        for (BigInteger v : states.values()) total = total.add(v);
        return total;
    }

    /** Montufar's bound; requires {@link #plainRelu}. */
    public static BigInteger montufar(Network net) {
        if (!plainRelu(net)) throw new BadInputException("Montufar's bound is for ReLU networks without skips");
        BigInteger total = BigInteger.ONE;
        int d = net.inputDim();
        for (DenseLayer l : net.layers()) {
            d = Math.min(d, l.units());
            if (l.activation().cuts()) total = total.multiply(partialSum(l.units(), d));
        }
        return total;
    }

    /** The arrangement bound, valid for every network. */
    public static BigInteger arrangement(Network net) {
        BigInteger total = BigInteger.ONE;
        for (DenseLayer l : net.layers())
            if (l.activation().cuts()) total = total.multiply(partialSum(l.units(), Math.min(net.inputDim(), l.units())));
        return total;
    }

    /** The best bound that applies: Serra's for plain ReLU networks, else the arrangement bound. */
    public static BigInteger best(Network net) {
        return plainRelu(net) ? serra(net) : arrangement(net);
    }

    /** Hanin and Rolnick's scale {@code (T N)^d / d! * volume}. */
    public static double haninRolnick(Network net, double volume, double t) {
        int d = net.inputDim();
        double n = t * net.hiddenNeurons();
        double v = volume;
        for (int k = 1; k <= d; k++) v *= n / k;
        return v;
    }

    /** {@code sum_{j=0}^{k} C(n, j)}. */
    public static BigInteger partialSum(int n, int k) {
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j <= Math.min(n, k); j++) s = s.add(binomial(n, j));
        return s;
    }

    public static BigInteger binomial(int n, int k) {
        if (k < 0 || k > n) return BigInteger.ZERO;
        BigInteger r = BigInteger.ONE;
        for (int i = 1; i <= k; i++) r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        return r;
    }
}
