package atlas.cli;

import atlas.error.BadInputException;
import atlas.geometry.Tolerance;
import picocli.CommandLine.Option;

/**
 * {@code --side-eps}: the relative tolerance of sign decisions, and {@code --exact}: certified exact mode (see
 * README, "Tolerance policy").
 */
final class ToleranceMixin {
    @Option(names = "--side-eps", paramLabel = "EPS",
            description = "Relative tolerance below which a pre-activation counts as zero (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Tolerance.DEFAULT_SIDE_EPS)
    double sideEps;

    @Option(names = "--exact",
            description = "Certified exact mode: every sign decision equals exact rational arithmetic on the model's float64 weights "
                    + "(float filter, exact fallback); no cut is declined. Implemented for regions, line, fold, enumerate, stats (float measures labelled), point, local and track (overlaps from the two models stacked into one); not for train --track.")
    boolean exact;

    public Tolerance tolerance() {
        return exact ? Tolerance.EXACT : Tolerance.DEFAULT.withSideEps(sideEps);
    }

    /**
     * The tolerance for a command whose kernel is not certified: {@code --exact} is refused there rather than
     * silently computed with floating tolerances.
     */
    public Tolerance floatingTolerance(String command) {
        if (exact)
            throw new BadInputException("--exact is not implemented for '" + command + "' (certified: regions, line, fold, enumerate, stats, point, local, track; see README, Tolerance policy)");
        return tolerance();
    }
}
