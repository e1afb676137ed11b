package atlas.train;

import atlas.error.BadInputException;

/**
 * The optimisers, with the PyTorch update rules and default hyper-parameters:
 * <ul>
 *   <li>{@link #ADAM}: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 *       p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}, b1 = 0.9, b2 = 0.999, eps = 1e-8.</li>
 *   <li>{@link #SGD}: {@code p -= lr g}.</li>
 *   <li>{@link #MOMENTUM}: {@code buf = mu buf + g; p -= lr buf}, mu = 0.9.</li>
 *   <li>{@link #RMSPROP}: {@code v = a v + (1-a) g^2; p -= lr g / (sqrt(v) + eps)}, a = 0.99, eps = 1e-8.</li>
 * </ul>
 */
public enum OptimizerKind {
    ADAM("adam", 2), SGD("sgd", 0), MOMENTUM("momentum", 1), RMSPROP("rmsprop", 1);

    /** Adam's first-moment decay. */
    public static final double ADAM_BETA1 = 0.9;
    /** Adam's second-moment decay. */
    public static final double ADAM_BETA2 = 0.999;
    /** The denominator offset of Adam and RMSprop (a hyper-parameter, not a geometric tolerance). */
    public static final double DENOMINATOR_OFFSET = 1e-8;
    /** The momentum of {@link #MOMENTUM}. */
    public static final double MOMENTUM_MU = 0.9;
    /** RMSprop's smoothing constant. */
    public static final double RMSPROP_ALPHA = 0.99;

    private final String label;
    private final int stateArrays;

    OptimizerKind(String label, int stateArrays) {
        this.label = label;
        this.stateArrays = stateArrays;
    }

    public String label() { return label; }

    /** How many arrays of one value per parameter the optimiser keeps. */
    public int stateArrays() { return stateArrays; }

    public static OptimizerKind fromLabel(String s) {
        for (OptimizerKind k : values()) if (k.label.equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) return k;
        throw new BadInputException("unknown optimizer '" + s + "' (known: adam, sgd, momentum, rmsprop)");
    }
}
