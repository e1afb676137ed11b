package atlas.measure.lineage;

/**
 * One step of a tracked sequence of snapshots: the lineage from snapshot {@code index} to {@code index + 1}.
 *
 * @param index       the step's number, 1-based (step 1 goes from the first snapshot to the second)
 * @param labelBefore name of the earlier snapshot (a file name or "epoch N")
 * @param labelAfter  name of the later snapshot
 * @param epochBefore epoch of the earlier snapshot (its position in the sequence when no epoch is known)
 * @param epochAfter  epoch of the later snapshot
 * @param trainLoss   training loss at the later snapshot, NaN when unknown
 * @param valLoss     validation loss at the later snapshot, NaN when unknown
 * @param summary     the lineage figures of the step
 * @param partitionSeconds wall time of the later snapshot's exact partition (0 when it was given)
 */
public record TrackStep(int index, String labelBefore, String labelAfter, double epochBefore, double epochAfter,
                        double trainLoss, double valLoss, LineageSummary summary, double partitionSeconds) {
    /** The same step with the losses at its later snapshot. */
    public TrackStep withLosses(double train, double val) {
        return new TrackStep(index, labelBefore, labelAfter, epochBefore, epochAfter, train, val, summary, partitionSeconds);
    }
}
