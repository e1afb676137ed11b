package atlas.cli;

import atlas.geometry.Tolerance;
import picocli.CommandLine.Option;

/** {@code --side-eps}: the relative tolerance of sign decisions (see README, "Tolerance policy"). */
public final class ToleranceMixin {
    @Option(names = "--side-eps", paramLabel = "EPS",
            description = "Relative tolerance below which a pre-activation counts as zero (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Tolerance.DEFAULT_SIDE_EPS)
    double sideEps;

    public Tolerance tolerance() {
        return Tolerance.DEFAULT.withSideEps(sideEps);
    }
}
