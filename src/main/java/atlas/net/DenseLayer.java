package atlas.net;

import java.util.List;

/**
 * One dense layer: {@code z = W h_prev + b + sum over skips of P h_from}, {@code h = act(z)}.
 *
 * @param inputSize  columns of W (the size of the previous layer)
 * @param units      rows of W
 * @param weights    W, row-major, one row per unit (the PyTorch {@code nn.Linear} convention); copied
 * @param bias       b, one entry per unit; copied
 * @param activation the activation of every unit of the layer
 * @param leak       the negative-side slope of leaky ReLU (ignored otherwise)
 * @param skips      skip connections into this layer
 */
public record DenseLayer(int inputSize, int units, double[] weights, double[] bias,
                         Activation activation, double leak, List<Skip> skips) {
    public DenseLayer {
        // the leak only means something for leaky ReLU; normalising it keeps equality and file round trips exact
        if (activation != Activation.LEAKY_RELU) leak = 0.0;
        weights = weights.clone();
        bias = bias.clone();
        skips = skips == null ? List.of() : List.copyOf(skips);
    }

    public DenseLayer(int inputSize, int units, double[] weights, double[] bias, Activation activation, double leak) {
        this(inputSize, units, weights, bias, activation, leak, List.of());
    }

    /** W, not copied (the record is used in hot loops): do not modify. */
    @Override
    public double[] weights() { return weights; }

    /** b, not copied: do not modify. */
    @Override
    public double[] bias() { return bias; }

    public double weight(int unit, int input) { return weights[unit * inputSize + input]; }

    /** A copy of this layer with other parameters (same shape, activation and skip sources). */
    public DenseLayer withParameters(double[] newWeights, double[] newBias, List<Skip> newSkips) {
        return new DenseLayer(inputSize, units, newWeights, newBias, activation, leak, newSkips);
    }
}
