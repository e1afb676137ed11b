package atlas.measure.lineage;

import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;

/**
 * The lineage between two exact partitions of the same domain: which earlier region became which later ones.
 *
 * @param before         the earlier partition
 * @param after          the later partition
 * @param beforeFate     [i] = the fate of earlier region i (SURVIVED, MOVED, SPLIT or DIED)
 * @param afterFate      [j] = the origin of later region j (SURVIVED, MOVED, MERGED or BORN)
 * @param partnerBefore  [i] = the later region with earlier region i's pattern, -1 when none
 * @param partnerAfter   [j] = the earlier region with later region j's pattern, -1 when none
 * @param hausdorff      [i] = Hausdorff distance between earlier region i and its partner, NaN without one
 * @param overlaps       every pair of regions whose intersection has more than the sliver area, sorted by
 *                       earlier id then later id (flat columns; see {@link #earlier} and {@link #later} for one
 *                       region's row of the fate table)
 * @param unitFlipShare  [k] = share of the domain where unit k's bit flipped (empty when patterns are not comparable)
 * @param summary        the figures of the step
 */
public record Lineage(PlanePartition before, PlanePartition after, Fate[] beforeFate, Fate[] afterFate,
                      int[] partnerBefore, int[] partnerAfter, double[] hausdorff, Overlaps overlaps,
                      double[] unitFlipShare, LineageSummary summary) {
    public Lineage {
        beforeFate = beforeFate.clone();
        afterFate = afterFate.clone();
        partnerBefore = partnerBefore.clone();
        partnerAfter = partnerAfter.clone();
        hausdorff = hausdorff.clone();
        unitFlipShare = unitFlipShare.clone();
    }

    @Override public Fate[] beforeFate() { return beforeFate.clone(); }
    @Override public Fate[] afterFate() { return afterFate.clone(); }
    @Override public int[] partnerBefore() { return partnerBefore.clone(); }
    @Override public int[] partnerAfter() { return partnerAfter.clone(); }
    @Override public double[] hausdorff() { return hausdorff.clone(); }
    @Override public double[] unitFlipShare() { return unitFlipShare.clone(); }

    public Fate fateBefore(int i) { return beforeFate[i]; }

    public Fate fateAfter(int j) { return afterFate[j]; }

    /** Earlier region i's row of the fate table: its fate and its successors with the areas they took from it. */
    public RegionFate earlier(int i) {
        int from = overlaps.firstOfBefore(i), to = overlaps.endOfBefore(i);
        int[] ids = new int[to - from];
        double[] areas = new double[to - from];
        for (int k = from; k < to; k++) {
            ids[k - from] = overlaps.after(k);
            areas[k - from] = overlaps.area(k);
        }
        LinearRegion r = before.regions().get(i);
        return new RegionFate(false, i, r.pattern().stableHash(), r.area(), beforeFate[i], partnerBefore[i], ids, areas);
    }

    /** Later region j's row of the fate table: its origin and its predecessors with the areas they gave it. */
    public RegionFate later(int j) {
        int[] pieces = overlaps.piecesOfAfter(j);
        int[] ids = new int[pieces.length];
        double[] areas = new double[pieces.length];
        for (int k = 0; k < pieces.length; k++) {
            ids[k] = overlaps.before(pieces[k]);
            areas[k] = overlaps.area(pieces[k]);
        }
        LinearRegion r = after.regions().get(j);
        return new RegionFate(true, j, r.pattern().stableHash(), r.area(), afterFate[j], partnerAfter[j], ids, areas);
    }
}
