package atlas.regions;

/**
 * One facet of a {@link RegionPolytope}: a non-redundant inequality {@code normal . x <= offset} (unit outward
 * normal) with the units whose zero set it is, and the region on its other side.
 *
 * @param row            the representative row of the region's inequalities
 * @param units          the cutting units whose hyperplane this is (several when their hyperplanes coincide on the
 *                       region), ascending; empty for a facet of the domain alone
 * @param domainBoundary true when the facet lies on the domain's boundary (then there is no neighbour)
 * @param normal         unit outward normal; copied
 * @param offset         the inequality's right-hand side
 * @param point          a point in the facet's relative interior; copied
 * @param neighbour      the activation pattern of the region across the facet; null on the domain boundary or when
 *                       it could not be resolved
 * @param neighbourPoint a point strictly inside that neighbour, just across the facet; null with it, and null in the
 *                       regions of a {@link RegionSet} (dropped once the neighbour was queued)
 * @param neighbourId    the neighbour's id in a {@link RegionSet}, -1 when not (yet) known
 * @param thin           true when no step across the facet could be certified and the facet's own inradius (within
 *                       its hyperplane) is below {@link #THIN} times the distance tolerance: a facet that is
 *                       lower-dimensional to tolerance, whose neighbour is not required for completeness
 */
public record Facet(int row, int[] units, boolean domainBoundary, double[] normal, double offset, double[] point,
                    ActivationPattern neighbour, double[] neighbourPoint, int neighbourId, boolean thin) {

    /** Facets whose inradius is below THIN x sideEps x L count as thin. */
    public static final double THIN = 10;

    public Facet {
        units = units.clone();
        normal = normal.clone();
        point = point.clone();
        neighbourPoint = neighbourPoint == null ? null : neighbourPoint.clone();
    }

    @Override public int[] units() { return units.clone(); }
    @Override public double[] normal() { return normal.clone(); }
    @Override public double[] point() { return point.clone(); }
    @Override public double[] neighbourPoint() { return neighbourPoint == null ? null : neighbourPoint.clone(); }

    /** True when an interior, not thin facet's neighbour could not be determined (completeness is then not certified). */
    public boolean unresolved() { return !domainBoundary && !thin && neighbour == null; }

    /** This facet without its neighbour point (to save memory once the neighbour has been queued). */
    public Facet withoutNeighbourPoint() {
        return new Facet(row, units, domainBoundary, normal, offset, point, neighbour, null, neighbourId, thin);
    }

    /** This facet with its neighbour's id set. */
    public Facet withNeighbourId(int id) {
        return new Facet(row, units, domainBoundary, normal, offset, point, neighbour, neighbourPoint, id, thin);
    }
}
