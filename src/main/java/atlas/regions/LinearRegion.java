package atlas.regions;

/**
 * One linear region of a plane slice: a convex polygon on which the network is one affine map. Immutable; read
 * through the accessors of a record (it was one):
 * <ul>
 *   <li>{@code id}: index in its {@link PlanePartition};</li>
 *   <li>{@code vertices}: polygon vertices in plane coordinates, x0,y0,x1,y1,..., counter-clockwise (may include
 *       vertices where the boundary is straight but a neighbour changes);</li>
 *   <li>{@code pattern}: the activation pattern over all cutting units;</li>
 *   <li>{@code map}: the affine map (s, t) -> outputs on this region;</li>
 *   <li>{@code area}: the polygon's area in plane coordinates;</li>
 *   <li>{@code interiorPoint}: a point strictly inside (the centroid);</li>
 *   <li>{@code neighbours}: ids of the regions sharing an edge with this one, ascending.</li>
 * </ul>
 */
public final class LinearRegion implements Region {
    private final int id;
    private final double[] vertices;
    private final ActivationPattern pattern;
    private final AffineMap map;
    private final double area;
    private final double[] interiorPoint;
    private final int[] neighbours;

    /** A region holding copies of the arrays given (the caller may go on changing its own). */
    public LinearRegion(int id, double[] vertices, ActivationPattern pattern, AffineMap map, double area,
                        double[] interiorPoint, int[] neighbours) {
        this(vertices.clone(), interiorPoint.clone(), neighbours.clone(), id, pattern, map, area);
    }

    /**
     * A region holding the arrays given, not copies: for this package's kernels, which make them for this region
     * alone and never write them again (at a million regions the copies were a third of the records' objects). A
     * class and not a record (it was one) for this constructor: a record's every constructor copies.
     */
    LinearRegion(double[] vertices, double[] interiorPoint, int[] neighbours, int id, ActivationPattern pattern, AffineMap map, double area) {
        this.id = id;
        this.vertices = vertices;
        this.pattern = pattern;
        this.map = map;
        this.area = area;
        this.interiorPoint = interiorPoint;
        this.neighbours = neighbours;
    }

    /** Index in its {@link PlanePartition}. */
    public int id() { return id; }

    /** The activation pattern over all cutting units. */
    @Override public ActivationPattern pattern() { return pattern; }

    /** The affine map (s, t) -> outputs on this region. */
    @Override public AffineMap map() { return map; }

    /** The polygon's area in plane coordinates. */
    public double area() { return area; }

    /** A copy of the polygon's vertices, x0,y0,x1,y1,... */
    public double[] vertices() { return vertices.clone(); }

    /** A copy of the centroid. */
    @Override public double[] interiorPoint() { return interiorPoint.clone(); }

    /** A copy of the neighbours' ids, ascending. */
    public int[] neighbours() { return neighbours.clone(); }

    /** As a record's: the same components (arrays by identity). */
    @Override public boolean equals(Object o) {
        return o instanceof LinearRegion r && id == r.id && vertices == r.vertices && java.util.Objects.equals(pattern, r.pattern)
                && java.util.Objects.equals(map, r.map) && Double.compare(area, r.area) == 0 && interiorPoint == r.interiorPoint
                && neighbours == r.neighbours;
    }

    @Override public int hashCode() {
        return java.util.Objects.hash(id, System.identityHashCode(vertices), pattern, map, area, System.identityHashCode(interiorPoint),
                System.identityHashCode(neighbours));
    }

    @Override public String toString() {
        return "LinearRegion[id=" + id + ", vertices=" + java.util.Arrays.toString(vertices) + ", pattern=" + pattern + ", map=" + map
                + ", area=" + area + ", interiorPoint=" + java.util.Arrays.toString(interiorPoint) + ", neighbours="
                + java.util.Arrays.toString(neighbours) + "]";
    }

    /** The vertices themselves, not a copy: for the kernels of this package, which only read them. */
    double[] vertexArray() { return vertices; }

    /** The neighbour ids themselves, not a copy: for the kernels of this package, which only read them. */
    int[] neighbourArray() { return neighbours; }

    /** The centroid itself, not a copy: for the kernels of this package, which only read it. */
    double[] interiorPointArray() { return interiorPoint; }

    public int vertexCount() { return vertices.length / 2; }

    @Override public int dimension() { return 2; }

    /** The area. */
    @Override public double measure() { return area; }

    public int neighbourCount() { return neighbours.length; }

    /** Vertex k's x (s) coordinate. */
    public double x(int k) { return vertices[2 * k]; }

    /** Vertex k's y (t) coordinate. */
    public double y(int k) { return vertices[2 * k + 1]; }

    /** True when (s, t) lies in the polygon, with slack {@code eps} (a distance). */
    public boolean contains(double s, double t, double eps) {
        return atlas.geometry.Polygons.convexContains(vertices, s, t, eps);
    }
}
