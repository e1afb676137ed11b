package atlas.measure.lineage;

/**
 * What happened to a region between two partitions of the same domain (see docs/lineage.md). A region of the
 * earlier partition is SURVIVED, MOVED, SPLIT or DIED; a region of the later one is SURVIVED, MOVED, MERGED or
 * BORN.
 * <ul>
 * <li>SURVIVED: its activation pattern labels a region in the other partition and the two polygons coincide
 *     (Hausdorff distance at most the tolerance's merge distance).</li>
 * <li>MOVED: its pattern labels a region in the other partition, but the polygons differ (a boundary moved).</li>
 * <li>SPLIT (earlier region, pattern gone): its area passed to two or more later regions.</li>
 * <li>DIED (earlier region, pattern gone): all of its area passed into one later region (it was absorbed).</li>
 * <li>MERGED (later region, pattern new): it took area from two or more earlier regions.</li>
 * <li>BORN (later region, pattern new): all of its area came from one earlier region (it was cut out of it).</li>
 * </ul>
 * Reversing time swaps SPLIT with MERGED and DIED with BORN.
 */
public enum Fate {
    SURVIVED, MOVED, SPLIT, DIED, MERGED, BORN;

    /** Lower-case name, as in CSV and JSON. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
