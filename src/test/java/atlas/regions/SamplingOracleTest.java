package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The exact partition against dense grid sampling ({@link GridOracle}): every sampled pattern is among the
 * exact regions; every sample lies in some region's polygon, and (away from boundaries) in the one whose pattern
 * it has; and every region wide enough to hold a sample was sampled. Only meaningful together with the ground
 * truths (the oracle could be wrong too), which pass on the same kernel.
 */
class SamplingOracleTest {

    static Network net(String kind, long seed) {
        return switch (kind) {
            case "kaiming30x30" -> Networks.kaiming(seed, 2, Networks.uniform(30, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1);
            case "relu16x3" -> RandomNets.random(seed, 2, Networks.uniform(16, 3), 1, Activation.RELU, 0, false);
            case "leaky24x2skips" -> RandomNets.random(seed, 2, Networks.uniform(24, 2), 2, Activation.LEAKY_RELU, 0.1, true);
            case "relu8x6skips" -> RandomNets.withSkipsEverywhere(seed, 2, Networks.uniform(8, 6), 1, Activation.RELU, 0);
            case "bottleneck" -> bottleneck(seed);
            case "deepNarrowRelu" -> RandomNets.random(seed, 2, Networks.uniform(2, 20), 1, Activation.RELU, 0, false);
            case "mnistlike" -> RandomNets.random(seed, 784, Networks.uniform(16, 3), 10, Activation.RELU, 0, false);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** 2 -> [10]x3 leaky -> 2 identity (a linear bottleneck that cuts nothing) -> [10]x3 leaky -> 1, as in the blog series. */
    static Network bottleneck(long seed) {
        Network a = RandomNets.random(seed, 2, Networks.uniform(10, 3), 2, Activation.LEAKY_RELU, 0.01, false);
        Network b = RandomNets.random(seed + 1, 2, Networks.uniform(10, 3), 1, Activation.LEAKY_RELU, 0.01, false);
        java.util.List<atlas.net.DenseLayer> layers = new java.util.ArrayList<>(a.layers());
        layers.addAll(b.layers());
        return new Network(2, layers);
    }

    static PlaneSlice slice(Network net, long seed) {
        if (net.inputDim() == 2) return PlaneSlice.inputPlane();
        Random rnd = new Random(seed);
        double[][] pts = new double[3][net.inputDim()];
        for (double[] p : pts) for (int k = 0; k < p.length; k++) p[k] = rnd.nextDouble();
        return PlaneSlice.throughPoints(pts[0], pts[1], pts[2]);
    }

    @ParameterizedTest(name = "{0} seed {1} on [{2}], {3}x{3} samples")
    @CsvSource(delimiter = ';', value = {
            "kaiming30x30; 7; 0,1,0,1; 220",
            "relu16x3; 1; -1,1,-1,1; 300",
            "leaky24x2skips; 2; -2,1,-0.5,1.5; 300",
            "relu8x6skips; 3; -1,1,-1,1; 300",
            "bottleneck; 5; -1,1,-1,1; 250",
            "deepNarrowRelu; 6; -1,1,-1,1; 200",
            "deepNarrowRelu; 8; -3,3,-3,3; 200",
            "mnistlike; 4; -1,1,-1,1; 120"})
    void everySampledPatternIsAmongTheExactRegions(String kind, long seed, String box, int g) {
        Network net = net(kind, seed);
        Rectangle domain = Rectangle.parse(box);
        PlanePartitioner pp = new PlanePartitioner(net, slice(net, seed), domain, Tolerance.DEFAULT);
        PlanePartition p = pp.getResult();
        RegionChecks.assertAll(net, pp);
        RegionChecks.assertNeighboursDifferInOneUnit(p);
        GridOracle oracle = new GridOracle(net, p, g);
        Set<ActivationPattern> exact = new HashSet<>();
        for (LinearRegion r : p.regions()) exact.add(r.pattern());

        double margin = TestTolerances.BOUNDARY_MARGIN * Math.hypot(domain.width(), domain.height());
        Set<ActivationPattern> sampled = new HashSet<>();
        for (int k = 0; k < g * g; k++) {
            sampled.add(oracle.sampled[k]);
            // (plain set look-ups: AssertJ's contains scans the whole collection)
            if (!exact.contains(oracle.sampled[k]))
                fail("pattern %s sampled at (%s, %s) is not among the exact regions", oracle.sampled[k], oracle.s[k], oracle.t[k]);
            if (oracle.containing.get(k).isEmpty()) fail("no region contains the sample (%s, %s)", oracle.s[k], oracle.t[k]);
            boolean matched = false, nearBoundary = false;
            for (int id : oracle.containing.get(k)) {
                LinearRegion r = p.regions().get(id);
                matched |= r.pattern().equals(oracle.sampled[k]);
                nearBoundary |= RegionChecks.distanceToBoundary(r, oracle.s[k], oracle.t[k]) <= margin;
            }
            if (!nearBoundary && oracle.containing.get(k).size() != 1)
                fail("the sample (%s, %s), away from boundaries, lies in regions %s", oracle.s[k], oracle.t[k], oracle.containing.get(k));
            if (!nearBoundary && !matched)
                fail("the region containing (%s, %s) does not have the sampled pattern %s", oracle.s[k], oracle.t[k], oracle.sampled[k]);
        }
        // converse: a region containing a disk of radius > spacing / sqrt(2) around its centroid holds a sample
        double h = oracle.spacing();
        int wide = 0;
        for (LinearRegion r : p.regions()) {
            double[] c = r.interiorPoint();
            if (RegionChecks.distanceToBoundary(r, c[0], c[1]) > h * Math.sqrt(0.5) * 1.000001) {
                wide++;
                if (!sampled.contains(r.pattern())) fail("region %d is wide enough to be sampled but was not", r.id());
            }
        }
        assertThat(sampled.size()).isLessThanOrEqualTo(p.count());
        assertThat(wide).isPositive();
    }
}
