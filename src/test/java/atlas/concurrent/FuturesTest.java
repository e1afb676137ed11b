package atlas.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void anInterruptWaitsForEveryTaskAndIsPassedOn() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            Future<?> slow = pool.submit(() -> {
                started.countDown();
                release.await();
                finished.set(true);
                return null;
            });
            started.await();
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                caller.interrupt();
                release.countDown();
            });
            interrupter.start();
            Futures.awaitAll(List.of(slow));
            assertThat(finished).isTrue();
            assertThat(Thread.interrupted()).isTrue(); // the flag is set again (and cleared here, before the join)
            interrupter.join();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureIsRethrownAsItWas() {
        IllegalArgumentException bad = new IllegalArgumentException("bad unit");
        assertThatThrownBy(() -> Futures.awaitAll(List.of(CompletableFuture.completedFuture(1), CompletableFuture.failedFuture(bad))))
                .isSameAs(bad);
        AssertionError err = new AssertionError("broken");
        assertThatThrownBy(() -> Futures.awaitAll(List.of(CompletableFuture.failedFuture(err)))).isSameAs(err);
        Exception checked = new Exception("checked");
        assertThatThrownBy(() -> Futures.awaitAll(List.of(CompletableFuture.failedFuture(checked))))
                .isInstanceOf(IllegalStateException.class).hasCause(checked);
    }
}
