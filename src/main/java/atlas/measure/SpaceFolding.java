package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.regions.ActivationPattern;

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
 * <p>Exact variant: the pieces come from the one 1-D cutting kernel ({@link atlas.regions.SegmentCutter}, through
 * {@link PathFolder}); with outputs included, the output units split the path too, where they change sign. For
 * many paths use {@link PathFolder#foldAll}, which keeps the kernel's buffers between paths.
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
     * The exact sequence of regions crossed by {@code from -> to} ({@link PathFolder}, one path), split at the
     * output units' sign changes too when {@code includeOutputs}.
     */
    public static List<PathPiece> exactPieces(Network net, double[] from, double[] to, boolean includeOutputs, Tolerance tol) {
        if (tol.isExact()) return certifiedPieces(net, from, to, includeOutputs);
        PathFolder folder = new PathFolder(net, tol, includeOutputs);
        folder.fold(from, to);
        return folder.pieces();
    }

    /**
     * {@link #exactPieces} in certified exact mode ({@link Tolerance#EXACT}): the pieces of the exact segment
     * partition ({@link atlas.regions.SegmentPartitioner}, filtered predicates with exact fallback). With
     * {@code includeOutputs} and an identity last layer, that layer is cut like a ReLU layer (a copy of the network
     * whose last activation is ReLU), which splits the path at the outputs' zeros and appends their signs
     * (bit {@code cuttingUnits() + o} set iff output o is positive): the same pieces and bits as {@link PathFolder}.
     */
    private static List<PathPiece> certifiedPieces(Network net, double[] from, double[] to, boolean includeOutputs) {
        Network cut = net;
        if (includeOutputs && outputsAppended(net)) {
            List<atlas.net.DenseLayer> layers = new ArrayList<>(net.layers());
            atlas.net.DenseLayer last = layers.get(layers.size() - 1);
            layers.set(layers.size() - 1, new atlas.net.DenseLayer(last.inputSize(), last.units(), last.weights(), last.bias(),
                    Activation.RELU, 0, last.skips()));
            cut = new Network(net.inputDim(), layers);
        }
        atlas.regions.SegmentPartition sp = new atlas.regions.SegmentPartitioner(cut, from, to, Tolerance.EXACT).getResult();
        List<PathPiece> out = new ArrayList<>(sp.intervals().size());
        for (atlas.regions.SegmentInterval iv : sp.intervals()) out.add(new PathPiece(iv.t0(), iv.t1(), iv.pattern()));
        return out;
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
