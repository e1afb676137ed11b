package atlas.regions;

import atlas.error.NumericalException;

import atlas.error.BadInputException;

import atlas.geometry.Chebyshev;
import atlas.geometry.ChebyshevBall;
import atlas.geometry.HPolytope;
import atlas.geometry.LpSolver;
import atlas.geometry.SmallPolytopes;
import atlas.geometry.Tolerance;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Every linear region of a network inside a bounded domain (a box or a polytope), for any input dimension.
 *
 * <p>Algorithm: breadth-first search over facet-adjacent regions (Liu et al. 2023). Start from the region of the
 * domain's centre; for each region build its polytope ({@link RegionPolytope}: one Chebyshev LP, the facets by
 * ray shooting, a bounding box and one LP per row left undecided); for each facet inside the domain, step just
 * across it from a point of its relative interior and take the (canonical) pattern there, checked to be the
 * region that touches the facet; enqueue the patterns not seen before. Each wave of the search is built on all
 * cores (a {@link ForkJoinPool}); ids are assigned in wave order, so the result does not depend on the thread
 * count. A domain is connected and every facet has exactly one region across it, so when every facet's
 * neighbour has been found the regions cover the domain: that is the completeness certificate (with the volume
 * sum in dimension 1 to 3), see {@link RegionSet}.
 *
 * <p>Limits: {@link #setMaxRegions} and {@link #setTimeLimit} stop the search between regions; the result is then
 * labelled partial. Thread interruption also stops it (partial, {@link RegionSet.Stop#INTERRUPTED}).
 * Cost per region: one LocalAffine per facet plus, typically, a few to a few tens of small LPs.
 */
public final class RegionEnumerator {
    private final Network net;
    private final HPolytope domain;
    private final Tolerance tol;
    private LpSolver solver = LpSolver.defaultSolver();
    private int maxRegions = Integer.MAX_VALUE;
    private double timeLimit = Double.POSITIVE_INFINITY;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean shapes = true;
    private IntConsumer progress = n -> { };
    private RegionSet result;

    /**
     * @param net    the network
     * @param domain a bounded, full-dimensional domain of the network's input dimension
     * @param tol    the tolerance policy
     */
    public RegionEnumerator(Network net, HPolytope domain, Tolerance tol) {
        if (domain.dim() != net.inputDim())
            throw new BadInputException("the domain has dimension " + domain.dim() + ", the network " + net.inputDim() + " inputs");
        this.net = net;
        this.domain = domain;
        this.tol = tol;
    }

    /** One-line convenience: all regions in {@code domain}, default tolerance, all cores. */
    public static RegionSet enumerate(Network net, HPolytope domain) {
        return new RegionEnumerator(net, domain, Tolerance.DEFAULT).getResult();
    }

    public RegionEnumerator setSolver(LpSolver s) { this.solver = s; return this; }

    /** Stop after this many regions (the result is then partial unless exactly that many exist and all were built). */
    public RegionEnumerator setMaxRegions(int n) {
        if (n <= 0) throw new BadInputException("max regions must be positive, got " + n);
        this.maxRegions = n;
        return this;
    }

    /** Stop after this many seconds of wall time. */
    public RegionEnumerator setTimeLimit(double seconds) {
        if (!(seconds > 0)) throw new BadInputException("time limit must be positive, got " + seconds);
        this.timeLimit = seconds;
        return this;
    }

    public RegionEnumerator setThreads(int n) {
        if (n <= 0) throw new BadInputException("threads must be positive, got " + n);
        this.threads = n;
        return this;
    }

    /** Whether to compute vertices and volumes (dimension 1 to 3 only; default true). */
    public RegionEnumerator setComputeShapes(boolean b) { this.shapes = b; return this; }

    /** Called on the calling thread with the number of regions built, after every wave. */
    public RegionEnumerator setProgressListener(IntConsumer listener) { this.progress = listener; return this; }

    public RegionSet getResult() {
        if (result == null) result = run();
        return result;
    }

    private record Pending(ActivationPattern pattern, double[] point) { }

    private RegionSet run() {
        long t0 = System.nanoTime();
        double deadline = timeLimit == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : t0 + timeLimit * 1e9;
        int d = net.inputDim();
        double length = diameter();
        RegionBuilder builder = new RegionBuilder(net, domain, solver, tol, length, shapes, false);
        ChebyshevBall dball = Chebyshev.of(domain, centreGuess(), solver);
        if (dball.isUnbounded()) throw new BadInputException("the domain is unbounded");
        if (!(dball.radius() > tol.sideEps() * length)) throw new BadInputException("the domain is empty or not full-dimensional");
        double domainVolume = Double.NaN;
        if (d <= 3) {
            if (domain.isBox()) domainVolume = domain.boxVolume();
            else domainVolume = normalisedShape(dball).volume();
        }

        List<RegionPolytope> built = new ArrayList<>();
        java.util.concurrent.ConcurrentHashMap<ActivationPattern, RegionPolytope> known = new java.util.concurrent.ConcurrentHashMap<>();
        builder.known = known;
        Map<ActivationPattern, Integer> ids = new HashMap<>();
        Set<ActivationPattern> seen = new HashSet<>();
        List<Pending> frontier = new ArrayList<>();
        // the start: the domain's centre, else seeded random points of the inscribed ball
        Random rnd = new Random(1);
        double[] x0 = dball.centre();
        for (int attempt = 0; attempt < 100 && frontier.isEmpty(); attempt++) {
            double[] x = x0.clone();
            if (attempt > 0)
                for (int k = 0; k < d; k++) x[k] += dball.radius() * 0.9 * (2 * rnd.nextDouble() - 1) / Math.sqrt(d);
            RegionBuilder.Located loc = builder.locate(x);
            RegionPolytope r = builder.build(loc.pattern(), loc.rows(), x);
            if (r != null) {
                seen.add(loc.pattern());
                frontier.add(new Pending(loc.pattern(), x));
            }
        }
        if (frontier.isEmpty()) throw new NumericalException("no full-dimensional region found in the domain");

        RegionSet.Stop stop = RegionSet.Stop.FINISHED;
        int degenerate = 0;
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            while (!frontier.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) { stop = RegionSet.Stop.INTERRUPTED; break; }
                if (System.nanoTime() > deadline) { stop = RegionSet.Stop.TIME_LIMIT; break; }
                if (built.size() >= maxRegions) { stop = RegionSet.Stop.MAX_REGIONS; break; }
                int take = Math.min(frontier.size(), maxRegions - built.size());
                List<Pending> batch = frontier.subList(0, take);
                List<Pending> rest = new ArrayList<>(frontier.subList(take, frontier.size()));
                java.util.concurrent.atomic.AtomicInteger inWave = new java.util.concurrent.atomic.AtomicInteger();
                Future<List<RegionPolytope>> fut = pool.submit(() -> batch.parallelStream()
                        .map(p -> {
                            if (System.nanoTime() > deadline) return null;
                            RegionPolytope r = orEmpty(builder.build(p.pattern(), p.point()));
                            inWave.incrementAndGet();
                            return r;
                        })
                        .toList());
                List<RegionPolytope> out;
                try {
                    while (true) { // report progress inside long waves, on this thread
                        try {
                            out = fut.get(250, java.util.concurrent.TimeUnit.MILLISECONDS);
                            break;
                        } catch (java.util.concurrent.TimeoutException e) {
                            progress.accept(built.size() + inWave.get());
                        }
                    }
                } catch (InterruptedException e) {
                    fut.cancel(true);
                    Thread.currentThread().interrupt();
                    stop = RegionSet.Stop.INTERRUPTED;
                    frontier = new ArrayList<>(frontier);
                    break;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) throw re;
                    throw new IllegalStateException(c);
                }
                List<Pending> next = new ArrayList<>(rest);
                List<Pending> skipped = new ArrayList<>();
                for (int i = 0; i < out.size(); i++) {
                    RegionPolytope r = out.get(i);
                    if (r == null) { skipped.add(batch.get(i)); continue; }
                    if (r == EMPTY) { degenerate++; continue; }
                    int id = built.size();
                    ids.put(r.pattern(), id);
                    List<Facet> lean = new ArrayList<>(r.facets().size());
                    for (Facet f : r.facets()) {
                        if (f.neighbour() != null && seen.add(f.neighbour()))
                            next.add(new Pending(f.neighbour(), f.neighbourPoint()));
                        lean.add(f.neighbourPoint() == null ? f : f.withoutNeighbourPoint());
                    }
                    RegionPolytope stored = r.withId(id, lean); // neighbour points are only needed to start the neighbours
                    built.add(stored);
                    known.put(stored.pattern(), stored);
                }
                skipped.addAll(next);
                frontier = skipped;
                progress.accept(built.size());
            }
        } finally {
            pool.shutdownNow();
        }
        if (stop == RegionSet.Stop.FINISHED && !frontier.isEmpty()) stop = RegionSet.Stop.TIME_LIMIT;
        // resolve neighbour ids
        List<RegionPolytope> regions = new ArrayList<>(built.size());
        int unresolved = 0, thin = 0;
        double volumeSum = d <= 3 && shapes ? 0 : Double.NaN;
        for (int id = 0; id < built.size(); id++) {
            RegionPolytope r = built.get(id);
            List<Facet> fs = new ArrayList<>(r.facets().size());
            for (Facet f : r.facets()) {
                if (f.domainBoundary()) { fs.add(f); continue; }
                Integer nid = f.neighbour() == null ? null : ids.get(f.neighbour());
                if (nid == null) {
                    if (f.thin()) thin++; else unresolved++;
                    fs.add(f);
                }
                else fs.add(f.withNeighbourId(nid));
            }
            regions.add(r.withId(id, fs));
            volumeSum += r.volume();
        }
        if (!shapes || d > 3) domainVolume = Double.NaN;
        boolean complete = stop == RegionSet.Stop.FINISHED && frontier.isEmpty() && unresolved == 0 && degenerate == 0;
        if (complete && !Double.isNaN(domainVolume) && Math.abs(volumeSum - domainVolume) > RegionSet.VOLUME_CHECK * domainVolume)
            complete = false;
        return new RegionSet(d, domain, regions, complete, stop, frontier.size(), unresolved, thin, volumeSum, domainVolume,
                builder.lps.sum(), (System.nanoTime() - t0) / 1e9, threads, solver.name());
    }

    /** Marker for a pattern that turned out lower-dimensional. */
    private static final RegionPolytope EMPTY = new RegionPolytope(-1, ActivationPattern.of(new boolean[0]),
            new HPolytope(1, 0, new double[0], new double[0]), new int[0], List.of(), new double[1], 0,
            new AffineMap(0, 1, new double[0], new double[0]), null, Double.NaN);

    private static RegionPolytope orEmpty(RegionPolytope r) { return r == null ? EMPTY : r; }

    private double[] centreGuess() {
        if (domain.isBox()) {
            double[] lo = domain.boxLo(), hi = domain.boxHi();
            double[] c = new double[lo.length];
            for (int k = 0; k < c.length; k++) c[k] = (lo[k] + hi[k]) / 2;
            return c;
        }
        return new double[domain.dim()];
    }

    /** The domain's diameter (a box's diagonal; for a polytope the diagonal of its bounding box), at least 1e-300. */
    private double diameter() {
        int d = domain.dim();
        double[] lo, hi;
        if (domain.isBox()) {
            lo = domain.boxLo();
            hi = domain.boxHi();
        } else {
            lo = new double[d];
            hi = new double[d];
            for (int k = 0; k < d; k++) {
                for (int sign = -1; sign <= 1; sign += 2) {
                    double[] obj = new double[d];
                    obj[k] = sign;
                    atlas.geometry.LpResult r = solver.solve(new atlas.geometry.LinearProgram(d, domain.rows(), domain.a(), domain.b(), obj));
                    if (r.status() != atlas.geometry.LpResult.Status.OPTIMAL)
                        throw new BadInputException(r.status() == atlas.geometry.LpResult.Status.INFEASIBLE
                                ? "the domain is empty" : "the domain is unbounded");
                    if (sign < 0) lo[k] = r.x()[k]; else hi[k] = r.x()[k];
                }
            }
        }
        double s = 0;
        for (int k = 0; k < d; k++) s += (hi[k] - lo[k]) * (hi[k] - lo[k]);
        return Math.max(Math.sqrt(s), Double.MIN_NORMAL);
    }

    private SmallPolytopes.Shape normalisedShape(ChebyshevBall ball) {
        int d = domain.dim();
        double[] a = new double[domain.rows() * d], b = new double[domain.rows()];
        int m = 0;
        for (int i = 0; i < domain.rows(); i++) {
            double n = 0;
            for (int k = 0; k < d; k++) n += domain.a(i, k) * domain.a(i, k);
            n = Math.sqrt(n);
            if (n == 0) continue;
            for (int k = 0; k < d; k++) a[m * d + k] = domain.a(i, k) / n;
            b[m++] = domain.b()[i] / n;
        }
        return SmallPolytopes.of(d, m, java.util.Arrays.copyOf(a, m * d), java.util.Arrays.copyOf(b, m), ball.centre(), diameter(), tol);
    }
}
