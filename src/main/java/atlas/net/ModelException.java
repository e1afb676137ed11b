package atlas.net;

import atlas.error.BadInputException;

/** A model that is not valid: the message names the layer and the field, in one line (exit code 2). */
public class ModelException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
