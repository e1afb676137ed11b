package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Exact mode against the exact-rational reference on random nets whose weights lie on a coarse dyadic grid
 * (multiples of 1/2 in [-2, 2], biases multiples of 1/4 in [-1, 1]) on the box [-1, 1]^2: degeneracies are the
 * rule (concurrent cuts, cuts through vertices and corners, duplicate and parallel cuts, cuts along the domain's
 * edges, units identically zero). Counts, patterns, adjacency and areas must equal the reference's.
 */
class ExactModePropertiesTest {

    static Network dyadicNet(long seed, int depth, int width) {
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        int prev = 2;
        for (int i = 0; i <= depth; i++) {
            int units = i < depth ? 1 + rnd.nextInt(width) : 1;
            double[] w = new double[units * prev], b = new double[units];
            for (int k = 0; k < w.length; k++) w[k] = (rnd.nextInt(9) - 4) / 2.0;
            for (int k = 0; k < units; k++) b[k] = (rnd.nextInt(9) - 4) / 4.0;
            Activation act = i < depth ? (rnd.nextInt(4) == 0 ? Activation.LEAKY_RELU : Activation.RELU) : Activation.IDENTITY;
            layers.add(new DenseLayer(prev, units, w, b, act, 0.25));
            prev = units;
        }
        return new Network(2, layers);
    }

    @Property(tries = 40)
    void exactModeEqualsTheExactReferenceOnDyadicNets(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                     @ForAll @IntRange(min = 1, max = 3) int depth) {
        Network net = dyadicNet(seed, depth, 4);
        Rectangle box = new Rectangle(-1, 1, -1, 1);
        PlanePartition p = ExactModeTest.exact(net, box);
        ExactModeTest.assertMatchesReference(net, box, p);
    }
}
