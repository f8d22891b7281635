package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The children of one scope, as both scopes count them: {@link #wrap} makes the body a child runs,
 * which hands what the task throws to {@code escaped} and, as its last act, counts itself out and
 * unparks the owner through the clock; {@link #await} waits on the clock until none is left.
 *
 * <p><b>Invariant.</b> {@code live} is incremented by the owner before a child starts
 * ({@link #starting}, undone by {@link #notStarted} if the start fails) and decremented once by the
 * child, so {@code live == 0} means every child forked has finished.
 */
final class Children {

    private final BotClock clock;
    private final Thread owner;
    private final Consumer<Throwable> escaped;
    private final AtomicInteger live = new AtomicInteger();

    Children(BotClock clock, Thread owner, Consumer<Throwable> escaped) {
        this.clock = clock;
        this.owner = owner;
        this.escaped = escaped;
    }

    /**
     * Starts a child running {@code task} through {@code launch} (which starts a thread with the body
     * it is given), counted in before it starts and out if it could not start. Owner only.
     */
    void start(Runnable task, Consumer<Runnable> launch) {
        live.incrementAndGet();
        try {
            launch.accept(wrap(task));
        } catch (RuntimeException | Error e) {
            live.decrementAndGet();
            throw e;
        }
    }

    /** The body of a child running {@code task}. */
    private Runnable wrap(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                escaped.accept(t);
            } finally {
                live.decrementAndGet();
                clock.unpark(owner);
            }
        };
    }

    int live() {
        return live.get();
    }

    /** Waits on the clock, through interrupts, until every child has finished. */
    void await(Object blocker) {
        Waits.awaitUninterruptibly(clock, blocker, () -> live.get() == 0);
    }
}
