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
     * A face whose best vertex triangle has height below this fraction of its base (or of
     * {@link #FIT_BASE_FLOOR} of the domain's diameter, whichever is larger) has its map composed from its pattern
     * rather than fitted from vertices.
     */
    public static final double MIN_FIT_ASPECT = 1e-4;

    /**
     * The base a face's vertex triangle is judged against in {@link #MIN_FIT_ASPECT} is at least this fraction of
     * the domain's diameter: on a tiny face the vertex values' rounding is relative to the domain's scale, not
     * the face's, so a small triangle needs a height fixed in domain units.
     */
    public static final double FIT_BASE_FLOOR = 1e-3;

    /**
     * A face's farthest vertex (the base of its map's fit) is looked for by squared distance first: vertices whose
     * squared distance is below {@code 1 - FARTHEST_SQUARE_SLACK} times the largest are not compared by
     * {@code Math.hypot}. Far above the relative error of a squared distance and of hypot (a few 1e-16), so the
     * vertex found is the one a loop of hypot calls finds.
     */
    public static final double FARTHEST_SQUARE_SLACK = 1e-12;

    /**
     * A 3-D facet's vertices are put in atan2's order by their "diamond angles" (one division each, no atan2) when
     * every two neighbours in that order differ by more than this: the diamond angle's rounding (a few 1e-16) and
     * atan2's (2 ulps of pi, about 1e-15) are far below it, and the angle changes at least as much as the diamond
     * angle, so atan2's values are in the same strict order. Closer angles are ordered by atan2 itself.
     */
    public static final double ANGLE_ORDER_GAP = 1e-12;

    /**
     * Below this largest squared distance (or at infinity) a face's farthest vertex is found by hypot alone: squares
     * near the subnormal range may have lost the digits the filter of {@link #FARTHEST_SQUARE_SLACK} relies on.
     */
    public static final double FARTHEST_MIN_SQUARE = 0x1p-900;

    /**
     * A plane slice whose two directions have {@code sin^2} of their angle at most this is rejected as spanning
     * no plane. Far below the rounding of {@code 1 - cos^2} (about 1e-16), so only directions parallel to
     * working precision (or zero) are refused.
     */
    public static final double PLANE_MIN_SIN2 = 1e-20;

    /**
     * Three points whose Gram determinant {@code |e1|^2 |e2|^2 - (e1.e2)^2} is at most this fraction of
     * {@code |e1|^2 |e2|^2} count as collinear (the same scale-free test as {@link #PLANE_MIN_SIN2}, squared
     * lengths included).
     */
    public static final double PLANE_MIN_GRAM_DET = 1e-24;

    /**
     * Slack, relative to {@code max(1, domain magnitude)}, for deciding that a plane point lies on a region's
     * edge or that an edge lies on the domain's border, when locating points and drawing boundaries. A few
     * thousand ulps of a coordinate: vertices on the border are snapped there, so this only absorbs rounding.
     */
    public static final double EDGE_SLACK = 1e-12;

    /**
     * Looser slack, relative to {@code max(1, domain magnitude)}, used only by the mesh invariant checks
     * ({@code PlanePartitioner.checkInvariants()}): a check must not report rounding as a broken invariant.
     */
    public static final double INVARIANT_CHECK_SLACK = 1e-9;

    /**
     * The most d-subsets of a region's facet hyperplanes that {@code stats --exact} solves in exact arithmetic to
     * count the region's vertices above 3 inputs (a few milliseconds each at 4-6 inputs); a region with more is
     * left out of the vertex histogram and counted as such, rather than making one region cost minutes.
     */
    public static final int EXACT_VERTEX_SUBSETS = 5000;

    /** Vertices per parallel task when evaluating a layer; fewer vertices than this are evaluated on one thread. */
    public static final int MIN_PARALLEL_VERTICES = 1024;

    /**
     * Faces of a plane partition from which the per-face passes (crossing candidates, pattern bits, region
     * records) run on all cores; below it one thread is faster than the fork-join hand-offs (a few microseconds
     * of work per face).
     */
    public static final int MIN_PARALLEL_FACES = 2048;

    /**
     * Cutting units from which a plane partition is split into strips computed on separate threads
     * ({@link TiledPlanePartitioner#tilesFor(atlas.net.Network)}); smaller nets have too few regions (hundreds) for a second thread
     * to pay for its start and the glue along the strip borders.
     */
    public static final int MIN_TILED_UNITS = 128;

    /**
     * Strips of a tiled plane partition by default: 2, the cores of the small machines this is tuned on; a fixed
     * number rather than the core count, so that region ids do not depend on the machine. More strips cost a
     * little more glue and border work (a few per cent) and help only with more cores.
     */
    public static final int DEFAULT_STRIPS = 2;

    /**
     * Bounds of the room a layer step's vertex-state array leaves for the vertices the layer's cuts will add, as a
     * factor of what the step itself needs ({@code VertexTable.reusedState}: the previous layer's growth, within
     * these bounds). Capacity only: no result depends on it.
     */
    public static final double MIN_STATE_ROOM = 1.25, MAX_STATE_ROOM = 2.5;

    /**
     * The most values of one layer that exact mode's plain stage ({@code PlainStage}: plain double values with a
     * certified bound) leaves to exact arithmetic; a layer with more gives the stage up, and the partition is made
     * again with the double-double stage from the first layer. A few exact evaluations cost about what a layer step
     * of a few thousand vertices costs (BigInteger arithmetic, O(depth x width^2) each), and values the plain bound
     * cannot decide come in floods on deep nets (the bound grows about 3x per layer from 2^-53), not one by one, so
     * a small number: it lets the plain stage through isolated exact zeros (weights on coarse dyadic grids) and
     * gives up early when the bound outgrows the values. 0: give up at the first undecided value.
     */
    public static final int PLAIN_STAGE_MAX_UNDECIDED = 16;

    /**
     * Exact mode's plain stage gives up after a layer step (from the third) when its bounds, grown by the same factor
     * per layer as in that step, would pass this relative size by the last layer: when they would reach the size of
     * the values. The relative size of a step is the mean over its vertices of the binary exponent of the input bound
     * weight G over the largest input magnitude; its norm bound grows about 32x per layer on Kaiming nets (2^-43 at
     * layer 2, 2^-34 at layer 4), while the share of values it leaves undecided stays far below it (nets of 9 layers
     * whose projected size was 2^-8 had none). Measured on 20 nets x 2 domains: with this level the stage made every
     * partition it could make without a flood of undecided values but one, and gave up at layer 3 on every net where
     * it would have met one later (at layers 7-11, after 2-11 exact resolutions and 96-377 exact evaluations, about
     * 0.1 s of CPU on bench case a); 2^-20 gave up on nets of 6-9 layers that it makes. Giving up early costs only the
     * early layers' plain steps (few vertices).
     */
    public static final double PLAIN_STAGE_MAX_RELATIVE_BOUND = 1;

    /**
     * Multiply-adds of default-mode layer steps a process does with plain loops before its layer steps use the
     * Vector API ({@code VertexTable.vectorLanes}; the same values either way): about three 2 -> [64]x6 -> 1
     * partitions of 44k regions, or 3,000 of a 2 -> [12]x4 -> 1 net. The vector code's JIT warm-up (about a second
     * of CPU) is paid back only after some 2^31 multiply-adds; this lower level leaves a fresh process's small and
     * medium partitions to the plain loops (2 -> [64]x6 -> 1: 2.1 s of CPU against 3.6 s) and gives a process that
     * makes many or large partitions (a training run's frames, a server, the benches) the vector code soon, as before
     * (2^28 left the 2 -> [64]x6 -> 1 call as slow as before: its last layer took vector lanes and paid the warm-up).
     * Speed only.
     */
    public static final long VECTOR_WARM_WORK = 1L << 30;
}
