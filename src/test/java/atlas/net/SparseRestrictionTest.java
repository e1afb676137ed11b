package atlas.net;

import atlas.net.formats.ImportOptions;
import atlas.net.formats.ModelFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Network#restrictTo} multiplies mostly-zero input matrices (lowered convolutions) by their nonzero
 * entries only; the restricted network must be bit for bit the one of the plain dense loops, written out here
 * as the reference: for the README's CNN, a net with signed zeros in a sparse first layer and a sparse skip
 * from the input, and a dense net.
 */
class SparseRestrictionTest {

    /** The dense restriction, loop by loop: bias + W origin (+ P origin per input skip); W d, P d. */
    static Network reference(Network net, double[] origin, double[]... dirs) {
        int n = net.inputDim(), m = dirs.length;
        List<DenseLayer> out = new ArrayList<>();
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            double[] b = l.bias().clone();
            double[] w = l.weights();
            int in = l.inputSize();
            if (i == 1) {
                w = new double[l.units() * m];
                for (int u = 0; u < l.units(); u++) {
                    double sc = 0;
                    for (int k = 0; k < n; k++) sc += l.weight(u, k) * origin[k];
                    b[u] += sc;
                    for (int d = 0; d < m; d++) {
                        double s = 0;
                        for (int k = 0; k < n; k++) s += l.weight(u, k) * dirs[d][k];
                        w[u * m + d] = s;
                    }
                }
                in = m;
            }
            List<Skip> skips = new ArrayList<>();
            for (Skip p : l.skips()) {
                if (p.from() != 0) { skips.add(p); continue; }
                double[] q = new double[l.units() * m];
                for (int u = 0; u < l.units(); u++) {
                    double sc = 0;
                    for (int k = 0; k < n; k++) sc += p.weight(u, k) * origin[k];
                    b[u] += sc;
                    for (int d = 0; d < m; d++) {
                        double s = 0;
                        for (int k = 0; k < n; k++) s += p.weight(u, k) * dirs[d][k];
                        q[u * m + d] = s;
                    }
                }
                skips.add(new Skip(0, q, m));
            }
            out.add(new DenseLayer(in, l.units(), w, b, l.activation(), l.leak(), skips));
        }
        return new Network(m, out);
    }

    static double[] gauss(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    static void assertBitExact(Network a, Network b) {
        assertThat(a).isEqualTo(b); // Network.equals compares weights, biases and skips with Arrays.equals
        for (int i = 1; i <= a.depth(); i++)
            for (int s = 0; s < a.layer(i).skips().size(); s++)
                assertThat(Arrays.equals(a.layer(i).skips().get(s).weights(), b.layer(i).skips().get(s).weights())).isTrue();
    }

    @Test
    void theReadmeCnnRestrictsBitForBit() {
        Network cnn = ModelFiles.read(Path.of("docs/examples/cnn-mnist.onnx"), ImportOptions.DEFAULT);
        Random rnd = new Random(3);
        for (int t = 0; t < 3; t++) {
            double[] o = gauss(rnd, 784), d1 = gauss(rnd, 784), d2 = gauss(rnd, 784), d3 = gauss(rnd, 784);
            assertBitExact(cnn.restrictTo(o, d1, d2), reference(cnn, o, d1, d2));
            assertBitExact(cnn.restrictTo(o, d1), reference(cnn, o, d1));
            assertBitExact(cnn.restrictTo(o, d1, d2, d3), reference(cnn, o, d1, d2, d3));
        }
    }

    @Test
    void signedZerosSparseSkipsAndDenseNets() {
        Random rnd = new Random(4);
        int n = 40, units = 12;
        double[] w = new double[units * n], p = new double[units * n];
        for (int u = 0; u < units; u++)
            for (int k = 0; k < n; k++) {
                int r = rnd.nextInt(10);
                w[u * n + k] = r == 0 ? rnd.nextGaussian() : r == 1 ? -0.0 : 0.0;
                p[u * n + k] = r == 2 ? rnd.nextGaussian() : 0.0;
            }
        Network sparse = new Network(n, List.of(
                new DenseLayer(n, units, w, gauss(rnd, units), Activation.RELU, 0),
                new DenseLayer(units, units, gauss(rnd, units * units), gauss(rnd, units), Activation.LEAKY_RELU, 0.1,
                        List.of(new Skip(0, p, n), Skip.identity(1))),
                new DenseLayer(units, 1, gauss(rnd, units), new double[1], Activation.IDENTITY, 0)));
        Network dense = Networks.kaiming(9, n, new int[]{16, 16}, 2, Activation.RELU, 0, 0.1);
        for (Network net : List.of(sparse, dense)) {
            for (int t = 0; t < 20; t++) {
                double[] o = gauss(rnd, n), d1 = gauss(rnd, n), d2 = gauss(rnd, n);
                if (t % 5 == 0) o[t % n] = 0.0; // exact zeros and cancellations
                assertBitExact(net.restrictTo(o, d1, d2), reference(net, o, d1, d2));
            }
        }
    }

}
