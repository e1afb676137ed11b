package atlas.train;

import atlas.data.Dataset;
import atlas.data.mnist.ImageDataset;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * The sparse first layer of {@link FlatModel#withSparseInput} (what MNIST training needs: 8-bit pixels read as
 * pixel / 255, zero pixels skipped): its gradient against central finite differences, and its loss, gradient and
 * outputs against the dense model of the same network on the same points.
 */
class SparseInputTest {
    private static final double STEP = 1e-6;
    private static final double REL_TOL = 1e-6;
    /** sparse and dense sum the same products in another order: a few roundings of values of order one */
    private static final double ORDER_TOL = 1e-12;
    /** float blocks against double, relative to the largest gradient entry (as in GradientCheckTest) */
    private static final double FLOAT_TOL = 1e-4;

    /** 12 pixels (3 x 4 images) -> 6 -> 5 (identity skip from layer 1) -> 3 classes. */
    static Network net(long seed) {
        Random r = new Random(seed);
        DenseLayer l1 = new DenseLayer(12, 6, gaussian(r, 72, 0.7), gaussian(r, 6, 0.2), Activation.RELU, 0);
        DenseLayer l2 = new DenseLayer(6, 5, gaussian(r, 30, 0.7), gaussian(r, 5, 0.2), Activation.LEAKY_RELU, 0.1);
        DenseLayer l3 = new DenseLayer(5, 3, gaussian(r, 15, 0.7), gaussian(r, 3, 0.2), Activation.IDENTITY, 0,
                List.of(new Skip(1, gaussian(r, 18, 0.5), 6)));
        return new Network(12, List.of(l1, l2, l3));
    }

