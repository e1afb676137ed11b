package atlas.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Factories for networks: seeded random initialisations and hand-built nets with known regions. */
public final class Networks {
    private Networks() {}

    /**
     * A dense net {@code inputDim -> hidden[0] -> ... -> outputDim} with Kaiming-normal (fan-in) weights,
     * {@code N(0, 2/fan_in)}, constant biases, the given hidden activation and a linear output.
     *
     * @param seed the random seed: same seed, same weights, bit for bit
     */
    public static Network kaiming(long seed, int inputDim, int[] hidden, int outputDim,
                                  Activation activation, double leak, double bias) {
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        int prev = inputDim;
        for (int i = 0; i <= hidden.length; i++) {
            int units = i < hidden.length ? hidden[i] : outputDim;
            double std = Math.sqrt(2.0 / prev);
            double[] w = new double[units * prev];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian() * std;
            double[] b = new double[units];
            java.util.Arrays.fill(b, bias);
            Activation act = i < hidden.length ? activation : Activation.IDENTITY;
            layers.add(new DenseLayer(prev, units, w, b, act, leak));
            prev = units;
        }
        return new Network(inputDim, layers);
    }

    /** {@code hidden} repeated: {@code uniform(30, 30)} is {@code [30]x30}. */
    public static int[] uniform(int width, int depth) {
        int[] h = new int[depth];
        java.util.Arrays.fill(h, width);
        return h;
    }

    /**
     * One hidden layer whose units are the lines {@code a_k x + b_k y + c_k = 0}, summed by a linear output.
     * Its regions are exactly the cells of the line arrangement.
     */
    public static Network lines(double[] a, double[] b, double[] c) {
        int n = a.length;
        double[] w = new double[2 * n];
        for (int k = 0; k < n; k++) { w[2 * k] = a[k]; w[2 * k + 1] = b[k]; }
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1.0);
        return new Network(2, List.of(
                new DenseLayer(2, n, w, c, Activation.RELU, 0),
                new DenseLayer(n, 1, out, new double[1], Activation.IDENTITY, 0)));
    }

    /**
     * The tent map {@code T(x) = 2x} on [0, 1/2], {@code 2 - 2x} on [1/2, 1], composed {@code k} times, on one
     * input: each layer has two ReLU units {@code r1 = relu(2x), r2 = relu(4x - 2)} and passes on
     * {@code r1 - r2}. Its output has exactly {@code 2^k} linear pieces on [0, 1].
     */
    public static Network sawtooth(int k) {
        List<DenseLayer> layers = new ArrayList<>();
        // layer 1 reads x; layer i > 1 reads (r1, r2) of the previous layer, whose value is r1 - r2.
        layers.add(new DenseLayer(1, 2, new double[]{2, 4}, new double[]{0, -2}, Activation.RELU, 0));
        for (int i = 1; i < k; i++)
            layers.add(new DenseLayer(2, 2, new double[]{2, -2, 4, -4}, new double[]{0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.IDENTITY, 0));
        return new Network(1, layers);
    }
}
