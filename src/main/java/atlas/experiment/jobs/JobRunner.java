package atlas.experiment.jobs;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a list of jobs somewhere (local threads, a Spark cluster) and hands back one {@link JobOutcome} per job
 * as each finishes, in any order, on one thread at a time. Which runner ran a job never changes its result.
 */
public interface JobRunner extends AutoCloseable {

    /** For messages and the timings file, e.g. "local threads (2)" or "spark local[2]". */
    String name();

    /**
     * Runs every job, each up to {@code maxAttempts} times, calling {@code done} once per job (a result or the last
     * failure). Returns when all are done.
     *
     * @throws java.util.concurrent.CancellationException when interrupted (outcomes delivered so far stand)
     */
    void run(List<Job> jobs, int maxAttempts, Consumer<JobOutcome> done);

    /** Units it runs at once (threads, or Spark's default parallelism), for the timings file. */
    default int slots() { return 1; }

    @Override
    default void close() {}
}
