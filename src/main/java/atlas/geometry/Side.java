package atlas.geometry;

/** Where a point or a set lies relative to a hyperplane {@code z = 0}. */
public enum Side {
    POSITIVE, NEGATIVE, ON, CROSSES;

    /** -1, 0 or +1 for NEGATIVE, ON, POSITIVE; CROSSES has no single sign. */
    public int signum() {
        return switch (this) {
            case POSITIVE -> 1;
            case NEGATIVE -> -1;
            case ON -> 0;
            case CROSSES -> throw new IllegalStateException("CROSSES has no sign");
        };
    }
}
