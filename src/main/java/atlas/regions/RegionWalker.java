package atlas.regions;

import atlas.error.BadInputException;

import atlas.net.Network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Region-cached prediction on an enumerated {@link RegionSet} in any input dimension: a coarse grid over the
 * domain's bounding box remembers, per cell, the region that contains the cell's centre; a query starts there
 * and walks across facets (always leaving through the most violated facet, to the neighbour behind it) until
 * no facet is violated, then applies the region's affine map.
 *
 * <p>Contract: the prediction equals the network wherever the region set covers the domain (a complete set);
 * points outside the domain are not predicted ({@link #predict} returns false). A walk that does not settle
 * within {@code regions} steps, or meets a facet whose neighbour is unknown, falls back to the point's
 * activation pattern (one forward pass) and a hash lookup; {@link #fallbacks()} counts those.
 *
 * <p>Not thread-safe (counts fallbacks); use one per thread. Cost per query: O(steps x facets x dim).
 */
public final class RegionWalker {
    private final Network net;
    private final int dim, regions;
    private final int[] facetStart, neighbour; // neighbour: id, -2 domain boundary, -1 unknown
    private final double[] normals, offsets, maps;
    private final int outputs;
    private final double slack;
    private final double[] lo, hi;
    private final int g;
    private final int[] cellRegion;
    private final Map<ActivationPattern, Integer> byPattern = new HashMap<>();
    private long fallbacks;

    /**
     * @param set   the regions (ids 0..n-1, facets with neighbour ids). Not modified.
     * @param net   the network (for the fallback and the grid). Not modified.
     * @param lo    lower corner of the domain's bounding box. Not modified.
     * @param hi    upper corner. Not modified.
     * @param cellsPerAxis grid resolution (cells per axis; the grid has cellsPerAxis^dim cells)
     * @param slack distance by which a point may violate a facet and still count as inside
     */
    public RegionWalker(RegionSet set, Network net, double[] lo, double[] hi, int cellsPerAxis, double slack) {
        this.net = net;
        this.dim = set.inputDim();
        if (lo.length != dim || hi.length != dim) throw new BadInputException("box corners need " + dim + " coordinates");
        if (cellsPerAxis < 1 || Math.pow(cellsPerAxis, dim) > 4_000_000) throw new BadInputException("grid of " + cellsPerAxis + "^" + dim + " cells is out of range");
        this.regions = set.regions().size();
        this.lo = lo.clone();
        this.hi = hi.clone();
        this.g = cellsPerAxis;
        this.slack = slack;
        List<RegionPolytope> rs = set.regions();
        facetStart = new int[regions + 1];
        int nf = 0;
        for (RegionPolytope r : rs) nf += r.facetCount();
        neighbour = new int[nf];
        normals = new double[nf * dim];
        offsets = new double[nf];
        outputs = regions == 0 ? 0 : rs.get(0).output().outputs();
        maps = new double[regions * outputs * (dim + 1)];
        int f = 0;
        for (int id = 0; id < regions; id++) {
            RegionPolytope r = rs.get(id);
            if (r.id() != id) throw new IllegalArgumentException("region ids must be 0..n-1 in order");
            facetStart[id] = f;
            for (Facet fa : r.facets()) {
                System.arraycopy(fa.normal(), 0, normals, f * dim, dim);
                offsets[f] = fa.offset();
                neighbour[f] = fa.domainBoundary() ? -2 : fa.neighbourId();
                f++;
            }
            AffineMap m = r.output();
            for (int o = 0; o < outputs; o++) {
                int base = (id * outputs + o) * (dim + 1);
                for (int k = 0; k < dim; k++) maps[base + k] = m.coefficient(o, k);
                maps[base + dim] = m.offset(o);
            }
            byPattern.put(r.pattern(), id);
        }
        facetStart[regions] = f;
        int cells = (int) Math.pow(g, dim);
        cellRegion = new int[cells];
        double[] c = new double[dim];
        for (int cell = 0; cell < cells; cell++) {
            int rem = cell;
            for (int k = 0; k < dim; k++) {
                int ik = rem % g;
                rem /= g;
                c[k] = lo[k] + (ik + 0.5) * (hi[k] - lo[k]) / g;
            }
            Integer id = byPattern.get(ActivationPattern.of(net.trace(c).activeBits(net)));
            cellRegion[cell] = id == null ? 0 : id;
        }
        fallbacks = 0;
    }

    /** Walks that fell back to a forward pass so far. */
    public long fallbacks() { return fallbacks; }

    public int outputs() { return outputs; }

    /** The id of the region containing x, or -1 outside the domain (or in no region of an incomplete set). */
    public int locate(double[] x) {
        int cell = 0, mul = 1;
        for (int k = 0; k < dim; k++) {
            double fk = (x[k] - lo[k]) / (hi[k] - lo[k]) * g;
            if (!(fk >= 0 && fk <= g)) return -1;
            cell += Math.min(g - 1, (int) fk) * mul;
            mul *= g;
        }
        int r = cellRegion[cell];
        for (int step = 0; step <= regions; step++) {
            int worst = -1;
            double wv = slack;
            for (int f = facetStart[r]; f < facetStart[r + 1]; f++) {
                double v = -offsets[f];
                for (int k = 0; k < dim; k++) v += normals[f * dim + k] * x[k];
                if (v > wv) { wv = v; worst = f; }
            }
            if (worst < 0) return r;
            int nb = neighbour[worst];
            if (nb == -2) return -1;
            if (nb < 0) break;
            r = nb;
        }
        fallbacks++;
        Integer id = byPattern.get(ActivationPattern.of(net.trace(x).activeBits(net)));
        return id == null ? -1 : id;
    }

    /**
     * The network's outputs at x from its region's affine map.
     *
     * @param x   the point. Not modified.
     * @param out length {@link #outputs()}. Modified.
     * @return false (out untouched) outside the domain
     */
    public boolean predict(double[] x, double[] out) {
        int r = locate(x);
        if (r < 0) return false;
        for (int o = 0; o < outputs; o++) {
            int base = (r * outputs + o) * (dim + 1);
            double s = maps[base + dim];
            for (int k = 0; k < dim; k++) s += maps[base + k] * x[k];
            out[o] = s;
        }
        return true;
    }
}
