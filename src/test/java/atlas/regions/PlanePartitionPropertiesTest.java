package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.RandomNets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties of the exact plane partition on seeded random networks: widths from 1 unit to 64 units
 * and from 1 to 5 hidden layers, ReLU and leaky ReLU, with and without skips, 2-input nets on their input plane
 * and 784-input nets on a plane through three random points (Hanin and Rolnick's construction). Each property
 * is its own test; a case's partition is computed once and shared by the properties (same seed, same cases).
 */
class PlanePartitionPropertiesTest {
    private static final String SEED = "20261124";
    private static final int TRIES = 50;

    /** One random network and its plane. */
    record NetCase(long seed, int inputDim, int width, int depth, Activation act, boolean skips) {
        Network net() {
            int[] hidden = new int[depth];
            Random rnd = new Random(seed);
            for (int i = 0; i < depth; i++) hidden[i] = Math.max(1, width + (skips ? rnd.nextInt(3) - 1 : 0));
            return RandomNets.random(seed, inputDim, hidden, inputDim == 2 ? 2 : 10, act, 0.05, skips);
        }

        PlaneSlice slice() {
            if (inputDim == 2) return PlaneSlice.inputPlane();
            Random rnd = new Random(seed ^ 0x5EED);
            double[][] pts = new double[3][inputDim];
            for (double[] p : pts) for (int k = 0; k < inputDim; k++) p[k] = rnd.nextDouble();
            return PlaneSlice.throughPoints(pts[0], pts[1], pts[2]);
        }

        Rectangle domain() { return Rectangle.centred(1); }
    }

    private static final Map<NetCase, PlanePartitioner> CACHE = new ConcurrentHashMap<>();

    static PlanePartitioner partitioner(NetCase c) {
        return CACHE.computeIfAbsent(c, k -> {
            PlanePartitioner pp = new PlanePartitioner(k.net(), k.slice(), k.domain(), Tolerance.DEFAULT);
            pp.getResult();
            return pp;
        });
    }

    @Provide
    Arbitrary<NetCase> cases() {
        return Combinators.combine(
                        Arbitraries.longs().between(1, 1_000_000_000L),
                        Arbitraries.of(2, 2, 2, 784),
                        Arbitraries.of(1, 2, 3, 7, 16, 24, 33, 64),
                        Arbitraries.of(1, 2, 3, 5),
                        Arbitraries.of(Activation.RELU, Activation.LEAKY_RELU),
                        Arbitraries.of(false, true))
                .as(NetCase::new)
                .filter(c -> c.width() * c.depth() <= 100 && (c.inputDim() == 2 || c.width() <= 16));
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void areasSumToTheDomainsArea(@ForAll("cases") NetCase c) {
        PlanePartition p = partitioner(c).getResult();
        RegionChecks.assertTilesDomain(p);
        RegionChecks.assertPolygonsConsistent(p);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void eachMapEqualsTheNetworkAtTheInteriorPointAndNearTheVertices(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        assertThat(RegionChecks.maxMapError(pp.network(), pp.getResult())).isLessThanOrEqualTo(TestTolerances.MAP);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void thePatternAtTheInteriorPointIsTheRegionsPattern(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        PlanePartition p = pp.getResult();
        RegionChecks.assertInteriorPointsInside(p);
        int skipped = RegionChecks.assertPatternsAtInteriorPoints(pp.network(), p);
        assertThat(skipped).as("regions too thin to test at their centroid").isLessThanOrEqualTo(p.count() / 100);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void adjacencyIsSymmetric(@ForAll("cases") NetCase c) {
        RegionChecks.assertAdjacencySymmetric(partitioner(c).getResult());
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void neighboursDifferInExactlyOneUnit(@ForAll("cases") NetCase c) {
        PlanePartition p = partitioner(c).getResult();
        RegionChecks.assertNeighboursDifferInOneUnit(p);
        if (p.count() > 1) assertThat(p.adjacentPairs()).isGreaterThanOrEqualTo(p.count() - 1); // connected
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void regionsPerLayerNeverDecreaseAndEndAtTheCount(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        RegionChecks.assertPerLayerCounts(pp.network(), pp.getResult());
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void meshInvariantsHoldAndNoPatternRepeats(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        pp.checkInvariants();
        assertThat(pp.getResult().anomalies()).isZero();
        // these nets have no region near minVolume (1e-16 of the domain): every cut is made
        assertThat(pp.getResult().declinedCuts()).isZero();
        RegionChecks.assertPatternsUnique(pp.getResult());
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void theOrderOfUnitsWithinALayerDoesNotMatter(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        PlanePartition p = pp.getResult();
        Network net = pp.network();
        int[][] perm = RandomNets.randomPermutations(net, c.seed() + 1);
        Network permuted = RandomNets.permute(net, perm);
        PlanePartition q = new PlanePartitioner(permuted, c.slice(), c.domain(), Tolerance.DEFAULT).getResult();
        assertThat(q.count()).isEqualTo(p.count());
        int[] newToOld = RandomNets.permutedBitMap(net, perm);
        int[] oldToNew = new int[newToOld.length];
        for (int k = 0; k < newToOld.length; k++) oldToNew[newToOld[k]] = k;
        Map<ActivationPattern, LinearRegion> byPattern = RegionChecks.byPattern(p);
        for (LinearRegion r : q.regions()) {
            LinearRegion o = byPattern.get(RegionChecks.select(r.pattern(), oldToNew));
            assertThat(o).as("region %d of the permuted net, in the original bit order", r.id()).isNotNull();
            assertThat(r.area()).isCloseTo(o.area(), within(TestTolerances.AREA * c.domain().area()));
        }
    }

    @Property(tries = TRIES / 2, seed = SEED, shrinking = ShrinkingMode.OFF)
    void regionsAfterLayerIAreTheRegionsOfTheNetCutAfterLayerI(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        Network net = pp.network();
        int[] per = pp.getResult().regionsPerLayer();
        for (int i = 1; i < net.depth(); i++) {
            java.util.List<atlas.net.DenseLayer> layers = new java.util.ArrayList<>(net.layers().subList(0, i));
            layers.add(new atlas.net.DenseLayer(net.size(i), 1, new double[net.size(i)], new double[1], Activation.IDENTITY, 0));
            Network truncated = new Network(net.inputDim(), layers);
            int count = new PlanePartitioner(truncated, c.slice(), c.domain(), Tolerance.DEFAULT).getResult().count();
            assertThat(per[i]).as("regions after layer %d of %s", i, net.shape()).isEqualTo(count);
        }
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void locateFindsTheRegionWhosePatternThePointHas(@ForAll("cases") NetCase c) {
        PlanePartitioner pp = partitioner(c);
        PlanePartition p = pp.getResult();
        Random rnd = new Random(c.seed());
        double margin = TestTolerances.BOUNDARY_MARGIN * Math.hypot(c.domain().width(), c.domain().height());
        for (int k = 0; k < 20; k++) {
            double s = c.domain().xmin() + c.domain().width() * rnd.nextDouble();
            double t = c.domain().ymin() + c.domain().height() * rnd.nextDouble();
            LinearRegion r = p.locate(s, t);
            assertThat(r).as("region at (%s, %s)", s, t).isNotNull();
            if (RegionChecks.distanceToBoundary(r, s, t) > margin)
                assertThat(r.pattern()).isEqualTo(RegionChecks.patternAt(pp.network(), c.slice(), s, t));
        }
        assertThat(p.locate(c.domain().xmax() + 1, c.domain().ymin())).isNull();
    }
}
