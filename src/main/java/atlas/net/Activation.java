package atlas.net;

/** The activations of relu-atlas-model/1. ReLU and leaky ReLU units cut the input space; identity units never do. */
public enum Activation {
    RELU("relu"), LEAKY_RELU("leaky_relu"), IDENTITY("identity");

    private final String jsonName;

    Activation(String jsonName) { this.jsonName = jsonName; }

    /** The name used in model files. */
    public String jsonName() { return jsonName; }

    /** True for units whose pre-activation zero set is a region boundary. */
    public boolean cuts() { return this != IDENTITY; }

    /** Applies the activation with slope {@code leak} on the negative side (leaky ReLU only). */
    public double apply(double z, double leak) {
        return switch (this) {
            case RELU -> z > 0 ? z : 0.0;
            case LEAKY_RELU -> z > 0 ? z : leak * z;
            case IDENTITY -> z;
        };
    }

    /** The slope of the activation at {@code z} (the right slope at 0 is not used: 0 counts as off). */
    public double slope(double z, double leak) {
        return switch (this) {
            case RELU -> z > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> z > 0 ? 1.0 : leak;
            case IDENTITY -> 1.0;
        };
    }

    /** Parses a model-file name; null when unknown. */
    public static Activation fromJsonName(String name) {
        for (Activation a : values()) if (a.jsonName.equals(name)) return a;
        return null;
    }
}
