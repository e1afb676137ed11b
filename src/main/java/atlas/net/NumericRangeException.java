package atlas.net;

/**
 * The numbers of a computation would leave the range in which double arithmetic is valid for it (see
 * {@link NumericRange}); a numerical failure, exit code 3, with a one-line message.
 */
public class NumericRangeException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public NumericRangeException(String message) { super(message); }
}
