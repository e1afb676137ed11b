package atlas.regions;

import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact mode's lane-wise kernels ({@link DoubleDoubleBlocks}) against their references: the layer step's values
 * equal {@link DoubleDoubleStage#dot} then TwoSum bit for bit, and its bound contains the exact value (exact
 * decimal arithmetic) for every input within its bound, including sums that cancel and values near the subnormal
 * range; the filter's answer is the per-unit test; the activation and the crossing interpolation equal their
 * per-value operations bit for bit, and so does the activation folded into the next step's gather.
 */
class DoubleDoubleBlocksTest {
    private static final double U = DoubleDoubleStage.U;

    @Test
    void theStepEqualsDot2AndItsBoundHolds() {
        Random rnd = new Random(5);
        int cancelled = 0, undecided = 0;
        for (int trial = 0; trial < 200; trial++) {
            int in = 1 + rnd.nextInt(70), units = 1 + rnd.nextInt(70);
            Network net = Networks.kaiming(trial, 2, new int[]{in, units}, 1, Activation.RELU, 0, 0.1);
            DoubleDoubleStage.Layer l = DoubleDoubleStage.Layer.of(net, 2);
            DoubleDoubleBlocks.Prepared prep = new DoubleDoubleBlocks.Prepared(l);
            int terms = l.terms(), padded = l.padded();
            double scale = trial % 20 == 0 ? 1e-300 : Math.pow(10, rnd.nextInt(9) - 4);
            for (int rep = 0; rep < 5; rep++) {
                double[] h = new double[terms], lo = new double[terms], e = new double[terms];
                for (int k = 0; k < terms; k++) {
                    int kind = rnd.nextInt(8);
                    if (kind == 0) continue; // exactly 0 with bound 0: left out
                    h[k] = rnd.nextGaussian() * scale;
                    lo[k] = h[k] * U * (2 * rnd.nextDouble() - 1);
                    e[k] = kind == 1 ? 0 : Math.abs(h[k]) * Math.pow(2, -60 - rnd.nextInt(50));
                }
                // a unit whose exact sum (nearly) cancels: the last nonzero input solves its equation
                int cu = rnd.nextInt(units), last = terms - 1;
                if (rep % 2 == 1 && h[last] != 0 && l.coef()[last * padded + cu] != 0) {
                    double rest = l.bias()[cu];
                    for (int k = 0; k < last; k++) rest += l.coef()[k * padded + cu] * h[k];
                    h[last] = -rest / l.coef()[last * padded + cu];
                    lo[last] = 0;
                    cancelled++;
                }
                int[] ks = new int[terms];
                double[] xh = new double[terms], xl = new double[terms], xe = new double[terms];
                int nt = 0;
                for (int k = 0; k < terms; k++) {
                    if (h[k] == 0 && lo[k] == 0 && e[k] == 0) continue;
                    ks[nt] = k;
                    xh[nt] = h[k];
                    xl[nt] = lo[k];
                    xe[nt] = e[k];
                    nt++;
                }
                double[] S = new double[padded], C = new double[padded], M = new double[padded], E = new double[padded];
                DoubleDoubleStage.dot(l, nt, ks, xh, xl, xe, S, C, M, E);
                // the step reads the row itself (term k at index base + k), here from base 3 of a longer array
                int base = 3;
                double[] rh = new double[base + terms], rl = new double[base + terms], re = new double[base + terms];
                System.arraycopy(h, 0, rh, base, terms);
                System.arraycopy(lo, 0, rl, base, terms);
                System.arraycopy(e, 0, re, base, terms);
                double[] hi = new double[padded], lw = new double[padded], err = new double[padded];
                boolean decided = DoubleDoubleBlocks.step(prep, nt, ks, rh, rl, re, base, hi, lw, err);
                // the same terms listed by gatherSparse
                int[] ks2 = new int[terms];
                assertEquals(nt, DoubleDoubleBlocks.gatherSparse(rh, rl, re, base, terms, ks2));
                for (int j = 0; j < nt; j++) assertEquals(ks[j], ks2[j]);
                double[] r = new double[2];
                boolean allDecided = true;
                for (int u = 0; u < units; u++) {
                    DoubleDoubleStage.twoSum(S[u], C[u], r);
                    String at = "trial " + trial + " rep " + rep + " unit " + u;
                    assertEquals(Double.doubleToRawLongBits(r[0]), Double.doubleToRawLongBits(hi[u]), at + " hi");
                    assertEquals(Double.doubleToRawLongBits(r[1]), Double.doubleToRawLongBits(lw[u]), at + " lo");
                    // |hi + lo - exact(inputs h + lo)| + sum |w| e <= bound: the bound covers every input within its bound
                    BigDecimal exact = new BigDecimal(l.bias()[u]), spread = BigDecimal.ZERO;
                    for (int k = 0; k < terms; k++) {
                        BigDecimal w = new BigDecimal(l.coef()[k * padded + u]);
                        exact = exact.add(w.multiply(new BigDecimal(h[k]).add(new BigDecimal(lo[k]))));
                        spread = spread.add(w.abs().multiply(new BigDecimal(e[k])));
                    }
                    BigDecimal off = new BigDecimal(hi[u]).add(new BigDecimal(lw[u])).subtract(exact).abs().add(spread);
                    assertTrue(off.compareTo(new BigDecimal(err[u])) <= 0, at + ": error " + off + " > bound " + err[u]);
                    boolean unitDecided = Math.abs(hi[u]) * (1 - 2 * U) > err[u];
                    allDecided &= unitDecided;
                    if (!unitDecided) undecided++;
                }
                assertEquals(allDecided, decided, "trial " + trial + " rep " + rep + ": the filter's answer");
            }
        }
        assertTrue(cancelled > 100, "sums that cancel: " + cancelled);
        assertTrue(undecided > 0, "some unit is left to the exact fallback: " + undecided);
    }

