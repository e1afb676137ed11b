package atlas.net;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.FoldingResult;
import atlas.measure.PathFolder;
import atlas.measure.PathPiece;
import atlas.measure.SpaceFolding;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * CantorNet against its closed form. Exact oracle: a point x = n / D with D = 4 * 3^k keeps the denominator D
 * under A (A multiplies by 3 and subtracts integers), so patterns and output signs are decided in integers.
 */
class CantorNetTest {

    @Test
    void networkEqualsTheClosedForm() {
        Random rnd = new Random(3);
        for (int k = 1; k <= 6; k++) {
            Network net = CantorNet.of(k), carried = CantorNet.withCarriedY(k);
            assertThat(net.cuttingUnits()).isEqualTo(2 * k);
            for (int i = 0; i < 200; i++) {
                double x = rnd.nextDouble() * 1.4 - 0.2, y = rnd.nextDouble() * 2;
                double want = CantorNet.value(k, x, y);
                assertThat(net.forward(new double[]{x, y})[0]).isCloseTo(want, within(1e-9));
                assertThat(carried.forward(new double[]{x, y})[0]).isCloseTo(want, within(1e-9));
            }
        }
    }

    @Test
    void endpointNumerators() {
        assertThat(CantorNet.endpointNumerators(1)).containsExactly(0, 1, 2, 3);
        assertThat(CantorNet.endpointNumerators(2)).containsExactly(0, 1, 2, 3, 6, 7, 8, 9);
        assertThat(CantorNet.endpointNumerators(5)).hasSize(64);
    }

    /** Interior level-k endpoints as numerators over 3^k. */
    private static TreeSet<Long> interiorEndpoints(int k) {
        TreeSet<Long> s = new TreeSet<>();
        long d = CantorNet.denominator(k);
        for (long m : CantorNet.endpointNumerators(k)) if (m > 0 && m < d) s.add(m);
        return s;
    }

    /** x as a numerator over den, after checking that it is that fraction to within rounding. */
    private static long asFraction(double x, long den) {
        long m = Math.round(x * den);
        assertThat(Math.abs(x * den - m)).as("%s is not a multiple of 1/%d", x, den).isLessThan(1e-7);
        return m;
    }

