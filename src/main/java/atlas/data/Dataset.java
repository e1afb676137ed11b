package atlas.data;

import atlas.error.BadInputException;

/**
 * Points and targets for supervised training, on flat arrays.
 *
 * @param inputDim  values per point
 * @param inputs    point {@code k} is {@code inputs[k*inputDim .. (k+1)*inputDim)}; copied
 * @param targets   regression targets, {@code targetDim} per point, or null for classification; copied
 * @param targetDim values per regression target (0 for classification)
 * @param labels    class labels, one per point, or null for regression; copied
 * @param classes   number of classes (0 for regression)
 */
public record Dataset(int inputDim, double[] inputs, double[] targets, int targetDim, int[] labels, int classes) implements Examples {
    public Dataset {
        if (inputDim <= 0) throw new BadInputException("inputDim must be positive");
        if (inputs.length % inputDim != 0) throw new BadInputException("inputs length " + inputs.length + " is not a multiple of " + inputDim);
        int n = inputs.length / inputDim;
        if ((targets == null) == (labels == null)) throw new BadInputException("give either targets or labels");
        if (targets != null && (targetDim <= 0 || targets.length != n * targetDim))
            throw new BadInputException("targets has " + targets.length + " values, expected " + n + " x " + targetDim);
        if (labels != null) {
            if (labels.length != n) throw new BadInputException("labels has " + labels.length + " values, expected " + n);
            for (int l : labels) if (l < 0 || l >= classes) throw new BadInputException("label " + l + " outside 0.." + (classes - 1));
        }
        inputs = inputs.clone();
        targets = targets == null ? null : targets.clone();
        labels = labels == null ? null : labels.clone();
    }

    /** Inputs, not copied: do not modify. */
    @Override public double[] inputs() { return inputs; }

    /** Targets, not copied: do not modify. */
    @Override public double[] targets() { return targets; }

    /** Labels, not copied: do not modify. */
    @Override public int[] labels() { return labels; }

    /** The number of points. */
    @Override public int size() { return inputs.length / inputDim; }

    @Override public boolean isClassification() { return labels != null; }

    /** The number of network outputs this data set needs. */
    @Override public int outputDim() { return labels != null ? classes : targetDim; }

    @Override
    public void inputs(int i, double[] row) { System.arraycopy(inputs, i * inputDim, row, 0, inputDim); }

    @Override
    public int nonZeroInputs(int i, int[] idx, double[] val) {
        int c = 0;
        for (int k = 0, base = i * inputDim; k < inputDim; k++) {
            double v = inputs[base + k];
            if (v == 0) continue;
            idx[c] = k;
            val[c++] = v;
        }
        return c;
    }

    @Override public int label(int i) { return labels[i]; }

    @Override public double target(int i, int o) { return targets[i * targetDim + o]; }

    /** The pixels {@code pixels} of {@code image}: inputs (x, y) = (j/W, i/H), the grey value or class as target. */
    public static Dataset ofPixels(TargetImage image, int[] pixels) {
        double[] in = new double[2 * pixels.length];
        for (int k = 0; k < pixels.length; k++) {
            in[2 * k] = image.x(pixels[k]);
            in[2 * k + 1] = image.y(pixels[k]);
        }
        if (image.isClassification()) {
            int[] lab = new int[pixels.length];
            for (int k = 0; k < pixels.length; k++) lab[k] = image.labels()[pixels[k]];
            return new Dataset(2, in, null, 0, lab, image.classes());
        }
        double[] t = new double[pixels.length];
        for (int k = 0; k < pixels.length; k++) t[k] = image.grey()[pixels[k]];
        return new Dataset(2, in, t, 1, null, 0);
    }
}
