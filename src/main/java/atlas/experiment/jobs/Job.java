package atlas.experiment.jobs;

import java.io.Serializable;

/**
 * One unit of work of a sweep: train one net, measure one plane, fold one batch of paths. A job is a plain
 * serialisable value holding everything it needs (its seeds included), so it can run on a local thread or on a
 * Spark executor and give the same bytes. Data too big to carry (MNIST) is loaded by the job itself through
 * {@link JobContext#shared}, once per JVM.
 */
public interface Job extends Serializable {

    /** A stable name, unique in its sweep, made of letters, digits, '.', '_' and '-' (it names the unit's file). */
    String id();

    /**
     * Does the work and returns its result as text (CSV lines, or any text the sweep's merge reads back). The text
     * must depend only on the job's fields: no timings, no thread counts, no host names.
     *
     * @throws Exception any failure; the runner retries the job and then reports it
     */
    String run(JobContext ctx) throws Exception;
}
