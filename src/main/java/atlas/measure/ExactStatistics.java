package atlas.measure;

import atlas.geometry.HPolytope;
import atlas.geometry.Rational;
import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.ExactRegionEnumerator;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;

import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Statistics of a certified partition ({@code stats --exact}): what is decided in exact arithmetic on the model's
 * float64 weights, and the float measures beside it, each named in {@link #CERTIFIED} or {@link #FLOAT}.
 *
 * <p>Certified: the count, the linear pieces (adjacent regions, adjacency certified, whose exact affine output
 * maps are equal), facets and interior facets per region, vertices per region (the exact points where dim
 * hyperplanes meet inside the closed region: every dim-subset of candidate hyperplanes up to 3 inputs, of facet
 * hyperplanes above, where a region with more than KernelParameters.EXACT_VERTEX_SUBSETS subsets is left
 * uncounted), and the dead and always-on units.
 * Float: volumes and inradii (computed from the facet rows rounded to doubles) and their sum.
 *
 * @param count          number of regions
 * @param complete       whether every region was found (false: --max-regions stopped the search)
 * @param pieces         linear pieces
 * @param facets         facets per region: number of facets -&gt; number of regions
 * @param interiorFacets facets inside the domain per region (histogram)
 * @param vertices       vertices per region (histogram) of the regions whose vertices were counted
 * @param verticesUncounted regions left out of {@code vertices} (above 3 inputs, too many facets to solve for)
 * @param deadUnits      cutting units off in every region
 * @param alwaysOnUnits  cutting units on in every region
 * @param volume         region volumes (float); null above 3 inputs
 * @param inradius       inradii (float)
 * @param domainVolume   the domain's volume (float; NaN when not a box)
 */
public record ExactStatistics(int count, boolean complete, int pieces, SortedMap<Integer, Integer> facets,
                              SortedMap<Integer, Integer> interiorFacets, SortedMap<Integer, Integer> vertices,
                              int verticesUncounted, int[] deadUnits, int[] alwaysOnUnits, RegionStatistics.Summary volume,
                              RegionStatistics.Summary inradius, double domainVolume) {
    /** The JSON fields decided exactly. */
    public static final List<String> CERTIFIED = List.of("count", "complete", "pieces", "facets", "interior_facets", "vertices",
            "vertices_uncounted", "dead_units", "always_on_units");
    /** The JSON fields computed in floating point. */
    public static final List<String> FLOAT = List.of("volume", "inradius", "volume_sum", "domain_volume");

    public ExactStatistics {
        facets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(facets));
        interiorFacets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(interiorFacets));
        vertices = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(vertices));
        deadUnits = deadUnits.clone();
        alwaysOnUnits = alwaysOnUnits.clone();
    }

    @Override public int[] deadUnits() { return deadUnits.clone(); }
    @Override public int[] alwaysOnUnits() { return alwaysOnUnits.clone(); }

    /** The statistics of a certified n-D enumeration. */
    public static ExactStatistics of(Network net, HPolytope domain, ExactRegionEnumerator.Result r) {
        int n = r.count();
        int[][] facetUnits = new int[n][], neighbours = new int[n][];
        double[][] inside = new double[n][];
        for (int i = 0; i < n; i++) {
            ExactRegionEnumerator.Found f = r.regions().get(i);
            facetUnits[i] = f.facetUnits();
            neighbours[i] = f.neighbours();
            inside[i] = new double[f.interior().length];
            for (int k = 0; k < inside[i].length; k++) inside[i][k] = f.interior()[k].toDouble();
        }
        return of(net, domain, r.patterns(), facetUnits, neighbours, inside, r.complete());
    }

    /**
     * The statistics of an exact ({@link atlas.geometry.Tolerance#EXACT}) partition of a 2-input model's input plane:
     * its patterns and adjacency are certified; a region's facet units are the units that differ across its edges.
     */
    public static ExactStatistics of(Network net, PlanePartition p) {
        Rectangle d = p.domain();
        HPolytope box = HPolytope.box(new double[]{d.xmin(), d.ymin()}, new double[]{d.xmax(), d.ymax()});
        int n = p.count();
        List<ActivationPattern> patterns = new java.util.ArrayList<>();
        int[][] facetUnits = new int[n][], neighbours = new int[n][];
        double[][] inside = new double[n][];
        for (LinearRegion r : p.regions()) {
            patterns.add(r.pattern());
            neighbours[r.id()] = r.neighbours();
            java.util.BitSet units = new java.util.BitSet();
            for (int j : r.neighbours()) {
                ActivationPattern q = p.regions().get(j).pattern();
                for (int k = 0; k < q.length(); k++) if (q.get(k) != r.pattern().get(k)) units.set(k);
            }
            facetUnits[r.id()] = units.stream().toArray();
            inside[r.id()] = r.interiorPoint();
        }
        return of(net, box, patterns, facetUnits, neighbours, inside, true);
    }

    private static ExactStatistics of(Network net, HPolytope domain, List<ActivationPattern> patterns, int[][] facetUnits,
                                      int[][] neighbours, double[][] inside, boolean complete) {
        ExactRegionEnumerator en = new ExactRegionEnumerator(net, domain);
        int n = patterns.size();
        SortedMap<Integer, Integer> facets = new TreeMap<>(), interior = new TreeMap<>(), verts = new TreeMap<>();
        double[] vol = new double[n], rad = new double[n];
        boolean volumes = domain.dim() <= 3;
        Rational[][][] maps = new Rational[n][][];
        int units = net.cuttingUnits();
        int[] on = new int[units];
        int uncounted = 0;
        for (int i = 0; i < n; i++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            ExactRegionEnumerator.RegionFacts f = en.facts(patterns.get(i), facetUnits[i], inside[i]);
            facets.merge(f.facets(), 1, Integer::sum);
            interior.merge(f.interiorFacets(), 1, Integer::sum);
            if (f.vertices() >= 0) verts.merge(f.vertices(), 1, Integer::sum);
            else uncounted++;
            vol[i] = f.volume();
            rad[i] = f.inradius();
            maps[i] = f.output();
            for (int k = 0; k < units; k++) if (patterns.get(i).get(k)) on[k]++;
        }
        // pieces: adjacent regions with exactly equal output maps, joined (union-find)
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int i = 0; i < n; i++)
            for (int j : neighbours[i]) if (j > i && Arrays.deepEquals(maps[i], maps[j])) parent[find(parent, i)] = find(parent, j);
        int pieces = 0;
        for (int i = 0; i < n; i++) if (find(parent, i) == i) pieces++;
        int[] dead = java.util.stream.IntStream.range(0, units).filter(k -> on[k] == 0).toArray();
        int[] always = java.util.stream.IntStream.range(0, units).filter(k -> n > 0 && on[k] == n).toArray();
        return new ExactStatistics(n, complete, pieces, facets, interior, verts, uncounted, dead, always,
                volumes ? RegionStatistics.Summary.of(vol) : null, RegionStatistics.Summary.of(rad),
                domain.isBox() ? domain.boxVolume() : Double.NaN);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
