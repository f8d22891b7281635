package dev.exmachina.spring;

import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Emit;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code exmachina} ({@code GET /actuator/exmachina} once exposed with
 * {@code management.endpoints.web.exposure.include}): the bot's run, its emits, its concurrent
 * groups and its circuit breakers, read at the instant of the request.
 */
@Endpoint(id = "exmachina")
public final class MachinaEndpoint {

    private final Machina bot;
    private final MachinaStatus status;
    private final @Nullable MachinaLifecycle lifecycle;

    /**
     * An endpoint over the context's bot.
     *
     * @param bot the bot
     * @param status what the starter's listener saw (nothing for a bot of the application's own)
     * @param lifecycle the lifecycle that runs the bot, or {@code null} if none does
     */
    public MachinaEndpoint(Machina bot, MachinaStatus status, @Nullable MachinaLifecycle lifecycle) {
        this.bot = Objects.requireNonNull(bot, "bot");
        this.status = Objects.requireNonNull(status, "status");
        this.lifecycle = lifecycle;
    }

    /**
     * The bot now.
     *
     * @return its run, emits and groups
     */
    @ReadOperation
    public Bot bot() {
        MachinaStatus.Run run = status.run();
        Throwable failure = lifecycle != null && lifecycle.failure() != null ? lifecycle.failure() : run.failure();
        return new Bot(bot.name(), lifecycle != null && lifecycle.isRunning(),
                run.startedAt() == null ? null : run.startedAt().toString(),
                failure == null ? null : failure.toString(),
                bot.emits().stream().map(this::emit).toList(),
                bot.concurrentGroups().stream().map(MachinaEndpoint::group).toList(), breakers());
    }

    /** The groups' breakers first, in group order, then those only seen changing state (executes'). */
    private List<BreakerView> breakers() {
        Map<String, BreakerView> views = new LinkedHashMap<>();
        for (ConcurrentGroup group : bot.concurrentGroups()) {
            CircuitBreaker breaker = group.limits().circuitBreaker();
            if (breaker != null) {
                views.putIfAbsent(breaker.name(), new BreakerView(breaker.name(), breaker.state().name(), group.name()));
            }
        }
        status.breakers().values().stream().sorted(Comparator.comparing(CircuitBreaker::name)).forEach(breaker ->
                views.putIfAbsent(breaker.name(), new BreakerView(breaker.name(), breaker.state().name(), null)));
        return List.copyOf(views.values());
    }

    private EmitView emit(Emit emit) {
        var progress = status.emit(emit.name());
        String state = emit.isAlive() ? (progress.map(MachinaStatus.EmitProgress::iterating).orElse(false)
                ? "ITERATING" : "WAITING") : "STOPPED";
        return new EmitView(emit.name(), state, progress.map(MachinaStatus.EmitProgress::epoch).orElse(0L),
                progress.map(p -> p.lag().toString()).orElse(null),
                progress.map(MachinaStatus.EmitProgress::iterations).orElse(0L), emit.options().schedule().toString());
    }

    private static GroupView group(ConcurrentGroup group) {
        GroupLimits limits = group.limits();
        return new GroupView(group.name(), group.inFlight(), group.waiting(), limits.concurrency(),
                limits.hasWindow() ? limits.callsPerWindow() : null,
                limits.hasWindow() ? limits.window().toString() : null,
                limits.hasWindow() ? limits.anchor().name() : null,
                group.pausedUntil().map(Instant::toString).orElse(null), windowUse(group));
    }

    /** Each window's use, or {@code null} when the group backend cannot tell (shown as unknown). */
    private static @Nullable List<WindowUseView> windowUse(ConcurrentGroup group) {
        try {
            return group.windowUse().stream().map(use -> new WindowUseView(use.window().limit(),
                    use.window().length().toString(), use.window().anchor().name(), use.used())).toList();
        } catch (UnsupportedOperationException unknown) {
            return null;
        }
    }

    /**
     * The bot, as the endpoint shows it.
     *
     * @param name the bot's name
     * @param running whether its run is under way
     * @param startedAt when its latest run began (ISO-8601, the bot's clock), or {@code null}
     * @param failure what stopped its latest run, or {@code null}
     * @param emits its emits, in registration order
     * @param groups its concurrent groups, in registration order
     * @param breakers its circuit breakers: those of its groups, and those of executes once they
     *     changed state
     */
    public record Bot(String name, boolean running, @Nullable String startedAt, @Nullable String failure,
            List<EmitView> emits, List<GroupView> groups, List<BreakerView> breakers) {}

