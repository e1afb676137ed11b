package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.BoundaryDistance;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.regions.PointRegion;
import atlas.regions.RegionEnumerator;
import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;
import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static atlas.net.formats.ConvTwinTest.gauss;
import static atlas.net.formats.ConvTwinTest.input;
import static atlas.net.formats.ConvTwinTest.intAttr;
import static atlas.net.formats.ConvTwinTest.ints;
import static atlas.net.formats.ConvTwinTest.node;
import static atlas.net.formats.ConvTwinTest.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A conv + max-pool net built here as ONNX (Conv 1->2 3x3 on 5x5, Relu, MaxPool 2x2 stride 1, Flatten, Gemm)
 * against the net computed by hand in this test (the convolution and the window maxima written out directly):
 * outputs agree; on a plane every densely sampled activation pattern is a region, the point lies in the region
 * of its own pattern, the areas sum to the domain, and the argmax of every pooling window (computed here, not
 * from the lowered net) never changes inside a region; along a segment and in a 3-D box the same.
 */
class MaxPoolRegionsTest {
    static final int H = 5, W = 5, K = 2, P = 2; // input 1x5x5, conv to 2x3x3, pool 2x2 stride 1 to 2x2x2
    final Random rnd = new Random(2713);
    final double[] kernel = gauss(rnd, K * 9, 0.7), convBias = gauss(rnd, K, 0.3);
    final double[] fc = gauss(rnd, 3 * K * P * P, 0.6), fcb = gauss(rnd, 3, 0.1);
    final Network net = build();

