package atlas.train;

import atlas.error.BadInputException;

/**
 * A first-order optimiser with its state (moments, step count), updating a flat parameter array in place.
 * See {@link OptimizerKind} for the update rules. The state can be exported and restored, so a checkpoint
 * resumes bit for bit.
 */
public final class Optimizer {
    private final OptimizerKind kind;
    private double lr;
    private long step;
    private final double[][] state;

    /** A fresh optimiser for {@code parameters} values. */
    public Optimizer(OptimizerKind kind, double lr, int parameters) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new BadInputException("learning rate must be a positive number, got " + lr);
        this.kind = kind;
        this.lr = lr;
        this.state = new double[kind.stateArrays()][parameters];
    }

    /** An optimiser with restored state (arrays copied). */
    public Optimizer(OptimizerKind kind, double lr, long step, double[][] state, int parameters) {
        this(kind, lr, parameters);
        if (state.length != kind.stateArrays()) throw new BadInputException("optimizer state has " + state.length + " arrays, " + kind.label() + " needs " + kind.stateArrays());
        for (int k = 0; k < state.length; k++) {
            if (state[k].length != parameters) throw new BadInputException("optimizer state has " + state[k].length + " values, expected " + parameters);
            System.arraycopy(state[k], 0, this.state[k], 0, parameters);
        }
        this.step = step;
    }

    public OptimizerKind kind() { return kind; }

    public double lr() { return lr; }

    /** Changes the learning rate; the moments are kept. */
    public void setLr(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new BadInputException("learning rate must be a positive number, got " + lr);
        this.lr = lr;
    }

    /** The number of updates made so far. */
    public long step() { return step; }

    /** Copies of the state arrays. */
    public double[][] state() {
        double[][] s = new double[state.length][];
        for (int k = 0; k < s.length; k++) s[k] = state[k].clone();
        return s;
    }

    /**
     * One update.
     *
     * @param p parameters. Modified.
     * @param g gradient of the loss. Not modified.
     */
    public void update(double[] p, double[] g) {
        step++;
        int n = p.length;
        switch (kind) {
            case SGD -> {
                for (int k = 0; k < n; k++) p[k] -= lr * g[k];
            }
            case MOMENTUM -> {
                double[] buf = state[0];
                double mu = OptimizerKind.MOMENTUM_MU;
                for (int k = 0; k < n; k++) {
                    buf[k] = mu * buf[k] + g[k];
                    p[k] -= lr * buf[k];
                }
            }
            case RMSPROP -> {
                double[] v = state[0];
                double a = OptimizerKind.RMSPROP_ALPHA, eps = OptimizerKind.DENOMINATOR_OFFSET;
                for (int k = 0; k < n; k++) {
                    v[k] = a * v[k] + (1 - a) * g[k] * g[k];
                    p[k] -= lr * g[k] / (Math.sqrt(v[k]) + eps);
                }
            }
            case ADAM -> {
                double[] m = state[0], v = state[1];
                double b1 = OptimizerKind.ADAM_BETA1, b2 = OptimizerKind.ADAM_BETA2, eps = OptimizerKind.DENOMINATOR_OFFSET;
                double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
                double stepSize = lr / c1;
                double sqrtC2 = Math.sqrt(c2);
                for (int k = 0; k < n; k++) {
                    double gk = g[k];
                    m[k] = b1 * m[k] + (1 - b1) * gk;
                    v[k] = b2 * v[k] + (1 - b2) * gk * gk;
                    // PyTorch: denom = sqrt(v) / sqrt(c2) + eps; p -= (lr / c1) * m / denom
                    p[k] -= stepSize * m[k] / (Math.sqrt(v[k]) / sqrtC2 + eps);
                }
            }
        }
    }
}
