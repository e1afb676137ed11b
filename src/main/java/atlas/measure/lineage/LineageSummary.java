package atlas.measure.lineage;

/**
 * The figures of one lineage step (all shares are fractions of the domain's area).
 *
 * @param regionsBefore           regions in the earlier partition
 * @param regionsAfter            regions in the later partition
 * @param survived                pattern pairs whose polygons coincide
 * @param moved                   pattern pairs whose polygons differ
 * @param split                   earlier regions whose pattern vanished and whose area passed to two or more later regions
 * @param died                    earlier regions whose pattern vanished and whose area passed into one later region
 * @param merged                  later regions with a new pattern that took area from two or more earlier regions
 * @param born                    later regions with a new pattern whose area came from one earlier region
 * @param patternSurvivedShare    share of the domain whose activation pattern is the same before and after
 * @param mapChangedShare         share of the domain where the affine map changed by more than the threshold
 * @param mapChangedSurvivedShare share of the domain where the pattern survived but the map changed anyway
 * @param meanMapChange           area-weighted mean of the relative map change
 * @param hausdorffMean           mean Hausdorff distance over pattern pairs (0 when there are none)
 * @param hausdorffMedian         median of the same
 * @param hausdorffMax            largest of the same
 * @param changedShareByFirstLayer [l-1] = share of the domain whose pattern changed with layer l the first layer
 *                                holding a flipped bit (changes in later layers may follow from it)
 * @param flippedUnitsByLayer     [l-1] = mean number of flipped units of layer l at a point of the domain
 * @param conservationError       the largest |sum of a region's overlaps - its area| over all regions of both
 *                                partitions, relative to the domain's area (rounding and dropped slivers)
 * @param seconds                 wall time of the comparison
 */
public record LineageSummary(int regionsBefore, int regionsAfter, int survived, int moved, int split, int died, int merged,
                             int born, double patternSurvivedShare, double mapChangedShare, double mapChangedSurvivedShare,
                             double meanMapChange, double hausdorffMean, double hausdorffMedian, double hausdorffMax,
                             double[] changedShareByFirstLayer, double[] flippedUnitsByLayer, double conservationError,
                             double seconds) {
    public LineageSummary {
        changedShareByFirstLayer = changedShareByFirstLayer.clone();
        flippedUnitsByLayer = flippedUnitsByLayer.clone();
    }

    @Override public double[] changedShareByFirstLayer() { return changedShareByFirstLayer.clone(); }
    @Override public double[] flippedUnitsByLayer() { return flippedUnitsByLayer.clone(); }

    /** Share of the domain whose activation pattern changed: 1 - patternSurvivedShare. */
    public double geometryChangedShare() { return 1 - patternSurvivedShare; }
}
