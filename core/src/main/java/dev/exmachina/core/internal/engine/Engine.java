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
import dev.exmachina.core.internal.observe.JfrSink;
import dev.exmachina.core.internal.observe.ListenerSink;
import dev.exmachina.core.internal.observe.LoggingSink;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.observe.Observers;
import dev.exmachina.core.internal.observe.Sink;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.spi.GroupBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A bot, as {@link dev.exmachina.core.Machina} sees it, and the one place its parts are made and
 * wired: the observer and its sinks, the {@link RunState}, the {@link BotRuntime} its handles see,
 * the {@link Registry} (what is registered) and the {@link Supervisor} (run, stop, close, hooks).
 * Each part is made once, here, after what it needs; none is handed out before it is whole. Holds no
 * state of its own; thread-safe as its parts are.
 */
public final class Engine {

    /** What a bot's handles see of it: built from parts that are complete when it is made. */
    private record Runtime(String botName, BotClock clock, Observer observer, RunState state, List<Runnable> runEnds)
            implements BotRuntime {
        @Override
        public boolean cancelled(Thread thread) {
            return state.cancelled(thread);
        }

        @Override
        public void onEachRunEnd(Runnable action) {
            runEnds.add(action);
        }
    }

    private final String name;
    private final BotClock clock;
    private final Registry registry;
    private final Supervisor supervisor;

    public Engine(String name, BotClock clock, List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod,
            List<BotListener> listeners, GroupBackend groupBackend) {
        this.name = name;
        this.clock = clock;
        Observer observer = Observers.of(name, sinks(listeners));
        HookRunner hooks = new HookRunner(clock, gracePeriod);
        RunState state = new RunState(name, clock, hooks);
        List<Runnable> runEnds = new CopyOnWriteArrayList<>(); // added to at registration, read at each run's end
        this.registry = new Registry(new Runtime(name, clock, observer, state, runEnds), groupBackend, state::refusal);
        this.supervisor = new Supervisor(observer, clock, registry, state, hooks, startupHooks, shutdownHooks, gracePeriod,
                () -> runEnds.forEach(Runnable::run));
    }

    /** Where the bot's events go: its log, Flight Recorder, and its listeners if it has any. */
    private static List<Sink> sinks(List<BotListener> listeners) {
        List<Sink> sinks = new ArrayList<>(List.of(LoggingSink.INSTANCE, JfrSink.INSTANCE));
        if (!listeners.isEmpty()) {
            sinks.add(new ListenerSink(listeners));
        }
        return sinks;
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

    public BotClock clock() {
        return clock;
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
