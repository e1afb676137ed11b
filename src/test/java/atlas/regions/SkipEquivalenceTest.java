package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.RandomNets;
import atlas.net.Skip;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A net with skip connections has the same regions (same patterns, same areas, same maps) as the same function
 * written without skips ({@link RandomNets#withoutSkips}: skipped values carried through the intermediate
 * layers by extra units that add no cut). The two nets are computed by different code paths of the kernel
 * (skip columns kept in the vertex state versus plain dense layers).
 */
class SkipEquivalenceTest {

    @ParameterizedTest(name = "seed {0}: 2 -> [{1}]x{2} {3}, every layer skipped: {4}")
    @CsvSource({
            "1, 4, 2, RELU, false", "2, 6, 3, RELU, true", "3, 8, 4, LEAKY_RELU, true", "4, 5, 5, LEAKY_RELU, false",
            "5, 10, 3, RELU, true", "6, 3, 6, LEAKY_RELU, true", "7, 12, 2, LEAKY_RELU, false", "8, 7, 4, RELU, false"})
    void skipsGiveTheSameRegionsAsTheirSkipFreeRewriting(long seed, int width, int depth, Activation act, boolean everywhere) {
        int[] hidden = new int[depth];
        Random rnd = new Random(seed);
        for (int i = 0; i < depth; i++) hidden[i] = width + rnd.nextInt(3) - 1; // mixed sizes: some identity skips, some matrices
        if (everywhere) for (int i = 0; i < depth; i += 2) hidden[i] = width; // equal sizes two apart: identity skips
        Network a = everywhere
                ? RandomNets.withSkipsEverywhere(seed, 2, hidden, 2, act, 0.05)
                : RandomNets.random(seed, 2, hidden, 2, act, 0.05, true);
        for (long s = seed + 1000; a.layers().stream().allMatch(l -> l.skips().isEmpty()); s += 1000)
            a = RandomNets.random(s, 2, hidden, 2, act, 0.05, true); // random skips: draw until there is one
        Rectangle domain = Rectangle.centred(1);
        Network b = RandomNets.withoutSkips(a, domain.magnitude());
        assertThat(b.layers()).allMatch(l -> l.skips().isEmpty());

        // the same function
        for (int k = 0; k < 200; k++) {
            double[] x = {2 * rnd.nextDouble() - 1, 2 * rnd.nextDouble() - 1};
            double[] ya = a.forward(x), yb = b.forward(x);
            for (int o = 0; o < ya.length; o++) assertThat(yb[o]).isCloseTo(ya[o], within(TestTolerances.MAP * (1 + Math.abs(ya[o]))));
        }

        PlanePartitioner ppa = new PlanePartitioner(a, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT);
        PlanePartitioner ppb = new PlanePartitioner(b, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT);
        PlanePartition pa = ppa.getResult(), pb = ppb.getResult();
        RegionChecks.assertAll(a, ppa);
        RegionChecks.assertAll(b, ppb);
        assertThat(pb.count()).as("regions with skips %d, rewritten without skips", pa.count()).isEqualTo(pa.count());
        assertThat(pb.regionsPerLayer()).containsExactly(pa.regionsPerLayer());

        int[] bits = RandomNets.originalBits(a, b);
        Map<ActivationPattern, LinearRegion> ra = RegionChecks.byPattern(pa);
        for (LinearRegion r : pb.regions()) {
            ActivationPattern projected = RegionChecks.select(r.pattern(), bits);
            assertThat(ra).as("pattern %s of the skip-free net", projected).containsKey(projected);
            LinearRegion q = ra.get(projected);
            assertThat(r.area()).isCloseTo(q.area(), within(TestTolerances.AREA * domain.area()));
            assertThat(r.map().distance(q.map())).isLessThanOrEqualTo(TestTolerances.MAP * (1 + norm(q.map())));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"11", "12", "13"})
    void skipIntoTheOutputAndFromTheInputOnly(long seed) {
        // skips that start at the input and end at the output: the rewriting carries x through every layer
        Network base = RandomNets.random(seed, 2, new int[]{6, 6, 6}, 1, Activation.RELU, 0, false);
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>(base.layers());
        DenseLayer out = layers.get(3);
        layers.set(3, new DenseLayer(out.inputSize(), 1, out.weights(), out.bias(), out.activation(), out.leak(),
                List.of(new Skip(0, new double[]{rnd.nextGaussian(), rnd.nextGaussian()}, 2),
                        new Skip(1, new double[]{1, -1, 0.5, 0, 2, -0.5}, 6))));
        Network a = new Network(2, layers);
        Rectangle domain = new Rectangle(-0.5, 1.5, -1, 1);
        Network b = RandomNets.withoutSkips(a, domain.magnitude());
        PlanePartition pa = PlanePartitioner.compute(a, domain), pb = PlanePartitioner.compute(b, domain);
        assertThat(pb.count()).isEqualTo(pa.count());
        int[] bits = RandomNets.originalBits(a, b);
        Map<ActivationPattern, LinearRegion> ra = RegionChecks.byPattern(pa);
        for (LinearRegion r : pb.regions()) {
            LinearRegion q = ra.get(RegionChecks.select(r.pattern(), bits));
            assertThat(q).isNotNull();
            assertThat(r.area()).isCloseTo(q.area(), within(TestTolerances.AREA * domain.area()));
            assertThat(r.map().distance(q.map())).isLessThanOrEqualTo(TestTolerances.MAP * (1 + norm(q.map())));
        }
    }

    private static double norm(AffineMap m) {
        double s = 0;
        for (double v : m.matrix()) s = Math.max(s, Math.abs(v));
        for (double v : m.offset()) s = Math.max(s, Math.abs(v));
        return s;
    }
}
