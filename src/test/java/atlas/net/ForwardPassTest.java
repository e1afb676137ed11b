package atlas.net;

import atlas.experiment.PredictBenchmark;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one forward pass against hand-computed values, and its users (batch evaluation, the ND benchmark). */
class ForwardPassTest {

    /**
     * 2 -> 2 relu -> 1 identity with a skip from the input: W1 = [[1, -1], [2, 1]], b1 = [0, -1];
     * W2 = [1, 1], b2 = 0.5, skip P = [3, -2].
     * At (1, 2): z1 = (-1, 3), h1 = (0, 3), out = 0.5 + 3 + (3 - 4) = 2.5.
     * At (2, 0): z1 = (2, 3), out = 0.5 + 5 + 6 = 11.5. At (3, 1): z1 = (2, 6), out = 0.5 + 8 + 7 = 15.5.
     */
    static Network handNet() {
        return new Network(2, List.of(
                new DenseLayer(2, 2, new double[]{1, -1, 2, 1}, new double[]{0, -1}, Activation.RELU, 0),
                new DenseLayer(2, 1, new double[]{1, 1}, new double[]{0.5}, Activation.IDENTITY, 0,
                        List.of(new Skip(0, new double[]{3, -2}, 2)))));
    }

    @Test
    void handComputedValuesWithASkip() {
        ForwardPass pass = new ForwardPass(handNet());
        assertThat(pass.apply(new double[]{1, 2})).containsExactly(2.5);
        assertThat(pass.preActivations()[1]).containsExactly(-1, 3);
        assertThat(pass.outputs()[1]).containsExactly(0, 3);
        assertThat(pass.apply(new double[]{2, 0})).containsExactly(11.5);
        assertThat(handNet().forward(new double[]{3, 1})).containsExactly(15.5);
    }

    @Test
    void batchEvaluationGivesTheSameOutputsAndHashesEqualPatternsAlike() {
        BatchEvaluator eval = new BatchEvaluator(handNet());
        double[] out = new double[3];
        long[] hash = new long[3];
        eval.evaluate(new double[]{1, 2, 2, 0, 3, 1}, 3, out, hash);
        assertThat(out).containsExactly(2.5, 11.5, 15.5);
        assertThat(hash[0]).isNotEqualTo(hash[1]); // patterns 01 and 11
        assertThat(hash[1]).isEqualTo(hash[2]);    // both 11
    }

    /** The region-walker benchmark compares against the forward pass: with a skip it must agree too. */
    @Test
    void ndBenchmarkForwardPassHonoursSkips() {
        Network net = RandomNets.withSkipsEverywhere(3, 3, new int[]{5, 5}, 1, Activation.RELU, 0);
        PredictBenchmark.ResultND r = PredictBenchmark.runND(net, 2000, 1, 4);
        assertThat(r.complete()).isTrue();
        assertThat(r.maxAbsDifference()).isLessThan(1e-9);
    }
}
