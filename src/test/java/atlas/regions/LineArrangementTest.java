package atlas.regions;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hidden layer of ReLU units is a line arrangement: its regions are the cells. Ground truths: n lines in
 * general position make 1 + n + n(n-1)/2 cells in a box that holds every crossing; for any arrangement (with
 * parallel, coincident and concurrent lines) the count is 1 + L + sum over interior crossing points p of
 * (m_p - 1), L the number of distinct lines through the box's interior and m_p the number of lines through p,
 * computed here in exact integer arithmetic.
 */
class LineArrangementTest {

    /** n random lines in general position and a box holding all their crossings. */
    record Arrangement(double[] a, double[] b, double[] c, Rectangle box) {}

    static Arrangement generalPosition(int n, long seed) {
        Random rnd = new Random(seed);
        while (true) {
            double[] a = new double[n], b = new double[n], c = new double[n];
            for (int k = 0; k < n; k++) {
                double th = rnd.nextDouble() * Math.PI, r = 2 * rnd.nextDouble() - 1;
                a[k] = Math.cos(th);
                b[k] = Math.sin(th);
                c[k] = -r;
            }
            double lo = -2, hi = 2;
            boolean generic = true;
            for (int i = 0; i < n && generic; i++) {
                for (int j = i + 1; j < n && generic; j++) {
                    double det = a[i] * b[j] - a[j] * b[i];
                    if (Math.abs(det) < 1e-2) { generic = false; break; } // nearly parallel
                    double x = (b[i] * c[j] - b[j] * c[i]) / det, y = (c[i] * a[j] - c[j] * a[i]) / det;
                    lo = Math.min(lo, Math.min(x, y));
                    hi = Math.max(hi, Math.max(x, y));
                    for (int k = 0; k < n; k++)
                        if (k != i && k != j && Math.abs(a[k] * x + b[k] * y + c[k]) < 1e-6) generic = false; // concurrent
                }
            }
            if (!generic) continue;
            double m = 0.1 * (hi - lo) + 1;
            return new Arrangement(a, b, c, new Rectangle(lo - m, hi + m, lo - m, hi + m));
        }
    }

