package atlas.experiment.jobs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a running job may ask of the machine it runs on: which attempt this is, and values shared by the jobs of
 * one JVM (a data set, a parsed network), computed once.
 */
public final class JobContext {
    private static final ConcurrentHashMap<String, Object> SHARED = new ConcurrentHashMap<>();
    private static final int SHARED_LIMIT = 64;

    private final int attempt;

    public JobContext(int attempt) { this.attempt = attempt; }

    /** 1 for the first attempt, 2 for the first retry, ... */
    public int attempt() { return attempt; }

    /**
     * The value under {@code key}, computed by {@code make} the first time in this JVM. The key must name the
     * value's inputs completely (a data set and its seed, a model's text), since every job of the JVM shares it.
     */
    @SuppressWarnings("unchecked")
    public static <T> T shared(String key, Supplier<T> make) {
        Object v = SHARED.get(key);
        if (v != null) return (T) v;
        T made = make.get();
        if (SHARED.size() >= SHARED_LIMIT) SHARED.clear(); // a bound on memory: large sweeps touch many nets in turn
        Object prev = SHARED.putIfAbsent(key, made);
        return prev != null ? (T) prev : made;
    }
}
