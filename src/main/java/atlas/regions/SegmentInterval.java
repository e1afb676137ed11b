package atlas.regions;

/**
 * One linear region along a segment: the parameters {@code t0 < t1} in [0, 1] where the segment
 * {@code x(t) = p + t (q - p)} enters and leaves it, its activation pattern and the outputs' affine map in t.
 */
public record SegmentInterval(double t0, double t1, ActivationPattern pattern, AffineMap map) {
    public SegmentInterval {
        if (!(t1 > t0)) throw new IllegalArgumentException("empty interval [" + t0 + ", " + t1 + "]");
    }

    public double length() { return t1 - t0; }

    public double midpoint() { return 0.5 * (t0 + t1); }
}
