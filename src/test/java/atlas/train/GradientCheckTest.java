package atlas.train;

import atlas.data.Dataset;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The analytic gradient of FlatModel against central finite differences, for every activation, loss and skip kind. */
class GradientCheckTest {
    private static final double STEP = 1e-6;
    private static final double REL_TOL = 1e-5;
    /** Float blocks against double: relative to the largest gradient entry (float rounding is about 6e-8 per operation). */
    private static final double FLOAT_TOL = 1e-4;

    private static double[] gaussian(Random r, int n, double s) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) a[k] = r.nextGaussian() * s;
        return a;
    }

    /** 3 -> 5 (act) -> 4 (act, matrix skip from input) -> 5 (act, identity skip from layer 1, matrix skip from 2) -> out. */
    static Network netWithSkips(Activation act, int outputs, long seed) {
        Random r = new Random(seed);
        DenseLayer l1 = new DenseLayer(3, 5, gaussian(r, 15, 0.8), gaussian(r, 5, 0.3), act, 0.1);
        DenseLayer l2 = new DenseLayer(5, 4, gaussian(r, 20, 0.8), gaussian(r, 4, 0.3), act, 0.1,
                List.of(new Skip(0, gaussian(r, 12, 0.5), 3)));
        DenseLayer l3 = new DenseLayer(4, 5, gaussian(r, 20, 0.8), gaussian(r, 5, 0.3), act, 0.1,
                List.of(Skip.identity(1), new Skip(2, gaussian(r, 20, 0.5), 4)));
        DenseLayer l4 = new DenseLayer(5, outputs, gaussian(r, 5 * outputs, 0.8), gaussian(r, outputs, 0.3), Activation.IDENTITY, 0,
                List.of(new Skip(0, gaussian(r, 3 * outputs, 0.5), 3)));
        return new Network(3, List.of(l1, l2, l3, l4));
    }

    static Dataset data(int n, int outputs, boolean classes, long seed) {
        Random r = new Random(seed);
        double[] in = gaussian(r, 3 * n, 1);
        if (classes) {
            int[] lab = new int[n];
            for (int k = 0; k < n; k++) lab[k] = r.nextInt(outputs);
            return new Dataset(3, in, null, 0, lab, outputs);
        }
        return new Dataset(3, in, gaussian(r, n * outputs, 1), outputs, null, 0);
    }

    /** Runs {@code body} with the plain kernels, then with the Vector API kernels when this JVM has them. */
    static void onBothKernelPaths(Runnable body) {
        boolean keep = Kernels.useVector;
        try {
            Kernels.useVector = false;
            body.run();
            if (Kernels.vectorAvailable()) {
                Kernels.useVector = true;
                body.run();
            }
        } finally {
            Kernels.useVector = keep;
        }
    }

    private static void check(Network net, Dataset d, Loss loss) {
        onBothKernelPaths(() -> checkOnce(net, d, loss));
    }

    private static void checkOnce(Network net, Dataset d, Loss loss) {
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        double[] g = new double[p.length];
        m.lossAndGradient(p, d, loss, g);
        double maxErr = 0;
        for (int k = 0; k < p.length; k++) {
            double keep = p[k];
            p[k] = keep + STEP;
            double up = m.lossAndGradient(p, d, loss, null);
            p[k] = keep - STEP;
            double down = m.lossAndGradient(p, d, loss, null);
            p[k] = keep;
            double fd = (up - down) / (2 * STEP);
            double err = Math.abs(fd - g[k]) / Math.max(1, Math.abs(fd) + Math.abs(g[k]));
            maxErr = Math.max(maxErr, err);
        }
        assertThat(maxErr).as("max relative gradient error").isLessThan(REL_TOL);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void mseGradientMatchesFiniteDifferences(Activation act) {
        check(netWithSkips(act, 2, 1), data(37, 2, false, 2), Loss.MSE);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void crossEntropyGradientMatchesFiniteDifferences(Activation act) {
        check(netWithSkips(act, 3, 3), data(41, 3, true, 4), Loss.CROSS_ENTROPY);
    }

    @Test
    void oddBlockSizesGiveTheSameGradientAsOneBlock() {
        onBothKernelPaths(this::oddBlocks);
    }

    private void oddBlocks() {
        Network net = netWithSkips(Activation.LEAKY_RELU, 1, 5);
        Dataset d = data(53, 1, false, 6);
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        double[] whole = new double[p.length];
        m.lossAndGradient(p, d, Loss.MSE, whole);
        int[] order = new int[53];
        for (int k = 0; k < 53; k++) order[k] = k;
        double[] parts = new double[p.length];
        FlatModel.Block ws = m.newWorkspace(7);
        double sum = 0;
        for (int from = 0; from < 53; from += 7) sum += ws.lossAndGradient(p, d, order, from, Math.min(7, 53 - from), Loss.MSE, 1.0 / 53, parts);
        assertThat(sum / 53).isCloseTo(m.lossAndGradient(p, d, Loss.MSE, null), org.assertj.core.data.Offset.offset(1e-12));
        for (int k = 0; k < p.length; k++) assertThat(parts[k]).isCloseTo(whole[k], org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void vectorAndPlainKernelsAgree() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorAvailable(), "the Vector API module is not in this JVM");
        Network net = netWithSkips(Activation.LEAKY_RELU, 2, 12);
        Dataset d = data(45, 2, false, 13);   // 45 points: whole vectors plus a scalar tail
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        double[] gp = new double[p.length], gv = new double[p.length];
        boolean keep = Kernels.useVector;
        try {
            Kernels.useVector = false;
            double lp = m.lossAndGradient(p, d, Loss.MSE, gp);
            Kernels.useVector = true;
            double lv = m.lossAndGradient(p, d, Loss.MSE, gv);
            assertThat(lv).isCloseTo(lp, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, lp)));
            for (int k = 0; k < p.length; k++) assertThat(gv[k]).isCloseTo(gp[k], org.assertj.core.data.Offset.offset(1e-11 * Math.max(1, Math.abs(gp[k]))));
        } finally {
            Kernels.useVector = keep;
        }
    }

    @Test
    void floatGradientMatchesTheDoubleGradient() {
        onBothKernelPaths(() -> {
            for (Activation act : Activation.values()) {
                for (Loss loss : Loss.values()) {
                    int outputs = loss == Loss.MSE ? 2 : 3;
                    Network net = netWithSkips(act, outputs, 20 + act.ordinal());
                    Dataset d = data(45, outputs, loss == Loss.CROSS_ENTROPY, 21);
                    FlatModel m = FlatModel.of(net);
                    double[] p = m.parameters(net);
                    int[] order = new int[45];
                    for (int k = 0; k < 45; k++) order[k] = k;
                    double[] gd = new double[p.length], gf = new double[p.length];
                    double ld = m.newWorkspace(45).lossAndGradient(p, d, order, 0, 45, loss, 1.0 / 45, gd);
                    double lf = m.newFloatWorkspace(64).lossAndGradient(p, d, order, 0, 45, loss, 1.0 / 45, gf);
                    double scale = 0;
                    for (double v : gd) scale = Math.max(scale, Math.abs(v));
                    assertThat(lf).as("%s %s loss", act, loss).isCloseTo(ld, org.assertj.core.data.Offset.offset(FLOAT_TOL * Math.max(1, Math.abs(ld))));
                    for (int k = 0; k < p.length; k++)
                        assertThat(gf[k]).as("%s %s gradient %d", act, loss, k).isCloseTo(gd[k], org.assertj.core.data.Offset.offset(FLOAT_TOL * scale));
                }
            }
        });
    }

    @Test
    void forwardPassEqualsTheNetworkRecord() {
        onBothKernelPaths(this::forwardOnce);
    }

    private void forwardOnce() {
        Network net = netWithSkips(Activation.LEAKY_RELU, 2, 7);
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        Random r = new Random(8);
        double[] x = gaussian(r, 3 * 10, 1);
        double[] out = new double[20];
        m.newWorkspace(16).predict(p, x, 10, out);
        for (int b = 0; b < 10; b++) {
            double[] y = net.forward(java.util.Arrays.copyOfRange(x, 3 * b, 3 * b + 3));
            assertThat(out[2 * b]).isCloseTo(y[0], org.assertj.core.data.Offset.offset(1e-12));
            assertThat(out[2 * b + 1]).isCloseTo(y[1], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void parametersRoundTripExactly() {
        Network net = netWithSkips(Activation.RELU, 2, 9);
        FlatModel m = FlatModel.of(net);
        assertThat(m.toNetwork(m.parameters(net))).isEqualTo(net);
        assertThat(m.parameterCount()).isEqualTo(net.parameterCount());
    }
}
