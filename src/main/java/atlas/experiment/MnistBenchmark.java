package atlas.experiment;

import atlas.data.mnist.MnistData;

import java.util.ArrayList;
import java.util.List;

/**
 * Training speed on MNIST-layout data: for each architecture, {@link MnistTrainer} (softmax cross-entropy, Adam,
 * batch 128) runs a warm-up of a fraction of an epoch, then a timed stretch; the figure is training samples per
 * second (forward, backward and Adam update).
 */
public final class MnistBenchmark {
    private MnistBenchmark() {}

    /** One architecture's figure. */
    public record Result(String arch, int neurons, long parameters, long samples, double seconds, double samplesPerSecond, double testAccuracy) {}

    /**
     * @param warmupSamples samples trained before timing (JIT warm-up)
     * @param samples       samples timed
     */
    public static List<Result> run(MnistData data, List<int[]> archs, long warmupSamples, long samples, int batch, int threads, long seed) {
        List<Result> out = new ArrayList<>();
        int n = data.train().count();
        for (int[] hidden : archs) {
            try (MnistTrainer t = new MnistTrainer(data.train(), hidden, seed, 1e-3, Double.NaN, batch, 1e-3, threads)) {
                t.advanceTo(warmupSamples / (double) n);
                long s0 = t.samplesSeen();
                long t0 = System.nanoTime();
                t.advanceTo((warmupSamples + samples) / (double) n);
                double sec = (System.nanoTime() - t0) / 1e9;
                long done = t.samplesSeen() - s0;
                var net = t.network();
                out.add(new Result(HaninRolnickConfig.name(hidden), net.hiddenNeurons(), net.parameterCount(), done, sec, done / sec,
                        MnistTrainer.accuracy(net, data.test(), Integer.MAX_VALUE)));
            }
        }
        return out;
    }
}
