package atlas.experiment.jobs;

import java.io.Serializable;

/**
 * What became of one job: its result text, or the failure of its last attempt.
 *
 * @param index    the job's position in the list given to the runner
 * @param id       the job's id
 * @param result   the result text, or null when every attempt failed
 * @param error    the last failure's one-line message (null on success)
 * @param errorKind the last failure's exception class name (null on success)
 * @param attempts attempts made (1 = no retry)
 * @param seconds  wall time of the successful (or last) attempt
 * @param worker   where it ran (thread or executor), for the timings file only
 */
public record JobOutcome(int index, String id, String result, String error, String errorKind, int attempts, double seconds, String worker)
        implements Serializable {

    public boolean ok() { return result != null; }

    /**
     * Runs {@code job} up to {@code maxAttempts} times until it returns a result. An interruption is not a failure:
     * it propagates as a {@link java.util.concurrent.CancellationException}.
     */
    public static JobOutcome attempt(Job job, int index, int maxAttempts, String worker) {
        Throwable last = null;
        double seconds = 0;
        for (int a = 1; a <= maxAttempts; a++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            long t0 = System.nanoTime();
            try {
                String r = job.run(new JobContext(a));
                if (r == null) throw new IllegalStateException("job " + job.id() + " returned no result");
                return new JobOutcome(index, job.id(), r, null, null, a, (System.nanoTime() - t0) / 1e9, worker);
            } catch (java.util.concurrent.CancellationException | InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted");
            } catch (Exception | Error e) {
                if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError || e instanceof StackOverflowError)) throw (Error) e;
                last = e;
                seconds = (System.nanoTime() - t0) / 1e9;
            }
        }
        String msg = last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage();
        return new JobOutcome(index, job.id(), null, msg.lines().findFirst().orElse(msg), last.getClass().getName(), maxAttempts, seconds, worker);
    }
}
