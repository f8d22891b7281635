package dev.exmachina.core;

import dev.exmachina.core.internal.engine.Engine;
import dev.exmachina.core.internal.group.InMemoryBackend;
import dev.exmachina.core.internal.scope.Scopes;
import dev.exmachina.core.spi.GroupBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bot: concurrent groups, executes and emits registered up front, then {@link #run()}.
 *
 * <p><b>Concurrency.</b> Thread-safe. Register everything before {@code run()}; registration while
 * the bot runs is refused. {@link #stop()} and {@link #close()} may be called from any thread.
 * After {@code run()} returns the bot may be run again (counted emits that finished do not run
 * again unless started). No thread, slot or scope of the bot outlives {@code run()}.
 *
 * <p>Every wait of the bot goes through its {@link BotClock}: the system clock by default, a
 * virtual clock from {@code exmachina-testkit} in tests.
 */
public final class Machina implements AutoCloseable {

    private final Engine engine;

    private Machina(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts building a bot: named {@code "machina"}, on the system clock, with groups in memory,
     * unless the builder says otherwise.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a concurrent group. Groups are taken by executes in the order they are registered.
     *
     * @param name the group's name, unique among the bot's groups; executes list it in
     *     {@link ExecuteOptions#groups}
     * @param limits the group's limits
     * @return the group, to read its counts
     * @throws IllegalArgumentException if the name is blank or taken
     * @throws IllegalStateException if the bot is running or closed
     */
    public ConcurrentGroup concurrentGroup(String name, GroupLimits limits) {
        return engine.concurrentGroup(name, limits);
    }

    /**
     * Registers an execute.
     *
     * @param <A> the argument type
     * @param <R> the result type
     * @param name the execute's name, unique among the bot's executes
     * @param options its groups, retry policy and time limits
     * @param handler what each attempt runs
     * @return the execute: call it in this thread, or fork it from an emit with {@link Event#execute}
     * @throws IllegalArgumentException if the name is blank or taken, or a group is unknown
     * @throws IllegalStateException if the bot is running or closed
     */
    public <A extends @Nullable Object, R extends @Nullable Object> Execute<A, R> execute(
            String name, ExecuteOptions options, ExecuteHandler<A, R> handler) {
        return engine.execute(name, options, handler);
    }

    /**
     * Registers an emit.
     *
     * @param name the emit's name, unique among the bot's emits
     * @param options how it loops
     * @param handler what each iteration runs
     * @return the emit
     * @throws IllegalArgumentException if the name is blank or taken
     * @throws IllegalStateException if the bot is running or closed
     */
    public Emit emit(String name, EmitOptions options, EmitHandler handler) {
        return engine.emit(name, options, handler);
    }

    /**
     * Runs startup hooks, starts every autostart emit, blocks until every emit and the executes
     * they forked have finished, then runs shutdown hooks (also when the bot failed). With nothing
     * to run it returns at once.
     *
     * <p>A {@link #stop()} made while no run is under way is remembered by the next run: it runs the
     * startup hooks, starts no emit, runs the shutdown hooks and returns; the run after it is a fresh
     * one.
     *
     * @throws MachinaException if an emit failed (under {@link Supervision#stopBot()}) or a hook
     *     failed; the failure is the cause
     * @throws InterruptedException if this thread was interrupted, also while a hook ran: everything
     *     was cancelled first (the hook running too), the shutdown hooks ran
     * @throws IllegalStateException if the bot is already running or closed
     */
    public void run() throws InterruptedException {
        engine.run();
    }

    /**
     * Stops every emit gracefully: current iterations finish, no new one starts (starts queued and
     * not yet begun are dropped). Any thread. Called while no run is under way, it is remembered by
     * the next {@link #run()}.
     */
    public void stop() {
        engine.stop();
    }

    /**
     * Stops gracefully, waits up to the builder's grace period for {@link #run()} to return, then
     * cancels what is left and waits for it. Afterwards the bot cannot run again. Idempotent.
     *
     * <p>Cancelling includes the hooks: a startup or shutdown hook running when the grace period ends
     * is interrupted, and a shutdown hook that runs after the cancel is interrupted after one more
     * grace period. The interrupt this causes is not a failure of the hook. Every wait is on the bot's
     * clock.
     *
     * <p>Called from one of the bot's own threads (a hook, an emit, a forked execute), it cannot wait
     * for the bot to end: it stops and closes the bot and returns, and {@code run()} returns once the
     * current iterations have finished.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * The bot's name, as set by {@link Builder#name}.
     *
     * @return the name used in logs, thread names and events
     */
    public String name() {
        return engine.name();
    }

    /**
     * Whether this bot's supervisors run on the JDK's structured concurrency API (a preview in JDK 25,
     * used when the JVM is started with {@code --enable-preview}) rather than on plain virtual-thread
     * scopes (every other JVM from 21). Both keep the same guarantees: no fork outlives its scope, the owner waits for its
     * children through the bot's clock, cancellation is by interrupt, and failures reach the joiner
     * or are logged once. The choice is made once per JVM and logged at DEBUG.
     *
     * @return true on the JDK's structured concurrency, false on plain virtual threads
     */
    public boolean usesJdkStructuredConcurrency() {
        return Scopes.structured();
    }

    /**
     * The emits registered so far, for a view of the bot such as a health check or an admin
     * endpoint: read their {@link Emit#isAlive()} at any time.
     *
     * @return a snapshot, in registration order; later registrations are not in it
     */
    public List<Emit> emits() {
        return engine.emits();
    }

    /**
     * The concurrent groups registered so far, for a view of the bot: read their
     * {@link ConcurrentGroup#inFlight()} and {@link ConcurrentGroup#waiting()} at any time.
     *
     * @return a snapshot, in registration order (the order executes take them in)
     */
    public List<ConcurrentGroup> concurrentGroups() {
        return engine.groups();
    }

    /**
     * The clock every wait of the bot goes through; handlers may wait on it too.
     *
     * @return the clock given to {@link Builder#clock}, or the system clock
     */
    public BotClock clock() {
        return engine.clock();
    }

    /** Builds a {@link Machina}. Not thread-safe. */
    public static final class Builder {
        private BotClock clock = BotClock.system();
        private String name = "machina";
        private final List<Hook> startupHooks = new ArrayList<>();
        private final List<Hook> shutdownHooks = new ArrayList<>();
        private Duration gracePeriod = Duration.ofSeconds(10);
        private final List<BotListener> listeners = new ArrayList<>();
        private @Nullable GroupBackend groupBackend;

        private Builder() {}

        /**
         * Where the bot's concurrent groups keep their state and decide: in this process's memory by
         * default (exact on a virtual clock), or in a store shared by several processes, such as
         * {@code RedisGroups} of module {@code exmachina-redis}, so that a group's limits hold for a
         * whole fleet of bots.
         *
         * @param backend the backend every group of this bot is registered with
         * @return this builder
         */
        public Builder groupBackend(GroupBackend backend) {
            this.groupBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The clock to read time from and wait on; {@link BotClock#system()} by default.
         *
         * @param clock the bot's clock, such as a virtual clock of {@code exmachina-testkit} in tests
         * @return this builder
         */
        public Builder clock(BotClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The bot's name, in logs and thread names; {@code "machina"} by default.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * A hook run by {@link #run()} before any emit starts; a failure skips the emits. Hooks run
         * in the order they are added.
         *
         * @param hook the hook
         * @return this builder
         */
        public Builder onStartup(Hook hook) {
            startupHooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * A hook run by {@link #run()} after everything has finished, also when it failed. Hooks run
         * in the order they are added.
         *
         * @param hook the hook
         * @return this builder
         */
        public Builder onShutdown(Hook hook) {
            shutdownHooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Adds a listener that sees what the bot does ({@link BotEvent}s); several may be added and
         * are called in this order. A listener that throws never breaks the bot.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BotListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * How long {@link #close()} lets emits finish before it cancels them; 10 s by default.
         *
         * @param gracePeriod the wait on the bot's clock, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code gracePeriod} is negative
         */
        public Builder gracePeriod(Duration gracePeriod) {
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
            }
            this.gracePeriod = gracePeriod;
            return this;
        }

        /**
         * Builds the bot. Its emits and forks run in structured scopes: on the JDK's structured
         * concurrency where the JVM allows it (JDK 25 started with {@code --enable-preview}), otherwise on
         * plain virtual threads with the same guarantees (see {@link Machina#usesJdkStructuredConcurrency()}).
         *
         * @return the bot
         */
        public Machina build() {
            GroupBackend backend = groupBackend == null ? new InMemoryBackend() : groupBackend;
            return new Machina(new Engine(name, clock, startupHooks, shutdownHooks, gracePeriod, listeners, backend));
        }
    }
}
