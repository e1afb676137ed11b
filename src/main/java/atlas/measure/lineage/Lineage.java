package atlas.measure.lineage;

import atlas.regions.PlanePartition;

import java.util.List;

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
 *                       earlier id then later id
 * @param unitFlipShare  [k] = share of the domain where unit k's bit flipped (empty when patterns are not comparable)
 * @param summary        the figures of the step
 */
public record Lineage(PlanePartition before, PlanePartition after, Fate[] beforeFate, Fate[] afterFate,
                      int[] partnerBefore, int[] partnerAfter, double[] hausdorff, List<Overlap> overlaps,
                      double[] unitFlipShare, LineageSummary summary) {
    public Lineage {
        beforeFate = beforeFate.clone();
        afterFate = afterFate.clone();
        partnerBefore = partnerBefore.clone();
        partnerAfter = partnerAfter.clone();
        hausdorff = hausdorff.clone();
        overlaps = List.copyOf(overlaps);
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
}
