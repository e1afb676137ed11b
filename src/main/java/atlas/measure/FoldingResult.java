package atlas.measure;

/**
 * The space folding of one path (Lewandowski et al., "On space folds of ReLU neural networks", TMLR 2025).
 *
 * <p>Along a path whose activation patterns are {@code pi_1, ..., pi_n} (in the order the path meets them),
 * {@code r1 = max_i d_H(pi_1, pi_i)} is the farthest the path gets from its first pattern and
 * {@code r2 = sum_i d_H(pi_i, pi_{i+1})} the length of its walk in Hamming space; {@code chi = 1 - r1 / r2}
 * (0 when {@code r2 = 0}). {@code chi = 0} iff the walk never comes back towards its start.
 *
 * @param regions       n, the number of patterns in the sequence (for the exact variant: linear regions crossed;
 *                      for the sampled variant: sample points)
 * @param r1            max Hamming distance from the first pattern
 * @param r2            total Hamming length of the walk
 * @param chi           {@code 1 - r1/r2}, or 0 when {@code r2 = 0}
 * @param runningChi    runningChi[j] = chi of the prefix {@code pi_1..pi_{j+1}} (length n); may be empty when the
 *                      caller asked only for the summary
 * @param maxRunningChi the maximum of the running chi over all prefixes (the quantity the paper's Algorithm 2
 *                      aggregates); at least {@code chi}
 */
public record FoldingResult(int regions, int r1, int r2, double chi, double[] runningChi, double maxRunningChi) {
    public FoldingResult {
        if (regions < 0 || r1 < 0 || r2 < 0 || r1 > r2) throw new IllegalArgumentException("inconsistent folding counts r1=" + r1 + " r2=" + r2);
        runningChi = runningChi.clone();
    }

    @Override
    public double[] runningChi() { return runningChi.clone(); }

    /** True when the path is folded back by the network ({@code chi > 0}). */
    public boolean folded() { return chi > 0; }

    /** {@code 1 - r1/r2}, or 0 when {@code r2 = 0}. */
    public static double chi(int r1, int r2) {
        return r2 == 0 ? 0.0 : 1.0 - (double) r1 / r2;
    }
}
