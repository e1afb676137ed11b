package atlas.regions;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.geometry.LpSolver;
import atlas.geometry.Tolerance;
import atlas.net.Network;

/**
 * Everything about the linear region of one input point: its activation pattern, the H-representation of its
 * region (one inequality per non-constant cutting unit, plus the domain's rows when a domain is given), the
 * non-redundant facets with the region across each, the Chebyshev centre and inradius, the network's affine map,
 * and the point's distance to the region's boundary next to the Hanin-Rolnick estimate.
 *
 * <p>Distances. {@code boundaryDistance} is exact: for a point inside a convex polytope the nearest boundary point
 * lies on the nearest facet hyperplane, so it is {@code min_f (offset_f - normal_f . x)} over the facets (domain
 * facets included). {@code unitDistance} is the distance to the boundary of the region in all of R^d: the minimum
 * over all non-constant units of the distance to the unit's hyperplane (a hyperplane that is not a facet is never
 * nearer than the boundary).
 * {@code haninRolnick} is Hanin and Rolnick's {@code min_z |z(x)| / |grad z(x)|} over the hidden cutting units
 * (every layer but the last); since the region is the intersection of the half-spaces of all units' local
 * linearisations, this "estimate" equals {@code unitDistance} whenever the last layer does not cut (the usual
 * linear output) - a fact this record lets one check.
 *
 * @param x                the point; copied
 * @param pattern          its canonical activation pattern (units at zero count as off)
 * @param zeroUnits        units whose pre-activation is zero at x (to tolerance): x lies on their hyperplanes
 * @param region           the region's polytope (all rows kept); null when the pattern's region is lower-dimensional
 * @param boundaryDistance exact distance from x to the boundary of its region within the domain
 * @param unitDistance     exact distance from x to the nearest unit facet (ignoring the domain)
 * @param nearestUnit      the unit whose hyperplane is nearest (-1 when none)
 * @param haninRolnick     min over hidden cutting units of |z(x)| / |grad z(x)| (+infinity when none)
 * @param haninRolnickUnit the unit attaining it (-1 when none)
 * @param domain           the domain, or null
 */
public record PointRegion(double[] x, ActivationPattern pattern, int[] zeroUnits, RegionPolytope region,
                          double boundaryDistance, double unitDistance, int nearestUnit, double haninRolnick,
                          int haninRolnickUnit, HPolytope domain) {
    public PointRegion {
        x = x.clone();
        zeroUnits = zeroUnits.clone();
    }

    @Override public double[] x() { return x.clone(); }
    @Override public int[] zeroUnits() { return zeroUnits.clone(); }

    /** With the default solver and tolerance. */
    public static PointRegion of(Network net, double[] x, HPolytope domain) {
        return of(net, x, domain, LpSolver.defaultSolver(), Tolerance.DEFAULT);
    }

    /**
     * @param net    the network
     * @param x      the point (inside the domain when one is given). Not modified.
     * @param domain a domain, or null for the region in all of R^d (its inradius may then be capped: see
     *               {@link RegionPolytope#inradius()}, +infinity when the region holds balls of radius 1000 L)
     */
    public static PointRegion of(Network net, double[] x, HPolytope domain, LpSolver solver, Tolerance tol) {
        if (x.length != net.inputDim()) throw new BadInputException("the point has " + x.length + " values, the network " + net.inputDim() + " inputs");
        for (double v : x) if (!Double.isFinite(v)) throw new BadInputException("the point holds a non-finite value");
        double length;
        if (domain != null) {
            if (domain.maxViolation(x) > 0) throw new BadInputException("the point lies outside the domain");
            length = domainDiameter(domain, x);
        } else {
            double s = 0;
            for (double v : x) s += v * v;
            length = Math.max(1, Math.sqrt(s));
        }
        RegionBuilder builder = new RegionBuilder(net, domain, solver, tol, length, domain != null, true);
        RegionBuilder.Located loc = builder.locate(x);
        PatternRows rows = loc.rows();
        int d = net.inputDim();
        double scale = builder.valueScale(rows);
        double eps = tol.sideEps() * length;
        int hiddenEnd = net.layer(net.depth()).activation().cuts() ? net.patternOffset(net.depth()) : rows.units();
        java.util.List<Integer> zeros = new java.util.ArrayList<>();
        double hr = Double.POSITIVE_INFINITY, ud = Double.POSITIVE_INFINITY;
        int hrUnit = -1, udUnit = -1;
        for (int k = 0; k < rows.units(); k++) {
            double n = rows.norm(k), z = rows.value(k, x);
            if (n * length <= tol.sideEps() * scale) continue; // constant unit: no boundary
            double dist = Math.abs(z) / n;
            if (dist <= eps) zeros.add(k);
            if (k < hiddenEnd && dist < hr) { hr = dist; hrUnit = k; }
            if (dist < ud) { ud = dist; udUnit = k; } // the region in R^d is the intersection of all units' half-spaces
        }
        RegionPolytope region = builder.build(loc.pattern(), rows, x);
        double bd = Double.NaN;
        if (region != null) {
            bd = Double.POSITIVE_INFINITY;
            for (Facet f : region.facets()) {
                double[] nrm = f.normal();
                double s = f.offset();
                for (int j = 0; j < d; j++) s -= nrm[j] * x[j];
                s = Math.max(0, s);
                bd = Math.min(bd, s);
            }
        }
        int[] z = zeros.stream().mapToInt(Integer::intValue).toArray();
        return new PointRegion(x, loc.pattern(), z, region, bd, ud, udUnit, hr, hrUnit, domain);
    }

    private static double domainDiameter(HPolytope domain, double[] x) {
        if (domain.isBox()) {
            double[] lo = domain.boxLo(), hi = domain.boxHi();
            double s = 0;
            for (int k = 0; k < lo.length; k++) s += (hi[k] - lo[k]) * (hi[k] - lo[k]);
            return Math.sqrt(s);
        }
        double s = 0;
        for (double v : x) s += v * v;
        return Math.max(1, Math.sqrt(s));
    }
}
