package atlas.measure;

import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Statistics of a {@link RegionSet}: the count, facets per region (histogram), vertices per region (dimension 2
 * and 3), the distribution of volumes and inradii, and the units that are off in every region found (dead on the
 * domain) or on in every region (linear on the domain).
 *
 * @param count            number of regions
 * @param complete         whether the region set is certified complete
 * @param facets           facets per region: number of facets -&gt; number of regions
 * @param interiorFacets   facets inside the domain per region (histogram)
 * @param vertices         vertices per region (histogram), empty when not computed
 * @param volume           summary of region volumes, null when not computed
 * @param inradius         summary of inradii
 * @param deadUnits        cutting units off in every region, ascending
 * @param alwaysOnUnits    cutting units on in every region, ascending
 * @param units            number of cutting units
 */
public record RegionStatistics(int count, boolean complete, SortedMap<Integer, Integer> facets,
                               SortedMap<Integer, Integer> interiorFacets, SortedMap<Integer, Integer> vertices,
                               Summary volume, Summary inradius, int[] deadUnits, int[] alwaysOnUnits, int units) {
    public RegionStatistics {
        facets = Collections.unmodifiableSortedMap(new TreeMap<>(facets));
        interiorFacets = Collections.unmodifiableSortedMap(new TreeMap<>(interiorFacets));
        vertices = Collections.unmodifiableSortedMap(new TreeMap<>(vertices));
        deadUnits = deadUnits.clone();
        alwaysOnUnits = alwaysOnUnits.clone();
    }

    @Override public int[] deadUnits() { return deadUnits.clone(); }
    @Override public int[] alwaysOnUnits() { return alwaysOnUnits.clone(); }

    /**
     * Order statistics of a sample.
     *
     * @param n number of values; min, quartiles, median, max and mean; sum
     */
    public record Summary(int n, double min, double q1, double median, double q3, double max, double mean, double sum) {
        /** The summary of {@code values} (sorted in place). @param values Modified. */
        public static Summary of(double[] values) {
            if (values.length == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            Arrays.sort(values);
            double sum = 0;
            for (double v : values) sum += v;
            return new Summary(values.length, values[0], quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75),
                    values[values.length - 1], sum / values.length, sum);
        }

        private static double quantile(double[] sorted, double q) {
            double pos = q * (sorted.length - 1);
            int i = (int) Math.floor(pos);
            int j = Math.min(sorted.length - 1, i + 1);
            return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
        }
    }

    /** Mean number of facets per region. */
    public double meanFacets() {
        long s = 0;
        for (var e : facets.entrySet()) s += (long) e.getKey() * e.getValue();
        return count == 0 ? Double.NaN : (double) s / count;
    }

    public static RegionStatistics of(RegionSet set) {
        SortedMap<Integer, Integer> facets = new TreeMap<>(), interior = new TreeMap<>(), verts = new TreeMap<>();
        int n = set.count();
        boolean haveVolumes = n > 0;
        double[] vol = new double[n], rad = new double[n];
        int units = n == 0 ? 0 : set.region(0).pattern().length();
        int[] on = new int[units];
        for (int i = 0; i < n; i++) {
            RegionPolytope r = set.region(i);
            facets.merge(r.facetCount(), 1, Integer::sum);
            interior.merge(r.interiorFacetCount(), 1, Integer::sum);
            if (r.vertexCount() >= 0) verts.merge(r.vertexCount(), 1, Integer::sum);
            vol[i] = r.volume();
            haveVolumes &= !Double.isNaN(r.volume());
            rad[i] = r.inradius();
            for (int k = 0; k < units; k++) if (r.pattern().get(k)) on[k]++;
        }
        int[] dead = java.util.stream.IntStream.range(0, units).filter(k -> on[k] == 0).toArray();
        int[] always = java.util.stream.IntStream.range(0, units).filter(k -> n > 0 && on[k] == n).toArray();
        return new RegionStatistics(n, set.complete(), facets, interior, verts, haveVolumes ? Summary.of(vol) : null,
                Summary.of(rad), dead, always, units);
    }
}
