package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * A structured scope on plain virtual threads, for JVMs where the JDK's structured concurrency cannot
 * be loaded (JDK 21 to 24, or any JDK without {@code --enable-preview}): the same guarantees as
 * {@code TaskScope}, kept by hand.
 *
 * <p><b>Invariants.</b> Only the owner (the thread that opened the scope) forks and closes.
 * {@link Children} counts the children forked and not yet finished, each counting itself out as its
 * last act and then unparking the owner through the clock. {@link #close()} returns only when none is left, so no child outlives its scope;
 * it waits on the clock, so a virtual clock sees that wait. Whatever a task throws is handed to
 * {@code escaped} on the task's thread, never lost.
 */
final class VirtualThreadScope implements Scope {

    private final BotClock clock;
    private final Thread owner;
    /** Starts a child's thread. */
    private final Consumer<Runnable> launch;
    private final Children children;
    private final String name;
    private boolean closed;

    VirtualThreadScope(BotClock clock, String name, Consumer<Throwable> escaped) {
        this.clock = clock;
        this.name = name;
        this.owner = Thread.currentThread();
        this.children = new Children(clock, owner, escaped);
        ThreadFactory threads = clock.threadFactory(name);
        this.launch = body -> threads.newThread(body).start();
    }

    @Override
    public void fork(Runnable task) {
        checkOwner("fork");
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        children.start(task, launch);
    }

    @Override
    public int live() {
        return children.live();
    }

    @Override
    public void awaitChildren() {
        children.await(this);
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
        return "scope " + name + " (" + children.live() + " running)";
    }
}
