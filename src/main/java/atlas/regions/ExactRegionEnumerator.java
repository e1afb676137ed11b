package atlas.regions;

import atlas.error.BadInputException;
import atlas.geometry.ExactLpSolver;
import atlas.geometry.HPolytope;
import atlas.geometry.LpResult;
import atlas.geometry.Rational;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.ArrayDeque;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Certified n-D region enumeration ({@link atlas.geometry.Tolerance#EXACT}): the activation patterns of every
 * linear region of a network in a domain, decided in exact rational arithmetic on the given float64 weights, so
 * the count equals the exact one however degenerate the net (coinciding, concurrent and identically-zero units).
 *
 * <p>Algorithm: the breadth-first search over facet neighbours of {@link RegionEnumerator}, with every decision
 * exact. A region's pattern gives each cutting unit an affine form {@code g.x + c} on the region, composed
 * through the masked layers in fractions ({@link Rows}); the region is {@code s_k (g_k.x + c_k) >= 0} inside the
 * domain. A row k is a facet iff the exact LP {@code max t} subject to {@code g_k.x + c_k = 0}, every other row
 * (except rows that vanish on the same hyperplane) and every domain row holding with slack {@code t}, has
 * {@code t* > 0} ({@link ExactLpSolver}); its optimal point x lies in the facet's relative interior, strictly
 * inside the domain. The region across is the pattern at {@code x + eps n} for infinitesimal {@code eps} along
 * the outward normal n, computed by a forward pass on (value, derivative) pairs with ReLU applied
 * lexicographically (a unit zero on the facet takes the sign of its derivative; one zero along n too is
 * identically zero on the neighbour and counts as off, the canonical pattern). The start is the pattern at the
 * domain's exact Chebyshev centre perturbed lexicographically along the coordinate axes (simulation of
 * simplicity), which always lies in a full-dimensional region. Every found pattern's interior is checked by one
 * more exact LP.
 *
 * <p>Cost: per region, one exact LP per cutting unit on (units + domain rows) x (dim + 1) fractions; meant for
 * small nets (tens of units, a few inputs) where the float enumerator's tolerance could merge or split regions.
 * Interruptible between regions.
 */
public final class ExactRegionEnumerator {
    private final Network net;
    private final HPolytope domain;
    private final int dim;
    private int maxRegions = Integer.MAX_VALUE;
    private int lps;

    public ExactRegionEnumerator(Network net, HPolytope domain) {
        if (domain.dim() != net.inputDim())
            throw new BadInputException("the domain has dimension " + domain.dim() + ", the network " + net.inputDim() + " inputs");
        this.net = net;
        this.domain = domain;
        this.dim = domain.dim();
    }

    /** Stop after this many regions (the result then says it is partial). */
    public ExactRegionEnumerator setMaxRegions(int n) {
        if (n <= 0) throw new BadInputException("max regions must be positive, got " + n);
        this.maxRegions = n;
        return this;
    }

    /**
     * The most cutting units {@link #run} takes: a region costs one exact LP per unit, on (units + domain rows) rows,
     * so beyond a few hundred units a single region takes seconds and a whole enumeration hours.
     */
    public static final int MAX_UNITS = 256;

    /**
     * The certified regions' patterns, in breadth-first order from the start region.
     *
     * @param patterns the canonical activation patterns (a unit identically zero on a region is off)
     * @param regions  per pattern (same order): its facets inside the domain and the regions across them
     * @param complete false when {@link #setMaxRegions} stopped the search
     * @param lps      exact LPs solved
     * @param seconds  wall time
     */
    public record Result(List<ActivationPattern> patterns, List<Found> regions, boolean complete, int lps, double seconds) {
        public int count() { return patterns.size(); }
    }

    /**
     * A certified region as the search found it.
     *
     * @param facetUnits  per facet inside the domain, the first of the units whose zero set carries it (coinciding
     *                    units give one facet)
     * @param neighbours  per facet, the index of the region across it (-1 when the search stopped before it)
     * @param interior    a point strictly inside (exact)
     */
    public record Found(ActivationPattern pattern, int[] facetUnits, int[] neighbours, Rational[] interior) {}

    public Result run() {
        if (net.cuttingUnits() > MAX_UNITS)
            throw new BadInputException("--exact enumeration takes at most " + MAX_UNITS + " cutting units, this network has " + net.cuttingUnits()
                    + " (one exact LP per unit per region): drop --exact, or use `regions --exact` on a plane slice");
        long t0 = System.nanoTime();
        Rational[] centre = chebyshevCentre();
        if (centre == null) throw new BadInputException("the domain is empty or not full-dimensional");
        Rational[][] axes = identityAxes();
        boolean[] start = lexPattern(centre, axes);
        List<ActivationPattern> found = new ArrayList<>();
        List<int[]> facetUnits = new ArrayList<>();
        List<ActivationPattern[]> across = new ArrayList<>();
        List<Rational[]> inside = new ArrayList<>();
        java.util.Map<ActivationPattern, Integer> index = new java.util.HashMap<>();
        Set<ActivationPattern> seen = new HashSet<>();
        ArrayDeque<boolean[]> queue = new ArrayDeque<>();
        seen.add(ActivationPattern.of(start));
        queue.add(start);
        boolean complete = true;
        while (!queue.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            if (found.size() >= maxRegions) { complete = false; break; }
            boolean[] p = queue.poll();
            Rows rows = rows(p);
            ExactLpSolver.Exact in = rows.consistent ? slackLp(rows, -1) : null;
            if (in == null || in.status() != LpResult.Status.OPTIMAL || in.value().signum() <= 0)
                throw new IllegalStateException("exact enumeration reached a pattern without interior: " + ActivationPattern.of(p));
            ActivationPattern pat = ActivationPattern.of(p);
            index.put(pat, found.size());
            found.add(pat);
            inside.add(java.util.Arrays.copyOf(in.x(), dim));
            List<Integer> units = new ArrayList<>();
            List<ActivationPattern> next = new ArrayList<>();
            boolean[] done = new boolean[rows.count];
            for (int k = 0; k < rows.count; k++) {
                if (rows.constant[k] || done[k]) continue;
                // a unit on the same hyperplane as k is a facet iff k is (same program): one LP for all of them
                for (int j = k + 1; j < rows.count; j++) if (!rows.constant[j] && !done[j] && proportional(rows, j, k)) done[j] = true;
                Rational[] x = facetPoint(rows, k);
                if (x == null) continue;
                boolean[] q = patternAcross(rows, k, x, axes);
                ActivationPattern qp = ActivationPattern.of(q);
                units.add(k);
                next.add(qp);
                if (seen.add(qp)) queue.add(q);
            }
            facetUnits.add(units.stream().mapToInt(Integer::intValue).toArray());
            across.add(next.toArray(new ActivationPattern[0]));
        }
        List<Found> regions = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            ActivationPattern[] q = across.get(i);
            int[] nb = new int[q.length];
            for (int f = 0; f < q.length; f++) nb[f] = index.getOrDefault(q[f], -1);
            regions.add(new Found(found.get(i), facetUnits.get(i), nb, inside.get(i)));
        }
        return new Result(found, regions, complete, lps, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The certified region of one input point ({@code point --exact}).
     *
     * @param pattern          the canonical pattern at the point (unit on iff its exact pre-activation is > 0)
     * @param zeroUnits        units whose exact pre-activation at the point is 0 (the point is on their hyperplanes)
     * @param fullDimensional  whether that pattern's region has interior (false: the point lies where several units
     *                         change at once and the pattern is that of a lower-dimensional cell)
     * @param facets           the region's facets inside the domain: the units whose zero set carries each facet
     *                         (several when they coincide there) and the pattern across; empty when not full-dimensional
     */
    public record PointRegion(ActivationPattern pattern, int[] zeroUnits, boolean fullDimensional, List<ExactFacet> facets) {}

    /** A certified facet: its units (coinciding on it) and the region across. */
    public record ExactFacet(int[] units, ActivationPattern neighbour) {}

    /** The certified region containing {@code x} (a point of the domain), its facets and neighbours. */
    public PointRegion regionAt(double[] x) {
        if (x.length != dim) throw new BadInputException("the point has " + x.length + " coordinates, the network " + dim + " inputs");
        Rational[] p = new Rational[dim];
        for (int k = 0; k < dim; k++) p[k] = Rational.of(x[k]);
        boolean[] bits = lexPattern(p, new Rational[0][]);
        Rows rows = rows(bits);
        List<Integer> zeros = new ArrayList<>();
        for (int k = 0; k < rows.count; k++) {
            Rational v = rows.c[k];
            for (int j = 0; j < dim; j++) v = v.add(rows.g[k][j].multiply(p[j]));
            if (v.signum() == 0) zeros.add(k);
        }
        int[] zeroUnits = zeros.stream().mapToInt(Integer::intValue).toArray();
        boolean full = rows.consistent && interior(rows) > 0;
        List<ExactFacet> facets = new ArrayList<>();
        if (full) {
            boolean[] done = new boolean[rows.count];
            Rational[][] axes = identityAxes();
            for (int k = 0; k < rows.count; k++) {
                if (rows.constant[k] || done[k]) continue;
                Rational[] f = facetPoint(rows, k);
                if (f == null) continue;
                List<Integer> units = new ArrayList<>();
                for (int j = k; j < rows.count; j++) {
                    if (j == k || (!rows.constant[j] && proportional(rows, j, k))) { units.add(j); done[j] = true; }
                }
                facets.add(new ExactFacet(units.stream().mapToInt(Integer::intValue).toArray(), ActivationPattern.of(patternAcross(rows, k, f, axes))));
            }
        }
        return new PointRegion(ActivationPattern.of(bits), zeroUnits, full, facets);
    }

    /**
     * What {@code stats --exact} reports of one certified region.
     *
     * @param facets         facets (inside the domain and on its boundary), exactly: hyperplanes carrying dim vertices
     *                       (dimension 1 to 3), else interior facets plus the domain rows decided facets by exact LPs
     * @param interiorFacets facets inside the domain
     * @param vertices       the region's vertices, exactly; -1 above 3 inputs when the region has more than
     *                       {@link KernelParameters#EXACT_VERTEX_SUBSETS} dim-subsets of facets (not counted)
     * @param output         the network's outputs on the region as exact affine maps {@code {g_0..g_{dim-1}, c}}
     * @param volume         the volume (float, from the facet rows rounded to doubles; NaN above dimension 3)
     * @param inradius       the Chebyshev radius (float)
     */
    public record RegionFacts(int facets, int interiorFacets, int vertices, Rational[][] output, double volume, double inradius) {}

    /**
     * The facts of the region of {@code pattern}, given its facets' units inside the domain (any superset of them
     * works: a hyperplane counts as a facet only when it carries a facet's worth of exact vertices) and a point
     * strictly inside it (floats are enough: it only centres the float measures).
     */
    public RegionFacts facts(ActivationPattern pattern, int[] facetUnits, double[] inside) {
        boolean[] bits = new boolean[net.cuttingUnits()];
        for (int k = 0; k < bits.length; k++) bits[k] = pattern.get(k);
        Rows rows = rows(bits);
        // candidate hyperplanes as inequalities a.x <= b of the region: the facet units', then the domain's
        List<Rational[]> ha = new ArrayList<>();
        List<Rational> hb = new ArrayList<>();
        List<Boolean> unitRow = new ArrayList<>();
        for (int k : facetUnits) {
            if (rows.constant[k]) continue;
            Rational s = rows.on[k] ? Rational.ONE : Rational.ONE.negate(); // s (g.x + c) >= 0  <=>  -s g.x <= s c
            Rational[] a = new Rational[dim];
            for (int j = 0; j < dim; j++) a[j] = rows.g[k][j].multiply(s).negate();
            Rational b = rows.c[k].multiply(s);
            boolean dup = false; // coinciding units: one hyperplane
            for (int h = 0; h < ha.size() && !dup; h++) dup = sameHalfSpace(ha.get(h), hb.get(h), a, b);
            if (dup) continue;
            ha.add(a);
            hb.add(b);
            unitRow.add(true);
        }
        for (int i = 0; i < domain.rows(); i++) {
            Rational[] a = new Rational[dim];
            for (int j = 0; j < dim; j++) a[j] = Rational.of(domain.a(i, j));
            Rational b = Rational.of(domain.b()[i]);
            // a unit hyperplane on a domain row (same half-space) is the domain's facet, counted once
            int same = -1;
            for (int h = 0; h < ha.size() && same < 0; h++) if (sameHalfSpace(ha.get(h), hb.get(h), a, b)) same = h;
            if (same >= 0) { unitRow.set(same, false); continue; }
            ha.add(a);
            hb.add(b);
            unitRow.add(false);
        }
        int m = ha.size();
        int facets = 0, interiorFacets = 0, vertexCount = -1;
        ExactVertices closed = closedRegion(rows);
        if (dim <= 3) {
            List<BigInteger[]> planes = new ArrayList<>();
            for (int h = 0; h < m; h++) planes.add(ExactVertices.integerRow(ha.get(h), hb.get(h)));
            List<BigInteger[]> verts = closed.vertices(planes);
            vertexCount = verts.size();
            for (int h = 0; h < m; h++) {
                int on = 0;
                for (BigInteger[] v : verts) if (ExactVertices.on(planes.get(h), v)) on++;
                if (on >= dim) { // no dim + 1 vertices of a polytope on a line (dim <= 3): a facet
                    facets++;
                    if (unitRow.get(h)) interiorFacets++;
                }
            }
        } else {
            // the facets: the facet units' hyperplanes, and the domain rows that exact LPs find to be facets; every
            // vertex of a full-dimensional polytope is where dim of its facets' hyperplanes meet in one point
            List<BigInteger[]> planes = new ArrayList<>();
            for (int h = 0; h < m; h++) {
                if (!unitRow.get(h)) continue;
                interiorFacets++;
                facets++;
                planes.add(ExactVertices.integerRow(ha.get(h), hb.get(h)));
            }
            for (int i = 0; i < domain.rows(); i++) {
                if (!domainFacet(rows, i)) continue;
                facets++;
                planes.add(ExactVertices.integerRow(domainRow(i), Rational.of(domain.b()[i])));
            }
            if (binomial(planes.size(), dim) <= KernelParameters.EXACT_VERTEX_SUBSETS) vertexCount = closed.vertices(planes).size();
        }
        // float measures from the candidate rows rounded to doubles (unit rows)
        double[] fa = new double[m * dim], fb = new double[m];
        for (int h = 0; h < m; h++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                fa[h * dim + j] = ha.get(h)[j].toDouble();
                norm += fa[h * dim + j] * fa[h * dim + j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim; j++) fa[h * dim + j] /= norm;
            fb[h] = hb.get(h).toDouble() / norm;
        }
        double volume = Double.NaN;
        if (dim <= 3) {
            double scale = 0;
            for (int i = 0; i < domain.rows(); i++) scale = Math.max(scale, Math.abs(domain.b()[i]));
            volume = atlas.geometry.SmallPolytopes.of(dim, m, fa, fb, inside, 4 * Math.max(scale, 1), atlas.geometry.Tolerance.DEFAULT).volume();
        }
        double inradius = atlas.geometry.Chebyshev.of(new HPolytope(dim, m, fa, fb), inside, atlas.geometry.DualSimplexLpSolver.DEFAULT).radius();
        return new RegionFacts(facets, interiorFacets, vertexCount, rows.out, volume, inradius);
    }

    /** a.x <= b and a2.x <= b2 are the same half-space: (a2, b2) = lambda (a, b) with lambda > 0. */
    /** The unit vectors of the input space, the tie-breaking directions after a facet's outward normal. */
    private Rational[][] identityAxes() {
        Rational[][] axes = new Rational[dim][dim];
        for (int i = 0; i < dim; i++) for (int k = 0; k < dim; k++) axes[i][k] = i == k ? Rational.ONE : Rational.ZERO;
        return axes;
    }

    /**
     * The pattern just across facet {@code k} from point {@code x} on it: signs decided lexicographically along the
     * outward normal (decreasing s_k z_k), then along the axes.
     */
    private boolean[] patternAcross(Rows rows, int k, Rational[] x, Rational[][] axes) {
        Rational[][] dirs = new Rational[dim + 1][];
        dirs[0] = new Rational[dim];
        Rational s = rows.on[k] ? Rational.ONE.negate() : Rational.ONE;
        for (int j = 0; j < dim; j++) dirs[0][j] = rows.g[k][j].multiply(s);
        System.arraycopy(axes, 0, dirs, 1, dim);
        return lexPattern(x, dirs);
    }

    private static boolean sameHalfSpace(Rational[] a, Rational b, Rational[] a2, Rational b2) {
        int p = -1;
        for (int i = 0; i < a.length && p < 0; i++) if (a[i].signum() != 0) p = i;
        if (p < 0 || a2[p].signum() == 0) return false;
        Rational lambda = a2[p].divide(a[p]);
        if (lambda.signum() <= 0) return false;
        for (int i = 0; i < a.length; i++) if (a2[i].compareTo(a[i].multiply(lambda)) != 0) return false;
        return b2.compareTo(b.multiply(lambda)) == 0;
    }

    /** The closed region as exact constraints a.x <= b: the domain's rows, then every non-constant unit on its side. */
    private ExactVertices closedRegion(Rows rows) {
        ExactVertices v = new ExactVertices(dim);
        for (int i = 0; i < domain.rows(); i++) v.addConstraint(domainRow(i), Rational.of(domain.b()[i]));
        for (int k = 0; k < rows.count; k++) {
            if (rows.constant[k]) continue;
            // on: g.x + c >= 0 <=> -g.x <= c; off: g.x + c <= 0 <=> g.x <= -c
            Rational[] a = new Rational[dim];
            for (int j = 0; j < dim; j++) a[j] = rows.on[k] ? rows.g[k][j].negate() : rows.g[k][j];
            v.addConstraint(a, rows.on[k] ? rows.c[k] : rows.c[k].negate());
        }
        return v;
    }

    private Rational[] domainRow(int i) {
        Rational[] a = new Rational[dim];
        for (int j = 0; j < dim; j++) a[j] = Rational.of(domain.a(i, j));
        return a;
    }

    /** n choose k, saturating at Long.MAX_VALUE. */
    static long binomial(int n, int k) {
        if (k < 0 || k > n) return 0;
        long r = 1;
        for (int i = 1; i <= k; i++) {
            if (r > Long.MAX_VALUE / (n - k + i)) return Long.MAX_VALUE;
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** Whether domain row i carries a facet of the region (exact LP: the row as an equality, the rest with slack t > 0). */
    private boolean domainFacet(Rows rows, int i) {
        ExactLpSolver.Exact e = slackLp(rows, -1, i);
        return e.status() == LpResult.Status.OPTIMAL && e.value().signum() > 0;
    }

    // ---- exact affine forms of the cutting units on a region ----

    /** The cutting units' affine forms {@code g.x + c} on the region of a pattern, in pattern-bit order. */
    static final class Rows {
        int count;
        Rational[][] g;
        Rational[] c;
        boolean[] on, constant;
        /** the network's outputs as affine forms on the region: out[o] = {g_0..g_{dim-1}, c} */
        Rational[][] out;
        /** false when a unit constant on the region contradicts the pattern (or is identically 0 but marked on) */
        boolean consistent = true;
    }

    Rows rows(boolean[] pattern) {
        Rows r = new Rows();
        r.count = net.cuttingUnits();
        r.g = new Rational[r.count][];
        r.c = new Rational[r.count];
        r.on = new boolean[r.count];
        r.constant = new boolean[r.count];
        // h_j as affine maps of x: H[j][unit] = {g_0..g_{dim-1}, c}
        Rational[][][] h = new Rational[net.depth() + 1][][];
        h[0] = new Rational[dim][dim + 1];
        for (int k = 0; k < dim; k++) for (int j = 0; j <= dim; j++) h[0][k][j] = j == k ? Rational.ONE : Rational.ZERO;
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            Rational[][] z = new Rational[l.units()][];
            for (int u = 0; u < l.units(); u++) {
                Rational[] s = new Rational[dim + 1];
                for (int j = 0; j < dim; j++) s[j] = Rational.ZERO;
                s[dim] = Rational.of(l.bias()[u]);
                for (int k = 0; k < l.inputSize(); k++) addScaled(s, h[i - 1][k], l.weight(u, k));
                for (Skip skip : l.skips()) {
                    if (skip.isIdentity()) addScaled(s, h[skip.from()][u], 1);
                    else for (int k = 0; k < skip.cols(); k++) addScaled(s, h[skip.from()][k], skip.weights()[u * skip.cols() + k]);
                }
                z[u] = s;
            }
            h[i] = new Rational[l.units()][];
            boolean cuts = l.activation().cuts();
            for (int u = 0; u < l.units(); u++) {
                boolean active = true;
                if (cuts) {
                    int bit = net.patternOffset(i) + u;
                    active = pattern[bit];
                    r.g[bit] = java.util.Arrays.copyOf(z[u], dim);
                    r.c[bit] = z[u][dim];
                    r.on[bit] = active;
                    boolean flat = true;
                    for (int j = 0; j < dim; j++) flat &= z[u][j].signum() == 0;
                    r.constant[bit] = flat;
                    if (flat) {
                        int sc = z[u][dim].signum();
                        if (active ? sc <= 0 : sc > 0) r.consistent = false; // identically 0 counts as off
                    }
                }
                h[i][u] = active || !cuts ? z[u] : scaled(z[u], l.activation() == Activation.LEAKY_RELU ? l.leak() : 0);
            }
        }
        r.out = h[net.depth()];
        return r;
    }

    private static void addScaled(Rational[] s, Rational[] v, double w) {
        if (w == 0) return;
        Rational q = Rational.of(w);
        for (int j = 0; j < s.length; j++) if (v[j].signum() != 0) s[j] = s[j].add(v[j].multiply(q));
    }

    private static Rational[] scaled(Rational[] v, double w) {
        Rational q = Rational.of(w);
        Rational[] out = new Rational[v.length];
        for (int j = 0; j < v.length; j++) out[j] = v[j].multiply(q);
        return out;
    }

    // ---- exact LPs ----

    /** The domain's exact Chebyshev-like centre (max t with every row's slack >= t), or null when it has no interior. */
    private Rational[] chebyshevCentre() {
        int v = dim + 1, m = domain.rows() + 1;
        Rational[] a = new Rational[m * v], b = new Rational[m], c = new Rational[v];
        for (int i = 0; i < domain.rows(); i++) {
            for (int k = 0; k < dim; k++) a[i * v + k] = Rational.of(domain.a(i, k));
            a[i * v + dim] = Rational.ONE;
            b[i] = Rational.of(domain.b()[i]);
        }
        capRow(a, b, domain.rows(), v);
        for (int k = 0; k < dim; k++) c[k] = Rational.ZERO;
        c[dim] = Rational.ONE;
        ExactLpSolver.Exact e = solve(v, m, a, b, c);
        if (e.status() != LpResult.Status.OPTIMAL || e.value().signum() <= 0) return null;
        return java.util.Arrays.copyOf(e.x(), dim);
    }

    /** t <= 1 in row i (keeps the programs bounded). */
    private static void capRow(Rational[] a, Rational[] b, int i, int v) {
        for (int k = 0; k < v; k++) a[i * v + k] = k == v - 1 ? Rational.ONE : Rational.ZERO;
        b[i] = Rational.ONE;
    }

    /** The largest common slack t (capped at 1) of the region's rows and the domain's: > 0 iff it has interior. */
    private Rational interiorSlack(Rows rows) {
        ExactLpSolver.Exact e = slackLp(rows, -1);
        return e.status() == LpResult.Status.OPTIMAL ? e.value() : Rational.ONE.negate();
    }

    private int interior(Rows rows) { return interiorSlack(rows).signum(); }

    /** A point in the relative interior of row k's facet, strictly inside the domain; null when k is no facet there. */
    private Rational[] facetPoint(Rows rows, int k) {
        ExactLpSolver.Exact e = slackLp(rows, k);
        if (e.status() != LpResult.Status.OPTIMAL || e.value().signum() <= 0) return null;
        return java.util.Arrays.copyOf(e.x(), dim);
    }

    /**
     * max t s.t. every non-constant row j has {@code s_j (g_j.x + c_j) >= t}, every domain row slack >= t, t <= 1;
     * with {@code on >= 0}: row {@code on} as an equality instead, and rows vanishing on the same hyperplane left out.
     */
    private ExactLpSolver.Exact slackLp(Rows rows, int on) { return slackLp(rows, on, -1); }

    /** As {@link #slackLp(Rows, int)}, with {@code domainOn >= 0}: that domain row as an equality instead. */
    private ExactLpSolver.Exact slackLp(Rows rows, int on, int domainOn) {
        int v = dim + 1;
        List<Rational[]> as = new ArrayList<>();
        List<Rational> bs = new ArrayList<>();
        for (int j = 0; j < rows.count; j++) {
            if (rows.constant[j]) continue;
            if (on >= 0 && j != on && proportional(rows, j, on)) continue;
            Rational s = rows.on[j] ? Rational.ONE : Rational.ONE.negate();
            if (j == on) { // g.x + c = 0: g.x <= -c and -g.x <= c
                Rational[] p = new Rational[v], q = new Rational[v];
                for (int k = 0; k < dim; k++) { p[k] = rows.g[j][k]; q[k] = rows.g[j][k].negate(); }
                p[dim] = Rational.ZERO;
                q[dim] = Rational.ZERO;
                as.add(p); bs.add(rows.c[j].negate());
                as.add(q); bs.add(rows.c[j]);
                continue;
            }
            // -s (g.x + c) + t <= 0  <=>  -s g.x + t <= s c
            Rational[] p = new Rational[v];
            for (int k = 0; k < dim; k++) p[k] = rows.g[j][k].multiply(s).negate();
            p[dim] = Rational.ONE;
            as.add(p);
            bs.add(rows.c[j].multiply(s));
        }
        for (int i = 0; i < domain.rows(); i++) {
            Rational[] p = new Rational[v];
            for (int k = 0; k < dim; k++) p[k] = Rational.of(domain.a(i, k));
            if (i == domainOn) { // a.x = b
                Rational[] q = new Rational[v];
                for (int k = 0; k < dim; k++) q[k] = p[k].negate();
                p[dim] = Rational.ZERO;
                q[dim] = Rational.ZERO;
                as.add(p); bs.add(Rational.of(domain.b()[i]));
                as.add(q); bs.add(Rational.of(domain.b()[i]).negate());
                continue;
            }
            p[dim] = Rational.ONE;
            as.add(p);
            bs.add(Rational.of(domain.b()[i]));
        }
        int m = as.size() + 1;
        Rational[] a = new Rational[m * v], b = new Rational[m], c = new Rational[v];
        for (int i = 0; i < as.size(); i++) {
            System.arraycopy(as.get(i), 0, a, i * v, v);
            b[i] = bs.get(i);
        }
        capRow(a, b, m - 1, v);
        for (int k = 0; k < dim; k++) c[k] = Rational.ZERO;
        c[dim] = Rational.ONE;
        return solve(v, m, a, b, c);
    }

    /** Rows j and k vanish on the same hyperplane: (g_j, c_j) = lambda (g_k, c_k). */
    private boolean proportional(Rows rows, int j, int k) {
        int p = -1;
        for (int i = 0; i < dim && p < 0; i++) if (rows.g[k][i].signum() != 0) p = i;
        if (rows.g[j][p].signum() == 0) return false;
        Rational lambda = rows.g[j][p].divide(rows.g[k][p]);
        for (int i = 0; i < dim; i++) if (rows.g[j][i].compareTo(rows.g[k][i].multiply(lambda)) != 0) return false;
        return rows.c[j].compareTo(rows.c[k].multiply(lambda)) == 0;
    }

    private ExactLpSolver.Exact solve(int v, int m, Rational[] a, Rational[] b, Rational[] c) {
        lps++;
        return ExactLpSolver.DEFAULT.solveExact(v, m, a, b, c);
    }

    // ---- patterns at perturbed points ----

    /**
     * The canonical pattern at {@code x + e_1 d_1 + e_2 d_2 + ...} for infinitesimals {@code e_1 >> e_2 >> ...}:
     * a forward pass on tuples (value, derivative along d_1, along d_2, ...) whose sign is that of the first
     * non-zero entry; a unit whose tuple is all zero is off.
     */
    boolean[] lexPattern(Rational[] x, Rational[][] dirs) {
        int t = dirs.length + 1;
        Rational[][] h = new Rational[dim][t];
        for (int k = 0; k < dim; k++) {
            h[k][0] = x[k];
            for (int d = 0; d < dirs.length; d++) h[k][d + 1] = dirs[d][k];
        }
        Rational[][][] hs = new Rational[net.depth() + 1][][];
        hs[0] = h;
        boolean[] bits = new boolean[net.cuttingUnits()];
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            Rational[][] out = new Rational[l.units()][];
            for (int u = 0; u < l.units(); u++) {
                Rational[] s = new Rational[t];
                java.util.Arrays.fill(s, Rational.ZERO);
                s[0] = Rational.of(l.bias()[u]);
                for (int k = 0; k < l.inputSize(); k++) addScaled(s, hs[i - 1][k], l.weight(u, k));
                for (Skip skip : l.skips()) {
                    if (skip.isIdentity()) addScaled(s, hs[skip.from()][u], 1);
                    else for (int k = 0; k < skip.cols(); k++) addScaled(s, hs[skip.from()][k], skip.weights()[u * skip.cols() + k]);
                }
                int sign = 0;
                for (int d = 0; d < t && sign == 0; d++) sign = s[d].signum();
                if (l.activation().cuts()) {
                    bits[net.patternOffset(i) + u] = sign > 0;
                    if (sign <= 0) s = scaled(s, l.activation() == Activation.LEAKY_RELU ? l.leak() : 0);
                }
                out[u] = s;
            }
            hs[i] = out;
        }
        return bits;
    }
}
