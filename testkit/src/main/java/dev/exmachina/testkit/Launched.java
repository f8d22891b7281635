package dev.exmachina.testkit;

import dev.exmachina.core.BotClock;
import org.jspecify.annotations.Nullable;

/**
 * A task running in a bot thread of a {@link VirtualClock}, started by {@link VirtualClock#launch}.
 *
 * <p><b>Concurrency.</b> Thread-safe. {@link #join()} is a driving call: the test thread runs the
 * bot until the task has finished.
 */
public final class Launched {

    /** What {@link VirtualClock#launch} runs, such as {@code bot::run}. */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs in the launched bot thread.
         *
         * @throws Exception any failure: {@link Launched#join()} throws it
         */
        void run() throws Exception;
    }

    private final BotClock clock;
    private final Task task;
    private volatile boolean done;
    private volatile @Nullable Throwable failure;
    private volatile @Nullable Thread joiner;

    Launched(BotClock clock, Task task) {
        this.clock = clock;
        this.task = task;
    }

    void body() {
        try {
            task.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            done = true;
            Thread waiting = joiner;
            if (waiting != null) {
                clock.unpark(waiting);
            }
        }
    }

    /**
     * Whether the task has finished, returned or thrown. Does not drive the clock: outside a
     * driving call the bot is frozen, so this changes only within one.
     *
     * @return whether {@link #join()} returns or throws at once
     */
    public boolean isDone() {
        return done;
    }

    /**
     * Drives the clock until the task has finished.
     *
     * @throws Exception the task's failure, unchanged
     */
    public void join() throws Exception {
        joiner = Thread.currentThread();
        while (!done) {
            clock.park(this, BotClock.NO_DEADLINE);
        }
        Throwable failed = failure;
        if (failed instanceof Exception e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw new RuntimeException(failed);
        }
    }

    @Override
    public String toString() {
        return "launched task" + (done ? " (done)" : "");
    }
}