    @Test
    void decisionBoundaryVerticesFromThePlanePartition() {
        for (int k = 1; k <= 5; k++) {
            long den = CantorNet.denominator(k);
            Network net = CantorNet.of(k);
            PlanePartition part = PlanePartitioner.compute(net, new Rectangle(0, 1, 0, 2));
            // the boundary inside each region: the zero line of its affine output, clipped to the polygon
            List<double[]> segs = new ArrayList<>(); // x0, y0, x1, y1, slope
            for (LinearRegion r : part.regions()) {
                double a = r.map().coefficient(0, 0), b = r.map().coefficient(0, 1), c = r.map().offset(0);
                assertThat(b).isCloseTo(1.0, within(1e-9)); // f = y - g(x): the boundary is a graph over x
                double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < r.vertexCount(); v++) { xmin = Math.min(xmin, r.x(v)); xmax = Math.max(xmax, r.x(v)); }
                double y0 = -(a * xmin + c) / b, y1 = -(a * xmax + c) / b;
                if (Math.min(y0, y1) < 0 || Math.max(y0, y1) > 2) continue;
                segs.add(new double[]{xmin, y0, xmax, y1, -a / b});
            }
            segs.sort((p, q) -> Double.compare(p[0], q[0]));
            // the strips tile [0, 1] in x and the boundary is continuous and equal to g at every end
            assertThat(segs.get(0)[0]).isEqualTo(0.0);
            assertThat(segs.get(segs.size() - 1)[2]).isEqualTo(1.0);
            TreeSet<Long> vertices = new TreeSet<>();
            for (int i = 0; i < segs.size(); i++) {
                double[] s = segs.get(i);
                assertThat(s[1]).isCloseTo(CantorNet.boundary(k, s[0]), within(1e-9));
                assertThat(s[3]).isCloseTo(CantorNet.boundary(k, s[2]), within(1e-9));
                if (i > 0) {
                    double[] p = segs.get(i - 1);
                    assertThat(s[0]).isCloseTo(p[2], within(1e-12));
                    if (Math.abs(s[4] - p[4]) > 1e-6) vertices.add(asFraction(s[0], den));
                }
            }
            assertThat(vertices).as("level %d", k).isEqualTo(interiorEndpoints(k));
            // the vertex heights are 1/2 or 1 exactly
            for (long m : vertices) {
                double g = CantorNet.boundary(k, (double) m / den);
                assertThat(Math.abs(g - 0.5) < 1e-9 || Math.abs(g - 1) < 1e-9).isTrue();
            }
        }
    }

    @Test
    void horizontalLinesCrossAtEndpointsAndMidpoints() {
        // along y = 3/4 the hidden units cut at the interior endpoints, the output at the midpoints of the
        // level-k intervals (where A^k = 1/2)
        for (int k = 1; k <= 6; k++) {
            long den = 2 * CantorNet.denominator(k);
            TreeSet<Long> want = new TreeSet<>();
            for (long m : interiorEndpoints(k)) want.add(2 * m);
            long[] ends = CantorNet.endpointNumerators(k);
            for (int i = 0; i < ends.length; i += 2) want.add(ends[i] + ends[i + 1]);
            for (Network net : List.of(CantorNet.of(k), CantorNet.withCarriedY(k))) {
                PathFolder f = new PathFolder(net, Tolerance.DEFAULT, true);
                f.fold(new double[]{0, 0.75}, new double[]{1, 0.75});
                TreeSet<Long> got = new TreeSet<>();
                List<PathPiece> pieces = f.pieces();
                for (int i = 0; i + 1 < pieces.size(); i++) got.add(asFraction(pieces.get(i).t1(), den));
                assertThat(got).as("level %d", k).isEqualTo(want);
                List<PathPiece> ref = SpaceFolding.exactPieces(net, new double[]{0, 0.75}, new double[]{1, 0.75}, true, Tolerance.DEFAULT);
                assertThat(ref).hasSameSizeAs(pieces);
            }
        }
    }

    @Test
    void verticalLinesCrossTheBoundaryOnce() {
        for (int k = 1; k <= 5; k++) {
            long den = CantorNet.denominator(k);
            for (long m : CantorNet.endpointNumerators(k)) {
                double x = (double) m / den;
                List<PathPiece> pieces = SpaceFolding.exactPieces(CantorNet.of(k), new double[]{x, 0}, new double[]{x, 2}, true, Tolerance.DEFAULT);
                assertThat(pieces).hasSize(2);
                double y = 2 * pieces.get(0).t1();
                // exactly 1/2 or 1 (A^k is 0 or 1 at an endpoint)
                assertThat(Math.abs(y - 0.5) < 1e-12 || Math.abs(y - 1) < 1e-12).as("level %d x = %d/%d: y = %s", k, m, den, y).isTrue();
                assertThat(y).isCloseTo(CantorNet.boundary(k, x), within(1e-12));
            }
        }
    }

    /** chi along y = y0 from the integer oracle; y0 = yNum / 4 (outputs appended) or no outputs when yNum < 0. */
    static double oracleChi(int k, int yNum) {
        long d = 4 * CantorNet.denominator(k);
        List<ActivationPattern> seq = new ArrayList<>();
        for (long n = 1; n < d; n += 2) { // midpoints of [j/(2 * 3^k) ... ] cells: every break is a multiple of 1/(2 3^k)
            boolean[] bits = new boolean[2 * k + (yNum >= 0 ? 1 : 0)];
            long u = n;
            for (int j = 0; j < k; j++) {
                long r1 = 3 * u - 2 * d, r2 = d - 3 * u;
                bits[2 * j] = r1 > 0;
                bits[2 * j + 1] = r2 > 0;
                u = Math.max(r1, 0) + Math.max(r2, 0);
            }
            // output y0 - (u/d + 1)/2 > 0  <=>  2 * y0 * d - u - d > 0, with y0 = yNum / 4
            if (yNum >= 0) bits[2 * k] = yNum * d - 2 * u - 2 * d > 0;
            seq.add(ActivationPattern.of(bits));
        }
        return SpaceFolding.ofPatterns(seq).chi();
    }

    @Test
    void chiAlongHorizontalPathsMatchesTheOracle() {
        assertThat(oracleChi(1, -1)).isZero();
        assertThat(oracleChi(2, -1)).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(oracleChi(1, 3)).isCloseTo(0.25, within(1e-15));
        for (int k = 1; k <= 6; k++) {
            for (int yNum : new int[]{-1, 1, 3, 5}) {
                boolean outs = yNum >= 0;
                double y0 = outs ? yNum / 4.0 : 0.3;
                double[] a = {0, y0}, b = {1, y0};
                FoldingResult exact = SpaceFolding.exact(CantorNet.of(k), a, b, outs);
                FoldingResult fast = new PathFolder(CantorNet.of(k), Tolerance.DEFAULT, outs).fold(a, b);
                assertThat(exact.chi()).as("level %d y %d/4", k, yNum).isCloseTo(oracleChi(k, yNum), within(1e-12));
                assertThat(fast.chi()).isEqualTo(exact.chi());
                // the skip-free variant adds an always-on relu(y) unit, which changes no distance
                assertThat(SpaceFolding.exact(CantorNet.withCarriedY(k), a, b, outs).chi()).isEqualTo(exact.chi());
            }
        }
    }

    @Test
    void denseSamplingReachesTheExactChiAndSparseSamplingMayNot() {
        for (int k = 1; k <= 3; k++) {
            // the narrowest piece is 1/(2 3^k) wide: 1001 samples (spacing 1/1000) hit every one for k <= 3
            FoldingResult exact = SpaceFolding.exact(CantorNet.of(k), new double[]{0, 0.75}, new double[]{1, 0.75}, true);
            FoldingResult dense = SpaceFolding.sampled(CantorNet.of(k), new double[]{0, 0.75}, new double[]{1, 0.75}, 1001, true);
            assertThat(dense.chi()).as("level %d", k).isCloseTo(exact.chi(), within(1e-12));
        }
    }
}
