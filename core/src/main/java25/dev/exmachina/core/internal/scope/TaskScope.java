package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A structured scope whose children run on threads of the bot's clock: the one class of core that
 * uses {@link StructuredTaskScope} (a preview API in JDK 25), so moving to the final API touches
 * only this file. It is compiled for JDK 25 with {@code --enable-preview} into the multi-release
 * jar's {@code META-INF/versions/25}; {@link Scopes} loads it where the JVM allows, reflectively,
 * and uses {@link VirtualThreadScope} elsewhere.
 *
 * <p><b>Concurrency.</b> Only the owner (the thread that opened it) forks, waits and closes. The
 * children report their end through the clock, and the owner waits on the clock until none is
 * left before it calls {@code join()} and {@code close()}, which then return at once: the owner
 * never blocks inside the JDK, so a virtual clock sees that wait.
 *
 * <p><b>Failures.</b> The JDK scope's joiner ({@code awaitAll}) would drop what a task throws: so
 * nothing reaches it. Whatever a task throws is handed to the scope's {@code escaped} handler, on
 * the task's thread, so that it reaches the supervisor and {@code run()}.
 */
public final class TaskScope implements Scope {

    private final StructuredTaskScope<Object, Void> scope;
    private final BotClock clock;
    private final Thread owner;
    private final AtomicInteger live = new AtomicInteger();
    private final String name;
    private final Consumer<Throwable> escaped;

    /**
     * @param escaped told, on the task's thread, of anything a task throws; must not throw
     */
    public TaskScope(BotClock clock, String name, Consumer<Throwable> escaped) {
        this.clock = clock;
        this.name = name;
        this.escaped = escaped;
        this.owner = Thread.currentThread();
        this.scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.awaitAll(),
                config -> config.withThreadFactory(clock.threadFactory(name)).withName(name));
    }

    @Override
    public void fork(Runnable task) {
        live.incrementAndGet();
        try {
            scope.fork(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    escaped.accept(t);
                } finally {
                    live.decrementAndGet();
                    clock.unpark(owner);
                }
            });
        } catch (RuntimeException | Error e) {
            live.decrementAndGet();
            throw e;
        }
    }

    @Override
    public int live() {
        return live.get();
    }

    @Override
    public void awaitChildren() {
        Waits.awaitUninterruptibly(clock, this, () -> live.get() == 0);
    }

    /** Waits for every child, then joins and closes the JDK scope. */
    @Override
    public void close() {
        awaitChildren();
        boolean interrupted = Thread.interrupted();
        try {
            scope.join();
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            scope.close();
            if (interrupted) {
                owner.interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "scope " + name + " (" + live.get() + " running)";
    }
}
