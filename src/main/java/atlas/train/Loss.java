package atlas.train;

import atlas.error.BadInputException;

/**
 * Training losses, both averaged over the points of a minibatch (the PyTorch {@code reduction='mean'}).
 * <ul>
 *   <li>{@link #MSE}: mean over points and outputs of {@code (y - t)^2} (grey values).</li>
 *   <li>{@link #CROSS_ENTROPY}: mean over points of {@code -log softmax(y)[label]} (classes).</li>
 * </ul>
 */
public enum Loss {
    MSE("mse"), CROSS_ENTROPY("cross-entropy");

    private final String label;

    Loss(String label) { this.label = label; }

    /** The name used in files and on the command line. */
    public String label() { return label; }

    public static Loss fromLabel(String s) {
        for (Loss l : values()) if (l.label.equalsIgnoreCase(s) || l.name().equalsIgnoreCase(s)) return l;
        throw new BadInputException("unknown loss '" + s + "' (known: mse, cross-entropy)");
    }
}
