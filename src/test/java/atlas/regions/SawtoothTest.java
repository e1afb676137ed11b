package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The tent map composed k times ({@link Networks#sawtooth}) has exactly 2^k linear pieces on [0, 1], with
 * breakpoints at j / 2^k, slopes alternating +2^k and -2^k, value 0 at even and 1 at odd breakpoints. Every
 * later layer's first unit touches zero at existing breakpoints without changing sign: a cut through existing
 * vertices that must add nothing.
 */
class SawtoothTest {

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void segmentKernelFindsTwoToTheKPieces(int k) {
        Network net = Networks.sawtooth(k);
        SegmentPartition sp = SegmentPartitioner.compute(net, new double[]{0}, new double[]{1});
        int n = 1 << k;
        assertThat(sp.count()).isEqualTo(n);
        RegionChecks.assertTilesUnitInterval(sp);
        RegionChecks.assertPerLayerCounts(net, sp);
        double[] bp = sp.breakpoints();
        for (int j = 1; j < n; j++) assertThat(bp[j - 1]).isCloseTo((double) j / n, within(TestTolerances.POSITION));
        for (int j = 0; j < n; j++) {
            AffineMap m = sp.intervals().get(j).map();
            double slope = (j % 2 == 0 ? 1 : -1) * (double) n;
            assertThat(m.coefficient(0, 0)).as("slope of piece %d", j).isCloseTo(slope, within(TestTolerances.MAP * n));
            double t0 = (double) j / n;
            assertThat(m.apply(t0)[0]).as("value at %s", t0).isCloseTo(j % 2 == 0 ? 0 : 1, within(TestTolerances.MAP * n));
        }
        assertThat(RegionChecks.maxMapError(net, sp)).isLessThanOrEqualTo(TestTolerances.MAP);
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {3, 6, 9})
    void reversedSegmentHasTheSamePiecesInReverse(int k) {
        Network net = Networks.sawtooth(k);
        SegmentPartition fwd = SegmentPartitioner.compute(net, new double[]{0}, new double[]{1});
        SegmentPartition rev = SegmentPartitioner.compute(net, new double[]{1}, new double[]{0});
        assertThat(rev.count()).isEqualTo(fwd.count());
        int n = fwd.count();
        for (int j = 0; j < n; j++) {
            assertThat(rev.intervals().get(j).pattern()).isEqualTo(fwd.intervals().get(n - 1 - j).pattern());
            assertThat(rev.intervals().get(j).t1()).isCloseTo(1 - fwd.intervals().get(n - 1 - j).t0(), within(TestTolerances.POSITION));
        }
    }

    @ParameterizedTest(name = "k = {0}, [{1}, {2}]")
    @CsvSource({"4,0.1,0.9", "5,0.25,0.75", "7,0.3,0.31", "8,0.0,0.5", "10,0.123,0.877"})
    void subSegmentHasOnePlusTheBreakpointsInside(int k, double a, double b) {
        Network net = Networks.sawtooth(k);
        SegmentPartition sp = SegmentPartitioner.compute(net, new double[]{a}, new double[]{b});
        int n = 1 << k, inside = 0;
        for (int j = 1; j < n; j++) if ((double) j / n > a && (double) j / n < b) inside++;
        assertThat(sp.count()).isEqualTo(inside + 1);
        RegionChecks.assertTilesUnitInterval(sp);
        assertThat(RegionChecks.maxMapError(net, sp)).isLessThanOrEqualTo(TestTolerances.MAP);
    }

    /** The sawtooth on (x, y) reading only x (or only y): 2^k strips of area 1 / 2^k. */
    static Network planeSawtooth(int k, boolean useY) {
        Network s = Networks.sawtooth(k);
        List<DenseLayer> layers = new ArrayList<>(s.layers());
        double[] w = useY ? new double[]{0, 2, 0, 4} : new double[]{2, 0, 4, 0};
        layers.set(0, new DenseLayer(2, 2, w, s.layer(1).bias(), Activation.RELU, 0));
        return new Network(2, layers);
    }

    @ParameterizedTest(name = "k = {0}, reads y: {1}")
    @CsvSource({"1,false", "2,true", "3,false", "4,false", "5,true", "6,false", "7,false", "8,true", "9,false", "10,false"})
    void planeKernelFindsTwoToTheKStrips(int k, boolean useY) {
        Network net = planeSawtooth(k, useY);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT);
        PlanePartition p = pp.getResult();
        int n = 1 << k;
        assertThat(p.count()).isEqualTo(n);
        RegionChecks.assertAll(net, pp);
        for (LinearRegion r : p.regions()) {
            assertThat(r.area()).isCloseTo(1.0 / n, within(TestTolerances.AREA));
            // a strip: the coordinate the net reads spans exactly 1/n, the other spans [0, 1]
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, olo = lo, ohi = hi;
            for (int v = 0; v < r.vertexCount(); v++) {
                double c = useY ? r.y(v) : r.x(v), o = useY ? r.x(v) : r.y(v);
                lo = Math.min(lo, c); hi = Math.max(hi, c);
                olo = Math.min(olo, o); ohi = Math.max(ohi, o);
            }
            assertThat(hi - lo).isCloseTo(1.0 / n, within(TestTolerances.POSITION));
            assertThat(lo * n).isCloseTo(Math.rint(lo * n), within(TestTolerances.POSITION * n));
            assertThat(olo).isEqualTo(0.0);
            assertThat(ohi).isEqualTo(1.0);
        }
    }

    /**
     * The ternary tent map T(x) = 3x, 2 - 3x, 3x - 2 on the thirds of [0, 1], as relu(3x) - relu(6x - 2) + relu(6x - 4),
     * composed k times: 3^k pieces with breakpoints at j / 3^k, which double cannot represent, and whose every
     * later layer touches zero (relu(3y) at y = 0) at existing, rounded breakpoints.
     */
    static Network ternarySawtooth(int k, int inputDim) {
        List<DenseLayer> layers = new ArrayList<>();
        double[] first = new double[3 * inputDim];
        first[0] = 3;
        first[inputDim] = 6;
        first[2 * inputDim] = 6;
        double[] bias = {0, -2, -4};
        layers.add(new DenseLayer(inputDim, 3, first, bias, Activation.RELU, 0));
        for (int i = 1; i < k; i++)
            layers.add(new DenseLayer(3, 3, new double[]{3, -3, 3, 6, -6, 6, 6, -6, 6}, bias, Activation.RELU, 0));
        layers.add(new DenseLayer(3, 1, new double[]{1, -1, 1}, new double[1], Activation.IDENTITY, 0));
        return new Network(inputDim, layers);
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void ternarySawtoothHasThreeToTheKPiecesAtInexactBreakpoints(int k) {
        Network net = ternarySawtooth(k, 1);
        SegmentPartition sp = SegmentPartitioner.compute(net, new double[]{0}, new double[]{1});
        int n = (int) Math.round(Math.pow(3, k));
        assertThat(sp.count()).isEqualTo(n);
        double[] bp = sp.breakpoints();
        for (int j = 1; j < n; j++) assertThat(bp[j - 1]).isCloseTo((double) j / n, within(TestTolerances.POSITION));
        RegionChecks.assertTilesUnitInterval(sp);
        assertThat(RegionChecks.maxMapError(net, sp)).isLessThanOrEqualTo(TestTolerances.MAP);

        Network plane = ternarySawtooth(k, 2);
        PlanePartitioner pp = new PlanePartitioner(plane, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT);
        assertThat(pp.getResult().count()).isEqualTo(n);
        RegionChecks.assertAll(plane, pp);
        for (LinearRegion r : pp.getResult().regions()) assertThat(r.area()).isCloseTo(1.0 / n, within(TestTolerances.AREA));
    }
}
