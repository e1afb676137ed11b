package atlas.regions;

import atlas.geometry.LinearProgram;
import atlas.geometry.LpResult;
import atlas.geometry.LpSolver;

import java.util.SplittableRandom;

/**
 * Which monomials of a tropical polynomial are the strict maximum somewhere: those that are the argmax at a
 * sample point are kept at once; every other monomial i gets the linear program
 * {@code max s  s.t.  (a_j - a_i).x + s <= c_i - c_j  (j != i),  s <= 1} and is kept iff its optimum is
 * positive (above a threshold relative to the constants' magnitude) or the program is unbounded.
 */
final class TropicalPruning {
    private TropicalPruning() {}

    /**
     * Relative margin below which a monomial counts as never strictly maximal: the kernels' side tolerance, so a
     * monomial whose lead is within the rounding the kernels ignore is not a piece of its own.
     */
    static final double MARGIN = atlas.geometry.Tolerance.DEFAULT_SIDE_EPS;

    static boolean[] maximalSomewhere(int n, double[] a, double[] c) {
        int m = c.length;
        boolean[] keep = new boolean[m];
        double scale = 1;
        for (double v : c) scale = Math.max(scale, Math.abs(v));
        // cheap certificates: argmax at seeded sample points of growing radius
        SplittableRandom rnd = new SplittableRandom(12345);
        double[] x = new double[n];
        for (int s = 0, samples = Math.min(16 * m + 256, 20_000); s < samples; s++) {
            double radius = Math.pow(10, (s % 7) - 3) * scale;
            for (int k = 0; k < n; k++) x[k] = radius * (2 * rnd.nextDouble() - 1);
            int best = -1;
            double bv = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                double v = c[i];
                for (int k = 0; k < n; k++) v += a[i * n + k] * x[k];
                if (v > bv) { second = bv; bv = v; best = i; } else if (v > second) second = v;
            }
            if (bv - second > MARGIN * scale) keep[best] = true;
        }
        LpSolver solver = LpSolver.defaultSolver();
        for (int i = 0; i < m; i++) {
            if (keep[i]) continue;
            int rows = m; // m - 1 comparisons and s <= 1
            double[] A = new double[rows * (n + 1)], b = new double[rows];
            int r = 0;
            for (int j = 0; j < m; j++) {
                if (j == i) continue;
                for (int k = 0; k < n; k++) A[r * (n + 1) + k] = a[j * n + k] - a[i * n + k];
                A[r * (n + 1) + n] = 1;
                b[r++] = c[i] - c[j];
            }
            A[r * (n + 1) + n] = 1;
            b[r] = 1;
            double[] obj = new double[n + 1];
            obj[n] = 1;
            LpResult res = solver.solve(new LinearProgram(n + 1, rows, A, b, obj));
            keep[i] = res.status() == LpResult.Status.UNBOUNDED || (res.isOptimal() && res.value() > MARGIN * scale);
        }
        return keep;
    }
}
