package atlas.net.formats;

import atlas.error.BadInputException;

import atlas.net.Activation;
import atlas.net.ModelFormat;

/**
 * What a weights-only file (a PyTorch state_dict or safetensors) cannot say: the activation between its
 * Linear layers. The last layer is always linear (identity).
 *
 * @param hidden the activation of every hidden layer (relu or leaky_relu)
 * @param leak   the negative-side slope for leaky_relu
 */
public record ImportOptions(Activation hidden, double leak) {
    public static final ImportOptions DEFAULT = new ImportOptions(Activation.RELU, 0.0);

    /** Parses {@code relu}, {@code leaky_relu} or {@code leaky_relu:SLOPE} (the CLI's --activation). */
    public static ImportOptions parse(String spec) {
        String s = spec.trim();
        if (s.equals("relu")) return DEFAULT;
        if (s.equals("leaky_relu")) return new ImportOptions(Activation.LEAKY_RELU, ModelFormat.DEFAULT_LEAK);
        if (s.startsWith("leaky_relu:")) {
            double leak;
            try {
                leak = Double.parseDouble(s.substring("leaky_relu:".length()));
            } catch (NumberFormatException e) {
                throw new BadInputException("--activation " + spec + ": the slope is not a number");
            }
            if (!Double.isFinite(leak)) throw new BadInputException("--activation " + spec + ": the slope must be finite");
            return new ImportOptions(Activation.LEAKY_RELU, leak);
        }
        throw new BadInputException("--activation " + spec + ": expected relu, leaky_relu or leaky_relu:SLOPE");
    }
}