    @Test
    void theActivationEqualsItsPerValueOperations() {
        Random rnd = new Random(9);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + rnd.nextInt(100);
            boolean relu = trial % 2 == 0;
            double leak = relu ? 0 : (rnd.nextBoolean() ? 0.01 : 0.2);
            double[] hi = new double[n], lo = new double[n], err = new double[n];
            for (int k = 0; k < n; k++) {
                if (rnd.nextInt(6) == 0) continue; // exact 0
                hi[k] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(10) - 5);
                lo[k] = hi[k] * U * (2 * rnd.nextDouble() - 1);
                err[k] = rnd.nextInt(4) == 0 ? 0 : Math.abs(hi[k]) * 1e-20;
            }
            double[] h2 = hi.clone(), l2 = lo.clone(), e2 = err.clone(), r = new double[2];
            assertTrue(DoubleDoubleBlocks.activate(hi, lo, err, 0, n, relu, leak));
            for (int k = 0; k < n; k++) { // VertexTable's per-value activation
                double z = h2[k], e = e2[k];
                if (z >= 0) continue;
                if (relu) {
                    h2[k] = 0;
                    l2[k] = 0;
                    e2[k] = 0;
                } else {
                    DoubleDoubleStage.mulFp(z, l2[k], leak, r);
                    h2[k] = r[0];
                    l2[k] = r[1];
                    e2[k] = (Math.abs(leak) * e + 2 * DoubleDoubleStage.U2 * Math.abs(leak) * Math.abs(z)) * (1 + 4 * U) + DoubleDoubleStage.TINY;
                }
            }
            for (int k = 0; k < n; k++) {
                assertEquals(Double.doubleToRawLongBits(h2[k]), Double.doubleToRawLongBits(hi[k]), "trial " + trial + " hi " + k);
                assertEquals(Double.doubleToRawLongBits(l2[k]), Double.doubleToRawLongBits(lo[k]), "trial " + trial + " lo " + k);
                assertEquals(Double.doubleToRawLongBits(e2[k]), Double.doubleToRawLongBits(err[k]), "trial " + trial + " err " + k);
            }
            // an uncertified sign is refused
            int bad = rnd.nextInt(n);
            hi[bad] = 1e-30;
            err[bad] = 1e-20;
            assertTrue(!DoubleDoubleBlocks.activate(hi, lo, err, 0, n, relu, leak));
        }
    }

    @Test
    void theActivationFoldedIntoTheGatherEqualsActivateThenGather() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int terms = 1 + rnd.nextInt(80), before = rnd.nextInt(20), after = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(20);
            boolean relu = trial % 2 == 0;
            double leak = relu ? 0 : (rnd.nextBoolean() ? 0.01 : -0.3);
            // a row at [before, before + terms) of a longer array (other rows around it, or the array's end)
            int n = before + terms + after;
            double[] hi = new double[n], lo = new double[n], err = new double[n];
            for (int k = 0; k < n; k++) {
                if (rnd.nextInt(trial % 3 == 0 ? 40 : 6) == 0) continue; // exact 0
                hi[k] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(10) - 5);
                lo[k] = hi[k] * U * (2 * rnd.nextDouble() - 1);
                err[k] = rnd.nextInt(4) == 0 ? 0 : Math.abs(hi[k]) * 1e-20;
            }
            if (rnd.nextInt(4) == 0) for (int k = 0; k < n; k++) if (k < before || k >= before + terms) err[k] = 1; // uncertified neighbours
            int sl = DoubleDoubleBlocks.scratchLength(terms);
            int[] ks = new int[sl], ks2 = new int[terms];
            double[] xh = new double[sl], xl = new double[sl], xe = new double[sl];
            int nt = DoubleDoubleBlocks.gatherActivated(hi, lo, err, before, terms, relu, leak, ks, xh, xl, xe);
            double[] h2 = hi.clone(), l2 = lo.clone(), e2 = err.clone();
            assertTrue(DoubleDoubleBlocks.activate(h2, l2, e2, before, before + terms, relu, leak));
            int nt2 = DoubleDoubleBlocks.gatherSparse(h2, l2, e2, before, terms, ks2);
            assertEquals(nt2, nt, "trial " + trial + ": kept terms");
            for (int j = 0; j < nt; j++) {
                assertEquals(ks2[j], ks[j], "trial " + trial + " term " + j);
                // what the step reads: a ReLU's kept terms from the row itself, a leaky ReLU's from xh, xl, xe at k
                int k = ks[j], at = relu ? before + k : k;
                double[] rh = relu ? hi : xh, rl = relu ? lo : xl, re = relu ? err : xe;
                assertEquals(Double.doubleToRawLongBits(h2[before + k]), Double.doubleToRawLongBits(rh[at]), "trial " + trial + " hi " + j);
                assertEquals(Double.doubleToRawLongBits(l2[before + k]), Double.doubleToRawLongBits(rl[at]), "trial " + trial + " lo " + j);
                assertEquals(Double.doubleToRawLongBits(e2[before + k]), Double.doubleToRawLongBits(re[at]), "trial " + trial + " bound " + j);
            }
            // an uncertified sign in the row is refused
            int bad = before + rnd.nextInt(terms);
            hi[bad] = 1e-30;
            err[bad] = 1e-20;
            assertEquals(-1, DoubleDoubleBlocks.gatherActivated(hi, lo, err, before, terms, relu, leak, ks, xh, xl, xe));
        }
    }

    @Test
    void theCrossingInterpolationEqualsItsPerValueOperations() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(80);
            double[] hi = new double[3 * n], lo = new double[3 * n], err = new double[3 * n];
            for (int k = 0; k < 2 * n; k++) {
                hi[k] = rnd.nextInt(10) == 0 ? 0 : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4);
                lo[k] = hi[k] * U * (2 * rnd.nextDouble() - 1);
                err[k] = rnd.nextInt(3) == 0 ? 0 : Math.abs(hi[k]) * 1e-25;
            }
            for (int k = 0; k < n; k++) if (rnd.nextInt(4) == 0) { // equal ends, exact or not
                hi[n + k] = hi[k];
                lo[n + k] = lo[k];
                err[n + k] = rnd.nextBoolean() ? err[k] : 0;
                if (err[n + k] == 0) err[k] = 0;
            }
            double th = rnd.nextDouble(), tl = th * U * (2 * rnd.nextDouble() - 1), dt = Math.abs(rnd.nextGaussian()) * 1e-20;
            double[] h2 = hi.clone(), l2 = lo.clone(), e2 = err.clone(), r = new double[2];
            DoubleDoubleBlocks.interpolate(hi, lo, err, 0, n, 2 * n, n, th, tl, dt, r);
            for (int k = 0; k < n; k++) e2[2 * n + k] = DoubleDoubleBlocks.interpolate1(h2, l2, k, n + k, 2 * n + k, e2[k], e2[n + k], th, tl, dt, r);
            for (int k = 2 * n; k < 3 * n; k++) {
                assertEquals(Double.doubleToRawLongBits(h2[k]), Double.doubleToRawLongBits(hi[k]), "trial " + trial + " hi " + k);
                assertEquals(Double.doubleToRawLongBits(l2[k]), Double.doubleToRawLongBits(lo[k]), "trial " + trial + " lo " + k);
                assertEquals(Double.doubleToRawLongBits(e2[k]), Double.doubleToRawLongBits(err[k]), "trial " + trial + " err " + k);
            }
        }
    }
}