    /**
     * A circuit breaker.
     *
     * @param name its name
     * @param state {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}, now
     * @param group the group whose limits hold it, or {@code null} for an execute's breaker
     */
    public record BreakerView(String name, String state, @Nullable String group) {}

    /**
     * An emit.
     *
     * @param name its name
     * @param state {@code ITERATING} (a handler runs), {@code WAITING} (alive, between iterations or
     *     queued to start) or {@code STOPPED}
     * @param epoch its latest iteration's epoch within the current run; 0 before the first
     * @param lag how late its latest iteration began (ISO-8601), or {@code null} before the first
     * @param iterations iterations begun since the application started
     * @param schedule when its iterations run: a fixed delay, a fixed rate or a cron expression in a zone
     */
    public record EmitView(String name, String state, long epoch, @Nullable String lag, long iterations,
            String schedule) {}

    /**
     * A concurrent group.
     *
     * @param name its name
     * @param inFlight attempts running their handler with a slot of it
     * @param waiting attempts of it not started yet
     * @param concurrency its concurrency limit, or {@code null} for none
     * @param callsPerWindow starts allowed per window, or {@code null} without a window
     * @param window its sliding window (ISO-8601), or {@code null} without one
     * @param anchor where a start counts in the window, or {@code null} without one
     * @param pausedUntil the end of the pause in force (ISO-8601, the bot's clock), or {@code null}
     *     when the group is not paused
     * @param windowUse how much of each of its windows is used now, the first window first (empty
     *     without a window), or {@code null} when its group backend cannot tell
     *     ({@link ConcurrentGroup#windowUse()})
     */
    public record GroupView(String name, int inFlight, int waiting, @Nullable Integer concurrency,
            @Nullable Integer callsPerWindow, @Nullable String window, @Nullable String anchor,
            @Nullable String pausedUntil, @Nullable List<WindowUseView> windowUse) {

        /**
         * A group whose window use is not known.
         *
         * @param name its name
         * @param inFlight attempts running their handler with a slot of it
         * @param waiting attempts of it not started yet
         * @param concurrency its concurrency limit, or {@code null} for none
         * @param callsPerWindow starts allowed per window, or {@code null} without a window
         * @param window its sliding window (ISO-8601), or {@code null} without one
         * @param anchor where a start counts in the window, or {@code null} without one
         * @param pausedUntil the end of the pause in force (ISO-8601, the bot's clock), or {@code null}
         *     when the group is not paused
         */
        public GroupView(String name, int inFlight, int waiting, @Nullable Integer concurrency,
                @Nullable Integer callsPerWindow, @Nullable String window, @Nullable String anchor,
                @Nullable String pausedUntil) {
            this(name, inFlight, waiting, concurrency, callsPerWindow, window, anchor, pausedUntil, null);
        }

        /**
         * A group that is not paused.
         *
         * @param name its name
         * @param inFlight attempts running their handler with a slot of it
         * @param waiting attempts of it not started yet
         * @param concurrency its concurrency limit, or {@code null} for none
         * @param callsPerWindow starts allowed per window, or {@code null} without a window
         * @param window its sliding window (ISO-8601), or {@code null} without one
         * @param anchor where a start counts in the window, or {@code null} without one
         */
        public GroupView(String name, int inFlight, int waiting, @Nullable Integer concurrency,
                @Nullable Integer callsPerWindow, @Nullable String window, @Nullable String anchor) {
            this(name, inFlight, waiting, concurrency, callsPerWindow, window, anchor, null, null);
        }
    }

    /**
     * One window of a group and how much of it is used now ({@link ConcurrentGroup.WindowUse}).
     *
     * @param limit the starts (or their cost) allowed in any interval of its length
     * @param length its length (ISO-8601)
     * @param anchor where a start counts: {@code START} or {@code COMPLETION}
     * @param used anchored at starts, the starts (or their cost) that began in the interval of its
     *     length ending now; anchored at completion, the places held by attempts granted a start or
     *     running, and by those that ended less than a window ago
     */
    public record WindowUseView(int limit, String length, String anchor, long used) {}
}