    private Network build() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("maxpool");
        g.addInput(input("x", 1, 1, H, W));
        g.addInitializer(tensor("k", kernel, K, 1, 3, 3)).addInitializer(tensor("kb", convBias, K));
        g.addInitializer(tensor("fc", fc, 3, K * P * P)).addInitializer(tensor("fcb", fcb, 3));
        g.addNode(node("Conv", "c", List.of("x", "k", "kb")).addAttribute(ints("kernel_shape", 3, 3)));
        g.addNode(node("Relu", "r", List.of("c")));
        g.addNode(node("MaxPool", "p", List.of("r")).addAttribute(ints("kernel_shape", 2, 2)));
        g.addNode(node("Flatten", "f", List.of("p")));
        g.addNode(node("Gemm", "y", List.of("f", "fc", "fcb")).addAttribute(intAttr("transB", 1)));
        g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"));
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
        return OnnxReader.lower(model, Map.of());
    }

    /** The relu'd conv outputs [K][3][3], written out directly. */
    private double[][][] conv(double[] x) {
        double[][][] r = new double[K][3][3];
        for (int c = 0; c < K; c++)
            for (int oy = 0; oy < 3; oy++) for (int ox = 0; ox < 3; ox++) {
                double s = convBias[c];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) s += kernel[c * 9 + i * 3 + j] * x[(oy + i) * W + ox + j];
                r[c][oy][ox] = Math.max(0, s);
            }
        return r;
    }

    /**
     * The argmax (0..3, first of ties) of every window and the pooled values; also the smallest margin of a
     * winner over the other cells (windows whose maximum is 0, all cells dead, are ties on whole regions).
     */
    private record Pooled(int[] argmax, double[] value, double margin) {}

    private Pooled pool(double[] x) {
        double[][][] r = conv(x);
        int[] arg = new int[K * P * P];
        double[] val = new double[K * P * P];
        double margin = Double.POSITIVE_INFINITY;
        for (int c = 0, cell = 0; c < K; c++)
            for (int py = 0; py < P; py++) for (int px = 0; px < P; px++, cell++) {
                double[] w = {r[c][py][px], r[c][py][px + 1], r[c][py + 1][px], r[c][py + 1][px + 1]};
                int best = 0;
                for (int k = 1; k < 4; k++) if (w[k] > w[best]) best = k;
                for (int k = 0; k < 4; k++) if (k != best && w[best] != 0) margin = Math.min(margin, w[best] - w[k]);
                arg[cell] = best;
                val[cell] = w[best];
            }
        return new Pooled(arg, val, margin);
    }

    private double[] reference(double[] x) {
        double[] v = pool(x).value, y = new double[3];
        for (int o = 0; o < 3; o++) {
            y[o] = fcb[o];
            for (int k = 0; k < v.length; k++) y[o] += fc[o * v.length + k] * v[k];
        }
        return y;
    }

    /**
     * Far enough from every cut that the sampled pattern is the pattern of an open region. A comparison of two
     * dead (exactly 0) conv units is exactly 0 on a whole region, off as for any unit identically 0 there.
     */
    private boolean clearOfCuts(double[] x) {
        Network.Trace tr = net.trace(x);
        for (int i = 1; i <= net.depth(); i++) {
            if (!net.layer(i).activation().cuts()) continue;
            for (double z : tr.preActivations()[i]) if (z != 0 && Math.abs(z) < 1e-7) return false;
        }
        return true;
    }

    @Test
    void loweredNetComputesTheWindowMaxima() {
        // 8 windows of 4 cells: 3 comparisons each, in two layers of 8 pairs then 8 finals
        assertThat(net.layer(2).units()).isEqualTo(16);
        assertThat(net.layer(3).units()).isEqualTo(8);
        assertThat(net.cuttingUnits()).isEqualTo(K * 9 + 24);
        for (int s = 0; s < 200; s++) {
            double[] x = gauss(rnd, H * W, 1.0);
            double[] want = reference(x), got = net.forward(x);
            for (int o = 0; o < 3; o++) assertThat(got[o]).isCloseTo(want[o], within(1e-12 * (1 + Math.abs(want[o]))));
        }
    }

    @Test
    void planeRegionsAgainstDenseSampling() {
        PlaneSlice slice = PlaneSlice.throughPoints(gauss(rnd, H * W, 1), gauss(rnd, H * W, 1), gauss(rnd, H * W, 1));
        Rectangle rect = new Rectangle(-1, 2, -1, 2);
        PlanePartition part = new PlanePartitioner(net, slice, rect, Tolerance.DEFAULT).getResult();
        assertThat(part.totalArea()).isCloseTo(rect.area(), within(1e-9));
        Set<ActivationPattern> patterns = new HashSet<>();
        for (LinearRegion r : part.regions()) patterns.add(r.pattern());
        assertThat(patterns).as("one region per pattern on this plane").hasSize(part.count());

        Map<Integer, String> argmaxOfRegion = new HashMap<>();
        Set<String> argmaxesSeen = new HashSet<>();
        int n = 100, checked = 0;
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) {
            double s = rect.xmin() + (a + 0.5) * rect.width() / n, t = rect.ymin() + (b + 0.5) * rect.height() / n;
            double[] x = slice.toInput(s, t);
            Pooled p = pool(x);
            if (!clearOfCuts(x) || p.margin < 1e-7) continue;
            checked++;
            ActivationPattern sampled = ActivationPattern.of(net.trace(x).activeBits(net));
            assertThat(patterns).as("sampled pattern at (%s, %s) is a region", s, t).contains(sampled);
            LinearRegion r = part.locate(s, t);
            assertThat(r.pattern()).isEqualTo(sampled);
            String arg = Arrays.toString(p.argmax);
            argmaxesSeen.add(arg);
            String before = argmaxOfRegion.putIfAbsent(r.id(), arg);
            if (before != null) assertThat(arg).as("argmax constant in region " + r.id()).isEqualTo(before);
            double[] want = reference(x), got = r.map().apply(new double[]{s, t});
            for (int o = 0; o < 3; o++) assertThat(got[o]).isCloseTo(want[o], within(1e-9 * (1 + Math.abs(want[o]))));
        }
        assertThat(checked).isGreaterThan(n * n * 9 / 10);
        // the max-pool does cut this plane: several argmax choices, each a union of regions
        assertThat(argmaxesSeen.size()).isGreaterThan(3);
        assertThat(part.count()).isGreaterThanOrEqualTo(argmaxesSeen.size());
    }

    @Test
    void segmentBreaksWhereverAWindowsArgmaxChanges() {
        double[] from = gauss(rnd, H * W, 1.5), to = gauss(rnd, H * W, 1.5);
        SegmentPartition seg = SegmentPartitioner.compute(net, from, to);
        double[] breaks = seg.breakpoints();
        int n = 4000;
        String prev = null;
        double prevT = 0;
        int changes = 0;
        for (int k = 0; k <= n; k++) {
            double t = (double) k / n;
            double[] x = new double[H * W];
            for (int i = 0; i < x.length; i++) x[i] = from[i] + t * (to[i] - from[i]);
            String arg = Arrays.toString(pool(x).argmax);
            if (prev != null && !arg.equals(prev)) {
                changes++;
                final double lo = prevT, hi = t;
                assertThat(Arrays.stream(breaks).anyMatch(bp -> bp >= lo - 1e-12 && bp <= hi + 1e-12))
                        .as("a breakpoint between t = %s and %s where the argmax changes", lo, hi).isTrue();
            }
            prev = arg;
            prevT = t;
        }
        assertThat(changes).isGreaterThan(2);
        double total = 0;
        for (SegmentInterval iv : seg.intervals()) total += iv.length();
        assertThat(total).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void threeDimensionalEnumerationCoversTheBoxAndEverySampledPattern() {
        double[] origin = gauss(rnd, H * W, 1);
        double[][] dirs = {gauss(rnd, H * W, 1), gauss(rnd, H * W, 1), gauss(rnd, H * W, 1)};
        Network sub = net.restrictTo(origin, dirs);
        RegionSet set = RegionEnumerator.enumerate(sub, HPolytope.cube(3, -0.4, 0.4));
        assertThat(set.complete()).as(set.summary()).isTrue();
        assertThat(set.volumeSum()).isCloseTo(Math.pow(0.8, 3), within(1e-7));
        Set<ActivationPattern> patterns = new HashSet<>();
        for (RegionPolytope r : set.regions()) patterns.add(r.pattern());
        Random r = new Random(5);
        int checked = 0;
        for (int s = 0; s < 1500; s++) {
            double[] c = {-0.4 + 0.8 * r.nextDouble(), -0.4 + 0.8 * r.nextDouble(), -0.4 + 0.8 * r.nextDouble()};
            double[] x = origin.clone();
            for (int k = 0; k < 3; k++) for (int i = 0; i < x.length; i++) x[i] += c[k] * dirs[k][i];
            if (!clearOfCuts(x)) continue;
            checked++;
            assertThat(patterns).contains(ActivationPattern.of(sub.trace(c).activeBits(sub)));
        }
        assertThat(checked).isGreaterThan(1200);
    }

    @Test
    void pointRegionAndBoundaryDistanceHoldTheArgmaxFixed() {
        Random r = new Random(77);
        int points = 0;
        while (points < 4) {
            double[] x = gauss(r, H * W, 1.0);
            if (!clearOfCuts(x) || pool(x).margin < 1e-6) continue;
            points++;
            PointRegion pr = PointRegion.of(net, x, null);
            ActivationPattern own = ActivationPattern.of(net.trace(x).activeBits(net));
            assertThat(pr.pattern()).isEqualTo(own);
            assertThat(pr.region().contains(x, 1e-9)).isTrue();
            // the LP engine's facet distance, its unit distance and the Jacobian pass agree
            double d = BoundaryDistance.of(net, x);
            assertThat(d).isPositive().isFinite();
            assertThat(pr.unitDistance()).isCloseTo(d, within(1e-9 * (1 + d)));
            assertThat(pr.boundaryDistance()).isCloseTo(d, within(1e-7 * (1 + d)));
            // nothing changes closer than d: not the pattern, not the argmax of any window (computed here)
            String arg = Arrays.toString(pool(x).argmax);
            for (int k = 0; k < 40; k++) {
                double[] u = gauss(r, H * W, 1.0);
                double norm = 0;
                for (double v : u) norm += v * v;
                norm = Math.sqrt(norm);
                double[] y = x.clone();
                for (int i = 0; i < y.length; i++) y[i] += 0.999 * d * u[i] / norm;
                assertThat(ActivationPattern.of(net.trace(y).activeBits(net))).isEqualTo(own);
                assertThat(Arrays.toString(pool(y).argmax)).isEqualTo(arg);
            }
        }
    }
}
