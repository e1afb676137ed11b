package atlas.cli;

/** Process exit codes of the {@code atlas} command. */
final class ExitCodes {
    private ExitCodes() {}
    public static final int OK = 0;
    /** Bad input: a malformed model, a bad flag value, an unreadable image... */
    public static final int INVALID_INPUT = 2;
    /** A numerical failure (NaN during training, divergence). */
    public static final int NUMERICAL = 3;
    /** A bug. */
    public static final int INTERNAL = 4;
    /**
     * Out of memory: the Java heap filled up. The message says how far the work got and how to give the JVM
     * more ({@code ATLAS_JAVA_OPTS=-Xmx8g}) or make the problem smaller.
     */
    public static final int OUT_OF_MEMORY = 5;
    /** Interrupted by the user (Ctrl-C); partial results are labelled as such. */
    public static final int INTERRUPTED = 130;
}
