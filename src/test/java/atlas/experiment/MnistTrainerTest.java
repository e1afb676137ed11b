package atlas.experiment;

import atlas.data.mnist.MnistData;
import atlas.data.mnist.SyntheticImages;
import atlas.net.Network;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MnistTrainerTest {

    static final MnistData DATA = SyntheticImages.generate(4, 1200, 300, 8, 10);

    @Test
    void learnsTheSyntheticClasses() {
        try (MnistTrainer t = new MnistTrainer(DATA.train(), new int[]{24, 24}, 3, 1e-3, Double.NaN, 64, 1e-3, 2)) {
            double before = MnistTrainer.accuracy(t.network(), DATA.test(), 1000);
            t.advanceTo(16);
            double after = MnistTrainer.accuracy(t.network(), DATA.test(), 1000);
            assertThat(before).isLessThan(0.5);
            assertThat(after).isGreaterThan(0.9);
            assertThat(t.epoch()).isEqualTo(16.0);
            assertThat(t.samplesSeen()).isEqualTo(16 * 1200);
        }
    }

    @Test
    void pausingAndThreadCountDoNotChangeTheResult() {
        Network a, b;
        try (MnistTrainer t = new MnistTrainer(DATA.train(), new int[]{10, 10}, 5, 1e-3, Double.NaN, 32, 1e-3, 1)) {
            t.advanceTo(1.0 / 32);
            t.advanceTo(0.5);
            t.advanceTo(1.25);
            a = t.network();
        }
        try (MnistTrainer t = new MnistTrainer(DATA.train(), new int[]{10, 10}, 5, 1e-3, Double.NaN, 32, 1e-3, 2)) {
            t.advanceTo(1.25);
            b = t.network();
        }
        assertThat(a).isEqualTo(b);
    }

    @Test
    void initialisationIsHeNormalWithTinyBiases() {
        try (MnistTrainer t = new MnistTrainer(DATA.train(), new int[]{200}, 9, 1e-3, Double.NaN, 32, 1e-3, 1)) {
            Network net = t.network();
            double[] w = net.layer(1).weights();
            double s = 0;
            for (double v : w) s += v * v;
            double var = s / w.length;
            assertThat(var).isBetween(0.9 * 2.0 / 64, 1.1 * 2.0 / 64);
            for (double bias : net.layer(1).bias()) assertThat(Math.abs(bias)).isLessThan(0.01);
            assertThat(net.hiddenNeurons()).isEqualTo(200);
        }
        try (MnistTrainer t = new MnistTrainer(DATA.train(), new int[]{5}, 9, 1e-3, 0.1, 32, 1e-3, 1)) {
            assertThat(t.network().layer(1).bias()).containsOnly(0.1);
        }
    }

    @Test
    void theLastLossIsTheCrossEntropyOfTheNetworkOnItsBatch() {
        // one full-batch step: the loss reported is the mean cross-entropy of the initial net on all images
        MnistData small = SyntheticImages.generate(8, 40, 10, 6, 10);
        try (MnistTrainer t = new MnistTrainer(small.train(), new int[]{7}, 2, 1e-3, Double.NaN, 40, 1e-3, 2)) {
            Network init = t.network();
            double ce = 0;
            for (int i = 0; i < 40; i++) {
                double[] y = init.forward(small.train().features(i, null));
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (double v : y) max = Math.max(max, v);
                for (double v : y) sum += Math.exp(v - max);
                ce += Math.log(sum) + max - y[small.train().label(i)];
            }
            t.advanceTo(1);
            assertThat(t.lastLoss()).isCloseTo(ce / 40, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(t.network()).isNotEqualTo(init);
        }
    }

    @Test
    void fullBatchAdamStepsMatchTheGeneralTrainerOfAtlasTrain() {
        // the general Trainer (dense first layer, double inputs, its own schedule) from the same initial net, full batches:
        // the sparse byte-pixel path and the fractional-epoch schedule must give the same steps
        MnistData small = SyntheticImages.generate(12, 64, 10, 6, 10);
        int n = small.train().count(), d = small.train().dim();
        double[] in = new double[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(small.train().features(i, null), 0, in, i * d, d);
            labels[i] = small.train().label(i);
        }
        atlas.data.Dataset ds = new atlas.data.Dataset(d, in, null, 0, labels, 10);
        try (MnistTrainer mine = new MnistTrainer(small.train(), new int[]{9, 7}, 4, 0.05, Double.NaN, n, 1e-3, 1)) {
            Network init = mine.network();
            atlas.train.TrainConfig cfg = new atlas.train.TrainConfig(n, atlas.train.Loss.CROSS_ENTROPY, atlas.train.OptimizerKind.ADAM,
                    1e-3, 1, 1, atlas.train.TrainConfig.DEFAULT_DIVERGENCE);
            try (atlas.train.Trainer other = new atlas.train.Trainer(init, ds, null, cfg)) {
                for (int step = 1; step <= 3; step++) {
                    double loss = other.trainEpoch();
                    mine.advanceTo(step);
                    assertThat(mine.lastLoss()).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-12));
                }
                Network a = mine.network(), b = other.network();
                for (int l = 1; l <= a.depth(); l++) {
                    double[] wa = a.layer(l).weights(), wb = b.layer(l).weights();
                    for (int k = 0; k < wa.length; k++) assertThat(wa[k]).isCloseTo(wb[k], org.assertj.core.data.Offset.offset(1e-12));
                    double[] ba = a.layer(l).bias(), bb = b.layer(l).bias();
                    for (int k = 0; k < ba.length; k++) assertThat(ba[k]).isCloseTo(bb[k], org.assertj.core.data.Offset.offset(1e-12));
                }
                assertThat(a).isNotEqualTo(init);
            }
        }
    }
}
