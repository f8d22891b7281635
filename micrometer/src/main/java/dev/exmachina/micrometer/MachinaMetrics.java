package dev.exmachina.micrometer;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.ConcurrentGroup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A bot's metrics in a Micrometer {@link MeterRegistry}: a {@link BotListener} that turns the bot's
 * events into timers, counters and gauges. Wire it in when building the bot:
 *
 * <pre>{@code
 * var metrics = new MachinaMetrics(registry);
 * var bot = Machina.builder().listener(metrics).build();
 * }</pre>
 *
 * <p>One instance may serve several bots (every meter is tagged with the bot's name) and several
 * registries may each get their own instance. Durations are bot-clock time, so on a
 * {@code VirtualClock} a test sees exact virtual durations.
 *
 * <table class="striped">
 * <caption>Meters</caption>
 * <thead><tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr></thead>
 * <tbody>
 * <tr><td>{@value #ATTEMPT}</td><td>timer</td><td>bot, execute, outcome ({@code success}, {@code failure},
 *     {@code cancelled})</td><td>each attempt of an execute (first or retried): how long its handler ran</td></tr>
 * <tr><td>{@value #RETRIES}</td><td>counter</td><td>bot, execute</td><td>failed attempts that will be retried</td></tr>
 * <tr><td>{@value #GROUP_WAIT}</td><td>timer</td><td>bot, group, waited_for ({@code slot},
 *     {@code window_start})</td><td>how long attempts waited in a concurrent group before they could start</td></tr>
 * <tr><td>{@value #GROUP_IN_FLIGHT}</td><td>gauge</td><td>bot, group</td><td>attempts holding a slot of the
 *     group now ({@link ConcurrentGroup#inFlight()})</td></tr>
 * <tr><td>{@value #GROUP_WAITING}</td><td>gauge</td><td>bot, group</td><td>attempts waiting in the group now
 *     ({@link ConcurrentGroup#waiting()})</td></tr>
 * <tr><td>{@value #EMIT_ITERATION}</td><td>timer</td><td>bot, emit, outcome ({@code success},
 *     {@code failure})</td><td>each iteration of an emit: how long its handler ran</td></tr>
 * <tr><td>{@value #EMIT_LAG}</td><td>timer</td><td>bot, emit</td><td>how late each iteration began after its
 *     scheduled instant (zero when on time)</td></tr>
 * <tr><td>{@value #EMIT_FAILURES}</td><td>counter</td><td>bot, emit, decision ({@code stop_bot},
 *     {@code continue}, {@code restart})</td><td>failed iterations, by what the emit's supervision decided</td></tr>
 * <tr><td>{@value #CIRCUIT_STATE}</td><td>gauge</td><td>bot, breaker, state ({@code closed}, {@code open},
 *     {@code half_open})</td><td>1 for the circuit breaker's state now, 0 for the other two
 *     ({@link CircuitBreaker#state()})</td></tr>
 * <tr><td>{@value #HOOK_FAILURES}</td><td>counter</td><td>bot, hook ({@code startup}, {@code shutdown})</td>
 *     <td>failed startup and shutdown hooks</td></tr>
 * <tr><td>{@value #INCIDENTS}</td><td>counter</td><td>bot, event ({@code attempt_overran},
 *     {@code unjoined_failure}, {@code failed_after_cancel}, {@code lease_failed}, {@code iteration_overran},
 *     {@code iteration_skipped}, {@code start_refused}, {@code grace_expired})</td><td>the warnings and
 *     errors a bot reports that no other meter counts, by {@link BotEvent} kind</td></tr>
 * </tbody>
 * </table>
 *
 * <p>The group gauges are registered when the bot starts ({@link BotEvent.BotStarted}, which carries
 * the bot's live groups) and hold their group weakly, as Micrometer gauges do. So are the breaker
 * gauges of the groups' breakers; an execute's own breaker gets its gauges at its first change of
 * state ({@link BotEvent.CircuitStateChanged}, which carries the live breaker). Timers publish no
 * percentiles or histogram unless the registry's {@code MeterFilter}s ask for them.
 *
 * <p><b>Cost.</b> Meters are looked up once per (bot, name, tags) and cached: recording an event is
 * a few map reads and one timer or counter update, with no allocation of its own.
 *
 * <p><b>Concurrency.</b> Thread-safe: called by any bot thread at once.
 */
public final class MachinaMetrics implements BotListener {

    /** Timer of attempts: {@code exmachina.attempt}. */
    public static final String ATTEMPT = "exmachina.attempt";
    /** Counter of scheduled retries: {@code exmachina.retries}. */
    public static final String RETRIES = "exmachina.retries";
    /** Timer of waits in a concurrent group: {@code exmachina.group.wait}. */
    public static final String GROUP_WAIT = "exmachina.group.wait";
    /** Gauge of a group's attempts in flight: {@code exmachina.group.in.flight}. */
    public static final String GROUP_IN_FLIGHT = "exmachina.group.in.flight";
    /** Gauge of a group's waiting attempts: {@code exmachina.group.waiting}. */
    public static final String GROUP_WAITING = "exmachina.group.waiting";
    /** Timer of emit iterations: {@code exmachina.emit.iteration}. */
    public static final String EMIT_ITERATION = "exmachina.emit.iteration";
    /** Timer of how late iterations began: {@code exmachina.emit.lag}. */
    public static final String EMIT_LAG = "exmachina.emit.lag";
    /** Counter of failed iterations: {@code exmachina.emit.failures}. */
    public static final String EMIT_FAILURES = "exmachina.emit.failures";
    /** Gauges of a circuit breaker's state, one per state: {@code exmachina.circuit.state}. */
    public static final String CIRCUIT_STATE = "exmachina.circuit.state";
    /** Counter of failed hooks: {@code exmachina.hook.failures}. */
    public static final String HOOK_FAILURES = "exmachina.hook.failures";
    /** Counter of warnings and errors no other meter counts: {@code exmachina.incidents}. */
    public static final String INCIDENTS = "exmachina.incidents";

    private static final BotEvent.Outcome[] OUTCOMES = BotEvent.Outcome.values();
    private static final BotEvent.WaitedFor[] WAITED_FOR = BotEvent.WaitedFor.values();
    private static final BotEvent.Decision[] DECISIONS = BotEvent.Decision.values();

    private final MeterRegistry registry;
    private final Tags tags;

    /** bot → execute → one timer per outcome. */
    private final Cache<Timer[]> attempts = new Cache<>();
    private final Cache<Counter> retries = new Cache<>();
    /** bot → group → one timer per kind of wait. */
    private final Cache<Timer[]> groupWaits = new Cache<>();
    /** bot → emit → {success, failure}. */
    private final Cache<Timer[]> iterations = new Cache<>();
    private final Cache<Timer> lags = new Cache<>();
    /** bot → emit → one counter per decision. */
    private final Cache<Counter[]> emitFailures = new Cache<>();
    /** bot → event kind → its incident counter. */
    private final Cache<Counter> incidents = new Cache<>();
    /** bot → group → the group its gauges read. */
    private final Cache<WeakReference<ConcurrentGroup>> gauged = new Cache<>();
    /** bot → breaker → the breaker its gauges read. */
    private final Cache<WeakReference<CircuitBreaker>> gaugedBreakers = new Cache<>();
    private final ReentrantLock breakerGauges = new ReentrantLock();

    // Made once: a lambda capturing this, written at the call, would be a new object per event.
    private final BiFunction<String, String, Timer[]> newAttemptTimers = (bot, execute) -> {
        Timer[] timers = new Timer[OUTCOMES.length];
        for (BotEvent.Outcome outcome : OUTCOMES) {
            timers[outcome.ordinal()] = Timer.builder(ATTEMPT)
                    .tags(tags().and("bot", bot, "execute", execute, "outcome", lower(outcome)))
                    .description("Attempts of an execute, first or retried: how long the handler ran")
                    .register(registry());
        }
        return timers;
    };
    private final BiFunction<String, String, Counter> newRetryCounter = (bot, execute) -> Counter.builder(RETRIES)
            .tags(tags().and("bot", bot, "execute", execute))
            .description("Failed attempts of an execute that will be retried")
            .register(registry());
    private final BiFunction<String, String, Timer[]> newGroupWaitTimers = (bot, group) -> {
        Timer[] timers = new Timer[WAITED_FOR.length];
        for (BotEvent.WaitedFor waitedFor : WAITED_FOR) {
            timers[waitedFor.ordinal()] = Timer.builder(GROUP_WAIT)
                    .tags(tags().and("bot", bot, "group", group, "waited_for", lower(waitedFor)))
                    .description("Waits of attempts in a concurrent group before they could start")
                    .register(registry());
        }
        return timers;
    };
    private final BiFunction<String, String, Counter> newIncidentCounter = (bot, event) -> Counter.builder(INCIDENTS)
            .tags(tags().and("bot", bot, "event", event))
            .description("Warnings and errors of a bot that no other meter counts, by event")
            .register(registry());
    private final BiFunction<String, String, Timer> newLagTimer = (bot, emit) -> Timer.builder(EMIT_LAG)
            .tags(tags().and("bot", bot, "emit", emit))
            .description("How late iterations of an emit began after their scheduled instant")
            .register(registry());
    private final BiFunction<String, String, Timer[]> newIterationTimers = (bot, emit) -> new Timer[] {
            iterationTimer(bot, emit, "success"), iterationTimer(bot, emit, "failure")};
    private final BiFunction<String, String, Counter[]> newEmitFailureCounters = (bot, emit) -> {
        Counter[] counters = new Counter[DECISIONS.length];
        for (BotEvent.Decision decision : DECISIONS) {
            counters[decision.ordinal()] = Counter.builder(EMIT_FAILURES)
                    .tags(tags().and("bot", bot, "emit", emit, "decision", lower(decision)))
                    .description("Failed iterations of an emit, by what its supervision decided")
                    .register(registry());
        }
        return counters;
    };

    /**
     * Metrics of every bot this listener is registered with, in {@code registry}.
     *
     * @param registry where the meters go
     */
    public MachinaMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Metrics of every bot this listener is registered with, in {@code registry}, each meter also
     * carrying {@code tags} (for tags common to the whole process, prefer the registry's own
     * {@code config().commonTags(…)}).
     *
     * @param registry where the meters go
     * @param tags added to every meter
     */
    public MachinaMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void onBotStarted(BotEvent.BotStarted event) {
        for (ConcurrentGroup group : event.groups()) {
            @Nullable WeakReference<ConcurrentGroup> before = gauged.get(event.bot(), group.name());
            if (before != null && before.get() == group) {
                continue; // a bot run again: its gauges already read this group
            }
            // A new bot of the same name in this registry: its gauges read the new group.
            Tags groupTags = tags.and("bot", event.bot(), "group", group.name());
            for (String name : List.of(GROUP_IN_FLIGHT, GROUP_WAITING)) {
                Meter old = registry.find(name).tags(groupTags).meter();
                if (old != null && before != null) {
                    registry.remove(old);
                }
            }
            Gauge.builder(GROUP_IN_FLIGHT, group, ConcurrentGroup::inFlight)
                    .tags(groupTags)
                    .description("Attempts holding a slot of the concurrent group now")
                    .register(registry);
            Gauge.builder(GROUP_WAITING, group, ConcurrentGroup::waiting)
                    .tags(groupTags)
                    .description("Attempts waiting in the concurrent group now")
                    .register(registry);
            gauged.put(event.bot(), group.name(), new WeakReference<>(group));
            CircuitBreaker breaker = group.limits().circuitBreaker();
            if (breaker != null) {
                gaugeStates(event.bot(), breaker);
            }
        }
    }

    @Override
    public void onCircuitStateChanged(BotEvent.CircuitStateChanged event) {
        gaugeStates(event.bot(), event.breaker());
    }

    /** Registers the state gauges of {@code breaker}, once (again for a new breaker of the same name). */
    private void gaugeStates(String bot, CircuitBreaker breaker) {
        @Nullable WeakReference<CircuitBreaker> before = gaugedBreakers.get(bot, breaker.name());
        if (before != null && before.get() == breaker) {
            return;
        }
        breakerGauges.lock(); // rare: once per breaker; keeps two first events from racing (no monitor: virtual threads)
        try {
            before = gaugedBreakers.get(bot, breaker.name());
            if (before != null && before.get() == breaker) {
                return;
            }
            for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
                Tags stateTags = tags.and("bot", bot, "breaker", breaker.name(), "state", lower(state));
                Meter old = registry.find(CIRCUIT_STATE).tags(stateTags).meter();
                if (old != null) {
                    registry.remove(old);
                }
                Gauge.builder(CIRCUIT_STATE, breaker, b -> b.state() == state ? 1 : 0)
                        .tags(stateTags)
                        .description("1 for the circuit breaker's state now, 0 for the others")
                        .register(registry);
            }
            gaugedBreakers.put(bot, breaker.name(), new WeakReference<>(breaker));
        } finally {
            breakerGauges.unlock();
        }
    }

    @Override
    public void onAttemptEnded(BotEvent.AttemptEnded event) {
        attempts.get(event.bot(), event.execute(), newAttemptTimers)[event.outcome().ordinal()].record(event.duration());
    }

    @Override
    public void onRetryScheduled(BotEvent.RetryScheduled event) {
        retries.get(event.bot(), event.execute(), newRetryCounter).increment();
    }

    @Override
    public void onGroupWaited(BotEvent.GroupWaited event) {
        groupWaits.get(event.bot(), event.group(), newGroupWaitTimers)[event.waitedFor().ordinal()].record(event.waited());
    }

    @Override
    public void onIterationStarted(BotEvent.IterationStarted event) {
        lags.get(event.bot(), event.emit(), newLagTimer).record(event.lag());
    }

    @Override
    public void onIterationEnded(BotEvent.IterationEnded event) {
        iterations.get(event.bot(), event.emit(), newIterationTimers)[event.failure() == null ? 0 : 1].record(event.duration());
    }

    /** Counts the events that are warnings or errors in the bot's log and have no meter of their own. */
    @Override
    public void onEvent(BotEvent event) {
        @Nullable String incident = switch (event) {
            case BotEvent.AttemptOverran e -> "attempt_overran";
            case BotEvent.UnjoinedFailure e -> "unjoined_failure";
            case BotEvent.FailedAfterCancel e -> "failed_after_cancel";
            case BotEvent.LeaseFailed e -> "lease_failed";
            case BotEvent.IterationOverran e -> "iteration_overran";
            case BotEvent.IterationSkipped e -> "iteration_skipped";
            case BotEvent.StartRefused e -> "start_refused";
            case BotEvent.GraceExpired e -> "grace_expired";
            default -> null;
        };
        if (incident != null) {
            incidents.get(event.bot(), incident, newIncidentCounter).increment();
        }
    }

    private Timer iterationTimer(String bot, String emit, String outcome) {
        return Timer.builder(EMIT_ITERATION)
                .tags(tags.and("bot", bot, "emit", emit, "outcome", outcome))
                .description("Iterations of an emit: how long the handler ran")
                .register(registry);
    }

    @Override
    public void onEmitFailed(BotEvent.EmitFailed event) {
        emitFailures.get(event.bot(), event.emit(), newEmitFailureCounters)[event.decision().ordinal()].increment();
    }

    @Override
    public void onHookFailed(BotEvent.HookFailed event) {
        Counter.builder(HOOK_FAILURES)
                .tags(tags.and("bot", event.bot(), "hook", lower(event.hook())))
                .description("Failed startup and shutdown hooks")
                .register(registry)
                .increment();
    }

    // Read by the factories above, which are initialized before the constructor assigns the fields.
    private Tags tags() {
        return tags;
    }

    private MeterRegistry registry() {
        return registry;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "MachinaMetrics[" + registry.getClass().getSimpleName() + "]";
    }

    /** Meters by bot, then by emit, execute or group name: two map reads, no key allocated. */
    private static final class Cache<M> {
        private final ConcurrentMap<String, ConcurrentMap<String, M>> byBot = new ConcurrentHashMap<>();

        M get(String bot, String name, BiFunction<String, String, M> create) {
            ConcurrentMap<String, M> byName = byBot.get(bot);
            if (byName == null) {
                byName = byBot.computeIfAbsent(bot, b -> new ConcurrentHashMap<>());
            }
            M meter = byName.get(name);
            return meter != null ? meter : byName.computeIfAbsent(name, n -> create.apply(bot, n));
        }

        @Nullable M get(String bot, String name) {
            ConcurrentMap<String, M> byName = byBot.get(bot);
            return byName == null ? null : byName.get(name);
        }

        void put(String bot, String name, M value) {
            byBot.computeIfAbsent(bot, b -> new ConcurrentHashMap<>()).put(name, value);
        }
    }
}
