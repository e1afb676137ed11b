package atlas.regions;

/**
 * Tuning thresholds of the region kernels, in one place (as EJML's {@code EjmlParameters}). These are not
 * tolerances of the geometry (see {@link atlas.geometry.Tolerance}) but choices between two correct ways of
 * computing a value.
 */
public final class KernelParameters {
    private KernelParameters() {}

    /**
     * An interval shorter than this (in t, on [0, 1]) has its affine map composed from its pattern rather than
     * fitted from its end values, whose rounding error would be divided by the length.
     */
    public static final double MIN_FIT_INTERVAL = 1e-6;

    /**
     * A face whose best vertex triangle has height below this fraction of its base (or of 1e-3 of the domain's
     * diameter, whichever is larger) has its map composed from its pattern rather than fitted from vertices.
     */
    public static final double MIN_FIT_ASPECT = 1e-4;

    /** Vertices per parallel task when evaluating a layer; fewer vertices than this are evaluated on one thread. */
    public static final int MIN_PARALLEL_VERTICES = 1024;
}
