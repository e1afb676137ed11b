package atlas.net;

/** A model that is not valid: the message names the layer and the field, in one line. */
public class ModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
