package atlas.concurrent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the parallel parts of one step. */
public final class Futures {
    private Futures() {}

    /**
     * Waits for every future, even when the calling thread is interrupted meanwhile: the step after reads what all of
     * them wrote, so none may still be running when this returns. An interrupt is remembered and the thread's flag set
     * again on the way out, for the caller to honour at its next safe point. The first failure is rethrown as it was
     * (a runtime exception or an error), anything else wrapped in an {@link IllegalStateException}.
     */
    public static void awaitAll(Iterable<? extends Future<?>> futures) {
        for (Future<?> f : futures) getUninterruptibly(f);
    }

    /**
     * The future's value, waited for even when the calling thread is interrupted meanwhile (the flag is set again on
     * the way out); a failure rethrown as {@link #awaitAll} does.
     */
    public static <T> T getUninterruptibly(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) throw re;
                    if (cause instanceof Error err) throw err;
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