    @ParameterizedTest(name = "n = {0}, seed = {1}")
    @CsvSource({"1,1", "2,2", "3,3", "4,4", "5,5", "7,6", "8,7", "12,8", "13,9", "20,10", "20,11", "33,12", "50,13"})
    void linesInGeneralPositionMakeOnePlusNPlusNChooseTwoRegions(int n, long seed) {
        Arrangement arr = generalPosition(n, seed);
        Network net = Networks.lines(arr.a(), arr.b(), arr.c());
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), arr.box(), Tolerance.DEFAULT);
        PlanePartition p = pp.getResult();
        assertThat(p.count()).isEqualTo(1 + n + n * (n - 1) / 2);
        RegionChecks.assertAll(net, pp);
        RegionChecks.assertNeighboursDifferInOneUnit(p);
        assertThat(RegionChecks.assertPatternsAtInteriorPoints(net, p)).isZero();
    }

    @ParameterizedTest(name = "n = {0}, centred at ({1}, {1})")
    @CsvSource({"10,100", "10,-1000", "15,1e4", "8,1e5"})
    void linesInGeneralPositionFarFromTheOriginStillMakeOnePlusNPlusNChooseTwoRegions(int n, double centre) {
        Arrangement arr = generalPosition(n, n + (long) centre);
        double[] c = new double[n];
        for (int k = 0; k < n; k++) c[k] = arr.c()[k] - arr.a()[k] * centre - arr.b()[k] * centre; // shifted by (centre, centre)
        Network net = Networks.lines(arr.a(), arr.b(), c);
        Rectangle box = new Rectangle(arr.box().xmin() + centre, arr.box().xmax() + centre, arr.box().ymin() + centre, arr.box().ymax() + centre);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.DEFAULT);
        assertThat(pp.getResult().count()).isEqualTo(1 + n + n * (n - 1) / 2);
        RegionChecks.assertAll(net, pp);
    }

    @Test
    void aPencilOfKLinesThroughOnePointMakesTwoKRegions() {
        Random rnd = new Random(2024);
        for (int trial = 0; trial < 20; trial++) {
            int k = 2 + trial % 7;
            double px = 0.2 + 0.6 * rnd.nextDouble(), py = 0.2 + 0.6 * rnd.nextDouble();
            double[] a = new double[k], b = new double[k], c = new double[k];
            for (int j = 0; j < k; j++) {
                double th = Math.PI * (j + 0.2 + 0.6 * rnd.nextDouble()) / k; // distinct directions
                a[j] = Math.cos(th);
                b[j] = Math.sin(th);
                c[j] = -(a[j] * px + b[j] * py); // through (px, py) up to rounding
            }
            Network net = Networks.lines(a, b, c);
            PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), Rectangle.UNIT, Tolerance.DEFAULT);
            assertThat(pp.getResult().count()).as("pencil of %d lines through (%s, %s)", k, px, py).isEqualTo(2 * k);
            RegionChecks.assertAll(net, pp);
        }
    }

    @ParameterizedTest(name = "seed = {0}, {1} lines")
    @CsvSource({"1,4", "2,6", "3,8", "4,10", "5,12", "6,14", "7,16", "8,20", "9,24", "10,30", "11,45", "12,60"})
    void integerLineArrangementsMatchTheExactCombinatorialCount(long seed, int n) {
        Random rnd = new Random(seed);
        int size = 4;
        int[][] lines = new int[n][];
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            int ai, bi;
            do { ai = rnd.nextInt(7) - 3; bi = rnd.nextInt(7) - 3; } while (ai == 0 && bi == 0);
            // through a lattice point of the box (many concurrent lines), sometimes shifted by one
            int ci = -(ai * rnd.nextInt(size + 1) + bi * rnd.nextInt(size + 1)) + (rnd.nextInt(3) == 0 ? rnd.nextInt(3) - 1 : 0);
            if (k > 0 && rnd.nextInt(6) == 0) { // now and then, a copy of an earlier line (same, scaled or flipped)
                int[] o = lines[rnd.nextInt(k)];
                int f = new int[]{1, 2, -1, -3}[rnd.nextInt(4)];
                ai = f * o[0]; bi = f * o[1]; ci = f * o[2];
            }
            lines[k] = new int[]{ai, bi, ci};
            a[k] = ai; b[k] = bi; c[k] = ci;
        }
        int expected = combinatorialCount(lines, size);
        Network net = Networks.lines(a, b, c);
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(0, size, 0, size), Tolerance.DEFAULT);
        assertThat(pp.getResult().count()).isEqualTo(expected);
        RegionChecks.assertAll(net, pp);
    }

    /** 1 + L + sum_p (m_p - 1), in exact integer arithmetic, for lines a x + b y + c = 0 on [0, size]^2. */
    static int combinatorialCount(int[][] lines, int size) {
        Set<List<Long>> distinct = new HashSet<>();
        for (int[] l : lines) {
            long g = gcd(gcd(Math.abs(l[0]), Math.abs(l[1])), Math.abs(l[2]));
            long s = (l[0] < 0 || (l[0] == 0 && l[1] < 0)) ? -1 : 1;
            long[] nl = {s * l[0] / g, s * l[1] / g, s * l[2] / g};
            // crosses the open box: strictly positive and strictly negative at two corners
            long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
            for (int cx = 0; cx <= size; cx += size)
                for (int cy = 0; cy <= size; cy += size) {
                    long v = nl[0] * cx + nl[1] * cy + nl[2];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            if (min < 0 && max > 0) distinct.add(List.of(nl[0], nl[1], nl[2]));
        }
        List<List<Long>> ls = List.copyOf(distinct);
        Map<List<Long>, Integer> pairsAt = new HashMap<>();
        for (int i = 0; i < ls.size(); i++) {
            for (int j = i + 1; j < ls.size(); j++) {
                long a1 = ls.get(i).get(0), b1 = ls.get(i).get(1), c1 = ls.get(i).get(2);
                long a2 = ls.get(j).get(0), b2 = ls.get(j).get(1), c2 = ls.get(j).get(2);
                long det = a1 * b2 - a2 * b1;
                if (det == 0) continue;
                long xn = b1 * c2 - b2 * c1, yn = c1 * a2 - c2 * a1;
                if (det < 0) { det = -det; xn = -xn; yn = -yn; }
                if (!(xn > 0 && xn < size * det && yn > 0 && yn < size * det)) continue; // strictly inside
                long g = gcd(gcd(Math.abs(xn), Math.abs(yn)), det);
                pairsAt.merge(List.of(xn / g, yn / g, det / g), 1, Integer::sum);
            }
        }
        int count = 1 + ls.size();
        for (int pairs : pairsAt.values()) {
            int m = (int) Math.round((1 + Math.sqrt(1 + 8.0 * pairs)) / 2); // pairs = m (m - 1) / 2
            assertThat(m * (m - 1) / 2).isEqualTo(pairs);
            count += m - 1;
        }
        return count;
    }

    private static long gcd(long x, long y) { return y == 0 ? x : gcd(y, x % y); }
}
