package atlas.experiment.jobs;

import java.util.List;

/** Some units failed on every attempt; the others are done and kept, so a rerun retries only the failed ones. */
public final class SweepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<JobOutcome> failures;

    public SweepFailedException(String message, List<JobOutcome> failures) {
        super(message);
        this.failures = List.copyOf(failures);
    }

    /** The failed units, in job order. */
    public List<JobOutcome> failures() { return failures; }

    /**
     * The kind of the first failure as the command's exit status would name it: "input" (a bad setting or data),
     * "numerical" (NaN, divergence) or "internal".
     */
    public String kind() {
        String k = failures.isEmpty() ? "" : failures.get(0).errorKind();
        if (k == null) return "internal";
        if (k.equals(atlas.error.BadInputException.class.getName())) return "input";
        if (k.equals(atlas.error.NumericalException.class.getName())) return "numerical";
        if (k.equals(IllegalArgumentException.class.getName()) || k.equals(java.io.UncheckedIOException.class.getName())
                || k.equals("atlas.net.ModelException")) return "input";
        if (k.equals(ArithmeticException.class.getName()) || k.equals("atlas.train.TrainingDivergedException")) return "numerical";
        return "internal";
    }
}
