package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.internal.breaker.BreakerImpl;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bot's registry: its concurrent groups, executes and emits by name, the checks a registration
 * passes, and lookups by name.
 *
 * <p><b>Concurrency.</b> Thread-safe: one lock guards the three maps. A registration is checked and
 * made in one hold of the lock, so nothing is half-registered, and it asks the {@link Gate} (the
 * run state) under that lock whether the bot accepts registrations now. Lock order: this lock,
 * then the run state's; the run state never calls into the registry while holding its own lock.
 * Maps keep registration order, so that everything the bot does in response is deterministic under a
 * virtual clock; groups are numbered in that order, the order in which executes take them.
 */
final class Registry {

    /** Whether the bot accepts registrations now. */
    @FunctionalInterface
    interface Gate {
        /** Why a registration is refused now, as the end of a sentence; empty if it may be made. */
        Optional<String> refusal();
    }

    private final BotRuntime runtime;
    private final Gate gate;
    private final ReentrantLock lock = new ReentrantLock();
    private final GroupBackend backend;
    private final Map<String, ConcurrentGroup> groups = new LinkedHashMap<>();
    /** Each group's registration order: the global order in which executes take groups. */
    private final Map<ConcurrentGroup, Integer> order = new IdentityHashMap<>();
    private final Map<String, ExecuteImpl<?, ?>> executes = new LinkedHashMap<>();
    private final Map<String, EmitImpl> emits = new LinkedHashMap<>();

    Registry(BotRuntime runtime, GroupBackend backend, Gate gate) {
        this.runtime = runtime;
        this.backend = backend;
        this.gate = gate;
    }

    private static String checkName(@Nullable String name, String what) {
        Objects.requireNonNull(name, what + " name");
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be blank, was \"" + name + "\"");
        }
        return name;
    }

    /** Refuses a registration on a closed or running bot, or under a name already taken. Lock held. */
    private void checkRegistrable(String what, String name, Map<String, ?> registered) {
        assert lock.isHeldByCurrentThread();
        Optional<String> refusal = gate.refusal();
        if (refusal.isPresent()) {
            throw new IllegalStateException("cannot register " + what + " '" + name + "': " + refusal.get());
        }
        if (registered.containsKey(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is already registered");
        }
    }

    /** The concurrent groups, in registration order: for {@link dev.exmachina.core.BotEvent.BotStarted}. */
    List<ConcurrentGroup> groups() {
        lock.lock();
        try {
            return List.copyOf(groups.values());
        } finally {
            lock.unlock();
        }
    }

    /** Pauses and changes of limits, reported as the bot's events. */
    private final GroupEvents events = new GroupEvents() {
        @Override
        public void paused(String group, Instant until, Duration pause) {
            runtime.observer().on(new BotEvent.GroupPaused(runtime.botName(), group, until, pause));
        }

        @Override
        public void limitsChanged(String group, GroupLimits from, GroupLimits to) {
            runtime.observer().on(new BotEvent.GroupLimitsChanged(runtime.botName(), group, from, to));
        }
    };

    ConcurrentGroup concurrentGroup(String name, GroupLimits limits) {
        checkName(name, "concurrent group");
        Objects.requireNonNull(limits, "limits");
        lock.lock();
        try {
            checkRegistrable("concurrent group", name, groups);
            CircuitBreaker breaker = limits.circuitBreaker();
            if (breaker != null) { // first: a breaker of another bot leaves nothing registered
                BreakerImpl.bind(breaker, runtime);
            }
            ConcurrentGroup group = Objects.requireNonNull(backend.register(name, limits, runtime.clock(), events),
                    "the group backend registered nothing");
            order.put(group, groups.size());
            groups.put(name, group);
            return group;
        } finally {
            lock.unlock();
        }
    }

    <A extends @Nullable Object, R extends @Nullable Object> Execute<A, R> execute(
            String name, ExecuteOptions options, ExecuteHandler<A, R> handler) {
        checkName(name, "execute");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        lock.lock();
        try {
            checkRegistrable("execute", name, executes);
            List<ConcurrentGroup> taken = new ArrayList<>();
            for (String group : options.groups()) {
                ConcurrentGroup found = groups.get(group);
                if (found == null) {
                    throw new IllegalArgumentException("execute '" + name + "' lists unknown concurrent group '"
                            + group + "'; registered groups: " + groups.keySet());
                }
                taken.add(found);
            }
            taken.sort(Comparator.comparingInt(order::get)); // global order, whatever order the execute lists
            ExecuteImpl<A, R> execute = new ExecuteImpl<>(runtime, name, handler, taken,
                    backend.gate(List.copyOf(taken), runtime.clock()), options);
            executes.put(name, execute);
            return execute;
        } finally {
            lock.unlock();
        }
    }

    Emit emit(String name, EmitOptions options, EmitHandler handler) {
        checkName(name, "emit");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        lock.lock();
        try {
            checkRegistrable("emit", name, emits);
            EmitImpl emit = new EmitImpl(runtime, name, options, handler);
            emits.put(name, emit);
            return emit;
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalArgumentException if no execute has that name */
    ExecuteImpl<?, ?> execute(String name) {
        lock.lock();
        try {
            ExecuteImpl<?, ?> execute = executes.get(Objects.requireNonNull(name, "execute name"));
            if (execute == null) {
                throw new IllegalArgumentException("no execute named '" + name + "'; registered executes: " + executes.keySet());
            }
            return execute;
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalArgumentException if no emit has that name */
    EmitImpl emit(String name) {
        lock.lock();
        try {
            EmitImpl emit = emits.get(Objects.requireNonNull(name, "emit name"));
            if (emit == null) {
                throw new IllegalArgumentException("no emit named '" + name + "'; registered emits: " + emits.keySet());
            }
            return emit;
        } finally {
            lock.unlock();
        }
    }

    /** Every emit, in registration order. */
    List<EmitImpl> emits() {
        lock.lock();
        try {
            return List.copyOf(emits.values());
        } finally {
            lock.unlock();
        }
    }
}
