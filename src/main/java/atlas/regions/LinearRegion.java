package atlas.regions;

/**
 * One linear region of a plane slice: a convex polygon on which the network is one affine map.
 *
 * @param id            index in its {@link PlanePartition}
 * @param vertices      polygon vertices in plane coordinates, x0,y0,x1,y1,..., counter-clockwise (may include
 *                      vertices where the boundary is straight but a neighbour changes)
 * @param pattern       the activation pattern over all cutting units
 * @param map           the affine map (s, t) -> outputs on this region
 * @param area          the polygon's area in plane coordinates
 * @param interiorPoint a point strictly inside (the centroid)
 * @param neighbours    ids of the regions sharing an edge with this one, ascending
 */
public record LinearRegion(int id, double[] vertices, ActivationPattern pattern, AffineMap map, double area,
                           double[] interiorPoint, int[] neighbours) implements Region {
    public LinearRegion {
        vertices = vertices.clone();
        interiorPoint = interiorPoint.clone();
        neighbours = neighbours.clone();
    }

    @Override public double[] vertices() { return vertices.clone(); }
    @Override public double[] interiorPoint() { return interiorPoint.clone(); }
    @Override public int[] neighbours() { return neighbours.clone(); }

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
