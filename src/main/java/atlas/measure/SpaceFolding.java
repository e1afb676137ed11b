package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.Side;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The space folding measure of Lewandowski et al. (TMLR 2025) along straight paths, computed exactly from the
 * sequence of linear regions a path crosses, or the paper's way from patterns at sampled points.
 *
 * <p>Patterns cover every cutting unit (relu and leaky_relu, layer by layer, as {@link ActivationPattern}); with
 * {@code includeOutputs} the signs of the output units ({@code 1} iff the output is {@code > 0}) are appended,
 * so that crossing a decision boundary counts as a change of pattern. When the last layer itself cuts, its
 * units are already in the pattern and nothing is appended.
 *
 * <p>Exact variant: the pieces come from {@link SegmentPartitioner}; with outputs included, each piece is split
 * further where an output changes sign (the output is affine on a piece, so the split point is exact up to
 * rounding; values within {@link Tolerance#side tolerance} of zero count as zero). For many paths use
 * {@link PathFolder}, an allocation-light kernel that gives the same sequences.
 *
 * <p>Sampled variant (the paper's): patterns at {@code n} equally spaced points {@code t = i/(n-1)}. It sees a
 * subsequence of the exact sequence (possibly with repeats, which change nothing) and can miss regions thinner
 * than the spacing, so its chi can be smaller or larger than the exact one.
 */
public final class SpaceFolding {
    private SpaceFolding() {}

    /**
     * chi, r1, r2 and the running chi of a sequence of patterns. Consecutive equal patterns are allowed (they
     * add 0 to r2 and leave r1 unchanged).
     *
     * @param patterns the patterns in path order, all of one length. Not modified.
     */
    public static FoldingResult ofPatterns(List<ActivationPattern> patterns) {
        int n = patterns.size();
        if (n == 0) throw new IllegalArgumentException("empty pattern sequence");
        double[] running = new double[n];
        ActivationPattern first = patterns.get(0);
        int r1 = 0, r2 = 0;
        double maxRunning = 0;
        for (int j = 1; j < n; j++) {
            ActivationPattern p = patterns.get(j);
            r2 += patterns.get(j - 1).hamming(p);
            r1 = Math.max(r1, first.hamming(p));
            running[j] = FoldingResult.chi(r1, r2);
            maxRunning = Math.max(maxRunning, running[j]);
        }
        return new FoldingResult(n, r1, r2, FoldingResult.chi(r1, r2), running, maxRunning);
    }

    /** Exact folding along {@code from -> to} with the default tolerance. */
    public static FoldingResult exact(Network net, double[] from, double[] to, boolean includeOutputs) {
        return ofPatterns(patternsOf(exactPieces(net, from, to, includeOutputs, Tolerance.DEFAULT)));
    }

    /**
     * The exact sequence of regions crossed by {@code from -> to}, from {@link SegmentPartitioner}, split further
     * at the output units' sign changes when {@code includeOutputs}.
     */
    public static List<PathPiece> exactPieces(Network net, double[] from, double[] to, boolean includeOutputs, Tolerance tol) {
        SegmentPartition part = new SegmentPartitioner(net, from, to, tol).getResult();
        boolean addOutputs = includeOutputs && !net.layer(net.depth()).activation().cuts();
        int cut = net.cuttingUnits();
        int outs = addOutputs ? net.outputDim() : 0;
        List<PathPiece> pieces = new ArrayList<>(part.count() + 4);
        double[] splits = new double[outs + 2];
        for (SegmentInterval iv : part.intervals()) {
            if (!addOutputs) {
                pieces.add(new PathPiece(iv.t0(), iv.t1(), iv.pattern()));
                continue;
            }
            double[] v0 = iv.map().apply(iv.t0()), v1 = iv.map().apply(iv.t1());
            int m = 0;
            splits[m++] = iv.t0();
            for (int o = 0; o < outs; o++) {
                double scale = Math.max(Math.abs(v0[o]), Math.abs(v1[o]));
                Side s0 = tol.side(v0[o], scale), s1 = tol.side(v1[o], scale);
                if ((s0 == Side.POSITIVE && s1 == Side.NEGATIVE) || (s0 == Side.NEGATIVE && s1 == Side.POSITIVE)) {
                    double t = iv.t0() + (iv.t1() - iv.t0()) * (v0[o] / (v0[o] - v1[o]));
                    if (t > iv.t0() && t < iv.t1()) splits[m++] = t;
                }
            }
            splits[m++] = iv.t1();
            Arrays.sort(splits, 1, m - 1);
            for (int k = 0; k + 1 < m; k++) {
                double a = splits[k], b = splits[k + 1];
                if (!(b > a)) continue;
                double[] va = iv.map().apply(a), vb = iv.map().apply(b);
                boolean[] bits = new boolean[cut + outs];
                for (int u = 0; u < cut; u++) bits[u] = iv.pattern().get(u);
                for (int o = 0; o < outs; o++) {
                    double scale = Math.max(Math.abs(v0[o]), Math.abs(v1[o]));
                    bits[cut + o] = tol.side(va[o], scale) == Side.POSITIVE || tol.side(vb[o], scale) == Side.POSITIVE;
                }
                pieces.add(new PathPiece(a, b, ActivationPattern.of(bits)));
            }
        }
        return pieces;
    }

    /** The patterns of a piece sequence, in order. */
    public static List<ActivationPattern> patternsOf(List<PathPiece> pieces) {
        List<ActivationPattern> p = new ArrayList<>(pieces.size());
        for (PathPiece piece : pieces) p.add(piece.pattern());
        return p;
    }

    /**
     * Folding computed the paper's way: patterns at {@code n} equally spaced points {@code t = i/(n-1)},
     * {@code i = 0..n-1}, including both end points.
     *
     * @param n number of sample points, at least 2
     */
    public static FoldingResult sampled(Network net, double[] from, double[] to, int n, boolean includeOutputs) {
        if (n < 2) throw new BadInputException("sampling needs at least 2 points, got " + n);
        if (from.length != net.inputDim() || to.length != net.inputDim())
            throw new BadInputException("path end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + net.inputDim() + " inputs");
        List<ActivationPattern> patterns = new ArrayList<>(n);
        double[] x = new double[from.length];
        for (int i = 0; i < n; i++) {
            double t = (double) i / (n - 1);
            for (int k = 0; k < x.length; k++) x[k] = from[k] + t * (to[k] - from[k]);
            patterns.add(patternAt(net, x, includeOutputs));
        }
        return ofPatterns(patterns);
    }

    /** The activation pattern at a point (1 iff pre-activation &gt; 0), with the output signs appended on request. */
    public static ActivationPattern patternAt(Network net, double[] x, boolean includeOutputs) {
        Network.Trace tr = net.trace(x);
        boolean[] bits = tr.activeBits(net);
        if (!includeOutputs || net.layer(net.depth()).activation().cuts()) return ActivationPattern.of(bits);
        double[] out = tr.preActivations()[net.depth()];
        boolean[] all = Arrays.copyOf(bits, bits.length + out.length);
        for (int o = 0; o < out.length; o++) all[bits.length + o] = out[o] > 0;
        return ActivationPattern.of(all);
    }

    /** True when the last layer does not cut, so that {@code includeOutputs} appends its units' signs. */
    public static boolean outputsAppended(Network net) {
        return net.layer(net.depth()).activation() == Activation.IDENTITY;
    }

    /**
     * Phi of the paper: the median of the non-zero values (an even count gives the mean of the two middle ones);
     * 0 when every value is 0.
     *
     * @param values chi values (or maxima of running chi). Not modified.
     */
    public static double phi(double[] values) {
        double[] nz = Arrays.stream(values).filter(v -> v != 0).sorted().toArray();
        if (nz.length == 0) return 0.0;
        int m = nz.length / 2;
        return nz.length % 2 == 1 ? nz[m] : 0.5 * (nz[m - 1] + nz[m]);
    }
}
