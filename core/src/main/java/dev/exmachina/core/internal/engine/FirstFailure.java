package dev.exmachina.core.internal.engine;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The failure of a bot's run: the first one recorded, with the emit it came from, and every later
 * one suppressed in it, so that {@code run()} throws one exception and loses none.
 *
 * <p><b>Concurrency.</b> Thread-safe: any bot thread records, the runner takes at the end of the
 * run. {@link #lock} guards both fields; it is a leaf (nothing is called while it is held) and may be
 * taken under the run state's lock.
 */
final class FirstFailure {

    /** What {@code run()} throws for: the first failure, and its emit if an emit failed. */
    record Failure(Throwable cause, @Nullable String emit) {}

    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Throwable first;
    private @Nullable String emit;

    /** Keeps {@code cause} if it is the first; otherwise adds it to the first as suppressed. */
    void record(@Nullable String emitName, Throwable cause) {
        lock.lock();
        try {
            if (first == null) {
                first = cause;
                emit = emitName;
            } else if (first != cause) {
                first.addSuppressed(cause);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The failure recorded, if any, and forgets it: the next run starts without one. */
    Optional<Failure> take() {
        lock.lock();
        try {
            Optional<Failure> failure = first == null ? Optional.empty() : Optional.of(new Failure(first, emit));
            first = null;
            emit = null;
            return failure;
        } finally {
            lock.unlock();
        }
    }
}
