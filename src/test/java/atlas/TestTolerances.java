package atlas;

/**
 * Every tolerance the tests use, in one place (as EJML's {@code UtilEjml.TEST_F64}). The kernels' own tolerance
 * is {@link atlas.geometry.Tolerance#DEFAULT}; these are the bounds within which a test accepts two doubles
 * computed in two different ways (say, a region's stored affine map and a fresh forward pass) as equal.
 *
 * <p>All are relative: a difference {@code d} between values of magnitude {@code m} passes when
 * {@code d <= TOL * (1 + m)}, and geometric quantities are taken relative to the size of the domain.
 */
public final class TestTolerances {
    private TestTolerances() {}

    /** A region's affine map against the network's forward pass (double rounding through ~10 layers). */
    public static final double MAP = 1e-9;

    /**
     * A region's map against the network where cuts nearly coincide (within ~1e-8 relative of an existing vertex):
     * the kernel writes values within the side tolerance (1e-9 relative) back as exact zeros, which perturbs the
     * vertex values its maps are fitted from by up to about sideEps times the magnitude of intermediate values;
     * and a cut whose smaller piece would be below minVolume (1e-16 of the domain's area by default) is declined,
     * leaving a sliver inside a region whose map is that of its larger side: a triangle of width up to about
     * sqrt(2 x 1e-16) = 1.4e-8 of the domain, so points near that region's vertices may be off by the network's
     * slope times that width. {@code atlas.regions.RegionChecks} applies this bound (times the domain's diameter)
     * only to partitions with declined cuts.
     */
    public static final double MAP_NEAR_DEGENERATE = 1e-6;

    /** The sum of region areas against the domain's area, and one area computed two ways. */
    public static final double AREA = 1e-9;

    /** One breakpoint or vertex found two ways (fraction of the segment, or of the domain's diameter). */
    public static final double POSITION = 1e-9;

    /** Points "near a vertex" are taken this fraction of the way from the vertex towards the centroid. */
    public static final double INWARD = 1e-6;

    /**
     * A sample point closer than this (fraction of the domain's diameter) to a region boundary is not used to
     * compare patterns: its pattern depends on rounding, not on the kernel.
     */
    public static final double BOUNDARY_MARGIN = 1e-8;

    /** Bisection in the brute-force 1-D oracle stops below this width (in t). */
    public static final double BISECTION = 1e-13;
}
