package dev.exmachina.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Runs benchmark bodies inside virtual threads: JMH's own threads are platform threads. */
public final class VirtualThreads {
    private VirtualThreads() {}

    /** A body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} in one new virtual thread and returns its result. */
    public static <T> T call(Callable<T> body) throws Exception {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread.ofVirtual().start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        rethrow(failure.get());
        return result.get();
    }

    /** Starts {@code threads} virtual threads running {@code body(index)} and waits for all. */
    public static void runAll(int threads, IndexedBody body) throws Exception {
        var failure = new AtomicReference<Throwable>();
        var started = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            started[i] = Thread.ofVirtual().start(() -> {
                try {
                    body.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        for (Thread t : started) t.join();
        rethrow(failure.get());
    }

    /** A body told which of the threads it runs in. */
    @FunctionalInterface
    public interface IndexedBody {
        void run(int index) throws Exception;
    }

    private static void rethrow(Throwable t) throws Exception {
        if (t == null) return;
        if (t instanceof Exception e) throw e;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
