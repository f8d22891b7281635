package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A structured scope on plain virtual threads, for JVMs where {@code StructuredTaskScope} cannot be
 * loaded (JDK 21 to 24, or any JDK without {@code --enable-preview}): the same guarantees as the
 * StructuredTaskScope-based scope, kept by hand.
 *
 * <p><b>Invariants.</b> Only the owner (the thread that opened the scope) forks and closes. {@code live}
 * counts children forked and not yet finished; it is incremented by the owner before a child starts
 * and decremented by the child as its last act, after which the child unparks the owner through the
 * clock. {@link #close()} returns only when {@code live} is zero, so no child outlives its scope;
 * it waits on the clock, so a virtual clock sees that wait. Whatever a task throws is handed to
 * {@code escaped} on the task's thread, never lost.
 */
final class VirtualThreadScope implements Scope {

    private final BotClock clock;
    private final Thread owner;
    private final ThreadFactory threads;
    private final AtomicInteger live = new AtomicInteger();
    private final String name;
    private final Consumer<Throwable> escaped;
    private boolean closed;

    VirtualThreadScope(BotClock clock, String name, Consumer<Throwable> escaped) {
        this.clock = clock;
        this.name = name;
        this.escaped = escaped;
        this.owner = Thread.currentThread();
        this.threads = clock.threadFactory(name);
    }

    @Override
    public void fork(Runnable task) {
        checkOwner("fork");
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        live.incrementAndGet();
        try {
            threads.newThread(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    escaped.accept(t);
                } finally {
                    live.decrementAndGet();
                    clock.unpark(owner);
                }
            }).start();
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

    @Override
    public void close() {
        checkOwner("close");
        awaitChildren();
        closed = true;
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(what + " of " + this + " by " + Thread.currentThread().getName()
                    + ": only its owner " + owner.getName() + " may " + what);
        }
    }

    @Override
    public String toString() {
        return "scope " + name + " (" + live.get() + " running)";
    }
}
