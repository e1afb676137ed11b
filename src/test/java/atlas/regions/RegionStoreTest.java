package atlas.regions;

import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;
import atlas.measure.LinearPieces;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The flat region records of the edge-subdivision engine ({@link RegionStore}) against truths that do not go
 * through it: the network evaluated at random points (brute-force sampling), the LP engine's patterns and linear
 * pieces, the record path of {@link LinearPieces} on a materialised copy, and a known count.
 */
class RegionStoreTest {

    private static RegionStore store(RegionSet set) {
        assertThat(set.regions()).isInstanceOf(RegionStore.class);
        return (RegionStore) set.regions();
    }

    /**
     * Every sampled point lies (within a rounding slack) in a region whose pattern is the network's pattern at the
     * point, whose map gives the network's output there; every sampled pattern is a region's.
     */
    private static void assertSamplesAgree(Network net, HPolytope box, long seed, int samples) {
        RegionSet set = SubdivisionEnumerator.enumerate(net, box);
        assertThat(set.complete()).as(set.summary()).isTrue();
        RegionStore store = store(set);
        Map<ActivationPattern, Integer> byPattern = new HashMap<>();
        for (int r = 0; r < store.size(); r++) assertThat(byPattern.put(store.pattern(r), r)).as("pattern twice").isNull();
        List<RegionPolytope> regions = new ArrayList<>(set.regions()); // one materialised copy for the containment scans
        Random rnd = new Random(seed);
        double[] lo = box.boxLo(), hi = box.boxHi();
        int d = box.dim();
        Set<ActivationPattern> seen = new HashSet<>();
        for (int s = 0; s < samples; s++) {
            double[] x = new double[d];
            for (int k = 0; k < d; k++) x[k] = lo[k] + rnd.nextDouble() * (hi[k] - lo[k]);
            ActivationPattern p = ActivationPattern.of(net.trace(x).activeBits(net));
            seen.add(p);
            Integer r = byPattern.get(p);
            assertThat(r).as("the pattern at a sampled point is a region's").isNotNull();
            RegionPolytope reg = regions.get(r);
            assertThat(reg.contains(x, 1e-9)).as("the point lies in the region of its pattern").isTrue();
            double[] y = net.forward(x), z = reg.output().apply(x);
            for (int o = 0; o < y.length; o++) assertThat(z[o]).isCloseTo(y[o], within(1e-9 * (1 + Math.abs(y[o]))));
        }
        assertThat(seen.size()).isLessThanOrEqualTo(set.count());
    }

    @Test
    void sampledPointsLieInTheRegionOfTheirPattern() {
        assertSamplesAgree(RandomNets.random(21, 2, new int[]{8, 8, 6}, 1, Activation.RELU, 0, false), HPolytope.cube(2, -1.5, 1.5), 1, 20_000);
        assertSamplesAgree(RandomNets.random(22, 3, new int[]{8, 8}, 2, Activation.LEAKY_RELU, 0.1, false), HPolytope.cube(3, -1, 1), 2, 20_000);
        assertSamplesAgree(RandomNets.withSkipsEverywhere(23, 3, new int[]{6, 6, 6}, 1, Activation.RELU, 0), HPolytope.cube(3, -1, 1), 3, 20_000);
        assertSamplesAgree(RandomNets.random(24, 4, new int[]{6, 5}, 1, Activation.RELU, 0, false), HPolytope.cube(4, -1, 1), 4, 10_000);
    }

