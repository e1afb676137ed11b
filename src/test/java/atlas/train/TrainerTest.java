package atlas.train;

import atlas.data.BuiltinImages;
import atlas.data.Dataset;
import atlas.data.PixelSample;
import atlas.data.TargetImage;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    private static final TargetImage DISC = BuiltinImages.create("disc", 64);

    private static Network net(long seed, int... hidden) {
        Network t = Networks.kaiming(seed, 2, hidden, 1, Activation.LEAKY_RELU, 0.01, 0.1);
        FlatModel m = FlatModel.of(t);
        return m.toNetwork(m.initialise(seed, 0.1, 0));
    }

    private static TrainConfig cfg(int threads) {
        return new TrainConfig(256, Loss.MSE, OptimizerKind.ADAM, 3e-3, 11, threads, 1e6);
    }

    @Test
    void aSmallNetLearnsTheDisc() {
        PixelSample s = PixelSample.draw(DISC, 2000, 500, 3);
        Dataset tr = s.trainingSet(DISC), va = s.validationSet(DISC);
        try (Trainer t = new Trainer(net(1, 32, 32), tr, va, cfg(2))) {
            double start = t.meanLoss(tr);
            for (int e = 0; e < 150; e++) t.trainEpoch();
            double end = t.validationLoss();
            assertThat(start).isGreaterThan(0.2);
            // a constant predictor has loss var = p(1-p) ~ 0.19; the disc's boundary is all that remains
            assertThat(end).isLessThan(0.03);
        }
    }

    @Test
    void sameSeedSameWeightsWhateverTheThreads() {
        PixelSample s = PixelSample.draw(DISC, 1500, 100, 5);
        Dataset tr = s.trainingSet(DISC);
        double[] a, b, c;
        try (Trainer t = new Trainer(net(2, 12, 12, 12), tr, null, cfg(1))) {
            for (int e = 0; e < 5; e++) t.trainEpoch();
            a = t.parameters();
        }
        try (Trainer t = new Trainer(net(2, 12, 12, 12), tr, null, cfg(3))) {
            for (int e = 0; e < 5; e++) t.trainEpoch();
            b = t.parameters();
        }
        try (Trainer t = new Trainer(net(3, 12, 12, 12), tr, null, cfg(1))) {
            for (int e = 0; e < 5; e++) t.trainEpoch();
            c = t.parameters();
        }
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void floatTrainingLearnsTheDiscAndIsReproducible() {
        PixelSample s = PixelSample.draw(DISC, 2000, 500, 3);
        Dataset tr = s.trainingSet(DISC), va = s.validationSet(DISC);
        double[] a;
        try (Trainer t = new Trainer(net(1, 32, 32), tr, va, cfg(2).withPrecision(Precision.FLOAT))) {
            for (int e = 0; e < 150; e++) t.trainEpoch();
            assertThat(t.validationLoss()).isLessThan(0.03);
            a = t.parameters();
        }
        try (Trainer t = new Trainer(net(1, 32, 32), tr, va, cfg(1).withPrecision(Precision.FLOAT))) {
            for (int e = 0; e < 150; e++) t.trainEpoch();
            assertThat(t.parameters()).containsExactly(a);
        }
    }

    @Test
    void resumeFromACheckpointFileEqualsAnUninterruptedRun(@TempDir Path dir) {
        PixelSample s = PixelSample.draw(DISC, 1200, 100, 5);
        Dataset tr = s.trainingSet(DISC), va = s.validationSet(DISC);
        double[] straight;
        try (Trainer t = new Trainer(net(4, 10, 10), tr, va, cfg(2))) {
            for (int e = 0; e < 8; e++) t.trainEpoch();
            straight = t.parameters();
        }
        Path ck = dir.resolve("ck.bin");
        try (Trainer t = new Trainer(net(4, 10, 10), tr, va, cfg(2))) {
            for (int e = 0; e < 3; e++) t.trainEpoch();
            t.checkpoint(1.5).write(ck);
        }
        Checkpoint read = Checkpoint.read(ck);
        assertThat(read.epoch()).isEqualTo(3);
        assertThat(read.seconds()).isEqualTo(1.5);
        try (Trainer t = Trainer.resume(read, tr, va, cfg(1))) {
            while (t.epochsDone() < 8) t.trainEpoch();
            assertThat(t.parameters()).containsExactly(straight);
        }
    }

    @Test
    void resumeWithAnotherOptimizerStartsFreshState() {
        PixelSample s = PixelSample.draw(DISC, 600, 0, 5);
        Dataset tr = s.trainingSet(DISC);
        try (Trainer t = new Trainer(net(4, 8), tr, null, cfg(1))) {
            t.trainEpoch();
            Checkpoint ck = t.checkpoint(0);
            try (Trainer u = Trainer.resume(ck, tr, null, cfg(1).withOptimizer(OptimizerKind.SGD, 0.05))) {
                assertThat(u.optimizer().kind()).isEqualTo(OptimizerKind.SGD);
                assertThat(u.optimizer().step()).isZero();
                u.trainEpoch();
            }
            try (Trainer u = Trainer.resume(ck, tr, null, cfg(1).withOptimizer(OptimizerKind.ADAM, 1e-4))) {
                assertThat(u.optimizer().step()).isEqualTo(ck.step());
                assertThat(u.optimizer().lr()).isEqualTo(1e-4);
            }
        }
    }

    @Test
    void divergenceIsANumericalErrorWithAOneLineMessage() {
        PixelSample s = PixelSample.draw(DISC, 600, 0, 5);
        Dataset tr = s.trainingSet(DISC);
        TrainConfig huge = new TrainConfig(64, Loss.MSE, OptimizerKind.SGD, 1e3, 1, 1, 1e6);
        try (Trainer t = new Trainer(net(5, 16, 16, 16), tr, null, huge)) {
            assertThatThrownBy(() -> { for (int e = 0; e < 50; e++) t.trainEpoch(); })
                    .isInstanceOf(TrainingDivergedException.class).isInstanceOf(ArithmeticException.class)
                    .hasMessageContaining("training diverged").hasMessageContaining("--lr").hasMessageNotContaining("\n");
        }
    }

    @Test
    void crossEntropyLearnsThreeClasses() {
        TargetImage ring3 = BuiltinImages.create("ring3", 64);
        PixelSample s = PixelSample.draw(ring3, 2000, 300, 9);
        Network t0 = Networks.kaiming(6, 2, new int[]{32, 32}, 3, Activation.LEAKY_RELU, 0.01, 0.1);
        TrainConfig c = new TrainConfig(256, Loss.CROSS_ENTROPY, OptimizerKind.ADAM, 3e-3, 1, 2, 1e6);
        try (Trainer t = new Trainer(t0, s.trainingSet(ring3), s.validationSet(ring3), c)) {
            double start = t.validationLoss();
            for (int e = 0; e < 60; e++) t.trainEpoch();
            assertThat(t.validationLoss()).isLessThan(start * 0.6);
        }
    }

    @Test
    void mismatchedLossIsRejected() {
        PixelSample s = PixelSample.draw(DISC, 100, 0, 5);
        TrainConfig ce = new TrainConfig(64, Loss.CROSS_ENTROPY, OptimizerKind.ADAM, 1e-3, 1, 1, 1e6);
        assertThatThrownBy(() -> new Trainer(net(1, 4), s.trainingSet(DISC), null, ce))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cross-entropy");
    }
}
