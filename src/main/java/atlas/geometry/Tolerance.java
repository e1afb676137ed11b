package atlas.geometry;

import atlas.error.BadInputException;

/**
 * The one tolerance object of ReLU Atlas (modelled on JTS {@code PrecisionModel}). Every algorithm that
 * decides a sign or merges points takes one explicitly; no algorithm body holds its own epsilon.
 *
 * <p>Policy ({@link Kind#FLOATING}, the default): all geometry is computed in IEEE double precision.
 * A pre-activation value {@code z} at a point is taken to be exactly zero when
 * {@code |z| <= sideEps * scale}, where {@code scale} is the sum of the magnitudes of the terms that
 * produced it ({@code |b| + sum |w_j h_j|}) or, for a value interpolated along an edge, the larger
 * magnitude at the edge's two ends. Values so snapped are written back as exact zeros, so every later
 * test sees the same sign (Regioncam does the same with new vertices). With {@code sideEps = 1e-9} a
 * point is put on a boundary only when it lies within about 1e-9 of the boundary relative to the size of
 * the numbers involved; this is far above double rounding (about 1e-16 per operation, times the depth and
 * width of the sums) and far below any region a network trained in float32 can resolve.
 *
 * @param kind      how arithmetic is done
 * @param sideEps   relative threshold below which a side test answers "on the boundary"
 * @param mergeEps  relative distance below which two points are the same point
 * @param minVolume relative area/volume (fraction of the domain's) below which a piece is not cut off: the
 *                  cut is declined and the sliver stays in its larger neighbour (the region kernels count such
 *                  declined cuts)
 */
public record Tolerance(Kind kind, double sideEps, double mergeEps, double minVolume) {

    /**
     * How arithmetic is done. FLOATING: doubles with the side tolerance (the default). EXACT: certified, every sign
     * decision of the region kernels equals the one exact rational arithmetic on the given float64 weights makes
     * (a double filter with a rigorous error bound, exact arithmetic where it cannot decide); {@code sideEps} is
     * then not used by those kernels and no cut is declined. SNAPPED is reserved (not implemented): only the kinds in {@link #IMPLEMENTED} are accepted.
     */
    public enum Kind { FLOATING, SNAPPED, EXACT }

    /**
     * The kinds the kernels implement: the one place where a tolerance of another kind is rejected (when it is
     * made), so that no kernel silently computes a kind it does not honour.
     */
    private static final java.util.Set<Kind> IMPLEMENTED = java.util.EnumSet.of(Kind.FLOATING, Kind.EXACT);

    /** The default relative side tolerance (a compile-time constant, so that CLI defaults can name it). */
    public static final double DEFAULT_SIDE_EPS = 1e-9;

    /**
     * Absolute threshold inside the float LP solvers (pivot elements, reduced costs, phase-1 residuals). Their
     * callers scale rows to unit norm and centre coordinates, so tableau entries are of order one and this is a
     * distance; it sits two orders below {@link #DEFAULT_SIDE_EPS} so that an LP never calls a point on a cut that
     * the kernels' side test puts off it. {@link HipparchusLpSolver} uses it on Hipparchus's own scale (its epsilon
     * 10x, its tableau cut-off 0.1x).
     */
    public static final double LP_EPS = 1e-11;

    /**
     * Relative allowance for the rounding of a magnitude bound computed as {@code |b| + ||w||_1 max|h|} against
     * the exactly summed magnitude it bounds (a relative 1e-16 effect per operation; see {@link #mightSnap}).
     */
    private static final double BOUND_ROUNDING = 1e-9;

    /**
     * The default: relative side tolerance 1e-9, merge 1e-9, minimum relative area 1e-16. The minimum area is
     * (10 sideEps)^2: a face narrower than about ten times the side tolerance would have vertex values all
     * within the snapping threshold, so its signs (and pattern) could not be trusted.
     */
    public static final Tolerance DEFAULT = new Tolerance(Kind.FLOATING, DEFAULT_SIDE_EPS, 1e-9, 1e-16);

    /**
     * Certified exact mode ({@link Kind#EXACT}): sign decisions of the segment and plane kernels are exact on the
     * given weights and no piece is too small to keep (minVolume 0). The side and merge tolerances remain for
     * the code that is not certified (point location slack, pictures).
     */
    public static final Tolerance EXACT = new Tolerance(Kind.EXACT, 1e-9, 1e-9, 0);

    public Tolerance {
        if (kind == null) throw new BadInputException("tolerance kind is null");
        if (!IMPLEMENTED.contains(kind))
            throw new BadInputException("tolerance kind " + kind + " is not implemented (implemented: " + IMPLEMENTED + ")");
        if (!(sideEps >= 0 && sideEps < 1e-2)) throw new BadInputException("sideEps must be in [0, 1e-2): " + sideEps);
        if (!(mergeEps >= 0 && mergeEps < 1e-2)) throw new BadInputException("mergeEps must be in [0, 1e-2): " + mergeEps);
        if (!(minVolume >= 0 && minVolume < 1e-2)) throw new BadInputException("minVolume must be in [0, 1e-2): " + minVolume);
    }

    /** True for {@link Kind#EXACT}. */
    public boolean isExact() { return kind == Kind.EXACT; }

    /** A copy with another side tolerance. */
    public Tolerance withSideEps(double eps) { return new Tolerance(kind, eps, mergeEps, minVolume); }

    /**
     * The side of zero that {@code value} is on, given the magnitude {@code scale} of the terms that produced it.
     */
    public Side side(double value, double scale) {
        if (Math.abs(value) <= sideEps * scale) return Side.ON;
        return value > 0 ? Side.POSITIVE : Side.NEGATIVE;
    }

    /** {@code value}, or exactly 0 when it is within tolerance of 0 relative to {@code scale}. */
    public double snap(double value, double scale) {
        return Math.abs(value) <= sideEps * scale ? 0.0 : value;
    }

    /**
     * False only when {@code value} certainly does not snap for any scale up to {@code bound}: a cheap pre-test
     * that lets a kernel skip summing the magnitudes of a value's terms when an upper bound on them is known.
     */
    public boolean mightSnap(double value, double bound) {
        return Math.abs(value) <= sideEps * (1 + BOUND_ROUNDING) * bound;
    }
}
