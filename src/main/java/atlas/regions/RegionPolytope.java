package atlas.regions;

import atlas.geometry.HPolytope;

import java.util.List;

/**
 * One linear region as a polytope: its activation pattern, its H-representation, its facets (the non-redundant
 * inequalities, each with the region across it), its Chebyshev centre and inradius, and the network's affine map
 * on it; in dimension 1 to 3 inside a bounded domain also its vertices and volume.
 *
 * <p>The H-representation has one row per cutting unit whose pre-activation is not constant on the region (in
 * unit order: {@code s_k (a_k . x + c_k) >= 0} written as a unit-norm row {@code -s_k a_k/|a_k| . x <= s_k c_k/|a_k|}
 * with {@code s_k = +1} for an active unit, {@code -1} for an inactive one), followed by the domain's rows
 * (unit-normalised). {@code rowUnit[i]} says where row i comes from. Regions of a {@link RegionSet} keep only
 * their facet rows (row f is facet f), to save memory; {@link PointRegion} keeps them all.
 *
 * @param id            the index in a {@link RegionSet}; -1 for a region computed on its own
 * @param pattern       the activation pattern
 * @param inequalities  all rows, unit-normalised (see above)
 * @param rowUnit       for each row: its cutting unit, or {@code -1 - j} for row j of the domain; copied
 * @param facets        the non-redundant rows
 * @param centre        the Chebyshev centre (a point strictly inside); copied; null when unbounded
 * @param inradius      the Chebyshev radius (+infinity when unbounded)
 * @param output        the network's outputs as an affine map of the input on this region
 * @param vertices      the vertices, {@code dim} values each (d &lt;= 3 and bounded; any d from
 *                      {@link SubdivisionEnumerator}), else null; copied
 * @param volume        the volume (length, area) when vertices are known, else NaN
 */
public record RegionPolytope(int id, ActivationPattern pattern, HPolytope inequalities, int[] rowUnit,
                             List<Facet> facets, double[] centre, double inradius, AffineMap output,
                             double[] vertices, double volume) implements Region {
    public RegionPolytope {
        if (rowUnit.length != inequalities.rows()) throw new IllegalArgumentException("rowUnit has " + rowUnit.length + " entries for " + inequalities.rows() + " rows");
        rowUnit = rowUnit.clone();
        facets = List.copyOf(facets);
        centre = centre == null ? null : centre.clone();
        vertices = vertices == null ? null : vertices.clone();
    }

    @Override public int[] rowUnit() { return rowUnit.clone(); }
    @Override public double[] centre() { return centre == null ? null : centre.clone(); }
    @Override public double[] vertices() { return vertices == null ? null : vertices.clone(); }

    public int dim() { return inequalities.dim(); }

    @Override public int dimension() { return dim(); }

    /** The output map ({@link #output()}). */
    @Override public AffineMap map() { return output; }

    /** The volume ({@link #volume()}). */
    @Override public double measure() { return volume; }

    /** The Chebyshev centre ({@link #centre()}). */
    @Override public double[] interiorPoint() { return centre(); }

    public int facetCount() { return facets.size(); }

    /** Number of vertices, or -1 when they were not computed. */
    public int vertexCount() { return vertices == null ? -1 : vertices.length / dim(); }

    /** Number of facets that lie inside the domain (have a neighbouring region). */
    public int interiorFacetCount() {
        int n = 0;
        for (Facet f : facets) if (!f.domainBoundary()) n++;
        return n;
    }

    /** True when {@code x} satisfies every row to within {@code slack} (a distance). @param x Not modified. */
    public boolean contains(double[] x, double slack) {
        return inequalities.maxViolation(x) <= slack;
    }

    /** This region with another id and facets (used when a region set resolves neighbour ids). */
    public RegionPolytope withId(int newId, List<Facet> newFacets) {
        return new RegionPolytope(newId, pattern, inequalities, rowUnit, newFacets, centre, inradius, output, vertices, volume);
    }
}
