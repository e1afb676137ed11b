package atlas.data.mnist;

import atlas.error.BadInputException;

/**
 * An IDX file (or a set of them) is not what it should be: wrong magic number, wrong dimensions, truncated,
 * trailing bytes, counts that do not match. The message is one line naming the file and the problem; the CLI
 * maps it to exit code 2 (invalid input).
 */
public class IdxFormatException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }
}