    @Test
    void recordsAreStableAndNeighboursSymmetric() {
        RegionSet set = SubdivisionEnumerator.enumerate(RandomNets.random(25, 3, new int[]{8, 8}, 1, Activation.RELU, 0, false),
                HPolytope.cube(3, -1, 1));
        RegionStore store = store(set);
        double volume = 0;
        for (int r = 0; r < store.size(); r++) {
            RegionPolytope a = store.get(r), b = store.get(r);
            assertThat(a).isNotSameAs(b);
            assertThat(a.id()).isEqualTo(r);
            assertThat(a.pattern()).isEqualTo(b.pattern()).isEqualTo(store.pattern(r));
            assertThat(a.vertices()).isEqualTo(b.vertices());
            assertThat(a.centre()).isEqualTo(b.centre());
            assertThat(a.volume()).isEqualTo(store.volume(r));
            assertThat(a.facetCount()).isEqualTo(store.facetEnd(r) - store.facetStart(r));
            for (int f = 0; f < a.facetCount(); f++) {
                Facet fa = a.facets().get(f), fb = b.facets().get(f);
                assertThat(fa.normal()).isEqualTo(fb.normal());
                assertThat(fa.offset()).isEqualTo(fb.offset());
                assertThat(fa.units()).isEqualTo(fb.units());
                int j = store.neighbour(store.facetStart(r) + f);
                assertThat(fa.neighbourId()).isEqualTo(j);
                if (j < 0) continue;
                assertThat(fa.neighbour()).isEqualTo(store.pattern(j));
                int back = 0;
                for (int g = store.facetStart(j); g < store.facetEnd(j); g++) if (store.neighbour(g) == r) back++;
                assertThat(back).as("region %d sees %d once", j, r).isEqualTo(1);
            }
            volume += a.volume();
        }
        assertThat(volume).isEqualTo(set.volumeSum());
    }

    @Test
    void linearPiecesFromTheArraysEqualTheRecordPathAndTheLpEngine() {
        // units 4..7 of the first layer reach the output only through a dead second-layer unit: their cuts split
        // regions but not pieces, so the union-find has work to do
        Random rnd = new Random(26);
        int d = 3, n = 8;
        double[] w1 = new double[n * d], b1 = new double[n];
        for (int k = 0; k < w1.length; k++) w1[k] = rnd.nextGaussian();
        for (int k = 0; k < n; k++) b1[k] = 0.3 * rnd.nextGaussian();
        double[] w2 = new double[2 * n];
        for (int k = 0; k < 4; k++) { w2[k] = rnd.nextGaussian(); w2[n + 4 + k] = 1; }
        double[] b2 = {0.1, -100}; // unit 2 of layer 2 is dead on the box
        Network net = new Network(d, List.of(new DenseLayer(d, n, w1, b1, Activation.RELU, 0),
                new DenseLayer(n, 2, w2, b2, Activation.RELU, 0),
                new DenseLayer(2, 1, new double[]{1, 1}, new double[1], Activation.IDENTITY, 0)));
        HPolytope box = HPolytope.cube(3, -1, 1);
        RegionSet sub = SubdivisionEnumerator.enumerate(net, box);
        store(sub);
        RegionSet copy = new RegionSet(sub.inputDim(), sub.domain(), new ArrayList<>(sub.regions()), sub.complete(), sub.stop(),
                sub.pending(), sub.unresolvedFacets(), sub.thinFacets(), sub.volumeSum(), sub.domainVolume(), sub.lps(),
                sub.seconds(), sub.threads(), sub.solver());
        assertThat(copy.regions()).isNotInstanceOf(RegionStore.class);
        LinearPieces.Result a = LinearPieces.of(sub, Tolerance.DEFAULT), b = LinearPieces.of(copy, Tolerance.DEFAULT);
        assertThat(a.pieceOf()).isEqualTo(b.pieceOf());
        assertThat(a.pieces()).isLessThan(sub.count());
        assertThat(a.pieces()).isEqualTo(LinearPieces.of(RegionEnumerator.enumerate(net, box), Tolerance.DEFAULT).pieces());
    }

    @Test
    void theBenchNetHasTheLpEnginesCount() {
        // the 3 -> [16]x3 -> 1 net of `atlas bench enumerate` in [-1,1]^3: the LP engine finds 10,508 regions
        // (docs/benchmarks.md), the same pattern set
        Network net = Networks.kaiming(1, 3, Networks.uniform(16, 3), 1, Activation.RELU, 0, 0.1);
        RegionSet set = SubdivisionEnumerator.enumerate(net, HPolytope.cube(3, -1, 1));
        assertThat(set.count()).isEqualTo(10_508);
        assertThat(set.complete()).isTrue();
        assertThat(set.volumeSum()).isCloseTo(8, within(1e-9));
        RegionStore store = store(set);
        Set<ActivationPattern> patterns = new HashSet<>();
        for (int r = 0; r < store.size(); r++) patterns.add(store.pattern(r));
        assertThat(patterns).hasSize(10_508);
        assertThat(Arrays.stream(new int[]{0, store.size() / 2, store.size() - 1})
                .allMatch(r -> store.get(r).pattern().equals(store.pattern(r)))).isTrue();
    }
}
