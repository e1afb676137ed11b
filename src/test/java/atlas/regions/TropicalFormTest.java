package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.CantorNet;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TropicalFormTest {

    static Network skipNet(long seed, Activation act) {
        return skipNet(seed, act, new int[]{2, 4, 4, 4, 1});
    }

    /** sizes[2] == sizes[3]... : an identity skip 1 -> 3 and a matrix skip 1 -> 4 when there are 4 layers, else 1 -> 2 and 1 -> 3. */
    static Network skipNet(long seed, Activation act, int[] sizes) {
        Random r = new Random(seed);
        int idTo = sizes.length == 5 ? 3 : 2, pTo = idTo + 1;
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            double[] w = new double[sizes[i] * sizes[i - 1]];
            for (int k = 0; k < w.length; k++) w[k] = r.nextGaussian() * Math.sqrt(2.0 / sizes[i - 1]);
            double[] b = new double[sizes[i]];
            for (int k = 0; k < b.length; k++) b[k] = 0.2 * r.nextGaussian();
            List<Skip> skips = new ArrayList<>();
            if (i == idTo) skips.add(Skip.identity(1));
            if (i == pTo) {
                double[] p = new double[sizes[i] * sizes[1]];
                for (int k = 0; k < p.length; k++) p[k] = r.nextGaussian();
                skips.add(new Skip(1, p, sizes[1]));
            }
            boolean last = i == sizes.length - 1;
            layers.add(new DenseLayer(sizes[i - 1], sizes[i], w, b, last ? Activation.IDENTITY : act, 0.1, skips));
        }
        return new Network(2, layers);
    }

    /** Nets small enough for the unpruned form. */
    static List<Network> smallNets() {
        return List.of(
                Networks.kaiming(1, 2, new int[]{4, 4}, 1, Activation.RELU, 0, 0.1),
                Networks.kaiming(2, 3, new int[]{3, 3}, 2, Activation.LEAKY_RELU, 0.1, 0.05),
                Networks.kaiming(3, 1, new int[]{4, 4}, 1, Activation.RELU, 0, 0.2),
                skipNet(4, Activation.RELU, new int[]{2, 3, 3, 1}),
                skipNet(5, Activation.LEAKY_RELU, new int[]{2, 3, 3, 1}),
                CantorNet.of(3));
    }

    /** Nets that need pruning (two inputs: on BOX). */
    static List<Network> largerNets() {
        return List.of(
                Networks.kaiming(6, 1, new int[]{6, 6, 6}, 1, Activation.RELU, 0, 0.2),
                Networks.kaiming(7, 2, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1),
                skipNet(4, Activation.RELU),
                skipNet(5, Activation.LEAKY_RELU),
                CantorNet.of(5));
    }

    static final Rectangle BOX = new Rectangle(-2, 2, -2, 2);

    @Test
    void oneReluUnit() {
        Network net = new Network(1, List.of(
                new DenseLayer(1, 1, new double[]{2}, new double[]{-1}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{-3}, new double[]{0.5}, Activation.IDENTITY, 0)));
        TropicalForm t = TropicalForm.of(net);
        // h = max(2x - 1, 0); out = -3 h + 0.5 = 0.5 - max(6x - 3, 0): F = {0.5}, G = {6x - 3, 0}
        assertThat(t.f(0).size()).isEqualTo(1);
        assertThat(t.g(0).size()).isEqualTo(2);
        assertThat(t.evaluate(new double[]{1})[0]).isEqualTo(-2.5);
        assertThat(t.evaluate(new double[]{0})[0]).isEqualTo(0.5);
    }

    @Test
    void evaluationEqualsTheNetwork() {
        Random rnd = new Random(11);
        for (Network net : smallNets()) {
            TropicalForm t = TropicalForm.of(net);
            for (int s = 0; s < 300; s++) {
                double[] x = new double[net.inputDim()];
                for (int k = 0; k < x.length; k++) x[k] = rnd.nextGaussian() * (s % 3 == 0 ? 10 : 1);
                double[] want = net.forward(x), got = t.evaluate(x);
                for (int o = 0; o < want.length; o++)
                    assertThat(got[o]).as("%s at sample %d", net.shape(), s).isCloseTo(want[o], within(1e-9 * (1 + Math.abs(want[o]))));
            }
        }
    }

    @Test
    void prunedFormsEqualTheNetworkOnTheirDomain() {
        Random rnd = new Random(12);
        for (Network net : largerNets()) {
            TropicalForm pruned = TropicalForm.of(net, TropicalForm.DEFAULT_LIMIT, true, BOX);
            for (int s = 0; s < 300; s++) {
                double[] x = new double[net.inputDim()];
                for (int k = 0; k < x.length; k++) x[k] = net.inputDim() == 1 ? rnd.nextGaussian() * 20 : BOX.xmin() + rnd.nextDouble() * BOX.width();
                double[] want = net.forward(x), got = pruned.evaluate(x);
                for (int o = 0; o < want.length; o++)
                    assertThat(got[o]).as("%s at %s", net.shape(), java.util.Arrays.toString(x)).isCloseTo(want[o], within(1e-9 * (1 + Math.abs(want[o]))));
            }
        }
        for (Network net : smallNets()) {
            if (net.inputDim() > 2) continue;
            TropicalForm plain = TropicalForm.of(net), pruned = TropicalForm.of(net, TropicalForm.DEFAULT_LIMIT, true, BOX);
            assertThat(pruned.monomials()).isLessThanOrEqualTo(plain.monomials());
        }
    }

    @Test
    void oneVariableHullPruningIsExactEverywhere() {
        // max(x, -x, 0.5x - 1, 2x - 5): 0.5x - 1 is below |x| everywhere, 2x - 5 wins for x > 5
        TropicalPolynomial p = TropicalPolynomial.of(1, new double[]{1, -1, 0.5, 2}, new double[]{0, 0, -1, -5});
        TropicalPolynomial q = p.pruneHull();
        assertThat(q.size()).isEqualTo(3);
        for (double x = -20; x <= 20; x += 0.37) assertThat(q.evaluate(new double[]{x})).isEqualTo(p.evaluate(new double[]{x}));
    }

    @Test
    void piecesMatchTheRegionEnumeration() {
        for (Network net : List.of(smallNets().get(0), smallNets().get(3), smallNets().get(4), largerNets().get(1),
                largerNets().get(2), largerNets().get(3), CantorNet.of(3))) {
            PlanePartition part = PlanePartitioner.compute(net, BOX);
            TropicalForm t = TropicalForm.of(net, TropicalForm.DEFAULT_LIMIT, true, BOX);
            List<AffineMap> regionMaps = new ArrayList<>(), tropicalMaps = new ArrayList<>();
            for (LinearRegion r : part.regions()) {
                AffineMap piece = t.pieceAt(r.interiorPoint());
                assertThat(piece.distance(r.map())).as("%s region %d", net.shape(), r.id()).isLessThan(1e-7);
                regionMaps.add(r.map());
                tropicalMaps.add(piece);
            }
            int distinct = TropicalForm.distinctMaps(regionMaps, atlas.geometry.Tolerance.DEFAULT);
            assertThat(TropicalForm.distinctMaps(tropicalMaps, atlas.geometry.Tolerance.DEFAULT)).isEqualTo(distinct);
            assertThat(distinct).isLessThanOrEqualTo(part.count());
        }
    }

    @Test
    void samePieceIsRelativeToTheLargerMapAndAbsoluteBelowOne() {
        atlas.geometry.Tolerance tol = new atlas.geometry.Tolerance(atlas.geometry.Tolerance.Kind.FLOATING, atlas.geometry.Tolerance.DEFAULT_SIDE_EPS, 1e-6, 1e-16);
        AffineMap big = new AffineMap(1, 2, new double[]{1000, 2}, new double[]{3});
        // magnitude 1000: 1e-6 x 1000 = 1e-3 allowed
        assertThat(big.samePiece(new AffineMap(1, 2, new double[]{1000, 2 + 0.9e-3}, new double[]{3}), tol)).isTrue();
        assertThat(big.samePiece(new AffineMap(1, 2, new double[]{1000, 2 + 1.1e-3}, new double[]{3}), tol)).isFalse();
        // entries below 1: compared absolutely (1e-6), not relative to 1e-3
        AffineMap small = new AffineMap(1, 2, new double[]{1e-3, 0}, new double[]{0});
        assertThat(small.samePiece(new AffineMap(1, 2, new double[]{1e-3, 0.9e-6}, new double[]{0}), tol)).isTrue();
        assertThat(small.samePiece(new AffineMap(1, 2, new double[]{1e-3, 1.1e-6}, new double[]{0}), tol)).isFalse();
        // distinctMaps counts with the same rule
        assertThat(TropicalForm.distinctMaps(List.of(small, new AffineMap(1, 2, new double[]{1e-3, 0.9e-6}, new double[]{0}),
                new AffineMap(1, 2, new double[]{1e-3, 1.1e-6}, new double[]{0})), tol)).isEqualTo(2);
    }

    @Test
    void distinctMapsMergesNearDuplicatesOnly() {
        AffineMap a = new AffineMap(1, 2, new double[]{1, 2}, new double[]{3});
        AffineMap a2 = new AffineMap(1, 2, new double[]{1, 2 + 1e-14}, new double[]{3});
        AffineMap b = new AffineMap(1, 2, new double[]{1, 2.5}, new double[]{3});
        assertThat(TropicalForm.distinctMaps(List.of(a, b, a2, a), atlas.geometry.Tolerance.DEFAULT)).isEqualTo(2);
    }
}