    /** n images of 3 x 4 pixels, about 70% of them 0, the rest 1..255; labels 0..2. */
    static ImageDataset images(int n, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * 12];
        for (int k = 0; k < px.length; k++) px[k] = (byte) (r.nextDouble() < 0.7 ? 0 : 1 + r.nextInt(255));
        Arrays.fill(px, 0, 12, (byte) 0);     // image 0 all zero: the layer is its bias alone
        byte[] lab = new byte[n];
        for (int k = 0; k < n; k++) lab[k] = (byte) r.nextInt(3);
        return new ImageDataset("test", 3, 4, px, lab, 3);
    }

    /** The same points as doubles (pixel / 255). */
    static Dataset asDoubles(ImageDataset im) {
        double[] in = new double[im.count() * im.dim()];
        int[] lab = new int[im.count()];
        for (int i = 0; i < im.count(); i++) {
            System.arraycopy(im.features(i, null), 0, in, i * im.dim(), im.dim());
            lab[i] = im.label(i);
        }
        return new Dataset(im.dim(), in, null, 0, lab, im.classes());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Network n = net(1);
        ImageDataset d = images(23, 2);
        FlatModel m = FlatModel.withSparseInput(n);
        double[] p = m.parameters(n);
        double[] g = new double[p.length];
        m.lossAndGradient(p, d, Loss.CROSS_ENTROPY, g);
        double maxErr = 0;
        for (int k = 0; k < p.length; k++) {
            double keep = p[k];
            p[k] = keep + STEP;
            double up = m.lossAndGradient(p, d, Loss.CROSS_ENTROPY, null);
            p[k] = keep - STEP;
            double down = m.lossAndGradient(p, d, Loss.CROSS_ENTROPY, null);
            p[k] = keep;
            double fd = (up - down) / (2 * STEP);
            maxErr = Math.max(maxErr, Math.abs(fd - g[k]) / Math.max(1, Math.abs(fd) + Math.abs(g[k])));
        }
        assertThat(maxErr).as("max relative gradient error").isLessThan(REL_TOL);
    }

    @Test
    void sparseAndDenseModelsAgreeOnBytesAndOnDoubles() {
        GradientCheckTest.onBothKernelPaths(() -> {
            Network n = net(3);
            ImageDataset im = images(37, 4);
            Dataset dd = asDoubles(im);
            FlatModel sparse = FlatModel.withSparseInput(n), dense = FlatModel.of(n);
            double[] ps = sparse.parameters(n), pd = dense.parameters(n);
            assertThat(ps).isNotEqualTo(pd);                       // layer 1 stored input-major
            assertThat(sparse.toNetwork(ps)).isEqualTo(n);         // ... and converted back exactly
            double[] gs = new double[ps.length], gd = new double[pd.length], gdb = new double[pd.length];
            double ls = sparse.lossAndGradient(ps, im, Loss.CROSS_ENTROPY, gs);
            double ld = dense.lossAndGradient(pd, dd, Loss.CROSS_ENTROPY, gd);
            double ldb = dense.lossAndGradient(pd, im, Loss.CROSS_ENTROPY, gdb);
            assertThat(ldb).isEqualTo(ld);                         // bytes / 255 are the doubles, bit for bit
            assertThat(gdb).isEqualTo(gd);
            assertThat(ls).isCloseTo(ld, offset(ORDER_TOL));
            // toNetwork lays a gradient out as a network: layer by layer, row-major, in both models
            Network a = sparse.toNetwork(gs), b = dense.toNetwork(gd);
            for (int l = 1; l <= n.depth(); l++) {
                assertClose(a.layer(l).weights(), b.layer(l).weights(), ORDER_TOL);
                assertClose(a.layer(l).bias(), b.layer(l).bias(), ORDER_TOL);
            }
            assertClose(a.layer(3).skips().get(0).weights(), b.layer(3).skips().get(0).weights(), ORDER_TOL);
            // a pixel that is zero in every image gives its column of W no gradient
            for (int k = 0; k < 12; k++) {
                boolean lit = false;
                for (int i = 0; i < im.count(); i++) lit |= im.pixel(i, k) != 0;
                if (!lit) for (int u = 0; u < 6; u++) assertThat(a.layer(1).weights()[u * 12 + k]).isZero();
            }
        });
    }

    @Test
    void sparseOutputsEqualTheNetworkRecord() {
        Network n = net(5);
        ImageDataset im = images(9, 6);
        FlatModel m = FlatModel.withSparseInput(n);
        double[] p = m.parameters(n);
        double[] x = asDoubles(im).inputs();
        double[] out = new double[9 * 3], outF = new double[9 * 3];
        m.newWorkspace(16).predict(p, x, 9, out);
        m.newFloatWorkspace(16).predict(p, x, 9, outF);
        for (int b = 0; b < 9; b++) {
            double[] y = n.forward(Arrays.copyOfRange(x, 12 * b, 12 * b + 12));
            for (int o = 0; o < 3; o++) {
                assertThat(out[3 * b + o]).isCloseTo(y[o], offset(ORDER_TOL));
                assertThat(outF[3 * b + o]).isCloseTo(y[o], offset(1e-5 * Math.max(1, Math.abs(y[o]))));
            }
        }
    }

    @Test
    void floatSparseGradientMatchesTheDoubleOne() {
        Network n = net(7);
        ImageDataset im = images(45, 8);
        FlatModel m = FlatModel.withSparseInput(n);
        double[] p = m.parameters(n);
        int[] order = new int[45];
        for (int k = 0; k < 45; k++) order[k] = k;
        double[] gd = new double[p.length], gf = new double[p.length];
        double ld = m.newWorkspace(45).lossAndGradient(p, im, order, 0, 45, Loss.CROSS_ENTROPY, 1.0 / 45, gd);
        double lf = m.newFloatWorkspace(64).lossAndGradient(p, im, order, 0, 45, Loss.CROSS_ENTROPY, 1.0 / 45, gf);
        double scale = Arrays.stream(gd).map(Math::abs).max().orElseThrow();
        assertThat(lf).isCloseTo(ld, offset(FLOAT_TOL * Math.max(1, ld)));
        for (int k = 0; k < p.length; k++) assertThat(gf[k]).as("gradient %d", k).isCloseTo(gd[k], offset(FLOAT_TOL * scale));
    }

    @Test
    void aSkipFromTheInputIsRejected() {
        Random r = new Random(9);
        DenseLayer l1 = new DenseLayer(4, 3, gaussian(r, 12, 1), new double[3], Activation.RELU, 0);
        DenseLayer l2 = new DenseLayer(3, 2, gaussian(r, 6, 1), new double[2], Activation.IDENTITY, 0, List.of(new Skip(0, gaussian(r, 8, 1), 4)));
        Network n = new Network(4, List.of(l1, l2));
        assertThatThrownBy(() -> FlatModel.withSparseInput(n)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip from the input");
        assertThat(FlatModel.of(n).sparseInput()).isFalse();
    }

    private static void assertClose(double[] a, double[] b, double tol) {
        assertThat(a).hasSameSizeAs(b);
        for (int k = 0; k < a.length; k++) assertThat(a[k]).as("entry %d", k).isCloseTo(b[k], offset(tol));
    }

    private static double[] gaussian(Random r, int n, double s) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) a[k] = r.nextGaussian() * s;
        return a;
    }
}
