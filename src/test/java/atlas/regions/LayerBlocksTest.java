package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked (vectorised) default layer step gives the per-vertex scalar step's values bit for bit: sums in the
 * same order, the same snapping to 0 (including values that do snap), with and without the Vector API.
 */
class LayerBlocksTest {
    private static final Tolerance TOL = Tolerance.DEFAULT;

    @Test
    void blockedSumsEqualTheScalarLoop() {
        Random rnd = new Random(11);
        int snapped = 0;
        for (int trial = 0; trial < 300; trial++) {
            int units = 1 + rnd.nextInt(70), in = 1 + rnd.nextInt(70), m = 1 + rnd.nextInt(64);
            double scale = Math.pow(10, rnd.nextInt(13) - 6);
            if (trial % 50 == 0) scale = 1e-300; // bounds near the subnormal range: the magnitude is summed
            double[] w = new double[units * in], b = new double[units];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextInt(10) == 0 ? 0 : rnd.nextGaussian();
            for (int u = 0; u < units; u++) b[u] = rnd.nextInt(20) == 0 ? 0 : rnd.nextGaussian() * scale;
            double[] src = new double[m * in]; // vertex-major rows, as in the vertex table
            for (int v = 0; v < m; v++) {
                for (int k = 0; k < in; k++) src[v * in + k] = rnd.nextInt(8) == 0 ? 0 : rnd.nextGaussian() * scale;
                // some vertices on a unit's zero set: the last input solves the unit's equation (sum ~ rounding, snaps)
                if (rnd.nextInt(3) == 0 && in > 1) {
                    int u = rnd.nextInt(units);
                    double rest = b[u];
                    for (int k = 0; k + 1 < in; k++) rest += w[u * in + k] * src[v * in + k];
                    if (w[u * in + in - 1] != 0) src[v * in + in - 1] = -rest / w[u * in + in - 1];
                }
            }
            LayerBlocks.Prepared prepared = new LayerBlocks.Prepared(w, b, units, in);
            for (boolean vector : LayerBlocks.VECTOR ? new boolean[]{false, true} : new boolean[]{false}) {
                double[] z = new double[prepared.padded];
                for (int v = 0; v < m; v++) {
                    LayerBlocks.vertex(prepared, src, v * in, z, TOL, vector);
                    for (int u = 0; u < units; u++) {
                        double expected = LayerBlocks.scalarValue(w, b, u, in, src, v * in, TOL);
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(z[u]),
                                "trial " + trial + " vector " + vector + " vertex " + v + " unit " + u);
                        if (expected == 0 && vector) snapped++;
                    }
                }
            }
            if (LayerBlocks.VECTOR) { // two vertices at a time: each the scalar values too
                double[] z0 = new double[prepared.padded], z1 = new double[prepared.padded];
                for (int v = 0; v + 1 < m; v += 2) {
                    double[] h0 = java.util.Arrays.copyOfRange(src, v * in, v * in + in), h1 = java.util.Arrays.copyOfRange(src, v * in + in, v * in + 2 * in);
                    LayerBlocks.vertexPair(prepared, h0, LayerBlocks.maxAbs(h0, 0, in), z0, h1, LayerBlocks.maxAbs(h1, 0, in), z1, TOL);
                    for (int u = 0; u < units; u++) {
                        assertEquals(Double.doubleToRawLongBits(LayerBlocks.scalarValue(w, b, u, in, src, v * in, TOL)), Double.doubleToRawLongBits(z0[u]), "pair, first");
                        assertEquals(Double.doubleToRawLongBits(LayerBlocks.scalarValue(w, b, u, in, src, v * in + in, TOL)), Double.doubleToRawLongBits(z1[u]), "pair, second");
                    }
                }
            }
        }
        if (LayerBlocks.VECTOR) assertTrue(snapped > 50, "the cases exercise snapping: " + snapped);
    }

    /** The vertex table's layer steps on random nets against the per-vertex scalar step from the previous layer's state. */
    @Test
    void vertexTableStepsEqualTheScalarStep() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 12; trial++) {
            int width = 3 + rnd.nextInt(40), depth = 1 + rnd.nextInt(4);
            Activation act = trial % 2 == 0 ? Activation.RELU : Activation.LEAKY_RELU;
            Network net = Networks.kaiming(100 + trial, 2, Networks.uniform(width, depth), 1, act, act == Activation.RELU ? 0 : 0.01, 0.1);
            int n = 1 + rnd.nextInt(3000); // several chunks and a partial last block
            VertexTable vt = new VertexTable(2, 16);
            // half the trials in vector lanes whatever the size (a table's own choice takes plain loops for small steps)
            vt.setVectorAlways(trial % 4 < 2);
            DenseLayer first = net.layer(1);
            for (int v = 0; v < n; v++) {
                double px = rnd.nextDouble() * 2 - 1, py = rnd.nextDouble() * 2 - 1;
                int u = rnd.nextInt(first.units());
                if (v % 4 == 0 && first.weight(u, 1) != 0) py = -(first.bias()[u] + first.weight(u, 0) * px) / first.weight(u, 1);
                vt.addVertex(px, py);
            }
            int[] lastReader = net.lastReader();
            for (int i = 1; i <= net.depth(); i++) {
                DenseLayer layer = net.layer(i);
                double[] prev = i == 1 ? vt.coords.clone() : vt.state.clone();
                int prevStride = i == 1 ? 2 : vt.stride, prevOff = i == 1 ? 0 : vt.offset[i - 1];
                vt.enterLayer(net, i, lastReader, TOL);
                for (int v = 0; v < n; v++)
                    for (int u = 0; u < layer.units(); u++) {
                        double expected = LayerBlocks.scalarValue(layer.weights(), layer.bias(), u, layer.inputSize(), prev, v * prevStride + prevOff, TOL);
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(vt.z(v, u)),
                                "trial " + trial + " layer " + i + " vertex " + v + " unit " + u);
                    }
                double[] z = vt.state.clone();
                vt.activate(layer);
                for (int v = 0; v < n; v++)
                    for (int u = 0; u < layer.units(); u++) {
                        double expected = layer.activation().apply(z[v * vt.stride + u], layer.leak());
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(vt.state[v * vt.stride + u]));
                    }
            }
        }
    }

    /** Packed sign masks (at most 32 units): the positive and negative bits of {@link LayerBlocks#signMasks} in one word, vector and scalar. */
    @Test
    void packedMasksAreTheMasksInOneWord() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 200; trial++) {
            int units = 1 + rnd.nextInt(LayerBlocks.PACKED_UNITS);
            double[] z = new double[(units + LayerBlocks.PAD - 1) / LayerBlocks.PAD * LayerBlocks.PAD];
            for (int k = 0; k < z.length; k++) {
                int c = rnd.nextInt(5);
                z[k] = k >= units ? 1.0 : c == 0 ? 0.0 : c == 1 ? -0.0 : rnd.nextGaussian();
            }
            long[] masks = new long[2];
            LayerBlocks.signMasks(z, 0, units, masks, 0);
            long expected = masks[0] | (masks[1] << LayerBlocks.PACKED_UNITS);
            assertEquals(expected, LayerBlocks.packedSumMasks(z, units, false), "scalar packed masks");
            assertEquals(expected, LayerBlocks.packedSumMasks(z, units, LayerBlocks.VECTOR), "vector packed masks");
            long[] rows = new long[3 + 2 * 4];
            LayerBlocks.packedMasks(z, 0, 0, 1, units, rows, 3, 2); // one vertex (stride 0), its row of 2 words at word 3
            assertEquals(expected, rows[3]);
        }
    }

    /**
     * The activation of a row with its largest magnitude, and a crossing's interpolated and snapped row: vector and
     * scalar give the expressions of {@link VertexTable#activate}, {@link LayerBlocks#maxAbs} and {@link Tolerance#snap}
     * bit for bit (zeros of both signs, values that snap and values that do not).
     */
    @Test
    void activatedRowsAndCrossingRowsEqualTheScalarExpressions() {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(70), base = rnd.nextInt(5);
            double[] src = new double[base + n];
            for (int k = 0; k < src.length; k++) {
                int c = rnd.nextInt(6);
                src[k] = c == 0 ? 0.0 : c == 1 ? -0.0 : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3);
            }
            boolean relu = rnd.nextBoolean();
            double leak = relu ? 0 : 0.01 * (1 + rnd.nextInt(20));
            double[] expected = new double[n];
            for (int k = 0; k < n; k++) { double x = src[base + k]; expected[k] = x > 0 ? x : (relu ? 0.0 : leak * x); }
            double hmax = LayerBlocks.maxAbs(expected, 0, n);
            for (boolean vector : new boolean[]{false, LayerBlocks.VECTOR}) {
                double[] h = new double[n];
                double m = LayerBlocks.activateRow(src, base, n, h, relu, leak, vector);
                assertEquals(Double.doubleToRawLongBits(hmax), Double.doubleToRawLongBits(m), "largest magnitude");
                for (int k = 0; k < n; k++) assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(h[k]), "activation");
            }
            // a crossing between rows a and b: columns [0, zWidth) snapped, the rest interpolated
            int stride = n, zWidth = 1 + rnd.nextInt(stride);
            double[] state = new double[3 * stride];
            for (int k = 0; k < 2 * stride; k++) state[k] = src[base + k % n] * (k >= stride ? -1 : 1) + (rnd.nextInt(4) == 0 ? 0 : 1e-12 * rnd.nextGaussian());
            for (int k = 0; k < stride; k++) if (rnd.nextInt(5) == 0) state[stride + k] = -state[k] * (1 + 1e-11 * rnd.nextGaussian()); // near-cancelling ends
            double t = rnd.nextDouble();
            double[] want = new double[stride];
            for (int k = 0; k < stride; k++) {
                double za = state[k], zb = state[stride + k], x = za + t * (zb - za);
                want[k] = k < zWidth ? TOL.snap(x, Math.max(Math.abs(za), Math.abs(zb))) : x;
            }
            LayerBlocks.interpolateRow(state, 0, stride, 2 * stride, t, zWidth, stride, TOL);
            for (int k = 0; k < stride; k++) assertEquals(Double.doubleToRawLongBits(want[k]), Double.doubleToRawLongBits(state[2 * stride + k]), "scalar crossing row");
            if (LayerBlocks.VECTOR) {
                java.util.Arrays.fill(state, 2 * stride, 3 * stride, Double.NaN);
                LayerBlocksVector.interpolateRow(state, 0, stride, 2 * stride, t, zWidth, stride, TOL);
                for (int k = 0; k < stride; k++) assertEquals(Double.doubleToRawLongBits(want[k]), Double.doubleToRawLongBits(state[2 * stride + k]), "vector crossing row");
            }
        }
    }

    /** The sign masks equal the signs one by one (0 and -0 set neither bit). */
    @Test
    void signMasksMatchTheSigns() {
        Random rnd = new Random(9);
        for (int trial = 0; trial < 100; trial++) {
            int units = 1 + rnd.nextInt(150), stride = units + rnd.nextInt(5), n = 1 + rnd.nextInt(50), words = (units + 63) / 64;
            double[] state = new double[n * stride];
            for (int k = 0; k < state.length; k++) {
                int c = rnd.nextInt(5);
                state[k] = c == 0 ? 0.0 : c == 1 ? -0.0 : rnd.nextGaussian();
            }
            int from = rnd.nextInt(n);
            {
                // one vertex's padded sums: the vector masks are the scalar ones
                double[] z = new double[(units + LayerBlocks.PAD - 1) / LayerBlocks.PAD * LayerBlocks.PAD];
                for (int k = 0; k < z.length; k++) z[k] = k < units ? state[k] : 1.0; // padding sums are 1, never a bit
                long[] scalar = new long[2 * words], vector = new long[2 * words];
                LayerBlocks.sumMasks(z, units, scalar, 0, false);
                LayerBlocks.sumMasks(z, units, vector, 0, LayerBlocks.VECTOR);
                assertArrayEquals(scalar, vector, "vector masks");
            }
            {
                long[] masks = new long[n * 2 * words];
                LayerBlocks.signMasks(state, stride, from, n, units, masks);
                for (int v = from; v < n; v++)
                    for (int u = 0; u < units; u++) {
                        double z = state[v * stride + u];
                        assertEquals(z > 0, (masks[v * 2 * words + u / 64] >>> (u % 64) & 1) != 0, "signs");
                        assertEquals(z < 0, (masks[v * 2 * words + words + u / 64] >>> (u % 64) & 1) != 0, "signs");
                    }
                for (int v = from; v < n; v++)
                    for (int w = 0; w < words; w++) {
                        int high = Math.min(64, units - 64 * w);
                        long outside = high == 64 ? 0 : -1L << high;
                        assertEquals(0, (masks[v * 2 * words + w] | masks[v * 2 * words + words + w]) & outside, "no bits beyond the units");
                    }
            }
        }
    }
}
