package atlas.experiment;

import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.TropicalForm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tropical form of a small network next to its region enumeration: monomial counts (merged duplicates
 * only, and pruned to the monomials that are somewhere the maximum), and for two-input nets the activation
 * regions of the exact plane partition, their distinct affine maps (the linear pieces) and the pieces of
 * {@code F - G} at the regions' interior points.
 */
public final class TropicalReport {
    private TropicalReport() {}

    /**
     * @param shape                the net
     * @param rawMonomials         monomials of F and G of all outputs with duplicates merged only; -1 when that form
     *                             exceeds the limit
     * @param prunedMonomials      after pruning (one input: exact; two: on the box; more: by LP where small)
     * @param prunedPerLayer       pruned monomials over the units of each layer (copied)
     * @param regions              activation regions on the box (two inputs; else -1)
     * @param distinctRegionMaps   distinct affine maps among them (the linear pieces)
     * @param distinctTropicalMaps distinct affine maps of F - G at the regions' interior points
     * @param tropicalPairs        distinct (argmax F, argmax G) monomial pairs at those points (output 0)
     * @param maxMapError          largest difference between a region's map and the tropical piece at its interior point
     * @param seconds              time of the pruned construction
     */
    public record Result(String shape, long rawMonomials, long prunedMonomials, long[] prunedPerLayer, int regions,
                         int distinctRegionMaps, int distinctTropicalMaps, int tropicalPairs, double maxMapError, double seconds) {
        /** Copies {@code prunedPerLayer}; its accessor returns the record's own copy (do not modify it). */
        public Result {
            prunedPerLayer = prunedPerLayer.clone();
        }
    }

    public static Result run(Network net, Rectangle box, long rawLimit) {
        long raw;
        try {
            raw = TropicalForm.of(net, rawLimit, false, null).monomials();
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().startsWith("tropical form too large")) throw e;
            raw = -1;
        }
        TropicalForm pruned = TropicalForm.of(net, TropicalForm.DEFAULT_LIMIT, true, box);
        int regions = -1, distinctRegion = -1, distinctTropical = -1, pairs = -1;
        double err = Double.NaN;
        if (net.inputDim() == 2) {
            PlanePartition part = PlanePartitioner.compute(net, box);
            List<AffineMap> rm = new ArrayList<>(), tm = new ArrayList<>();
            Set<Long> pairSet = new HashSet<>();
            err = 0;
            for (LinearRegion r : part.regions()) {
                double[] c = r.interiorPoint();
                AffineMap piece = pruned.pieceAt(c);
                rm.add(r.map());
                tm.add(piece);
                err = Math.max(err, piece.distance(r.map()));
                pairSet.add(((long) pruned.f(0).argmax(c) << 32) | pruned.g(0).argmax(c));
            }
            regions = part.count();
            distinctRegion = TropicalForm.distinctMaps(rm, atlas.geometry.Tolerance.DEFAULT);
            distinctTropical = TropicalForm.distinctMaps(tm, atlas.geometry.Tolerance.DEFAULT);
            pairs = pairSet.size();
        }
        return new Result(net.shape(), raw, pruned.monomials(), pruned.monomialsPerLayer(), regions, distinctRegion,
                distinctTropical, pairs, err, pruned.seconds());
    }
}
