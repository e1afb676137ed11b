package atlas.experiment.jobs;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** The default runner: jobs on a fixed pool of local threads, outcomes handed back on the caller's thread. */
public final class LocalRunner implements JobRunner {
    private final int threads;

    public LocalRunner(int threads) {
        if (threads < 1) throw new BadInputException("--threads must be positive, got " + threads);
        this.threads = threads;
    }

    @Override
    public String name() { return "local threads (" + threads + ")"; }

    @Override
    public int slots() { return threads; }

    @Override
    public void run(List<Job> jobs, int maxAttempts, Consumer<JobOutcome> done) {
        if (jobs.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, jobs.size()), r -> {
            Thread t = new Thread(r, "sweep-unit");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<JobOutcome> cs = new ExecutorCompletionService<>(pool);
        List<Future<JobOutcome>> fs = new ArrayList<>(jobs.size());
        try {
            for (int k = 0; k < jobs.size(); k++) {
                Job j = jobs.get(k);
                int index = k;
                fs.add(cs.submit(() -> JobOutcome.attempt(j, index, maxAttempts, Thread.currentThread().getName())));
            }
            for (int k = 0; k < jobs.size(); k++) {
                JobOutcome o;
                try {
                    o = cs.take().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CancellationException ce) throw ce;
                    throw new IllegalStateException("sweep runner failed: " + e.getCause(), e.getCause());
                }
                done.accept(o);
            }
        } finally {
            for (Future<JobOutcome> f : fs) f.cancel(true);
            pool.shutdownNow();
        }
    }
}
