package atlas.train;

import atlas.error.NumericalException;

/**
 * Training produced a non-finite number or a loss that exploded. A {@link NumericalException}, so the
 * command line maps it to exit code 3 (numerical failure); the message is one line and says what to try.
 */
public final class TrainingDivergedException extends NumericalException {
    private static final long serialVersionUID = 1L;
    private final int epoch;

    public TrainingDivergedException(int epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /** The epoch (1-based) during which training diverged. */
    public int epoch() { return epoch; }
}
