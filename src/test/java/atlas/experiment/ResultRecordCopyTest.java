package atlas.experiment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Regression: result records copy the arrays they are given, so a caller reusing its array cannot change them. */
class ResultRecordCopyTest {

    @Test
    void tropicalResultCopiesPrunedPerLayer() {
        long[] perLayer = {4, 6, 8};
        TropicalReport.Result r = new TropicalReport.Result("2 -> [2] -> 1", 10, 8, perLayer, 7, 6, 6, 7, 0.0, 0.01);
        perLayer[0] = 99;
        assertThat(r.prunedPerLayer()).containsExactly(4, 6, 8);
    }

    @Test
    void mnistRowCopiesTheLossArrays() {
        double[] train = {2.3, 1.0}, val = {2.4, 1.1};
        SkipExperiment.MnistRow row = new SkipExperiment.MnistRow("plain", 0.9, train, val, 5, 10, 8, 0.2, 0.1);
        train[1] = -1;
        val[1] = -1;
        assertThat(row.trainLoss()).containsExactly(2.3, 1.0);
        assertThat(row.validationLoss()).containsExactly(2.4, 1.1);
    }
}
