package atlas.regions;

import atlas.geometry.Chebyshev;
import atlas.geometry.ChebyshevBall;
import atlas.geometry.Facets;
import atlas.geometry.HPolytope;
import atlas.geometry.LpSolver;
import atlas.geometry.SmallPolytopes;
import atlas.geometry.Tolerance;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds {@link RegionPolytope}s of one network inside one (optional) domain: the shared kernel of
 * {@link PointRegion} and {@link RegionEnumerator}. Thread-safe (immutable apart from the LP counter).
 *
 * <p>Tolerances, all from the one {@link Tolerance}, with {@code L} the length scale (the domain's diameter, or
 * {@code max(1, |x|)} without a domain) and {@code S = max_k (|a_k| L + |c_k|)} the value scale of the pattern's
 * pre-activation rows {@code z_k = a_k . x + c_k}:
 * <ul>
 *   <li>a unit whose gradient is below {@code sideEps * S / L} is constant on the region (a zero row); when also
 *       {@code |c_k| <= sideEps * S} it is identically zero, and counts as off (the canonical pattern);</li>
 *   <li>distances (slacks of unit rows, inradii) below {@code sideEps * L} are zero: a region whose inradius is
 *       not above that is lower-dimensional and is not reported.</li>
 * </ul>
 */
final class RegionBuilder {
    final Network net;
    final HPolytope domain;
    final LpSolver solver;
    final Tolerance tol;
    final double length;
    final boolean shapes;
    final int dim;
    final LongAdder lps = new LongAdder();
    /** Radius cap for regions without a domain (they may be unbounded). */
    final double radiusCap;
    /**
     * Regions already built (by pattern), or null: a step that lands in one of them is checked against its facet
     * rows instead of composing the pattern's layers. Read concurrently; must not change during a build.
     */
    volatile java.util.Map<ActivationPattern, RegionPolytope> known;

    /** Whether built regions keep every row of their H-representation (true) or only the facet rows (false). */
    final boolean keepAllRows;

    RegionBuilder(Network net, HPolytope domain, LpSolver solver, Tolerance tol, double lengthScale, boolean shapes,
                  boolean keepAllRows) {
        this.keepAllRows = keepAllRows;
        if (domain != null && domain.dim() != net.inputDim())
            throw new IllegalArgumentException("the domain has dimension " + domain.dim() + ", the network " + net.inputDim() + " inputs");
        this.net = net;
        this.domain = domain;
        this.solver = solver;
        this.tol = tol;
        this.length = lengthScale;
        this.shapes = shapes && domain != null && net.inputDim() <= 3;
        this.dim = net.inputDim();
        this.radiusCap = domain == null ? 1e3 * lengthScale : Double.POSITIVE_INFINITY;
    }

    /** A pattern with its rows. */
    record Located(ActivationPattern pattern, PatternRows rows) { }

    /** Value scale S of a pattern's rows (see the class comment). */
    double valueScale(PatternRows r) {
        double s = 0;
        for (int k = 0; k < r.units(); k++) s = Math.max(s, r.norm(k) * length + Math.abs(r.c(k)));
        return s;
    }

    /**
     * The canonical pattern at {@code x}: bit = 1 iff the pre-activation is &gt; 0, except that units identically
     * zero on the region (to tolerance) are off. Rounding can leave such a unit at +1e-17; without this rule one
     * region could be found under two patterns.
     *
     * @param base rows of a nearby pattern to share layers with, or null
     */
    Located locate(double[] x, PatternRows base) {
        boolean[] bits = net.trace(x).activeBits(net);
        for (int round = 0; round <= net.depth(); round++) {
            ActivationPattern p = ActivationPattern.of(bits);
            PatternRows rows = PatternRows.of(net, p, base);
            double s = valueScale(rows);
            boolean changed = false;
            for (int k = 0; k < bits.length; k++) {
                if (!bits[k]) continue;
                if (rows.norm(k) * length <= tol.sideEps() * s && Math.abs(rows.c(k)) <= tol.sideEps() * s) {
                    bits[k] = false; // invariant: identically-zero units are off
                    changed = true;
                }
            }
            if (!changed) return new Located(p, rows);
        }
        throw new IllegalStateException("pattern canonicalisation did not settle");
    }

    Located locate(double[] x) { return locate(x, null); }

