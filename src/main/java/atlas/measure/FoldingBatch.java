package atlas.measure;

/**
 * The exact space folding of many paths (see {@link FoldingResult} for the quantities).
 *
 * @param regions        regions crossed per path
 * @param r1             r1 per path
 * @param r2             r2 per path
 * @param maxRunningChi  the maximum of the running chi per path
 * @param seconds        wall time of the computation
 */
public record FoldingBatch(int[] regions, int[] r1, int[] r2, double[] maxRunningChi, double seconds) {
    public FoldingBatch {
        int n = regions.length;
        if (r1.length != n || r2.length != n || maxRunningChi.length != n)
            throw new IllegalArgumentException("batch arrays differ in length");
        regions = regions.clone();
        r1 = r1.clone();
        r2 = r2.clone();
        maxRunningChi = maxRunningChi.clone();
    }

    @Override public int[] regions() { return regions.clone(); }
    @Override public int[] r1() { return r1.clone(); }
    @Override public int[] r2() { return r2.clone(); }
    @Override public double[] maxRunningChi() { return maxRunningChi.clone(); }

    public int size() { return regions.length; }

    /** chi of path k. */
    public double chi(int k) { return FoldingResult.chi(r1[k], r2[k]); }

    /** chi of every path. */
    public double[] chi() {
        double[] c = new double[regions.length];
        for (int k = 0; k < c.length; k++) c[k] = chi(k);
        return c;
    }

    /** Phi: the median of the non-zero chi values. */
    public double phi() { return SpaceFolding.phi(chi()); }

    /** The median of the non-zero maxima of the running chi (the per-pair statistic of the paper's Algorithm 2). */
    public double phiOfMaxima() { return SpaceFolding.phi(maxRunningChi); }

    /** The fraction of paths with chi &gt; 0. */
    public double foldedFraction() {
        int f = 0;
        for (int k = 0; k < r1.length; k++) if (r1[k] < r2[k]) f++;
        return regions.length == 0 ? 0 : (double) f / regions.length;
    }

    /** Mean number of regions crossed per path. */
    public double meanRegions() {
        long s = 0;
        for (int r : regions) s += r;
        return regions.length == 0 ? 0 : (double) s / regions.length;
    }

    /** Paths per second. */
    public double pathsPerSecond() { return regions.length / Math.max(seconds, 1e-12); }
}
