package atlas.regions;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact mode's layer step for one vertex ({@link VertexTable}): {@link DoubleDoubleStage#dot}'s compensated dot
 * product (Dot2) with the layer's units in vector lanes, four vectors (32 units on 512-bit vectors) sharing each
 * broadcast input, the final TwoSum, the error bound and the filter's test done in the same pass, in lanes.
 *
 * <p>invariant: per unit, the words S and C are those of {@link DoubleDoubleStage#dot}, bit for bit (the same
 * operations in the same order, lane by lane), and the stored value {@code hi + lo} is {@link
 * DoubleDoubleStage#twoSum} of them, so the values of exact mode do not depend on which step made them.
 *
 * <p>The bound costs one fused multiply-add (and the absolute value of the loaded weight) per term and unit instead
 * of {@link DoubleDoubleStage#dot}'s three operations (M and E summed apart): it is {@code |W| g} with a per-term
 * weight {@code g_k >= e_k + rho |h_k|} ({@link #termWeight}, made by the step from each term's input and bound), {@code rho} = {@link DoubleDoubleStage#dotRounding},
 * so it bounds {@code sum |w_k| e_k + rho (|b| + sum |w_k h_k|) + (3 nt + 4) TINY}: the propagated input error plus
 * the same Dot2 rounding allowance that {@link DoubleDoubleStage#dotBound} takes. Its own rounding: every partial
 * sum is a non-negative normal number (the chain starts at {@code rho |b| + (3 nt + 6) TINY}), so each of the nt + 1
 * fused operations rounds by at most a factor {@code 1 - u}, and the final factor {@link #boundFactor} (itself
 * rounded once more) more than makes up for {@code (1 - u)^(nt + 2)}.
 */
final class DoubleDoubleBlocks {
    private DoubleDoubleBlocks() {}

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final double U = DoubleDoubleStage.U, TINY = DoubleDoubleStage.TINY;
    /** 0, 1, 2, ... per lane. */
    private static final double[] LANE_INDEX = java.util.stream.IntStream.range(0, SPECIES.length()).asDoubleStream().toArray();
    /** The filter's factor: |lo| <= u |hi|, so {@code |hi| (1 - 2u)} is below {@code |hi + lo|}. */
    private static final double FILTER = 1 - 2 * U;

    /** A layer laid out for {@link #step}: {@link DoubleDoubleStage.Layer}'s transposed coefficients and these. */
    static final class Prepared {
        final DoubleDoubleStage.Layer layer;
        /**
         * biases, then 1.0 for padded units, and their absolute values: a padded lane's value 1 with a bound near
         * 2^-96 is always decided, so padding never fails the filter (only lanes below units are stored)
         */
        final double[] biasPad, absBiasPad;

        Prepared(DoubleDoubleStage.Layer layer) {
            this.layer = layer;
            biasPad = new double[layer.padded()];
            absBiasPad = new double[layer.padded()];
            java.util.Arrays.fill(biasPad, 1.0);
            java.util.Arrays.fill(absBiasPad, 1.0);
            for (int u = 0; u < layer.units(); u++) {
                biasPad[u] = layer.bias()[u];
                absBiasPad[u] = Math.abs(layer.bias()[u]);
            }
        }
    }

    /**
     * The bound's weight of one term with input {@code h} (high word) of bound {@code e}, in a step over nt terms:
     * at least {@code e + rho |h|} ({@code rho} = {@link DoubleDoubleStage#dotRounding}(nt)). The fused
     * operation rounds down by at most a factor {@code 1 - u} (normal result) or by 2^-1075 (subnormal); the
     * factor {@code 1 + 4u} and TINY more than make up for either.
     */
    static double termWeight(double rho, double h, double e) {
        return Math.fma(rho, Math.abs(h), e) * (1 + 4 * U) + TINY;
    }

    /** The factor the bound's fused sum is multiplied by: covers its nt + 2 roundings (see the class comment). */
    static double boundFactor(int nt) { return 1 + (2 * nt + 10) * U; }

    /** The start of the bound's sum per unit, added to {@code rho |b|}: the subnormal allowance and more. */
    static double boundFloor(int nt) { return (3 * nt + 6) * TINY; }

    /**
     * The layer step at one vertex over the nt terms listed in {@code ks} (as for {@link DoubleDoubleStage#dot};
     * terms whose input is exactly 0 with bound 0 may be left out): term j's input is {@code xh + xl} and its bound
     * {@code xe} at index {@code base + ks[j]} (the previous layer's state row itself, or a scratch row laid out like
     * it), and its bound weight {@link #termWeight} for nt terms is made here, term by term, from those (no gathered
     * copies and no separate pass over the weights: the same operations, so the same bits as weights made
     * beforehand). Writes per unit (indices up to {@code padded}; the padded lanes are scratch) the double-double
     * value {@code hi + lo} and its bound {@code err}. Returns true when the filter decides every unit's sign
     * ({@code |hi| (1 - 2u) > err}); false when some unit needs the exact fallback.
     */
    static boolean step(Prepared prep, int nt, int[] ks, double[] xh, double[] xl, double[] xe, int base,
                        double[] hi, double[] lo, double[] err) {
        int padded = prep.layer.padded(), lanes = SPECIES.length();
        double rho = DoubleDoubleStage.dotRounding(nt), floor = boundFloor(nt);
        // the sums go to hi (S), lo (C) and err (the bound's sum) first; finish turns them into the stored words.
        // Three methods, not one: C2 inlines the Vector API calls of each only below its node budget, and a vector
        // passed to a method that is not inlined is boxed
        int c = 0;
        for (; c + 4 * lanes <= padded; c += 4 * lanes) sums4(prep, c, nt, ks, xh, xl, xe, base, rho, floor, hi, lo, err);
        for (; c < padded; c += lanes) sums1(prep, c, nt, ks, xh, xl, xe, base, rho, floor, hi, lo, err);
        return finish(padded, boundFactor(nt), hi, lo, err);
    }

    /** Dot2 and the bound's sum of units [c, c + 4 lanes), written to S, C and B. */
    private static void sums4(Prepared prep, int c, int nt, int[] ks, double[] xh, double[] xl, double[] xe, int base,
                              double rho, double floor, double[] S, double[] C, double[] B) {
        DoubleDoubleStage.Layer l = prep.layer;
        int padded = l.padded(), lanes = SPECIES.length();
        // |w| is taken from the loaded w (an exact operation), not loaded from absCoef: half the bytes per step, so
        // a 64 x 64 layer's coefficients (32 KB) stay in the 32 KB L1 cache of Zen 4 instead of spilling to L2
        double[] coef = l.coef(), bias = prep.biasPad, absBias = prep.absBiasPad;
        double grow = 1 + 4 * U;
        int c1 = c + lanes, c2 = c + 2 * lanes, c3 = c + 3 * lanes;
        DoubleVector s0 = DoubleVector.fromArray(SPECIES, bias, c), s1 = DoubleVector.fromArray(SPECIES, bias, c1);
        DoubleVector s2 = DoubleVector.fromArray(SPECIES, bias, c2), s3 = DoubleVector.fromArray(SPECIES, bias, c3);
        DoubleVector cc0 = DoubleVector.zero(SPECIES), cc1 = cc0, cc2 = cc0, cc3 = cc0;
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, absBias, c).fma(rho, floor);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, absBias, c1).fma(rho, floor);
        DoubleVector b2 = DoubleVector.fromArray(SPECIES, absBias, c2).fma(rho, floor);
        DoubleVector b3 = DoubleVector.fromArray(SPECIES, absBias, c3).fma(rho, floor);
        // two of the adds as fused operations with an exact product (x * 1, x * -1: the same single rounding, so
        // the same bits), which the FMA ports execute: Dot2 has twice as many adds as multiplies
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0), minusOne = DoubleVector.broadcast(SPECIES, -1.0);
        for (int j = 0; j < nt; j++) {
            int k = ks[j], at = k * padded + c;
            double hj = xh[base + k];
            DoubleVector h = DoubleVector.broadcast(SPECIES, hj);
            DoubleVector lw = DoubleVector.broadcast(SPECIES, xl[base + k]);
            DoubleVector gw = DoubleVector.broadcast(SPECIES, Math.fma(rho, Math.abs(hj), xe[base + k]) * grow + TINY); // termWeight
            // per vector: TwoProduct w h = p + q, TwoSum s + p = t + sigma, C += sigma + (w l + q), bound += |w| g
            DoubleVector w = DoubleVector.fromArray(SPECIES, coef, at);
            DoubleVector p = w.mul(h), q = w.fma(h, p.neg()), t = s0.add(p), bb = t.sub(s0);
            cc0 = cc0.add(s0.sub(t.sub(bb)).add(bb.fma(minusOne, p)).fma(one, w.fma(lw, q)));
            s0 = t;
            b0 = w.abs().fma(gw, b0);
            w = DoubleVector.fromArray(SPECIES, coef, at + lanes);
            p = w.mul(h); q = w.fma(h, p.neg()); t = s1.add(p); bb = t.sub(s1);
            cc1 = cc1.add(s1.sub(t.sub(bb)).add(bb.fma(minusOne, p)).fma(one, w.fma(lw, q)));
            s1 = t;
            b1 = w.abs().fma(gw, b1);
            w = DoubleVector.fromArray(SPECIES, coef, at + 2 * lanes);
            p = w.mul(h); q = w.fma(h, p.neg()); t = s2.add(p); bb = t.sub(s2);
            cc2 = cc2.add(s2.sub(t.sub(bb)).add(bb.fma(minusOne, p)).fma(one, w.fma(lw, q)));
            s2 = t;
            b2 = w.abs().fma(gw, b2);
            w = DoubleVector.fromArray(SPECIES, coef, at + 3 * lanes);
            p = w.mul(h); q = w.fma(h, p.neg()); t = s3.add(p); bb = t.sub(s3);
            cc3 = cc3.add(s3.sub(t.sub(bb)).add(bb.fma(minusOne, p)).fma(one, w.fma(lw, q)));
            s3 = t;
            b3 = w.abs().fma(gw, b3);
        }
        s0.intoArray(S, c); s1.intoArray(S, c1); s2.intoArray(S, c2); s3.intoArray(S, c3);
        cc0.intoArray(C, c); cc1.intoArray(C, c1); cc2.intoArray(C, c2); cc3.intoArray(C, c3);
        b0.intoArray(B, c); b1.intoArray(B, c1); b2.intoArray(B, c2); b3.intoArray(B, c3);
    }

    /** {@link #sums4} for units [c, c + lanes). */
    private static void sums1(Prepared prep, int c, int nt, int[] ks, double[] xh, double[] xl, double[] xe, int base,
                              double rho, double floor, double[] S, double[] C, double[] B) {
        DoubleDoubleStage.Layer l = prep.layer;
        int padded = l.padded();
        double[] coef = l.coef();
        double grow = 1 + 4 * U;
        DoubleVector s = DoubleVector.fromArray(SPECIES, prep.biasPad, c), cc = DoubleVector.zero(SPECIES);
        DoubleVector b = DoubleVector.fromArray(SPECIES, prep.absBiasPad, c).fma(rho, floor);
        for (int j = 0; j < nt; j++) {
            int k = ks[j], at = k * padded + c;
            double hj = xh[base + k];
            DoubleVector h = DoubleVector.broadcast(SPECIES, hj);
            DoubleVector w = DoubleVector.fromArray(SPECIES, coef, at);
            DoubleVector p = w.mul(h), q = w.fma(h, p.neg()), t = s.add(p), bb = t.sub(s);
            cc = cc.add(s.sub(t.sub(bb)).add(p.sub(bb)).add(w.fma(DoubleVector.broadcast(SPECIES, xl[base + k]), q)));
            s = t;
            b = w.abs().fma(DoubleVector.broadcast(SPECIES, Math.fma(rho, Math.abs(hj), xe[base + k]) * grow + TINY), b);
        }
        s.intoArray(S, c);
        cc.intoArray(C, c);
        b.intoArray(B, c);
    }

    /**
     * In place over lanes [0, padded): S, C, B (in hi, lo, err) become {@code hi + lo} = TwoSum(S, C) and the bound
     * {@code fl(B * factor)}; true when {@code |hi| (1 - 2u) > bound} in every lane (a NaN fails the test).
     */
    private static boolean finish(int padded, double factor, double[] hi, double[] lo, double[] err) {
        VectorMask<Double> decided = SPECIES.maskAll(true);
        for (int c = 0; c < padded; c += SPECIES.length()) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, hi, c), cc = DoubleVector.fromArray(SPECIES, lo, c);
            DoubleVector h = s.add(cc), bb = h.sub(s);
            DoubleVector l = s.sub(h.sub(bb)).add(cc.sub(bb));
            DoubleVector e = DoubleVector.fromArray(SPECIES, err, c).mul(factor);
            h.intoArray(hi, c);
            l.intoArray(lo, c);
            e.intoArray(err, c);
            decided = decided.and(h.abs().mul(FILTER).compare(VectorOperators.GT, e));
        }
        return decided.allTrue();
    }

    /**
     * The terms of a row of {@code hi, lo, err} from {@code base} ({@code terms} values) that the layer step reads:
     * every one but those exactly 0 with bound 0 (a ReLU layer's outputs, a crossing's cut unit), listed in
     * ascending order in {@code ks}; returns their number. The step then reads the row itself (no copies).
     * Branch-free: every index is written at the next free place, which advances only past a kept term.
     */
    static int gatherSparse(double[] hi, double[] lo, double[] err, int base, int terms, int[] ks) {
        int nt = 0;
        for (int k = 0; k < terms; k++) {
            double h = hi[base + k], l = lo[base + k], e = err[base + k];
            ks[nt] = k;
            nt += h != 0 | l != 0 | e != 0 ? 1 : 0; // a left-out term is overwritten
        }
        return nt;
    }

    /**
     * {@link #activate} of a row of pre-activations folded into the layer step's read of the row (when the previous
     * layer's activation was deferred to it): per term of {@code hi, lo, err} from {@code base}, the activated value
     * by {@link #activate}'s operations bit for bit; lists in ascending order in {@code ks} the terms that are kept
     * (not exactly 0 with bound 0), and returns their number, or -1 when some value's sign is not certified (as
     * {@link #activate} returns false; the outputs are then partly written). One pass over the row in place of the
     * activation's pass over the whole state and the gather's.
     *
     * <p>ReLU: a negative value's ReLU is an exact 0 with bound 0, left out, and any other value is unchanged, so
     * the row is only filtered (no values are written: the step reads the row itself). Leaky ReLU: the activated
     * values are written to {@code xh, xl, xe} at the terms' own indices (term k at k, left-out ones too), where the
     * step reads them. In lanes, the last vector too (lanes past the row, which read the next columns, are masked
     * out; term by term only where the row ends the array). The scratch arrays {@code ks, xh, xl, xe} hold {@link
     * #scratchLength} values.
     */
    static int gatherActivated(double[] hi, double[] lo, double[] err, int base, int terms, boolean relu, double leak,
                               int[] ks, double[] xh, double[] xl, double[] xe) {
        if (relu) return gatherRelu(hi, lo, err, base, terms, ks);
        double absLeak = Math.abs(leak), scale = 2 * DoubleDoubleStage.U2 * absLeak, grow = 1 + 4 * U;
        int lanes = SPECIES.length(), k = 0, nt = 0;
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector laneIndex = DoubleVector.fromArray(SPECIES, LANE_INDEX, 0);
        DoubleVector leakV = DoubleVector.broadcast(SPECIES, leak);
        int end = Math.min(hi.length, Math.min(lo.length, err.length)) - lanes;
        for (; k < terms && base + k <= end; k += lanes) {
            int valid = Math.min(lanes, terms - k);
            // the lanes of the row: a compare with 0, 1, 2, ... every time (SPECIES.indexInRange is not compiled to
            // vector code on JDK 17, and a choice between two masks is boxed)
            VectorMask<Double> in = laneIndex.compare(VectorOperators.LT, valid);
            DoubleVector z = DoubleVector.fromArray(SPECIES, hi, base + k), l = DoubleVector.fromArray(SPECIES, lo, base + k);
            DoubleVector e = DoubleVector.fromArray(SPECIES, err, base + k);
            VectorMask<Double> uncertified = e.compare(VectorOperators.GT, 0).andNot(z.abs().mul(FILTER).compare(VectorOperators.GT, e));
            if (uncertified.and(in).anyTrue()) return -1;
            // the operations of activate, lane by lane; always, not only when some lane is negative: a vector
            // chosen by a branch is boxed (C2 of JDK 17), which cost more than these operations
            VectorMask<Double> neg = z.compare(VectorOperators.LT, 0);
            DoubleVector ch = z.mul(leak), cl1 = z.fma(leakV, ch.neg()), cl3 = l.fma(leakV, cl1);
            DoubleVector zh = ch.add(cl3), zl = cl3.sub(zh.sub(ch));
            DoubleVector ze = e.mul(absLeak).add(z.abs().mul(scale)).mul(grow).add(TINY);
            e = e.blend(ze, neg);
            l = l.blend(zl, neg);
            z = z.blend(zh, neg);
            z.intoArray(xh, k);
            l.intoArray(xl, k);
            e.intoArray(xe, k);
            VectorMask<Double> exactZero = z.compare(VectorOperators.EQ, zero).and(l.compare(VectorOperators.EQ, zero))
                    .and(e.compare(VectorOperators.EQ, zero));
            if (!exactZero.and(in).anyTrue()) {
                for (int j = 0; j < valid; j++) ks[nt + j] = k + j;
                nt += valid;
            } else {
                for (int j = k; j < k + valid; j++) {
                    ks[nt] = j;
                    nt += xh[j] != 0 | xl[j] != 0 | xe[j] != 0 ? 1 : 0;
                }
            }
        }
        for (; k < terms; k++) { // where the row ends the array: activate's scalar operations
            double z = hi[base + k], l = lo[base + k], e = err[base + k];
            if (e > 0 && !(Math.abs(z) * FILTER > e)) return -1;
            if (z < 0) {
                double ch = z * leak, cl1 = Math.fma(z, leak, -ch);
                double cl3 = Math.fma(l, leak, cl1);
                double zh = ch + cl3;
                e = (absLeak * e + scale * Math.abs(z)) * grow + TINY;
                l = cl3 - (zh - ch);
                z = zh;
            }
            ks[nt] = k;
            xh[k] = z;
            xl[k] = l;
            xe[k] = e;
            nt += z != 0 | l != 0 | e != 0 ? 1 : 0;
        }
        return nt;
    }

    /** The length of {@link #gatherActivated}'s scratch arrays for a row of {@code terms} terms. */
    static int scratchLength(int terms) {
        int lanes = SPECIES.length();
        return (terms + lanes - 1) / lanes * lanes;
    }

    /**
     * {@link #gatherActivated} for ReLU: the terms kept are those neither negative nor exactly 0 with bound 0, and
     * the filter's test of every sign (as {@link #certified}) is made in the same pass. Branch-free and term by term
     * (about half of a ReLU row is left out, so vectors would mostly be compacted term by term anyway): three loads
     * and one store per term, in place of the copies of three values and a weight per kept term that the step once
     * read, a separate pass for the test and one for the weights.
     */
    private static int gatherRelu(double[] hi, double[] lo, double[] err, int base, int terms, int[] ks) {
        int nt = 0;
        boolean ok = true;
        for (int k = 0; k < terms; k++) {
            double h = hi[base + k], l = lo[base + k], e = err[base + k];
            ok &= !(e > 0) || Math.abs(h) * FILTER > e; // certified, or an exact value
            ks[nt] = k;
            nt += !(h < 0) & (h != 0 | l != 0 | e != 0) ? 1 : 0; // a left-out term is overwritten
        }
        return ok ? nt : -1;
    }

    /**
     * Exact mode's activation of the values {@code hi + lo} with bounds {@code err} at indices [from, to), in place
     * and in lanes, with {@link VertexTable}'s per-value operations bit for bit: a value whose sign the filter does
     * not certify makes it return false (before anything of its vector is written); z >= 0 (or an exact 0) is
     * unchanged; a negative z becomes exactly 0 with bound 0 (ReLU) or {@code leak z} by DWTimesFP3 with bound
     * {@code (|leak| e + 2 U2 |leak| |z|)(1 + 4u) + TINY} (leaky ReLU).
     */
    static boolean activate(double[] hi, double[] lo, double[] err, int from, int to, boolean relu, double leak) {
        double absLeak = Math.abs(leak), scale = 2 * DoubleDoubleStage.U2 * absLeak, grow = 1 + 4 * U;
        int lanes = SPECIES.length(), c = from;
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (; c + lanes <= to; c += lanes) {
            DoubleVector z = DoubleVector.fromArray(SPECIES, hi, c), e = DoubleVector.fromArray(SPECIES, err, c);
            VectorMask<Double> neg = z.compare(VectorOperators.LT, 0);
            VectorMask<Double> uncertified = e.compare(VectorOperators.GT, 0).andNot(z.abs().mul(FILTER).compare(VectorOperators.GT, e));
            if (uncertified.anyTrue()) return false;
            if (!neg.anyTrue()) continue;
            DoubleVector l = DoubleVector.fromArray(SPECIES, lo, c);
            if (relu) {
                z.blend(zero, neg).intoArray(hi, c);
                l.blend(zero, neg).intoArray(lo, c);
                e.blend(zero, neg).intoArray(err, c);
            } else { // DoubleDoubleStage.mulFp(z, l, leak)
                DoubleVector ch = z.mul(leak), cl1 = z.fma(DoubleVector.broadcast(SPECIES, leak), ch.neg());
                DoubleVector cl3 = l.fma(DoubleVector.broadcast(SPECIES, leak), cl1);
                DoubleVector zh = ch.add(cl3), zl = cl3.sub(zh.sub(ch));
                DoubleVector ze = e.mul(absLeak).add(z.abs().mul(scale)).mul(grow).add(TINY);
                z.blend(zh, neg).intoArray(hi, c);
                l.blend(zl, neg).intoArray(lo, c);
                e.blend(ze, neg).intoArray(err, c);
            }
        }
        double[] r = new double[2];
        for (; c < to; c++) {
            double z = hi[c], e = err[c];
            if (e > 0 && !(Math.abs(z) * FILTER > e)) return false;
            if (z >= 0) continue; // positive, or exactly 0 (lo is 0 then): unchanged
            if (relu) {
                hi[c] = 0;
                lo[c] = 0;
                err[c] = 0;
            } else {
                DoubleDoubleStage.mulFp(z, lo[c], leak, r);
                hi[c] = r[0];
                lo[c] = r[1];
                err[c] = (absLeak * e + scale * Math.abs(z)) * grow + TINY;
            }
        }
        return true;
    }

    /**
     * The filter over values {@code hi} with bounds {@code err} at [from, to), in lanes: true when every sign is
     * certain ({@code |hi| (1 - 2u) > err}, or an exact value: bound 0).
     */
    static boolean certified(double[] hi, double[] err, int from, int to) {
        int lanes = SPECIES.length(), c = from;
        boolean ok = true; // a boolean per vector, not a mask carried through the loop (which C2 of JDK 17 may box)
        for (; c + lanes <= to; c += lanes) {
            DoubleVector z = DoubleVector.fromArray(SPECIES, hi, c), e = DoubleVector.fromArray(SPECIES, err, c);
            ok &= !e.compare(VectorOperators.GT, 0).andNot(z.abs().mul(FILTER).compare(VectorOperators.GT, e)).anyTrue();
        }
        for (; c < to; c++) ok &= !(err[c] > 0) || Math.abs(hi[c]) * FILTER > err[c];
        return ok;
    }

    /**
     * A crossing's stored values in lanes: for k in [0, n), the double-double {@code x + t (y - x)} of the values
     * at {@code sa + k} (x) and {@code sb + k} (y), written at {@code sv + k} with its bound, by the operations of
     * {@link VertexTable}'s per-value interpolation in the same order (AccurateDWPlusDW, DWTimesDW3,
     * AccurateDWPlusDW, then the bound), so the same bits; exact, equal ends are copied with bound 0. r: a scratch
     * pair for the last n mod lanes values.
     */
    static void interpolate(double[] hi, double[] lo, double[] err, int sa, int sb, int sv, int n,
                            double th, double tl, double dt, double[] r) {
        int lanes = SPECIES.length(), k = 0;
        DoubleVector t = DoubleVector.broadcast(SPECIES, th), tlo = DoubleVector.broadcast(SPECIES, tl);
        double u2 = 2 * U, u2mag = 4 * DoubleDoubleStage.U2, grow = 1 + 8 * U, tiny3 = 3 * TINY, mag2 = 1 + 2 * U, oneMinusT = 1 - th;
        for (; k + lanes <= n; k += lanes) {
            DoubleVector ah = DoubleVector.fromArray(SPECIES, hi, sa + k), al = DoubleVector.fromArray(SPECIES, lo, sa + k);
            DoubleVector bh = DoubleVector.fromArray(SPECIES, hi, sb + k), bl = DoubleVector.fromArray(SPECIES, lo, sb + k);
            DoubleVector ex = DoubleVector.fromArray(SPECIES, err, sa + k), ey = DoubleVector.fromArray(SPECIES, err, sb + k);
            // AccurateDWPlusDW: (bh, bl) + (-ah, -al)
            DoubleVector nah = ah.neg(), nal = al.neg();
            DoubleVector sh = bh.add(nah), bb = sh.sub(bh), sl = bh.sub(sh.sub(bb)).add(nah.sub(bb));
            DoubleVector th2 = bl.add(nal), cc = th2.sub(bl), tl2 = bl.sub(th2.sub(cc)).add(nal.sub(cc));
            DoubleVector c = sl.add(th2), vh = sh.add(c), vl = c.sub(vh.sub(sh)), w = tl2.add(vl);
            DoubleVector dh = vh.add(w), dl = w.sub(dh.sub(vh));
            // DWTimesDW3: (th, tl) * (dh, dl)
            DoubleVector ch = t.mul(dh), cl1 = t.fma(dh, ch.neg()), tl0 = tlo.mul(dl), tl1 = t.fma(dl, tl0);
            DoubleVector cl2 = tlo.fma(dh, tl1), cl3 = cl1.add(cl2), mh = ch.add(cl3), ml = cl3.sub(mh.sub(ch));
            // AccurateDWPlusDW: (ah, al) + (mh, ml)
            sh = ah.add(mh); bb = sh.sub(ah); sl = ah.sub(sh.sub(bb)).add(mh.sub(bb));
            th2 = al.add(ml); cc = th2.sub(al); tl2 = al.sub(th2.sub(cc)).add(ml.sub(cc));
            c = sl.add(th2); vh = sh.add(c); vl = c.sub(vh.sub(sh)); w = tl2.add(vl);
            DoubleVector zh = vh.add(w), zl = w.sub(zh.sub(vh));
            DoubleVector diff = dh.abs().mul(mag2), mag = ah.abs().add(bh.abs()).mul(mag2);
            DoubleVector e = ex.mul(oneMinusT).add(ey.mul(th)).add(ex.add(ey).mul(u2)).add(diff.add(ex).add(ey).mul(dt))
                    .add(mag.mul(u2mag)).mul(grow).add(tiny3);
            VectorMask<Double> same = ex.compare(VectorOperators.EQ, 0).and(ey.compare(VectorOperators.EQ, 0))
                    .and(ah.compare(VectorOperators.EQ, bh)).and(al.compare(VectorOperators.EQ, bl));
            zh.blend(ah, same).intoArray(hi, sv + k);
            zl.blend(al, same).intoArray(lo, sv + k);
            e.blend(0, same).intoArray(err, sv + k);
        }
        for (; k < n; k++) err[sv + k] = interpolate1(hi, lo, sa + k, sb + k, sv + k, err[sa + k], err[sb + k], th, tl, dt, r);
    }

    /**
     * One value of {@link #interpolate}: hi[o], lo[o] = the double-double {@code x + t (y - x)} of the values at i
     * and j; returns its bound against the exact interpolation at t* (see VertexTable's addCrossingExact).
     */
    static double interpolate1(double[] hi, double[] lo, int i, int j, int o, double ex, double ey, double th, double tl, double dt,
                               double[] r) {
        double ah = hi[i], al = lo[i], bh = hi[j], bl = lo[j];
        if (ex == 0 && ey == 0 && ah == bh && al == bl) { // exact, equal ends: constant along the edge
            hi[o] = ah;
            lo[o] = al;
            return 0;
        }
        DoubleDoubleStage.add(bh, bl, -ah, -al, r);
        double difh = r[0];
        DoubleDoubleStage.mul(th, tl, r[0], r[1], r);
        DoubleDoubleStage.add(ah, al, r[0], r[1], r);
        hi[o] = r[0];
        lo[o] = r[1];
        double diff = Math.abs(difh) * (1 + 2 * U), mag = (Math.abs(ah) + Math.abs(bh)) * (1 + 2 * U);
        // the ends' errors combined with the parameter used (t's low word moves that by at most 2u (ex + ey)), the
        // parameter's error times the difference, and three operations' rounding
        return ((1 - th) * ex + th * ey + 2 * U * (ex + ey) + dt * (diff + ex + ey) + 4 * DoubleDoubleStage.U2 * mag) * (1 + 8 * U)
                + 3 * TINY;
    }
}
