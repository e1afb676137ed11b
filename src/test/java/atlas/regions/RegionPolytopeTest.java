package atlas.regions;

import atlas.geometry.HPolytope;
import atlas.measure.BoundaryDistance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RegionPolytopeTest {

    @Test
    void unitSquareCutByTheDiagonal() {
        // one unit x - y: in [0,1]^2 the point (0.8, 0.2) is in the triangle below the diagonal (unit on)
        Network net = new Network(2, List.of(new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{2}, new double[]{1}, Activation.IDENTITY, 0)));
        PointRegion p = PointRegion.of(net, new double[]{0.8, 0.2}, HPolytope.cube(2, 0, 1));
        RegionPolytope r = p.region();
        assertThat(p.pattern().toBitString()).isEqualTo("1");
        assertThat(r.facetCount()).isEqualTo(3); // the diagonal, x = 1, y = 0
        assertThat(r.volume()).isCloseTo(0.5, within(1e-12));
        assertThat(r.vertexCount()).isEqualTo(3);
        // the inscribed circle of the right triangle with legs 1: r = (2 - sqrt 2) / 2
        assertThat(r.inradius()).isCloseTo((2 - Math.sqrt(2)) / 2, within(1e-9));
        // output 2 (x - y) + 1
        assertThat(r.output().coefficient(0, 0)).isCloseTo(2, within(1e-12));
        assertThat(r.output().coefficient(0, 1)).isCloseTo(-2, within(1e-12));
        assertThat(r.output().offset(0)).isCloseTo(1, within(1e-12));
        Facet diagonal = r.facets().stream().filter(f -> f.units().length == 1).findFirst().orElseThrow();
        assertThat(diagonal.neighbour().toBitString()).isEqualTo("0");
        assertThat(diagonal.domainBoundary()).isFalse();
        // distance from (0.8, 0.2) to the diagonal: 0.6 / sqrt 2; to x = 1: 0.2; boundary distance 0.2
        assertThat(p.unitDistance()).isCloseTo(0.6 / Math.sqrt(2), within(1e-12));
        assertThat(p.boundaryDistance()).isCloseTo(0.2, within(1e-12));
        assertThat(p.haninRolnick()).isCloseTo(0.6 / Math.sqrt(2), within(1e-12));
    }

    @Test
    void exactDistanceIsTheLargestBallOfConstantPattern() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 6; trial++) {
            Network net = Networks.kaiming(trial, 4, new int[]{10, 10}, 1, Activation.RELU, 0, 0.1);
            double[] x = new double[4];
            for (int k = 0; k < 4; k++) x[k] = rnd.nextGaussian() * 0.5;
            PointRegion p = PointRegion.of(net, x, null);
            double dist = p.unitDistance();
            assertThat(dist).isPositive().isFinite();
            ActivationPattern px = p.pattern();
            // inside the ball of radius 0.99 dist the pattern is constant
            for (int s = 0; s < 200; s++) {
                double[] y = onSphere(x, 0.99 * dist, rnd);
                assertThat(ActivationPattern.of(net.trace(y).activeBits(net))).isEqualTo(px);
            }
            // just beyond the nearest hyperplane's foot point the pattern changes
            double[] g = gradientOf(p.region(), p.nearestUnit());
            double[] beyond = x.clone();
            double side = p.pattern().get(p.nearestUnit()) ? -1 : 1; // towards z = 0
            for (int k = 0; k < 4; k++) beyond[k] += side * g[k] * dist * 1.01;
            assertThat(ActivationPattern.of(net.trace(beyond).activeBits(net))).isNotEqualTo(px);
            // Hanin-Rolnick's estimate is this exact distance (the output layer does not cut)
            assertThat(p.haninRolnick()).isCloseTo(dist, within(1e-12 * (1 + dist)));
            assertThat(BoundaryDistance.of(net, x)).isCloseTo(dist, within(1e-9 * (1 + dist)));
        }
    }

    private static double[] gradientOf(RegionPolytope r, int unit) {
        int[] ru = r.rowUnit();
        for (int i = 0; i < ru.length; i++) {
            if (ru[i] != unit) continue;
            double[] g = new double[r.dim()];
            for (int k = 0; k < g.length; k++) g[k] = r.inequalities().a(i, k);
            // row = sign * grad z / |grad z| with sign -1 for active units; return the unit gradient of z
            double sign = r.pattern().get(unit) ? -1 : 1;
            for (int k = 0; k < g.length; k++) g[k] *= sign;
            return g;
        }
        throw new AssertionError("unit " + unit + " has no row");
    }

    private static double[] onSphere(double[] c, double radius, Random rnd) {
        double[] v = new double[c.length];
        double n = 0;
        for (int k = 0; k < v.length; k++) { v[k] = rnd.nextGaussian(); n += v[k] * v[k]; }
        n = Math.sqrt(n);
        double[] y = c.clone();
        double t = radius * Math.pow(rnd.nextDouble(), 1.0 / c.length);
        for (int k = 0; k < v.length; k++) y[k] += v[k] / n * t;
        return y;
    }

    @Test
    void everyFacetIsTightSomewhereAndRedundantRowsAreNot() {
        Network net = Networks.kaiming(3, 3, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1);
        PointRegion p = PointRegion.of(net, new double[]{0.1, -0.2, 0.3}, HPolytope.cube(3, -1, 1));
        RegionPolytope r = p.region();
        HPolytope h = r.inequalities();
        for (Facet f : r.facets()) {
            // the facet point satisfies every row and makes its own row tight
            assertThat(h.maxViolation(f.point())).isLessThanOrEqualTo(1e-9);
            double s = f.offset();
            double[] n = f.normal();
            double[] q = f.point();
            for (int k = 0; k < 3; k++) s -= n[k] * q[k];
            assertThat(Math.abs(s)).isLessThan(1e-9);
        }
        // vertices: each lies on at least 3 facets and inside every row
        double[] v = r.vertices();
        for (int i = 0; i < r.vertexCount(); i++) {
            double[] x = {v[3 * i], v[3 * i + 1], v[3 * i + 2]};
            assertThat(h.maxViolation(x)).isLessThan(1e-9);
            int tight = 0;
            for (Facet f : r.facets()) {
                double s = f.offset();
                for (int k = 0; k < 3; k++) s -= f.normal()[k] * x[k];
                if (Math.abs(s) < 1e-9) tight++;
            }
            assertThat(tight).isGreaterThanOrEqualTo(3);
        }
        // the neighbour across each interior facet holds the point just across
        for (Facet f : r.facets()) {
            if (f.domainBoundary()) continue;
            double[] np = f.neighbourPoint();
            assertThat(ActivationPattern.of(net.trace(np).activeBits(net))).isEqualTo(f.neighbour());
            assertThat(f.neighbour().hamming(p.pattern())).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aPointOnAHyperplaneReportsTheZeroUnit() {
        Network net = Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{0, -0.5});
        PointRegion p = PointRegion.of(net, new double[]{0, 0.25}, HPolytope.cube(2, -1, 1));
        assertThat(p.zeroUnits()).containsExactly(0);
        assertThat(p.pattern().get(0)).isFalse();
        assertThat(p.boundaryDistance()).isCloseTo(0, within(1e-12));
        assertThat(p.region().volume()).isCloseTo(1.5, within(1e-12)); // x <= 0, y <= 0.5 in [-1,1]^2
    }
}
