package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Hook;
import dev.exmachina.core.internal.group.InMemoryBackend;
import dev.exmachina.core.internal.observe.JfrObserver;
import dev.exmachina.core.internal.observe.ListenerObserver;
import dev.exmachina.core.internal.observe.LoggingObserver;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.observe.Observers;
import dev.exmachina.core.spi.GroupBackend;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A bot, as {@link dev.exmachina.core.Machina} sees it: a {@link Registry} (what is registered) and
 * a {@link Supervisor} (run, stop, close, hooks), and the {@link BotRuntime} its handles see. Holds
 * no state of its own beyond them; thread-safe as they are.
 */
public final class Engine implements BotRuntime {

    private final String name;
    private final BotClock clock;
    private final Observer observer;
    private final Supervisor supervisor;
    private final Registry registry;
    private final GroupBackend groupBackend;

    public Engine(String name, BotClock clock, List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod,
            List<BotListener> listeners) {
        this(name, clock, startupHooks, shutdownHooks, gracePeriod, listeners, new InMemoryBackend());
    }

    public Engine(String name, BotClock clock, List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod,
            List<BotListener> listeners, GroupBackend groupBackend) {
        this.name = name;
        this.groupBackend = groupBackend; // before the registry is made: it asks for it
        this.clock = clock;
        this.observer = listeners.isEmpty() ? Observers.of(List.of(LoggingObserver.INSTANCE, new JfrObserver(name)))
                : Observers.of(List.of(LoggingObserver.INSTANCE, new JfrObserver(name),
                        new ListenerObserver(name, clock, this::groups, listeners)));
        this.supervisor = new Supervisor(this, name, clock, observer, startupHooks, shutdownHooks, gracePeriod);
        this.registry = supervisor.registry();
    }

    public List<ConcurrentGroup> groups() {
        return registry.groups();
    }

    public List<Emit> emits() {
        return List.copyOf(registry.emits());
    }

    public String name() {
        return name;
    }

    @Override
    public GroupBackend groupBackend() {
        return groupBackend;
    }

    @Override
    public String botName() {
        return name;
    }

    @Override
    public BotClock clock() {
        return clock;
    }

    @Override
    public Observer observer() {
        return observer;
    }

    /**
     * True for a thread running a cancelled emit's loop or one of its forks, and for every thread of
     * the bot (runner, hook, emits, forks) once the run cancelled everything.
     */
    @Override
    public boolean cancelled(Thread thread) {
        return supervisor.cancelled(thread);
    }

    public ConcurrentGroup concurrentGroup(String name, GroupLimits limits) {
        return registry.concurrentGroup(name, limits);
    }

    public <A extends @Nullable Object, R extends @Nullable Object> Execute<A, R> execute(
            String name, ExecuteOptions options, ExecuteHandler<A, R> handler) {
        return registry.execute(name, options, handler);
    }

    public Emit emit(String name, EmitOptions options, EmitHandler handler) {
        return registry.emit(name, options, handler);
    }

    public void run() throws InterruptedException {
        supervisor.run();
    }

    public void stop() {
        supervisor.stop();
    }

    public void close() {
        supervisor.close();
    }
}
