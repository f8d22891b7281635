package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import java.util.concurrent.StructuredTaskScope;
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
    private final Thread owner;
    private final Children children;
    private final String name;
    /** Forks a child in the JDK scope. */
    private final Consumer<Runnable> launch;

    /**
     * @param escaped told, on the task's thread, of anything a task throws; must not throw
     */
    public TaskScope(BotClock clock, String name, Consumer<Throwable> escaped) {
        this.name = name;
        this.owner = Thread.currentThread();
        this.children = new Children(clock, owner, escaped);
        this.scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.awaitAll(),
                config -> config.withThreadFactory(clock.threadFactory(name)).withName(name));
        this.launch = scope::fork;
    }

    @Override
    public void fork(Runnable task) {
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
        return "scope " + name + " (" + children.live() + " running)";
    }
}
