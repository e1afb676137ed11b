package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filters' bounds really bound the error (the double-double stage's; the plain stage's in its own property): on random deep generic nets, after every layer, every
 * stored value (the layer's outputs and the kept earlier outputs) and every coordinate of a sample of vertices is
 * compared in exact decimal arithmetic with the network's exact value at the exact vertex (ExactFallback's
 * homogeneous coordinates, 120 digits); {@code |hi + lo - exact|} must not exceed the bound. Odd layers are checked
 * before their activation, which then stays deferred to the next layer's gather; even layers after it. Also reports
 * how tight the bound is: the largest ratio seen must not be 0 for every value (the test would then check nothing).
 */
class ExactModeBoundsTest {

    @Property(tries = 12)
    void theDoubleDoubleBoundsHoldOnDeepNets(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                            @ForAll @IntRange(min = 6, max = 16) int width,
                                            @ForAll @IntRange(min = 8, max = 24) int depth,
                                            @ForAll boolean leaky) {
        Network net = Networks.kaiming(seed, 2, Networks.uniform(width, depth), 1,
                leaky ? Activation.LEAKY_RELU : Activation.RELU, leaky ? 0.01 : 0, 0.1);
        // the double-double stage from the first layer: with the plain stage first, a deep net's first layers would
        // be made (and checked) by the plain stage and made again unheard by the listener after it gave up
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(-1, 1, -1, 1), Tolerance.EXACT)
                .plainStage(false, 0);
        double[] largest = {0};
        int[] checked = {0};
        checkBoundsAfterEachLayer(pp, net, 12, "dd", largest, checked);
        pp.getResult();
        pp.checkInvariants();
        assertThat(checked[0]).isPositive();
        assertThat(largest[0]).as("some value is inexact").isPositive();
    }

    /**
     * The plain stage's bounds ({@link PlainStage}: plain double values, the layer step's norm and row bounds, the
     * activation's and the crossings' bounds) hold the same way, on nets of up to 7 layers: every sampled vertex's stored values (odd layers z, even layers h as above) and coordinates,
     * the crossings' included (most vertices are crossings), against the exact values in exact decimal arithmetic;
     * on the deeper of these nets the stage may give up after a few layers (those layers are checked).
     */
    @Property(tries = 16)
    void thePlainBoundsHold(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                            @ForAll @IntRange(min = 4, max = 24) int width,
                            @ForAll @IntRange(min = 1, max = 6) int depth,
                            @ForAll boolean leaky) {
        Network net = Networks.kaiming(seed, 2, Networks.uniform(width, depth), 1,
                leaky ? Activation.LEAKY_RELU : Activation.RELU, leaky ? 0.01 : 0, 0.1);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(-3, 2, -1, 4), Tolerance.EXACT);
        double[] largest = {0};
        int[] plainChecked = {0};
        checkBoundsAfterEachLayer(pp, net, 24, "plain", largest, plainChecked);
        pp.getResult();
        pp.checkInvariants();
        assertThat(plainChecked[0]).as("layers made by the plain stage (before it gave up, if it did)").isPositive();
        assertThat(largest[0]).as("some value is inexact").isPositive();
    }

    /**
     * Listens to {@code pp}'s layers: after each one made by the stage named ({@code "dd"} or {@code "plain"}), about
     * {@code samples} vertices' stored values and coordinates against the exact ones, {@code |stored - exact| / bound}
     * at most 1 (odd layers the pre-activations z, whose activation then stays deferred to the next layer's gather;
     * even layers and the last h, which applies it now). Counts the vertices checked and keeps the largest ratio.
     */
    private static void checkBoundsAfterEachLayer(PlanePartitioner pp, Network net, int samples, String stage, double[] largest, int[] checked) {
        pp.setLayerListener(i -> {
            VertexTable vt = pp.vertexTable();
            if (vt.isPlain() != stage.equals("plain")) return;
            int step = Math.max(1, vt.size / samples);
            boolean activated = i % 2 == 0 || i == net.depth();
            for (int v = vt.size - 1; v >= 0; v -= step) {
                double[] ratios = vt.boundRatios(v, net.layer(i), activated);
                for (int c = 0; c < ratios.length; c++) {
                    assertThat(ratios[c]).as("layer %d vertex %d column %d: |%s - exact| / bound", i, v, c, stage).isLessThanOrEqualTo(1.0);
                    largest[0] = Math.max(largest[0], ratios[c]);
                }
                checked[0]++;
            }
        });
    }
}
