package atlas.measure;

import atlas.regions.ActivationPattern;

/**
 * One piece of a path {@code x(t) = p + t (q - p)}: the parameters {@code t0 < t1} where it enters and leaves a
 * region, and the region's activation pattern (all cutting units, then the output units' signs when they were
 * asked for).
 */
public record PathPiece(double t0, double t1, ActivationPattern pattern) {
    public PathPiece {
        if (!(t1 > t0)) throw new IllegalArgumentException("empty path piece [" + t0 + ", " + t1 + "]");
    }
}
