package atlas.train;

import atlas.error.BadInputException;

/**
 * The arithmetic of training: {@link #DOUBLE} (the default) or {@link #FLOAT} (single-precision blocks and
 * weights, double parameters, optimiser state and gradients; about twice as fast with the Vector API kernels).
 * Snapshots are always double {@code Network}s, and their regions are computed exactly in double either way.
 */
public enum Precision {
    DOUBLE("double"), FLOAT("float");

    private final String label;

    Precision(String label) { this.label = label; }

    public String label() { return label; }

    public static Precision fromLabel(String s) {
        for (Precision p : values()) if (p.label.equalsIgnoreCase(s) || p.name().equalsIgnoreCase(s)) return p;
        throw new BadInputException("unknown precision '" + s + "' (known: double, float)");
    }
}
