package atlas.measure.lineage;

/**
 * One region's row of a step's fate table ({@link Lineage#earlier}, {@link Lineage#later}, regions CSV).
 *
 * @param later       false: a region of the earlier partition (its links are its successors); true: a region of
 *                    the later partition (its links are its predecessors)
 * @param id          the region's id in its partition
 * @param patternHash its activation pattern's {@link atlas.regions.ActivationPattern#stableHash() stable hash}
 * @param area        its area (plane units)
 * @param fate        SURVIVED, MOVED, SPLIT or DIED for an earlier region; SURVIVED, MOVED, MERGED or BORN for a
 *                    later one
 * @param partner     the region of the other partition with the same activation pattern, -1 when none
 * @param links       ids of the regions of the other partition it shares area with, ascending
 * @param linkAreas   [k] = the area shared with {@code links[k]}; they sum to {@code area} up to rounding
 */
public record RegionFate(boolean later, int id, long patternHash, double area, Fate fate, int partner, int[] links, double[] linkAreas) {
    public RegionFate {
        links = links.clone();
        linkAreas = linkAreas.clone();
    }

    @Override public int[] links() { return links.clone(); }

    @Override public double[] linkAreas() { return linkAreas.clone(); }

    /** The sum of the shared areas (equal to {@link #area()} up to rounding: lineage conservation). */
    public double linkedArea() {
        double s = 0;
        for (double a : linkAreas) s += a;
        return s;
    }
}