    /** Builds the region of {@code pattern} (known to contain or touch {@code witness}); null when not full-dimensional. */
    RegionPolytope build(ActivationPattern pattern, double[] witness) {
        return build(pattern, PatternRows.of(net, pattern, null), witness);
    }

    RegionPolytope build(ActivationPattern pattern, PatternRows rows, double[] witness) {
        int units = rows.units();
        double s = valueScale(rows);
        int domRows = domain == null ? 0 : domain.rows();
        double[] a = new double[(units + domRows) * dim];
        double[] b = new double[units + domRows];
        int[] rowUnit = new int[units + domRows];
        int m = 0;
        for (int k = 0; k < units; k++) {
            double n = rows.norm(k);
            boolean on = pattern.get(k);
            if (n * length <= tol.sideEps() * s) { // a constant unit: no hyperplane
                boolean positive = rows.c(k) > tol.sideEps() * s;
                if (positive != on) return null; // the pattern is inconsistent: empty region
                continue;
            }
            double sign = on ? -1 : 1;
            for (int j = 0; j < dim; j++) a[m * dim + j] = sign * rows.a(k, j) / n;
            b[m] = -sign * rows.c(k) / n;
            rowUnit[m++] = k;
        }
        for (int r = 0; r < domRows; r++) {
            double n = 0;
            for (int j = 0; j < dim; j++) n += domain.a(r, j) * domain.a(r, j);
            n = Math.sqrt(n);
            if (n == 0) continue;
            for (int j = 0; j < dim; j++) a[m * dim + j] = domain.a(r, j) / n;
            b[m] = domain.b()[r] / n;
            rowUnit[m++] = -1 - r;
        }
        HPolytope ineq = new HPolytope(dim, m, java.util.Arrays.copyOf(a, m * dim), java.util.Arrays.copyOf(b, m));
        int[] ru = java.util.Arrays.copyOf(rowUnit, m);
        ChebyshevBall ball = Chebyshev.of(ineq, witness, solver, radiusCap);
        lps.increment();
        double eps = tol.sideEps() * length;
        if (!(ball.radius() > eps)) return null;
        double[] c = ball.centre();
        double radius = ball.radius() >= radiusCap * (1 - tol.sideEps()) ? Double.POSITIVE_INFINITY : ball.radius();
        double capped = Math.min(ball.radius(), radiusCap);
        Facets.Result fr = Facets.find(dim, m, ineq.a(), ineq.b(), c, capped, length, solver, tol);
        lps.add(fr.lps());
        List<Facet> facets = new ArrayList<>(fr.count());
        int[] groupOf = fr.groupOf();
        for (int f = 0; f < fr.count(); f++) {
            int row = fr.facetRow(f);
            int nu = 0;
            boolean boundary = false;
            for (int i = 0; i < m; i++) {
                if (groupOf[i] != row) continue;
                if (ru[i] >= 0) nu++;
                else boundary = true;
            }
            int[] fu = new int[nu];
            nu = 0;
            for (int i = 0; i < m; i++) if (groupOf[i] == row && ru[i] >= 0) fu[nu++] = ru[i];
            double[] normal = java.util.Arrays.copyOfRange(ineq.a(), row * dim, row * dim + dim);
            double[] q = fr.point(f);
            ActivationPattern nb = null;
            double[] np = null;
            boolean thin = false;
            if (!boundary) {
                Step across = stepAcross(pattern, rows, ineq, groupOf, row, q, capped);
                if (across == null) { // the cheap facet point was too near the facet's edge: use its Chebyshev centre
                    boolean[] skip = new boolean[m];
                    for (int i = 0; i < m; i++) skip[i] = groupOf[i] == row;
                    ChebyshevBall fc = Facets.facetCentre(dim, m, ineq.a(), ineq.b(), row, skip, q, solver);
                    lps.increment();
                    if (!fc.isUnbounded() && fc.radius() > eps) {
                        q = fc.centre();
                        across = stepAcross(pattern, rows, ineq, groupOf, row, q, capped);
                    }
                    thin = across == null && !fc.isUnbounded() && fc.radius() <= Facet.THIN * eps;
                }
                if (across != null) {
                    np = across.point();
                    nb = across.pattern();
                }
            }
            facets.add(new Facet(row, fu, boundary, normal, ineq.b()[row], q, nb, np, -1, thin));
        }
        double[] verts = null;
        double volume = Double.NaN;
        if (shapes) {
            int nf = fr.count();
            double[] fa = new double[nf * dim], fb = new double[nf];
            for (int f = 0; f < nf; f++) {
                int row = fr.facetRow(f);
                System.arraycopy(ineq.a(), row * dim, fa, f * dim, dim);
                fb[f] = ineq.b()[row];
            }
            SmallPolytopes.Shape shape = SmallPolytopes.of(dim, nf, fa, fb, c, length, tol);
            verts = shape.vertices();
            volume = shape.volume();
        }
        if (!keepAllRows) { // keep only the facet rows (memory: an enumeration holds many regions)
            int nf = facets.size();
            double[] fa = new double[nf * dim], fb = new double[nf];
            int[] fru = new int[nf];
            List<Facet> renumbered = new ArrayList<>(nf);
            for (int f = 0; f < nf; f++) {
                Facet x = facets.get(f);
                System.arraycopy(ineq.a(), x.row() * dim, fa, f * dim, dim);
                fb[f] = ineq.b()[x.row()];
                fru[f] = ru[x.row()];
                renumbered.add(new Facet(f, x.units(), x.domainBoundary(), x.normal(), x.offset(), x.point(), x.neighbour(),
                        x.neighbourPoint(), x.neighbourId(), x.thin()));
            }
            return new RegionPolytope(-1, pattern, new HPolytope(dim, nf, fa, fb), fru, renumbered, c, radius, rows.output(), verts, volume);
        }
        return new RegionPolytope(-1, pattern, ineq, ru, facets, c, radius, rows.output(), verts, volume);
    }

