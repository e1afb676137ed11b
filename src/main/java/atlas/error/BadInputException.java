package atlas.error;

/**
 * The input is not valid: a model, a value, a file or an option given by the user (or by a library caller). The
 * message is one line naming the problem. The command line exits with code 2.
 *
 * <p>It is an {@link IllegalArgumentException}, so callers that catch that keep working; a plain
 * {@code IllegalArgumentException} is a kernel's contract check failing, that is, a bug.
 */
public class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) { super(message); }

    public BadInputException(String message, Throwable cause) { super(message, cause); }
}
