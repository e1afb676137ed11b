package atlas.regions;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first stage of exact mode's plane partition ({@link atlas.geometry.Tolerance.Kind#EXACT}): plain double
 * arithmetic with a rigorous error bound per stored value, the filter of robust geometry (Shewchuk's adaptive
 * predicates, Fortune and Van Wyk's static filters): a sign is decided where {@code |value| > bound}. Where it cannot
 * decide a few values, exact arithmetic ({@link ExactFallback}) does; where it would leave many (deep nets: the
 * norm bound below grows about 32x per layer from 2^-53, see docs/benchmarks.md), {@link VertexTable} gives up
 * ({@link Abandoned}: more than {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED} undecided values in a layer, or a
 * growth that would take the bound past {@link KernelParameters#PLAIN_STAGE_MAX_RELATIVE_BOUND} by the last layer)
 * and the partition is made again with the double-double stage ({@link DoubleDoubleStage}), whose bound starts near
 * 2^-100. Every sign either stage uses is certified; only the stored values' last bits (and
 * so the vertex coordinates', areas' and maps' last bits) depend on which stage made them.
 *
 * <p>Error model (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., section 3.1 and lemma 3.1;
 * u = 2^-53, {@code gamma_n = n u / (1 - n u)}):
 * <ul>
 * <li>Layer step. A unit's value is {@code s = b + sum_k w_k x_k} over its n terms, evaluated by fused multiply-adds
 * in any order (each partial sum rounded once), so {@code |fl(s) - s| <= gamma_{n+1} (|b| + sum |w_k| |x_k|)}
 * (Higham (3.5); a product-then-add evaluation gives the same). With each input within {@code e_k} of its exact value
 * {@code x*_k}, {@code |fl(s) - s*| <= gamma_{n+1} (|b| + sum |w_k||x_k|) + sum |w_k| e_k}
 * {@code <= gamma |b| + sum |w_k| (e_k + gamma |x_k|)}. The stage bounds the sum by its largest weight:
 * {@code <= gamma |b| + ||w||_1 G}, {@code G >= max_k (e_k + gamma |x_k|)}: one fused operation per unit instead
 * of one per term and unit ({@link #step}); only where that cannot decide a sign is the sum itself bounded
 * ({@link #rowBound}). {@code gamma} here is {@code (n + 2) u >= gamma_{n+1}} (for {@code (n + 1)(n + 2) u <= 1}),
 * {@code ||w||_1} is rounded up ({@link Prepared}), and each bound is computed in double from non-negative terms and
 * inflated for its own roundings (a factor {@code 1 + c u} for c at least its rounding count, each rounding of a
 * non-negative normal result losing at most a factor {@code 1 - u}), plus {@link DoubleDoubleStage#TINY} per
 * operation for roundings in the subnormal range (at most 2^-1075 each).</li>
 * <li>Activation. ReLU of a certified negative is exactly 0 with bound 0; of a positive, the value with its bound
 * (1-Lipschitz). Leaky ReLU of a negative {@code z}: {@code |fl(a z) - a z*| <= u |a z| + |a| e}
 * {@code <= |a| e + 2u |fl(a z)|}.</li>
 * <li>Crossing. As {@link VertexTable}'s double-double crossing with the plain values as double-doubles whose low
 * word is 0: for the stored values {@code z_a, z_b} (certified, opposite signs, {@code A = |z_a| > e_a},
 * {@code B = |z_b| > e_b}) the real {@code t_s = z_a / (z_a - z_b)} is within
 * {@code (A e_b + B e_a) / ((A + B)(A + B - e_a - e_b))} of the exact {@code t*}, and the computed
 * {@code t = fl(z_a / fl(z_a - z_b))} within {@code 2u / (1 - u) t_s <= 3u} of {@code t_s} (two roundings, and
 * {@code 0 <= t <= 1} since {@code |z_a| <= |z_a - z_b|}). A stored value {@code x + t (y - x)} at the new vertex
 * against the exact {@code x* + t* (y* - x*)} (affine along the edge: every cut before it was made exactly) differs
 * by at most {@code (1 - t) e_x + t e_y + |t - t*| (|y - x| + e_x + e_y)} plus the rounding of
 * {@code fl(x + fl(t fl(y - x)))}, which is at most {@code u |x| + (2u + u^2) t |y - x| + u (1 + u)^2 t |y - x|}
 * {@code <= 4.01 u (|x| + |y|)} for {@code t <= 1}; {@link #interpolate} takes {@code 5u (|x| + |y|)}. Equal ends
 * that are exact (bound 0) are copied with bound 0 (a value constant along the edge: a cut unit's exact 0, a
 * ReLU's exact 0).</li>
 * </ul>
 * {@code ExactModeBoundsTest} checks every bound against the exact value in exact decimal arithmetic.
 */
final class PlainStage {
    private PlainStage() {}

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** longs in as many lanes as {@link #SPECIES} has doubles (a mask's lanes as bits) */
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, SPECIES.vectorShape());
    /** lane i holds 1 << i */
    private static final long[] LANE_BITS = new long[SPECIES.length()];
    /** for each set m of lanes (bit i: lane i), its lanes in ascending order at {@code m * lanes}, the rest 0 */
    private static final int[] LANES_OF = new int[(1 << SPECIES.length()) * SPECIES.length()];
    static {
        int lanes = SPECIES.length();
        for (int i = 0; i < lanes; i++) LANE_BITS[i] = 1L << i;
        for (int m = 0; m < 1 << lanes; m++) for (int i = 0, j = 0; i < lanes; i++) if ((m & (1 << i)) != 0) LANES_OF[m * lanes + j++] = i;
    }
    static final double U = DoubleDoubleStage.U, TINY = DoubleDoubleStage.TINY;
    /** a bound's factor for the roundings of its own computation: four and more (see the class comment) */
    private static final double GROW = 1 + 4 * U;

    /**
     * Thrown by {@link VertexTable} when the plain stage gives up (a layer with more undecided values than
     * {@link KernelParameters#PLAIN_STAGE_MAX_UNDECIDED}); the caller makes the partition again with the
     * double-double stage. Carries no stack trace: it is control flow.
     */
    static final class Abandoned extends RuntimeException {
        final int layer;

        Abandoned(int layer) {
            super("exact mode's plain stage abandoned at layer " + layer, null, false, false);
            this.layer = layer;
        }
    }

    /** One layer (and its skips) laid out for {@link #step}. */
    static final class Prepared {
        final DoubleDoubleStage.Layer layer;
        final int units, padded, terms;
        /** {@code >= gamma_{terms + 1}}: {@code (terms + 2) u} */
        final double gamma;
        /** biases, then 1.0 for padded units (their value 1 with a tiny bound is always decided) */
        final double[] biasPad;
        /** per unit (padded), {@code >= gamma |b_u|} */
        final double[] biasBound;
        /** per unit (padded: 0), {@code >= sum_k |w_uk|} over all terms, skips included */
        final double[] l1;
        /** the bound's floor per unit: the subnormal allowance, {@code (3 terms + 6) TINY} */
        final double floor;

        Prepared(DoubleDoubleStage.Layer l) {
            layer = l;
            units = l.units();
            padded = l.padded();
            terms = l.terms();
            gamma = (terms + 2) * U;
            floor = (3 * terms + 6) * TINY;
            biasPad = new double[padded];
            biasBound = new double[padded];
            l1 = new double[padded];
            java.util.Arrays.fill(biasPad, 1.0);
            java.util.Arrays.fill(biasBound, gamma * GROW);
            double[] coef = l.coef();
            for (int u = 0; u < units; u++) {
                biasPad[u] = l.bias()[u];
                biasBound[u] = gamma * Math.abs(l.bias()[u]) * GROW;
                double s = 0;
                for (int k = 0; k < terms; k++) s += Math.abs(coef[k * padded + u]);
                // terms roundings down by at most a factor 1 - u each, and this product's
                l1[u] = s * (1 + (terms + 4) * U);
            }
        }
    }

    /** {@code G >= e + gamma x} for the largest input bound e and the largest input magnitude x of a vertex. */
    static double inputWeight(double gamma, double xmax, double emax) {
        return Math.fma(gamma, xmax, emax) * GROW + TINY;
    }

    /**
     * The layer step at one vertex over the nt terms listed in {@code ks} (all terms but those exactly 0 with bound 0,
     * which may be left out): term k's input {@code x[k]} with bound {@code xe[k]}. {@code g}: {@link #inputWeight} of the vertex's inputs. Writes per unit
     * (indices up to padded; padded lanes are scratch) the value {@code z} and its bound {@code err}, the norm bound
     * {@code gamma |b| + ||w||_1 G}, or where that does not decide the unit's sign, the smaller {@link #rowBound}.
     * Returns the number of units whose sign is still not decided ({@code |z| <= err}).
     */
    static int step(Prepared p, int nt, int[] ks, double[] x, double[] xe, double g, double[] z, double[] err) {
        return step(p, nt, ks, x, xe, g, z, err, true);
    }

    /**
     * {@link #step(Prepared, int, int[], double[], double[], double, double[], double[])} in vector lanes, or with
     * {@code vector} false in plain loops ({@link #scalarSums}) that do each lane's operations in the same order: the
     * same values and bounds, without the Vector API's JIT warm-up (see {@code VertexTable.vectorLanes}).
     */
    static int step(Prepared p, int nt, int[] ks, double[] x, double[] xe, double g, double[] z, double[] err, boolean vector) {
        int padded = p.padded, lanes = SPECIES.length(), c = 0;
        boolean allDecided;
        if (vector) {
            // eight independent chains of fused operations in flight (two per cycle of four-cycle latency): eight vectors
            // of units per term, or four over the even and the odd terms apart, added at the end
            for (; c + 8 * lanes <= padded; c += 8 * lanes) sums8(p, c, nt, ks, x, z);
            for (; c + 4 * lanes <= padded; c += 4 * lanes) sums4(p, c, nt, ks, x, z);
            for (; c < padded; c += lanes) sums1(p, c, nt, ks, x, z);
            DoubleVector gv = DoubleVector.broadcast(SPECIES, g);
            VectorMask<Double> decided = SPECIES.maskAll(true);
            for (c = 0; c < padded; c += lanes) {
                DoubleVector e = DoubleVector.fromArray(SPECIES, p.l1, c).fma(gv, DoubleVector.fromArray(SPECIES, p.biasBound, c))
                        .mul(GROW).add(p.floor);
                e.intoArray(err, c);
                decided = decided.and(DoubleVector.fromArray(SPECIES, z, c).abs().compare(VectorOperators.GT, e));
            }
            allDecided = decided.allTrue();
        } else {
            scalarSums(p, nt, ks, x, z, padded / (8 * lanes) * (8 * lanes));
            allDecided = true;
            for (c = 0; c < padded; c++) {
                double e = Math.fma(p.l1[c], g, p.biasBound[c]) * GROW + p.floor;
                err[c] = e;
                allDecided &= Math.abs(z[c]) > e;
            }
        }
        if (allDecided) return 0;
        int undecided = 0;
        for (int u = 0; u < p.units; u++) {
            if (Math.abs(z[u]) > err[u]) continue;
            err[u] = Math.min(err[u], rowBound(p, u, nt, ks, x, xe));
            if (!(Math.abs(z[u]) > err[u])) undecided++;
        }
        return undecided;
    }

    /**
     * The bound of unit u's value term by term: {@code gamma |b_u| + sum_j |w_uj| (xe_j + gamma |x_j|)}, rounded up
     * (nt + 1 fused operations per term pair, each rounding down by at most {@code 1 - u}; the factor and the floor
     * make up for them).
     */
    static double rowBound(Prepared p, int u, int nt, int[] ks, double[] x, double[] xe) {
        double[] coef = p.layer.coef();
        double s = p.biasBound[u];
        for (int j = 0; j < nt; j++) {
            int k = ks[j];
            s = Math.fma(Math.abs(coef[k * p.padded + u]), Math.fma(p.gamma, Math.abs(x[k]), xe[k]), s);
        }
        return s * (1 + (2 * nt + 10) * U) + p.floor;
    }

    /**
     * The sums of {@link #sums8}, {@link #sums4} and {@link #sums1}, unit by unit in plain loops: units below
     * {@code eightEnd} (those of the eight-vector blocks) by fused multiply-adds in term order from the bias, the
     * others over the even terms from the bias and over the odd terms from 0, then added; the same operations in the
     * same order as their lanes, so the same values.
     */
    static void scalarSums(Prepared p, int nt, int[] ks, double[] x, double[] z, int eightEnd) {
        final int padded = p.padded;
        final double[] coef = p.layer.coef(), bias = p.biasPad;
        for (int u = 0; u < eightEnd; u++) {
            double s = bias[u];
            for (int j = 0; j < nt; j++) {
                int k = ks[j];
                s = Math.fma(coef[k * padded + u], x[k], s);
            }
            z[u] = s;
        }
        for (int u = eightEnd; u < padded; u++) {
            double s = bias[u], t = 0;
            int j = 0;
            for (; j + 1 < nt; j += 2) {
                int k = ks[j], k1 = ks[j + 1];
                s = Math.fma(coef[k * padded + u], x[k], s);
                t = Math.fma(coef[k1 * padded + u], x[k1], t);
            }
            if (j < nt) {
                int k = ks[j];
                s = Math.fma(coef[k * padded + u], x[k], s);
            }
            z[u] = s + t;
        }
    }

    /** The values of units [c, c + 8 lanes): {@code b + sum w x} by fused multiply-adds in term order. */
    private static void sums8(Prepared p, int c, int nt, int[] ks, double[] x, double[] z) {
        int lanes = SPECIES.length(), padded = p.padded;
        double[] coef = p.layer.coef(), bias = p.biasPad;
        DoubleVector s0 = DoubleVector.fromArray(SPECIES, bias, c), s1 = DoubleVector.fromArray(SPECIES, bias, c + lanes);
        DoubleVector s2 = DoubleVector.fromArray(SPECIES, bias, c + 2 * lanes), s3 = DoubleVector.fromArray(SPECIES, bias, c + 3 * lanes);
        DoubleVector s4 = DoubleVector.fromArray(SPECIES, bias, c + 4 * lanes), s5 = DoubleVector.fromArray(SPECIES, bias, c + 5 * lanes);
        DoubleVector s6 = DoubleVector.fromArray(SPECIES, bias, c + 6 * lanes), s7 = DoubleVector.fromArray(SPECIES, bias, c + 7 * lanes);
        for (int j = 0; j < nt; j++) {
            int k = ks[j], at = k * padded + c;
            DoubleVector h = DoubleVector.broadcast(SPECIES, x[k]);
            s0 = DoubleVector.fromArray(SPECIES, coef, at).fma(h, s0);
            s1 = DoubleVector.fromArray(SPECIES, coef, at + lanes).fma(h, s1);
            s2 = DoubleVector.fromArray(SPECIES, coef, at + 2 * lanes).fma(h, s2);
            s3 = DoubleVector.fromArray(SPECIES, coef, at + 3 * lanes).fma(h, s3);
            s4 = DoubleVector.fromArray(SPECIES, coef, at + 4 * lanes).fma(h, s4);
            s5 = DoubleVector.fromArray(SPECIES, coef, at + 5 * lanes).fma(h, s5);
            s6 = DoubleVector.fromArray(SPECIES, coef, at + 6 * lanes).fma(h, s6);
            s7 = DoubleVector.fromArray(SPECIES, coef, at + 7 * lanes).fma(h, s7);
        }
        s0.intoArray(z, c);
        s1.intoArray(z, c + lanes);
        s2.intoArray(z, c + 2 * lanes);
        s3.intoArray(z, c + 3 * lanes);
        s4.intoArray(z, c + 4 * lanes);
        s5.intoArray(z, c + 5 * lanes);
        s6.intoArray(z, c + 6 * lanes);
        s7.intoArray(z, c + 7 * lanes);
    }

    /**
     * The values of units [c, c + 4 lanes): the sums over the even terms (from the bias) and over the odd terms (from
     * 0) by fused multiply-adds, then added.
     */
    private static void sums4(Prepared p, int c, int nt, int[] ks, double[] x, double[] z) {
        int lanes = SPECIES.length(), padded = p.padded;
        double[] coef = p.layer.coef(), bias = p.biasPad;
        DoubleVector s0 = DoubleVector.fromArray(SPECIES, bias, c), s1 = DoubleVector.fromArray(SPECIES, bias, c + lanes);
        DoubleVector s2 = DoubleVector.fromArray(SPECIES, bias, c + 2 * lanes), s3 = DoubleVector.fromArray(SPECIES, bias, c + 3 * lanes);
        DoubleVector t0 = DoubleVector.zero(SPECIES), t1 = t0, t2 = t0, t3 = t0;
        int j = 0;
        for (; j + 1 < nt; j += 2) {
            int k = ks[j], at = k * padded + c, k1 = ks[j + 1], at1 = k1 * padded + c;
            DoubleVector h = DoubleVector.broadcast(SPECIES, x[k]), g = DoubleVector.broadcast(SPECIES, x[k1]);
            s0 = DoubleVector.fromArray(SPECIES, coef, at).fma(h, s0);
            s1 = DoubleVector.fromArray(SPECIES, coef, at + lanes).fma(h, s1);
            s2 = DoubleVector.fromArray(SPECIES, coef, at + 2 * lanes).fma(h, s2);
            s3 = DoubleVector.fromArray(SPECIES, coef, at + 3 * lanes).fma(h, s3);
            t0 = DoubleVector.fromArray(SPECIES, coef, at1).fma(g, t0);
            t1 = DoubleVector.fromArray(SPECIES, coef, at1 + lanes).fma(g, t1);
            t2 = DoubleVector.fromArray(SPECIES, coef, at1 + 2 * lanes).fma(g, t2);
            t3 = DoubleVector.fromArray(SPECIES, coef, at1 + 3 * lanes).fma(g, t3);
        }
        if (j < nt) {
            int k = ks[j], at = k * padded + c;
            DoubleVector h = DoubleVector.broadcast(SPECIES, x[k]);
            s0 = DoubleVector.fromArray(SPECIES, coef, at).fma(h, s0);
            s1 = DoubleVector.fromArray(SPECIES, coef, at + lanes).fma(h, s1);
            s2 = DoubleVector.fromArray(SPECIES, coef, at + 2 * lanes).fma(h, s2);
            s3 = DoubleVector.fromArray(SPECIES, coef, at + 3 * lanes).fma(h, s3);
        }
        s0.add(t0).intoArray(z, c);
        s1.add(t1).intoArray(z, c + lanes);
        s2.add(t2).intoArray(z, c + 2 * lanes);
        s3.add(t3).intoArray(z, c + 3 * lanes);
    }

    /** {@link #sums4} for units [c, c + lanes). */
    private static void sums1(Prepared p, int c, int nt, int[] ks, double[] x, double[] z) {
        double[] coef = p.layer.coef();
        int padded = p.padded, j = 0;
        DoubleVector s = DoubleVector.fromArray(SPECIES, p.biasPad, c), t = DoubleVector.zero(SPECIES);
        for (; j + 1 < nt; j += 2) {
            int k = ks[j], k1 = ks[j + 1];
            s = DoubleVector.fromArray(SPECIES, coef, k * padded + c).fma(DoubleVector.broadcast(SPECIES, x[k]), s);
            t = DoubleVector.fromArray(SPECIES, coef, k1 * padded + c).fma(DoubleVector.broadcast(SPECIES, x[k1]), t);
        }
        if (j < nt) {
            int k = ks[j];
            s = DoubleVector.fromArray(SPECIES, coef, k * padded + c).fma(DoubleVector.broadcast(SPECIES, x[k]), s);
        }
        s.add(t).intoArray(z, c);
    }

    /**
     * Gathers a row of the previous layer's pre-activations {@code z[base, base + terms)} with bounds {@code e} for
     * the step, applying that layer's activation (ReLU when {@code relu}, else leaky ReLU with slope {@code leak};
     * {@code none}: no activation, the values as they are): lists the kept terms (not exactly 0 with bound 0) as
     * indices {@code ks[j] = k} with the activated values and bounds at their own indices, {@code x[k]},
     * {@code xe[k]} (x and xe hold at least {@code terms} values, ks {@link #indexLength}), and
     * the largest magnitude and bound of all terms in {@code max[0], max[1]} (an exact 0 adds nothing to either). Returns the number kept, or -1 when a value's sign is not certified (the activation
     * of an undecided sign; the caller gives the stage up).
     */
    static int gatherActivated(double[] z, double[] e, int base, int terms, boolean none, boolean relu, double leak,
                               int[] ks, double[] x, double[] xe, double[] max) {
        int lanes = SPECIES.length(), k = 0, nt = 0;
        double absLeak = Math.abs(leak), u2 = 2 * U;
        DoubleVector zero = DoubleVector.zero(SPECIES), xm = zero, em = zero;
        LongVector bits = LongVector.fromArray(LONGS, LANE_BITS, 0), noBits = LongVector.zero(LONGS);
        boolean ok = true;
        // in lanes: the activated values and bounds at the terms' own indices, the test of every sign, the maxima,
        // and the kept terms' indices: the vector's kept lanes as bits (a blend of the lanes' bits and an OR across
        // them; VectorMask.toLong is not an intrinsic in Java 17), their indices from a table, all lanes' entries
        // written and the count advanced by the kept ones (no branch on the signs, which are random)
        for (; k + lanes <= terms; k += lanes) {
            DoubleVector h = DoubleVector.fromArray(SPECIES, z, base + k), b = DoubleVector.fromArray(SPECIES, e, base + k);
            ok &= !b.compare(VectorOperators.NE, 0).andNot(h.abs().compare(VectorOperators.GT, b)).anyTrue(); // a NaN bound fails
            if (!none) {
                VectorMask<Double> neg = h.compare(VectorOperators.LT, 0);
                if (relu) { // a certified negative's ReLU is an exact 0 with bound 0
                    h = h.blend(zero, neg);
                    b = b.blend(zero, neg);
                } else {
                    DoubleVector a = h.mul(leak);
                    b = b.blend(b.mul(absLeak).add(a.abs().mul(u2)).mul(GROW).add(TINY), neg);
                    h = h.blend(a, neg);
                }
            }
            h.intoArray(x, k);
            b.intoArray(xe, k);
            xm = xm.max(h.abs());
            em = em.max(b);
            VectorMask<Double> kept = h.compare(VectorOperators.NE, 0).or(b.compare(VectorOperators.NE, 0));
            int m = (int) noBits.blend(bits, kept.cast(LONGS)).reduceLanes(VectorOperators.OR), row = m * lanes;
            for (int j = 0; j < lanes; j++) ks[nt + j] = k + LANES_OF[row + j];
            nt += Integer.bitCount(m);
        }
        double xmax = xm.reduceLanes(VectorOperators.MAX), emax = em.reduceLanes(VectorOperators.MAX);
        for (; k < terms; k++) { // the same operations one by one
            double h = z[base + k], b = e[base + k];
            ok &= b == 0 || Math.abs(h) > b;
            if (!none && h < 0) {
                if (relu) { h = 0; b = 0; }
                else {
                    double a = leak * h;
                    b = (b * absLeak + Math.abs(a) * u2) * GROW + TINY;
                    h = a;
                }
            }
            x[k] = h;
            xe[k] = b;
            xmax = Math.max(xmax, Math.abs(h));
            emax = Math.max(emax, b);
            ks[nt] = k;
            nt += h != 0 | b != 0 ? 1 : 0;
        }
        max[0] = xmax;
        max[1] = emax;
        return ok ? nt : -1;
    }

    /** The length of {@link #gatherActivated}'s index list for {@code terms} terms (room for a whole vector's entries). */
    static int indexLength(int terms) { return terms + SPECIES.length(); }

    /**
     * The activation of the values {@code z} with bounds {@code e} at [from, to), in place (as {@link
     * #gatherActivated} applies it); false when a value's sign is not certified (before anything is written).
     */
    static boolean activate(double[] z, double[] e, int from, int to, boolean relu, double leak) {
        for (int c = from; c < to; c++) if (!(e[c] == 0 || Math.abs(z[c]) > e[c])) return false;
        double absLeak = Math.abs(leak);
        for (int c = from; c < to; c++) {
            double h = z[c];
            if (!(h < 0)) continue;
            if (relu) { z[c] = 0; e[c] = 0; }
            else {
                h = leak * h;
                z[c] = h;
                e[c] = (absLeak * e[c] + 2 * U * Math.abs(h)) * GROW + TINY;
            }
        }
        return true;
    }

    /** The filter over values {@code z} with bounds {@code e} at [from, to), in lanes: every sign certain, or the value exact. */
    static boolean certified(double[] z, double[] e, int from, int to) {
        int lanes = SPECIES.length(), c = from;
        boolean ok = true; // a boolean per vector, not a mask carried through the loop (which C2 of JDK 17 may box)
        for (; c + lanes <= to; c += lanes) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, z, c), b = DoubleVector.fromArray(SPECIES, e, c);
            ok &= !b.compare(VectorOperators.NE, 0).andNot(v.abs().compare(VectorOperators.GT, b)).anyTrue();
        }
        for (; c < to; c++) ok &= e[c] == 0 || Math.abs(z[c]) > e[c]; // a NaN bound fails
        return ok;
    }

    /**
     * The bound on {@code |t - t*|} of a crossing's parameter {@code t = fl(z_a / fl(z_a - z_b))} (see the class
     * comment), for end magnitudes {@code A, B} and bounds {@code ea, eb} with {@code A > ea, B > eb}: the
     * double-double crossing's expression with 3u for the computation of t in place of its 3 U2.
     */
    static double parameterBound(double A, double B, double ea, double eb) {
        double room = (A + B) * (1 - 4 * U) - ea - eb;
        if (!(room > 0)) return Double.POSITIVE_INFINITY; // the new vertex's values are then resolved exactly
        return (A * eb + B * ea) * (1 + 2 * U) / ((A + B) * room) * (1 + 8 * U) + 3 * U;
    }

    /**
     * A crossing's values: for k in [0, n), {@code x + t (y - x)} of the values at {@code sa + k} (x) and
     * {@code sb + k} (y), written at {@code sv + k} with its bound (see the class comment; {@code dt}: the
     * {@link #parameterBound}); exact, equal ends are copied with bound 0. In lanes, the last n mod lanes values one
     * by one (the same operations).
     */
    static void interpolate(double[] v, double[] e, int sa, int sb, int sv, int n, double t, double dt) {
        int lanes = SPECIES.length(), k = 0;
        double oneMinusT = 1 - t, mag2 = 1 + 2 * U, u5 = 5 * U, grow = 1 + 8 * U, tiny3 = 3 * TINY;
        for (; k + lanes <= n; k += lanes) { // interpolationBound's operations, lane by lane
            DoubleVector x = DoubleVector.fromArray(SPECIES, v, sa + k), y = DoubleVector.fromArray(SPECIES, v, sb + k);
            DoubleVector ex = DoubleVector.fromArray(SPECIES, e, sa + k), ey = DoubleVector.fromArray(SPECIES, e, sb + k);
            DoubleVector d = y.sub(x), r = x.add(d.mul(t));
            DoubleVector diff = d.abs().mul(mag2), mag = x.abs().add(y.abs()).mul(mag2);
            DoubleVector b = ex.mul(oneMinusT).add(ey.mul(t)).add(diff.add(ex).add(ey).mul(dt)).add(mag.mul(u5)).mul(grow).add(tiny3);
            VectorMask<Double> same = ex.compare(VectorOperators.EQ, 0).and(ey.compare(VectorOperators.EQ, 0)).and(x.compare(VectorOperators.EQ, y));
            r.blend(x, same).intoArray(v, sv + k);
            b.blend(0, same).intoArray(e, sv + k);
        }
        for (; k < n; k++) {
            double x = v[sa + k], y = v[sb + k], ex = e[sa + k], ey = e[sb + k];
            if (ex == 0 && ey == 0 && x == y) { // exact, equal ends: constant along the edge
                v[sv + k] = x;
                e[sv + k] = 0;
                continue;
            }
            double d = y - x;
            v[sv + k] = x + t * d;
            e[sv + k] = interpolationBound(x, y, d, ex, ey, t, oneMinusT, dt);
        }
    }

    /** One value's bound of {@link #interpolate}: ends x, y (bounds ex, ey), {@code d = fl(y - x)}. */
    static double interpolationBound(double x, double y, double d, double ex, double ey, double t, double oneMinusT, double dt) {
        double diff = Math.abs(d) * (1 + 2 * U), mag = (Math.abs(x) + Math.abs(y)) * (1 + 2 * U);
        return (oneMinusT * ex + t * ey + dt * (diff + ex + ey) + 5 * U * mag) * (1 + 8 * U) + 3 * TINY;
    }
}
