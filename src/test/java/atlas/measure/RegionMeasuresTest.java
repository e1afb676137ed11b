package atlas.measure;

import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionSet;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RegionMeasuresTest {

    @Test
    void sawtoothHasTwoToTheKPiecesOnTheUnitInterval() {
        for (int k = 1; k <= 5; k++) {
            RegionSet set = RegionEnumerator.enumerate(Networks.sawtooth(k), HPolytope.cube(1, 0, 1));
            assertThat(set.complete()).isTrue();
            LinearPieces.Result p = LinearPieces.of(set, Tolerance.DEFAULT);
            assertThat(p.pieces()).isEqualTo(1 << k);
            assertThat(set.volumeSum()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void unitsTheOutputIgnoresSplitRegionsButNotPieces() {
        // f = relu(x) + relu(y) + 0 * relu(x - 0.5) + 0 * relu(-y - 10): 6 regions in [-1,1]^2, 4 pieces
        Network net = new Network(2, List.of(
                new DenseLayer(2, 4, new double[]{1, 0, 0, 1, 1, 0, 0, -1}, new double[]{0, 0, -0.5, -10}, Activation.RELU, 0),
                new DenseLayer(4, 1, new double[]{1, 1, 0, 0}, new double[1], Activation.IDENTITY, 0)));
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(2, -1, 1));
        assertThat(set.count()).isEqualTo(6);
        assertThat(LinearPieces.of(set, Tolerance.DEFAULT).pieces()).isEqualTo(4);
        RegionStatistics st = RegionStatistics.of(set);
        assertThat(st.deadUnits()).containsExactly(3);
        assertThat(st.alwaysOnUnits()).isEmpty();
        assertThat(st.facets()).containsEntry(4, 6); // every region is a rectangle
        assertThat(st.vertices()).containsEntry(4, 6);
        assertThat(st.volume().sum()).isCloseTo(4, within(1e-12));
        assertThat(st.volume().min()).isCloseTo(0.5, within(1e-12)); // [0.5,1] x [-1,0]
        assertThat(st.volume().max()).isCloseTo(1, within(1e-12));
    }

    @Test
    void piecesNeverExceedRegionsAndMapsAgreeWithinAPiece() {
        Network net = Networks.kaiming(21, 2, new int[]{5, 5}, 1, Activation.RELU, 0, -0.3);
        RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(2, -2, 2));
        LinearPieces.Result p = LinearPieces.of(set, Tolerance.DEFAULT);
        assertThat(p.pieces()).isBetween(1, set.count());
        for (var r : set.regions())
            for (var f : r.facets())
                if (f.neighbourId() >= 0 && p.pieceOf()[r.id()] != p.pieceOf()[f.neighbourId()])
                    assertThat(r.output().samePiece(set.region(f.neighbourId()).output(), Tolerance.DEFAULT)).isFalse();
    }

    @Test
    void boundsByHand() {
        Network one = Networks.kaiming(1, 2, new int[]{3}, 1, Activation.RELU, 0, 0);
        assertThat(RegionBounds.serra(one)).isEqualTo(BigInteger.valueOf(7));
        assertThat(RegionBounds.montufar(one)).isEqualTo(BigInteger.valueOf(7));
        Network two = Networks.kaiming(1, 2, new int[]{2, 2}, 1, Activation.RELU, 0, 0);
        // J = {(0,0..2), (1,0..1), (2,0)}: 1*4 + 2*3 + 1*1 = 11; Montufar (1+2+1)^2 = 16
        assertThat(RegionBounds.serra(two)).isEqualTo(BigInteger.valueOf(11));
        assertThat(RegionBounds.montufar(two)).isEqualTo(BigInteger.valueOf(16));
        assertThat(RegionBounds.arrangement(two)).isEqualTo(BigInteger.valueOf(16));
        // a 1-unit bottleneck: 2 -> [4, 1, 4]: Montufar d = 1 after the bottleneck: 11 * 2 * 5 = 110
        Network neck = Networks.kaiming(1, 2, new int[]{4, 1, 4}, 1, Activation.RELU, 0, 0);
        assertThat(RegionBounds.montufar(neck)).isEqualTo(BigInteger.valueOf(110));
        assertThat(RegionBounds.serra(neck)).isLessThanOrEqualTo(BigInteger.valueOf(110));
        Network hr = Networks.kaiming(1, 2, new int[]{10}, 1, Activation.RELU, 0, 0);
        assertThat(RegionBounds.haninRolnick(hr, 4, 1)).isCloseTo(200, within(1e-9)); // 10^2 / 2! * 4
        Network leaky = Networks.kaiming(1, 2, new int[]{3}, 1, Activation.LEAKY_RELU, 0.1, 0);
        assertThat(RegionBounds.plainRelu(leaky)).isFalse();
        assertThat(RegionBounds.best(leaky)).isEqualTo(BigInteger.valueOf(7));
    }

    @Test
    void measuredCountsStayBelowTheBounds() {
        for (long seed = 1; seed <= 3; seed++) {
            Network net = Networks.kaiming(seed, 3, new int[]{5, 4}, 1, Activation.RELU, 0, 0.1);
            RegionSet set = RegionEnumerator.enumerate(net, HPolytope.cube(3, -3, 3));
            assertThat(BigInteger.valueOf(set.count())).isLessThanOrEqualTo(RegionBounds.serra(net));
            assertThat(RegionBounds.serra(net)).isLessThanOrEqualTo(RegionBounds.montufar(net));
        }
    }

    @Test
    void aNetWithoutCuttingUnitsIsOneRegionAndOnePiece() {
        Network linear = new Network(3, List.of(new DenseLayer(3, 2, new double[]{1, 2, 3, 4, 5, 6}, new double[]{0, 1}, Activation.IDENTITY, 0)));
        RegionSet set = RegionEnumerator.enumerate(linear, HPolytope.cube(3, -1, 1));
        assertThat(set.count()).isEqualTo(1);
        assertThat(set.complete()).isTrue();
        assertThat(LinearPieces.of(set, Tolerance.DEFAULT).pieces()).isEqualTo(1);
        RegionStatistics st = RegionStatistics.of(set);
        assertThat(st.units()).isZero();
        assertThat(st.facets()).containsEntry(6, 1);
        assertThat(RegionBounds.serra(linear)).isEqualTo(BigInteger.ONE);
    }
}
