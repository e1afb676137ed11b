package atlas.measure;

import atlas.geometry.Tolerance;
import atlas.regions.AffineMap;
import atlas.regions.Facet;
import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;

/**
 * Linear pieces versus activation regions. Adjacent regions (sharing a facet) on which the network computes the
 * same affine map are one linear piece of the function: the union of regions connected through such facets.
 * Dead units make many regions that differ only in units the output never sees; the tropical view (a difference
 * of tropical polynomials) counts pieces, not patterns.
 *
 * <p>Two maps are equal when every coefficient and offset agrees to {@code tol.mergeEps()} relative to the larger
 * magnitude of the two maps' entries (at least 1). Cost: O(facets) union-find operations.
 */
public final class LinearPieces {
    private LinearPieces() {}

    /**
     * @param regions number of activation regions
     * @param pieces  number of linear pieces (connected unions of adjacent regions with equal maps)
     * @param pieceOf for each region id: its piece, 0..pieces-1 in order of first region
     */
    public record Result(int regions, int pieces, int[] pieceOf) {
        public Result {
            pieceOf = pieceOf.clone();
        }
        @Override public int[] pieceOf() { return pieceOf.clone(); }
    }

    public static Result of(RegionSet set, Tolerance tol) {
        int n = set.count();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (RegionPolytope r : set.regions()) {
            for (Facet f : r.facets()) {
                int j = f.neighbourId();
                if (j < 0 || j <= r.id()) continue;
                if (sameMap(r.output(), set.region(j).output(), tol)) union(parent, r.id(), j);
            }
        }
        int[] pieceOf = new int[n];
        int[] label = new int[n];
        java.util.Arrays.fill(label, -1);
        int pieces = 0;
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (label[root] < 0) label[root] = pieces++;
            pieceOf[i] = label[root];
        }
        return new Result(n, pieces, pieceOf);
    }

    /** True when the two maps agree to the relative merge tolerance. */
    public static boolean sameMap(AffineMap p, AffineMap q, Tolerance tol) {
        double scale = 1;
        double[] pm = p.matrix(), qm = q.matrix(), po = p.offset(), qo = q.offset();
        for (int k = 0; k < pm.length; k++) scale = Math.max(scale, Math.max(Math.abs(pm[k]), Math.abs(qm[k])));
        for (int k = 0; k < po.length; k++) scale = Math.max(scale, Math.max(Math.abs(po[k]), Math.abs(qo[k])));
        return p.distance(q) <= tol.mergeEps() * scale;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
