package atlas.error;

/**
 * A computation failed numerically: training diverged, an LP did not converge, no full-dimensional region was
 * found. The command line exits with code 3. It is an {@link ArithmeticException}, so callers that catch that
 * keep working.
 */
public class NumericalException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public NumericalException(String message) { super(message); }
}
