package atlas.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Update rules against values computed by hand from the PyTorch formulas. */
class OptimizerTest {
    @Test
    void sgdStepsAgainstTheGradient() {
        double[] p = {1, -2};
        new Optimizer(OptimizerKind.SGD, 0.1, 2).update(p, new double[]{3, -4});
        assertThat(p[0]).isCloseTo(0.7, within(1e-15));
        assertThat(p[1]).isCloseTo(-1.6, within(1e-15));
    }

    @Test
    void adamFirstStepIsLrTimesTheSignOfTheGradient() {
        double[] p = {0, 0, 0};
        Optimizer o = new Optimizer(OptimizerKind.ADAM, 0.01, 3);
        o.update(p, new double[]{5, -0.25, 1e-3});
        // m_hat = g, v_hat = g^2: step = lr g / (|g| + 1e-8)
        assertThat(p[0]).isCloseTo(-0.01, within(1e-9));
        assertThat(p[1]).isCloseTo(0.01, within(1e-9));
        assertThat(p[2]).isCloseTo(-0.01 * 1e-3 / (1e-3 + 1e-8), within(1e-12));
        assertThat(o.step()).isEqualTo(1);
    }

    @Test
    void adamSecondStepMatchesTheFormula() {
        double[] p = {0};
        Optimizer o = new Optimizer(OptimizerKind.ADAM, 0.1, 1);
        o.update(p, new double[]{1});
        o.update(p, new double[]{3});
        double m = 0.9 * 0.1 * 1 + 0.1 * 3, v = 0.999 * 0.001 * 1 + 0.001 * 9;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertThat(p[0]).isCloseTo(-0.1 / (1 + 1e-8) - 0.1 * mh / (Math.sqrt(vh) + 1e-8), within(1e-12));
    }

    @Test
    void momentumAccumulates() {
        double[] p = {0};
        Optimizer o = new Optimizer(OptimizerKind.MOMENTUM, 1, 1);
        o.update(p, new double[]{1});
        o.update(p, new double[]{1});
        assertThat(p[0]).isCloseTo(-(1 + 1.9), within(1e-15));
    }

    @Test
    void rmspropNormalises() {
        double[] p = {0};
        new Optimizer(OptimizerKind.RMSPROP, 0.01, 1).update(p, new double[]{2});
        assertThat(p[0]).isCloseTo(-0.01 * 2 / (Math.sqrt(0.01 * 4) + 1e-8), within(1e-12));
    }

    @Test
    void stateRestoresExactly() {
        Optimizer a = new Optimizer(OptimizerKind.ADAM, 0.01, 2);
        double[] p = {1, 2};
        a.update(p, new double[]{0.3, -0.1});
        Optimizer b = new Optimizer(OptimizerKind.ADAM, 0.01, a.step(), a.state(), 2);
        double[] q = p.clone();
        a.update(p, new double[]{0.2, 0.5});
        b.update(q, new double[]{0.2, 0.5});
        assertThat(q).containsExactly(p);
    }
}
