package atlas.regions;

/**
 * What every linear region has, whichever engine found it: a plane polygon ({@link LinearRegion}), an interval of
 * a segment ({@link SegmentInterval}) or an n-D polytope ({@link RegionPolytope}). The network is one affine map
 * on it, fixed by its activation pattern.
 */
public interface Region {

    /** The activation pattern over all cutting units. */
    ActivationPattern pattern();

    /** The network's outputs as an affine map of the region's own coordinates (plane (s, t), segment t, or input x). */
    AffineMap map();

    /** The dimension of the region's coordinates: 1 (segment), 2 (plane) or the input dimension. */
    int dimension();

    /** Its length, area or volume in its own coordinates; NaN when the engine did not compute it. */
    double measure();

    /** A point strictly inside, in its own coordinates (null when the engine did not find one). */
    double[] interiorPoint();

    /**
     * Its vertices, {@link #dimension()} values each, in its own coordinates; null when not computed (n-D regions
     * above dimension 3). Copied.
     */
    double[] vertices();
}
