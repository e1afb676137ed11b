package atlas.measure;

import atlas.geometry.Tolerance;
import atlas.regions.Facet;
import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;
import atlas.regions.RegionStore;

/**
 * Linear pieces versus activation regions. Adjacent regions (sharing a facet) on which the network computes the
 * same affine map are one linear piece of the function: the union of regions connected through such facets.
 * Dead units make many regions that differ only in units the output never sees; the tropical view (a difference
 * of tropical polynomials) counts pieces, not patterns.
 *
 * <p>Two maps are equal when they are the {@link atlas.regions.AffineMap#samePiece same piece} under {@code tol}. Cost:
 * O(facets) union-find operations.
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
        if (set.regions() instanceof RegionStore store) { // the same unions in the same order, from the flat arrays
            for (int r = 0; r < n; r++) {
                for (int g = store.facetStart(r), e = store.facetEnd(r); g < e; g++) {
                    int j = store.neighbour(g);
                    if (j < 0 || j <= r) continue;
                    if (store.samePiece(r, j, tol)) union(parent, r, j);
                }
            }
        } else {
            for (RegionPolytope r : set.regions()) {
                for (Facet f : r.facets()) {
                    int j = f.neighbourId();
                    if (j < 0 || j <= r.id()) continue;
                    if (r.output().samePiece(set.region(j).output(), tol)) union(parent, r.id(), j);
                }
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
