package atlas.measure.lineage;

import atlas.error.BadInputException;

import atlas.geometry.Tolerance;

/**
 * Settings of a lineage comparison.
 *
 * @param tolerance    side tests of the polygon clipping; overlaps smaller than {@code minVolume} x the domain's
 *                     area are rounding slivers and are dropped; polygons closer than {@code mergeEps} x the
 *                     domain's magnitude (Hausdorff) are the same polygon
 * @param mapThreshold a piece's affine map "changed" when the largest change of an output over the piece
 *                     (the maximum over its vertices of |f_after - f_before|) exceeds this fraction of that
 *                     output's range over the domain before (max - min of f_before); default 0.01
 */
public record LineageOptions(Tolerance tolerance, double mapThreshold) {
    public static final double DEFAULT_MAP_THRESHOLD = 0.01;
    public static final LineageOptions DEFAULT = new LineageOptions(Tolerance.DEFAULT, DEFAULT_MAP_THRESHOLD);

    public LineageOptions {
        if (tolerance == null) throw new BadInputException("tolerance is null");
        if (!(mapThreshold >= 0 && Double.isFinite(mapThreshold)))
            throw new BadInputException("the map-change threshold must be a finite number >= 0, got " + mapThreshold);
    }
}
