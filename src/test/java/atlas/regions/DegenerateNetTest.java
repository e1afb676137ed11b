package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Degenerate cuts on random deep nets: units added to a layer that cut nowhere new (copies of a unit, scaled
 * or flipped; identically zero units; never- and always-active units; first-layer cuts exactly along the
 * domain's edges or touching only a corner) must leave the regions unchanged: same count, same areas, and
 * the patterns of the original units unchanged, with the added bits as predicted. The hand-computed
 * degenerate cases are in the ground-truth fixtures.
 */
class DegenerateNetTest {

    /** {@code a} with extra units appended to layer {@code i} (no skips allowed); the next layer ignores them. */
    static Network appendUnits(Network a, int i, List<double[]> rows, List<Double> biases) {
        List<DenseLayer> layers = new ArrayList<>(a.layers());
        DenseLayer l = a.layer(i);
        int in = l.inputSize(), units = l.units(), extra = rows.size();
        double[] w = new double[(units + extra) * in];
        System.arraycopy(l.weights(), 0, w, 0, units * in);
        double[] b = new double[units + extra];
        System.arraycopy(l.bias(), 0, b, 0, units);
        for (int r = 0; r < extra; r++) {
            System.arraycopy(rows.get(r), 0, w, (units + r) * in, in);
            b[units + r] = biases.get(r);
        }
        layers.set(i - 1, new DenseLayer(in, units + extra, w, b, l.activation(), l.leak()));
        DenseLayer n = a.layer(i + 1);
        double[] nw = new double[n.units() * (units + extra)];
        for (int u = 0; u < n.units(); u++) System.arraycopy(n.weights(), u * units, nw, u * (units + extra), units);
        layers.set(i, new DenseLayer(units + extra, n.units(), nw, n.bias(), n.activation(), n.leak()));
        return new Network(a.inputDim(), layers);
    }

    /** Bits of {@code a} inside the pattern of {@code b} = a with {@code extra[i]} units appended to layer i. */
    static int[] originalBitsAfterAppend(Network a, Network b) {
        int[] map = new int[a.cuttingUnits()];
        for (int i = 1; i <= a.depth(); i++) {
            int off = a.patternOffset(i);
            if (off < 0) continue;
            for (int u = 0; u < a.size(i); u++) map[off + u] = b.patternOffset(i) + u;
        }
        return map;
    }

    /** Runs both partitions and checks that b's regions are a's: same count, areas and original-unit patterns. */
    static PlanePartition assertSameRegions(Network a, Network b, Rectangle domain) {
        PlanePartitioner ppa = new PlanePartitioner(a, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT);
        PlanePartitioner ppb = new PlanePartitioner(b, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT);
        PlanePartition pa = ppa.getResult(), pb = ppb.getResult();
        RegionChecks.assertAll(b, ppb);
        assertThat(pb.count()).as("regions after adding units that cut nothing new (before: %d)", pa.count()).isEqualTo(pa.count());
        Map<ActivationPattern, LinearRegion> ra = RegionChecks.byPattern(pa);
        int[] bits = originalBitsAfterAppend(a, b);
        for (LinearRegion r : pb.regions()) {
            LinearRegion q = ra.get(RegionChecks.select(r.pattern(), bits));
            assertThat(q).as("region %d's pattern restricted to the original units", r.id()).isNotNull();
            assertThat(r.area()).isCloseTo(q.area(), within(TestTolerances.AREA * domain.area()));
        }
        return pb;
    }

    @ParameterizedTest(name = "seed {0}, [{1}]x{2} {3}")
    @CsvSource({"1,6,1,RELU", "2,8,2,RELU", "3,6,3,LEAKY_RELU", "4,10,2,LEAKY_RELU", "5,5,4,RELU", "6,12,3,LEAKY_RELU"})
    void copiesOfAUnitScaledOrFlippedAddNoRegion(long seed, int width, int depth, Activation act) {
        Network a = RandomNets.random(seed, 2, atlas.net.Networks.uniform(width, depth), 1, act, 0.1, false);
        Random rnd = new Random(seed);
        Network b = a;
        int[] copied = new int[depth + 1];
        for (int i = 1; i <= depth; i++) {
            DenseLayer l = b.layer(i);
            int u = rnd.nextInt(width);
            copied[i] = u;
            List<double[]> rows = new ArrayList<>();
            List<Double> biases = new ArrayList<>();
            for (double f : new double[]{1, 3, 1e-3, -1, -7.5}) {
                double[] row = new double[l.inputSize()];
                for (int k = 0; k < row.length; k++) row[k] = f * l.weight(u, k);
                rows.add(row);
                biases.add(f * l.bias()[u]);
            }
            b = appendUnits(b, i, rows, biases);
        }
        PlanePartition pb = assertSameRegions(a, b, Rectangle.centred(1));
        for (LinearRegion r : pb.regions()) {
            for (int i = 1; i <= depth; i++) {
                int off = b.patternOffset(i);
                boolean on = r.pattern().get(off + copied[i]);
                // the copies are on with the unit, the flipped copies are on where it is negative
                assertThat(r.pattern().get(off + width)).isEqualTo(on);
                assertThat(r.pattern().get(off + width + 1)).isEqualTo(on);
                assertThat(r.pattern().get(off + width + 2)).isEqualTo(on);
                assertThat(r.pattern().get(off + width + 3)).isEqualTo(!on);
                assertThat(r.pattern().get(off + width + 4)).isEqualTo(!on);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, [{1}]x{2} {3}")
    @CsvSource({"11,6,2,RELU", "12,8,3,LEAKY_RELU", "13,4,4,RELU", "14,9,2,LEAKY_RELU"})
    void zeroNeverActiveAndAlwaysActiveUnitsAddNoRegion(long seed, int width, int depth, Activation act) {
        Network a = RandomNets.random(seed, 2, atlas.net.Networks.uniform(width, depth), 1, act, 0.1, false);
        Network b = a;
        Random rnd = new Random(seed);
        for (int i = 1; i <= depth; i++) {
            int in = b.layer(i).inputSize();
            double[] small = new double[in];
            for (int k = 0; k < in; k++) small[k] = 0.01 * rnd.nextGaussian();
            b = appendUnits(b, i, List.of(new double[in], small, small), List.of(0.0, -1e3, 1e3));
        }
        PlanePartition pb = assertSameRegions(a, b, Rectangle.centred(1));
        for (LinearRegion r : pb.regions())
            for (int i = 1; i <= depth; i++) {
                int off = b.patternOffset(i);
                assertThat(r.pattern().get(off + width)).as("identically zero unit").isFalse();
                assertThat(r.pattern().get(off + width + 1)).as("never active unit").isFalse();
                assertThat(r.pattern().get(off + width + 2)).as("always active unit").isTrue();
            }
    }

    @ParameterizedTest(name = "seed {0}, domain {1}")
    @CsvSource({"21,'0,1,0,1'", "22,'-1,1,-1,1'", "23,'-0.3,0.7,0.1,0.35'", "24,'-3,2,-1,5'"})
    void cutsAlongTheDomainEdgesOrThroughACornerOnlyAddNoRegion(long seed, String box) {
        Rectangle d = Rectangle.parse(box);
        Network a = RandomNets.random(seed, 2, new int[]{7, 7}, 1, Activation.RELU, 0, false);
        List<double[]> rows = List.of(
                new double[]{1, 0}, new double[]{-2, 0}, new double[]{1, 0}, new double[]{0, 3},
                new double[]{0, 1}, new double[]{1, 1}, new double[]{1, -1}, new double[]{-1, -1}, new double[]{-1, 1});
        List<Double> biases = List.of(
                -d.xmin(), 2 * d.xmin(), -d.xmax(), -3 * d.ymin(),
                -d.ymax(), -(d.xmin() + d.ymin()), -(d.xmax() - d.ymin()), d.xmax() + d.ymax(), d.xmin() - d.ymax());
        Network b = appendUnits(a, 1, rows, biases);
        PlanePartition pb = assertSameRegions(a, b, d);
        int off = b.patternOffset(1) + 7;
        for (LinearRegion r : pb.regions()) {
            assertThat(r.pattern().toBitString().substring(off, off + 9))
                    .as("x > xmin, x < xmin, x > xmax, y > ymin, y > ymax; corner lines: on, off, on, off")
                    .isEqualTo("100101010");
        }
    }

    @Test
    void aLayerOfZerosLeavesOnlyTheRegionsOfTheLayersBeforeIt() {
        Network a = RandomNets.random(31, 2, new int[]{9, 6, 6}, 1, Activation.LEAKY_RELU, 0.2, false);
        List<DenseLayer> layers = new ArrayList<>(a.layers());
        DenseLayer l2 = a.layer(2);
        layers.set(1, new DenseLayer(l2.inputSize(), l2.units(), new double[l2.weights().length], new double[l2.units()], l2.activation(), l2.leak()));
        Network b = new Network(2, layers);
        PlanePartitioner pp = new PlanePartitioner(b, PlaneSlice.inputPlane(), Rectangle.centred(1), Tolerance.DEFAULT);
        PlanePartition p = pp.getResult();
        RegionChecks.assertAll(b, pp);
        int[] per = p.regionsPerLayer();
        // layer 2 is identically zero, so layer 3 sees a constant: neither cuts
        assertThat(per[2]).isEqualTo(per[1]);
        assertThat(per[3]).isEqualTo(per[1]);
        assertThat(p.count()).isEqualTo(per[1]).isGreaterThan(1);
    }

    @ParameterizedTest(name = "spacing {0}")
    @CsvSource({"1e-3", "1e-5", "1e-7"})
    void parallelCutsCloseTogetherAreAllResolved(double spacing) {
        int n = 10;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) { a[k] = 1; b[k] = 0.25; c[k] = -(0.4 + k * spacing); }
        Network net = atlas.net.Networks.lines(a, b, c);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT);
        assertThat(pp.getResult().count()).isEqualTo(n + 1);
        RegionChecks.assertAll(net, pp);
        int strips = 0;
        for (LinearRegion r : pp.getResult().regions())
            if (Math.abs(r.area() - spacing) <= 1e-6 * spacing) strips++;
        assertThat(strips).as("strips of width %s (area = width, as the cuts cross the square top to bottom)", spacing).isEqualTo(n - 1);
    }

    @Test
    void cutsCloserThanTheToleranceMergeWithoutSlivers() {
        // x = 0.4 + k 1e-13: within the side tolerance (1e-9 relative) of each other, so taken as one cut
        int n = 5;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) { a[k] = 1; b[k] = 0; c[k] = -(0.4 + k * 1e-13); }
        Network net = atlas.net.Networks.lines(a, b, c);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT);
        RegionChecks.assertAll(net, pp);
        assertThat(pp.getResult().count()).isEqualTo(2);
    }

    @ParameterizedTest(name = "seed {0}, {1}")
    @CsvSource({"41,RELU", "42,LEAKY_RELU", "43,RELU", "44,LEAKY_RELU"})
    void aLaterUnitWhoseZeroSetIsAnEarlierCutAddsNoRegion(long seed, Activation act) {
        // layer 1 holds unit u and its flip -u; a layer-2 unit computing c (act(z_u) - act(-z_u)) = c (1 + leak) z_u
        // has the same zero set as u, reached through different arithmetic
        Network base = RandomNets.random(seed, 2, new int[]{8, 6}, 1, act, 0.1, false);
        Random rnd = new Random(seed);
        int u = rnd.nextInt(8);
        DenseLayer l1 = base.layer(1);
        Network a = appendUnits(base, 1, List.of(new double[]{-l1.weight(u, 0), -l1.weight(u, 1)}), List.of(-l1.bias()[u]));
        double[] row = new double[9];
        double scale = 0.5 + rnd.nextDouble();
        row[u] = scale;
        row[8] = -scale;
        Network b = appendUnits(a, 2, List.of(row, new double[]{0, 0, 0, 0, 0, 0, 0, 0, 0}), List.of(0.0, 0.0));
        PlanePartition pb = assertSameRegions(a, b, Rectangle.centred(1));
        for (LinearRegion r : pb.regions()) {
            assertThat(r.pattern().get(b.patternOffset(2) + 6)).as("the later copy is on with u").isEqualTo(r.pattern().get(u));
            assertThat(r.pattern().get(b.patternOffset(2) + 7)).as("identically zero unit of layer 2").isFalse();
        }
    }
}
