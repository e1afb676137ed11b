package atlas.measure.lineage;

import atlas.error.BadInputException;
import atlas.net.Network;
import atlas.regions.PlanePartition;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows the regions of a sequence of snapshots (a training run, or any list of networks with the same input
 * plane): each snapshot added after the first is compared with the one before by {@link RegionLineage}. Only the
 * previous snapshot is kept, so a run of any length needs the memory of two partitions.
 *
 * <pre>{@code
 * Tracker t = new Tracker(LineageOptions.DEFAULT);
 * for (Network net : snapshots) {
 *     Lineage l = t.add("epoch " + e, e, net, PlanePartitioner.compute(net, Rectangle.UNIT));  // null for the first
 * }
 * List<TrackStep> steps = t.steps();
 * }</pre>
 */
public final class Tracker {
    private final LineageOptions options;
    private final List<TrackStep> steps = new ArrayList<>();
    private Network previous;
    private PlanePartition previousPartition;
    private String previousLabel;
    private double previousEpoch;

    public Tracker(LineageOptions options) {
        if (options == null) throw new BadInputException("lineage options are null");
        this.options = options;
    }

    public LineageOptions options() { return options; }

    /**
     * Adds the next snapshot.
     *
     * @param label     its name in the outputs
     * @param epoch     its epoch (or position); must not decrease
     * @param net       the network
     * @param partition its exact partition, of the same rectangle of the same plane as the earlier snapshots'
     * @return the lineage from the previous snapshot, or null for the first one
     */
    public Lineage add(String label, double epoch, Network net, PlanePartition partition) {
        return add(label, epoch, net, partition, 0);
    }

    /** {@link #add(String, double, Network, PlanePartition)}, recording how long the partition took. */
    public Lineage add(String label, double epoch, Network net, PlanePartition partition, double partitionSeconds) {
        if (net == null || partition == null) throw new BadInputException("a snapshot needs a network and its partition");
        if (previous != null && epoch < previousEpoch)
            throw new BadInputException("snapshots must come in order: epoch " + epoch + " after " + previousEpoch);
        Lineage l = null;
        if (previous != null) {
            // certified mode: the common refinement is the exact partition of the two networks stacked side by side
            List<RegionLineage.Piece> exact = options.tolerance().isExact()
                    ? RegionLineage.exactPieces(previous, previousPartition, net, partition) : null;
            l = RegionLineage.between(previousPartition, partition, RegionLineage.comparableLayers(previous, net),
                    Math.max(previous.depth(), net.depth()), options, exact);
            steps.add(new TrackStep(steps.size() + 1, previousLabel, label, previousEpoch, epoch, Double.NaN, Double.NaN,
                    l.summary(), partitionSeconds));
        }
        previous = net;
        previousPartition = partition;
        previousLabel = label;
        previousEpoch = epoch;
        return l;
    }

    /** Makes {@code net} the previous snapshot without recording a step (continuing after {@link #restore}). */
    public void primeWith(String label, double epoch, Network net, PlanePartition partition) {
        previous = net;
        previousPartition = partition;
        previousLabel = label;
        previousEpoch = epoch;
    }

    /** The steps so far, in order. */
    public List<TrackStep> steps() { return List.copyOf(steps); }

    /** Sets the losses of the last step (those of its later snapshot). */
    public void setLastLosses(double train, double val) {
        if (steps.isEmpty()) return;
        steps.set(steps.size() - 1, steps.get(steps.size() - 1).withLosses(train, val));
    }

    /** Starts from earlier steps (a resumed run): they are kept in front of the new ones. */
    public void restore(List<TrackStep> earlier) {
        if (!steps.isEmpty()) throw new IllegalStateException("restore before adding steps");
        steps.addAll(earlier);
    }
}
