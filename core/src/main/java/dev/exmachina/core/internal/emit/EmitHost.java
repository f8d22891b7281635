package dev.exmachina.core.internal.emit;

import dev.exmachina.core.internal.execute.ExecuteImpl;

/**
 * What an emit, its loop and its events need from the bot's supervisor, and nothing more: lifecycle
 * calls by name, lookups by name, and the loop's reports. Implementations are thread-safe; an emit
 * never calls them while holding its own lock.
 */
public interface EmitHost {

    /** {@code event.start(emit)}: queues a start unless the emit is alive or the bot stops. */
    void start(String emit);

    /** {@code event.stop(emit)}: graceful stop (see {@link EmitImpl#stop()}). */
    void stop(String emit);

    /** {@code event.cancel(emit)}: cancel now (see {@link EmitImpl#cancel()}). */
    void cancel(String emit);

    /**
     * The execute registered under {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    ExecuteImpl<?, ?> execute(String name);

    /** Emits whose loop runs now, for the observer. */
    int runningEmits();

    /** Called once by an emit's thread as its loop ends, after the emit went back to idle. */
    void emitEnded(EmitImpl emit);

    /**
     * The emit failed and its supervision says the bot stops, or something escaped its loop or one of
     * its forks: the bot stops, and {@code run()} throws with {@code failure} as the cause.
     */
    void emitFailed(EmitImpl emit, Throwable failure);
}