    /**
     * Steps from {@code q} (in facet {@code row}'s relative interior) across the facet; returns a point strictly
     * inside the region just across and its pattern, or null when no step size passed the adjacency check.
     */
    private Step stepAcross(ActivationPattern pattern, PatternRows rows, HPolytope ineq, int[] groupOf, int row, double[] q, double capped) {
        double eps = tol.sideEps() * length;
        int m = ineq.rows();
        double slack = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            if (groupOf[i] == row) continue;
            double v = ineq.b()[i];
            for (int j = 0; j < dim; j++) v -= ineq.a(i, j) * q[j];
            slack = Math.min(slack, v);
        }
        double delta = 0.5 * Math.min(slack, capped);
        // invariant: q + t n for 0 < t <= delta stays strictly inside every row but this facet's group
        for (int attempt = 0; attempt < 6 && delta > eps; attempt++, delta /= 8) {
            double[] p = new double[dim];
            for (int j = 0; j < dim; j++) p[j] = q[j] + delta * ineq.a(row, j);
            java.util.Map<ActivationPattern, RegionPolytope> k = known;
            if (k != null) { // fast path: the region across is already built; its facet rows decide adjacency
                ActivationPattern guess = ActivationPattern.of(net.trace(p).activeBits(net));
                RegionPolytope r = guess.equals(pattern) ? null : k.get(guess);
                if (r != null) {
                    HPolytope h = r.inequalities();
                    if (h.maxViolation(q) <= eps && h.maxViolation(p) < -eps) return new Step(p, guess);
                }
            }
            Located loc = locate(p, rows);
            if (!loc.pattern().equals(pattern) && adjacent(loc.rows(), q, p)) return new Step(p, loc.pattern());
        }
        return null;
    }

    /** A point just across a facet and the pattern there. */
    private record Step(double[] point, ActivationPattern pattern) { }

    /**
     * True when the region of {@code r.pattern} holds {@code inside} strictly and {@code onFacet} in
     * its closure: then it holds the whole segment between them, so it is the region just across the facet.
     */
    private boolean adjacent(PatternRows r, double[] onFacet, double[] inside) {
        double s = valueScale(r);
        double eps = tol.sideEps() * length;
        for (int k = 0; k < r.units(); k++) {
            double n = r.norm(k);
            if (n * length <= tol.sideEps() * s) continue; // constant: consistent by canonicalisation
            double zq = r.value(k, onFacet) / n, zp = r.value(k, inside) / n;
            if (r.pattern.get(k)) {
                if (!(zp > eps) || zq < -eps) return false;
            } else {
                if (!(zp < -eps) || zq > eps) return false;
            }
        }
        return true;
    }
}
