package atlas.regions;

import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * The regions of a {@link SubdivisionEnumerator} run as flat primitive arrays instead of some ten objects per
 * region: a read-only list whose {@link #get} builds the {@link RegionPolytope} of a region on demand (a new,
 * equal-valued object on every call), so a region set of a million regions holds a few dozen arrays, and code
 * that walks the list once (writing {@code --regions-out}, statistics) keeps one region alive at a time.
 *
 * <p>Layout: the arrays are indexed by <em>cell</em> of the subdivision (slivers included, so no copy is made when
 * they are dropped); {@code cellOf[r]} is the cell of region r. Per cell: the pattern ({@code words} longs), its
 * vertex ids ({@code vStart}, into the shared {@code coords}), centre, inradius, volume, the output map ({@code
 * m x d} matrix then {@code m} offsets; all regions' maps are made together at the first call that needs one: the
 * count, patterns, volumes and neighbours do not) and its facets {@code first[c] .. first[c + 1]}. Per facet: unit normal,
 * offset, a point (vertex centroid), its row unit ({@code -1 - j} on box row j), its units, its neighbour (a region
 * id, or -1: on the box, unresolved or thin) and whether it is thin (towards a dropped sliver).
 *
 * <p>Invariant: {@code get(r)} equals, field by field, the record the engine made for region r before this store
 * existed (same doubles, same order); {@code RegionStoreTest} checks that against independent references.
 */
public final class RegionStore extends AbstractList<RegionPolytope> implements RandomAccess {
    private final int d, m, patternLength, words;
    private final long[] patterns;
    private final int[] cellOf, vStart, vIds;
    private final double[] coords;
    private final double[] centre, inradius, volume;
    /** the output maps, made on first use by {@code mapMaker} (then dropped, with what it holds) */
    private volatile double[] map;
    private Supplier<double[]> mapMaker;
    private final int[] first;
    private final double[] fa, fb, points;
    private final int[] rowUnit, neighbour, uStart, units;
    private final boolean[] thin;

    RegionStore(int d, int m, int patternLength, long[] patterns, int[] cellOf, int[] vStart, int[] vIds, double[] coords,
                double[] centre, double[] inradius, double[] volume, Supplier<double[]> maps, int[] first, double[] fa, double[] fb,
                double[] points, int[] rowUnit, int[] neighbour, boolean[] thin, int[] uStart, int[] units) {
        this.d = d;
        this.m = m;
        this.patternLength = patternLength;
        this.words = (patternLength + 63) / 64;
        this.patterns = patterns;
        this.cellOf = cellOf;
        this.vStart = vStart;
        this.vIds = vIds;
        this.coords = coords;
        this.centre = centre;
        this.inradius = inradius;
        this.volume = volume;
        this.mapMaker = maps;
        this.first = first;
        this.fa = fa;
        this.fb = fb;
        this.points = points;
        this.rowUnit = rowUnit;
        this.neighbour = neighbour;
        this.thin = thin;
        this.uStart = uStart;
        this.units = units;
    }

    @Override public int size() { return cellOf.length; }

    /** Region r as a record (built now; the store keeps no objects). */
    @Override
    public RegionPolytope get(int r) {
        int c = cellOf[r];
        int f0 = first[c], nf = first[c + 1] - f0;
        List<Facet> fs = new ArrayList<>(nf);
        double[] normal = new double[d], point = new double[d]; // scratch: Facet copies them
        for (int f = 0; f < nf; f++) {
            int g = f0 + f;
            System.arraycopy(fa, g * d, normal, 0, d);
            System.arraycopy(points, g * d, point, 0, d);
            int nb = neighbour[g];
            fs.add(new Facet(f, Arrays.copyOfRange(units, uStart[g], uStart[g + 1]), rowUnit[g] < 0, normal, fb[g], point,
                    nb < 0 ? null : pattern(nb), null, nb, thin[g]));
        }
        int ml = m * d + m;
        double[] map = maps();
        AffineMap output = new AffineMap(m, d, Arrays.copyOfRange(map, c * ml, c * ml + m * d),
                Arrays.copyOfRange(map, c * ml + m * d, c * ml + ml));
        int v0 = vStart[c], nv = vStart[c + 1] - v0;
        double[] verts = new double[nv * d];
        for (int i = 0; i < nv; i++) System.arraycopy(coords, vIds[v0 + i] * d, verts, i * d, d);
        return new RegionPolytope(r, pattern(r), new HPolytope(d, nf, Arrays.copyOfRange(fa, f0 * d, (f0 + nf) * d),
                Arrays.copyOfRange(fb, f0, f0 + nf)), Arrays.copyOfRange(rowUnit, f0, f0 + nf), fs,
                Arrays.copyOfRange(centre, c * d, c * d + d), inradius[c], output, verts, volume[c]);
    }

    /** The activation pattern of region r. */
    public ActivationPattern pattern(int r) {
        int c = cellOf[r];
        return new ActivationPattern(Arrays.copyOfRange(patterns, c * words, c * words + words), patternLength);
    }

    /** The volume of region r. */
    public double volume(int r) { return volume[cellOf[r]]; }

    /** Facets of region r: global facet indices {@code facetStart(r) .. facetEnd(r)}. */
    public int facetStart(int r) { return first[cellOf[r]]; }

    public int facetEnd(int r) { return first[cellOf[r] + 1]; }

    /** The region across global facet g, or -1 (box, thin or unresolved). */
    public int neighbour(int g) { return neighbour[g]; }

    /** {@link AffineMap#samePiece} of the output maps of regions r and s, from the arrays. */
    public boolean samePiece(int r, int s, Tolerance tol) {
        int ml = m * d + m, a = cellOf[r] * ml, b = cellOf[s] * ml;
        double[] map = maps();
        return AffineMap.samePiece(map, a, map, b, m * d, ml, tol);
    }

    /** The output maps, made at the first call (once, whichever thread asks first; the others wait for it). */
    private double[] maps() {
        double[] m = map;
        if (m != null) return m;
        synchronized (this) {
            if (map == null) {
                map = mapMaker.get();
                mapMaker = null;
            }
            return map;
        }
    }
}
