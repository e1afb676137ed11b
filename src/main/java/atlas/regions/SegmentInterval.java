package atlas.regions;

/**
 * One linear region along a segment: the parameters {@code t0 < t1} in [0, 1] where the segment
 * {@code x(t) = p + t (q - p)} enters and leaves it, its activation pattern and the outputs' affine map in t.
 */
public record SegmentInterval(double t0, double t1, ActivationPattern pattern, AffineMap map) implements Region {
    public SegmentInterval {
        if (!(t1 > t0)) throw new IllegalArgumentException("empty interval [" + t0 + ", " + t1 + "]");
    }

    public double length() { return t1 - t0; }

    public double midpoint() { return 0.5 * (t0 + t1); }

    @Override public int dimension() { return 1; }

    /** The length in t. */
    @Override public double measure() { return length(); }

    /** The midpoint, as a 1-vector. */
    @Override public double[] interiorPoint() { return new double[]{midpoint()}; }

    /** {t0, t1}. */
    @Override public double[] vertices() { return new double[]{t0, t1}; }
}
