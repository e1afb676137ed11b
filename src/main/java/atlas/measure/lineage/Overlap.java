package atlas.measure.lineage;

/**
 * One piece of the common refinement of two partitions: the intersection of an earlier and a later region.
 *
 * @param before      id of the earlier region
 * @param after       id of the later region
 * @param area        the intersection's area (plane units)
 * @param mapChange   the largest change of an output over the piece, relative to that output's range before
 *                    (see {@link LineageOptions#mapThreshold()})
 * @param flippedBits the number of units whose activation bit differs between the two regions (-1 when the
 *                    networks have patterns of different lengths)
 * @param firstLayer  the first network layer (1-based) holding a flipped bit; 0 when no bit flipped or the
 *                    patterns are not comparable
 */
record Overlap(int before, int after, double area, double mapChange, int flippedBits, int firstLayer) {
    /** True when both regions have the same activation pattern. */
    public boolean samePattern() { return flippedBits == 0; }
}
