package dev.exmachina.core.internal.breaker;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitBreakerConfig;
import dev.exmachina.core.CircuitBreakerRule;
import dev.exmachina.core.CircuitOpenException;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.runtime.BotRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CircuitBreaker} on a bot's clock.
 *
 * <p><b>State.</b> One immutable {@link Phase} in an {@link AtomicReference}, replaced by
 * compare-and-set with what {@link Transitions} computes, so no lock is held on the way in. A closed
 * phase's window of outcomes is the one mutable part; it guards itself with a short
 * {@link java.util.concurrent.locks.ReentrantLock} hold ({@link OutcomeWindow}). No monitor anywhere.
 *
 * <p><b>Permits.</b> {@link #enter()} returns the phase it admitted the call in: a closed phase
 * (nothing held) or a half-open one (one probe's permit held). Exactly one of {@link #ended} and
 * {@link #giveBack} must follow; an outcome for a generation that is over changes nothing, so a probe
 * still running when its half-open ended never decides the next one.
 *
 * <p><b>Time.</b> Every instant is the bound clock's {@link BotClock#nanoTime()}. Entering open or
 * half-open schedules a {@link BotClock#schedule clock timer} at its end; a call that comes first
 * makes the same change itself ({@link Transitions#due}). Whoever wins the compare-and-set reports the
 * change, once, after it; on a virtual clock the order of changes, and so of reports, is fixed. On
 * the real clock two changes made at nearly the same instant by different threads (a call and the
 * timer) may be reported in either order; {@link #state()} reads the current state.
 *
 * <p><b>Runs.</b> A timer must not outlive its bot's run: at each run's end the bot cancels the one
 * pending timer that still matters, that of the current generation ({@link #runEnded()}). A breaker
 * left open or half-open then moves on lazily, at the first call of the next run. On the real clock a
 * timer already firing when the run ends may still report its change.
 *
 * <p><b>Binding.</b> A breaker belongs to the first bot that registers it ({@link #bind}): its clock
 * and its observer. A second bot is refused; the same bot may put it in several places.
 */
public final class BreakerImpl implements CircuitBreaker {

    /** The bot a breaker belongs to: its clock, and its observer, told every change of state. */
    private record Binding(BotRuntime owner, String ownerName, BotClock clock, Observer listener) {}

    private final String name;
    private final CircuitBreakerConfig config;
    private final Settings settings;
    private final List<CircuitBreakerRule<?>> rules;
    private final AtomicReference<Phase> phase;
    private final AtomicReference<@Nullable Binding> binding = new AtomicReference<>();
    /** The timer of the latest generation that scheduled one, or null; older ones do nothing when they fire. */
    private final AtomicReference<@Nullable Pending> pending = new AtomicReference<>();

    /** A clock timer scheduled at the end of generation {@code generation}'s open or half-open. */
    private record Pending(long generation, BotClock.Timer timer) {}

    public BreakerImpl(String name, CircuitBreakerConfig config) {
        this.name = name;
        this.config = config;
        this.settings = Settings.of(config);
        this.rules = config.rules();
        this.phase = new AtomicReference<>(Transitions.initial(settings));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    @Override
    public State state() {
        return phase.get().state();
    }

    /**
     * {@code breaker}, made by {@link CircuitBreaker#builder}, bound to {@code bot}: the bot's clock,
     * the observer told its changes, and the end of each of its runs (which cancels a pending timer).
     * Idempotent for the same bot.
     *
     * @throws IllegalArgumentException if another bot registered it first, or it was not made by the builder
     */
    public static BreakerImpl bind(CircuitBreaker breaker, BotRuntime bot) {
        if (!(breaker instanceof BreakerImpl impl)) {
            throw new IllegalArgumentException("circuit breaker " + breaker + " (" + breaker.getClass().getName()
                    + ") was not made by CircuitBreaker.builder(name); build it there");
        }
        impl.bindTo(bot);
        return impl;
    }

    private void bindTo(BotRuntime bot) {
        Binding mine = new Binding(bot, bot.botName(), bot.clock(), bot.observer());
        Binding before = binding.compareAndExchange(null, mine);
        if (before != null && before.owner != bot) {
            throw new IllegalArgumentException("circuit breaker '" + name + "' belongs to bot '" + before.ownerName
                    + "', which registered it first; build another breaker for bot '" + bot.botName() + "'");
        }
        if (before == null) {
            bot.onEachRunEnd(this::runEnded); // once, by the bot that won the binding
        }
    }

    /**
     * The bot's run ended: its pending timer is cancelled, so no change of this breaker is reported
     * after the run; a due change happens at the next call instead.
     */
    void runEnded() {
        Pending p = pending.getAndSet(null);
        if (p != null) {
            p.timer().cancel();
        }
    }

    /** Whether outcomes need the attempt's duration (a slow-call threshold is set). */
    public boolean timesAttempts() {
        return settings.timesAttempts();
    }

    /**
     * Lets a call through or refuses it.
     *
     * @return the permit, for {@link #ended} or {@link #giveBack}
     * @throws CircuitOpenException if open, or half-open with every probe taken
     */
    public Object enter() {
        Phase s = phase.get();
        return s instanceof Phase.Closed ? s : enterSlowly(bound());
    }

    private Phase enterSlowly(Binding b) {
        while (true) {
            Phase s = phase.get();
            long now = b.clock.nanoTime();
            Phase due = Transitions.due(s, now, settings);
            Phase taken = Transitions.take(due);
            Phase next = taken != null ? taken : due;
            if (next == s || phase.compareAndSet(s, next)) {
                moved(b, s, due);
                if (taken == null) {
                    throw new CircuitOpenException(name, due.state(), Duration.ofNanos(Transitions.retryAfterNanos(due, now)));
                }
                return taken;
            }
        }
    }

    /**
     * The attempt let through by {@code permit} ended after {@code durationNanos} (read only when
     * {@link #timesAttempts()}), with {@code failure} or {@code null}: counted as the rules say.
     */
    public void ended(Object permit, @Nullable Throwable failure, long durationNanos) {
        Verdict verdict;
        try {
            verdict = verdict(failure);
        } catch (RuntimeException | Error filterFailed) {
            giveBack(permit); // a rule's filter threw: the probe's permit must not be lost with it
            throw filterFailed;
        }
        if (verdict == Verdict.NOT_COUNTED) {
            giveBack(permit);
            return;
        }
        boolean failed = verdict == Verdict.FAILURE;
        boolean slow = settings.slow(durationNanos);
        if (permit instanceof Phase.Closed closed) {
            OutcomeWindow window = closed.window();
            Binding b = window.needsTime() ? bound() : null;
            if (window.record(failed, slow, b == null ? 0 : b.clock.nanoTime()) && phase.get() == closed) {
                tripped(closed, b == null ? bound() : b);
            }
            return;
        }
        Binding b = bound();
        long generation = ((Phase) permit).generation();
        while (true) {
            Phase s = phase.get();
            long now = b.clock.nanoTime();
            Phase next = Transitions.probeEnded(s, generation, failed, slow, now, settings);
            if (next == s || phase.compareAndSet(s, next)) {
                moved(b, s, next);
                return;
            }
        }
    }

    /** The attempt let through by {@code permit} is not counted: a probe's permit is free again. */
    public void giveBack(Object permit) {
        if (permit instanceof Phase.Closed) {
            return;
        }
        long generation = ((Phase) permit).generation();
        while (true) {
            Phase s = phase.get();
            Phase next = Transitions.probeGivenBack(s, generation);
            if (next == s || phase.compareAndSet(s, next)) {
                return;
            }
        }
    }

    private void tripped(Phase.Closed closed, Binding b) {
        Phase open = Transitions.trip(closed, b.clock.nanoTime(), settings);
        if (phase.compareAndSet(closed, open)) {
            moved(b, closed, open);
        }
    }

    /** After a swap from {@code from} to {@code to}: when the state changed, its timer and its report. */
    private void moved(Binding b, Phase from, Phase to) {
        if (from.state() == to.state()) {
            return;
        }
        Duration openWait = null;
        if (to instanceof Phase.Open open) {
            openWait = Duration.ofNanos(settings.openWaitNanos(open.reopened()));
            schedule(b, open.generation(), open.untilNanos());
        } else if (to instanceof Phase.HalfOpen half) {
            schedule(b, half.generation(), half.untilNanos());
        }
        b.listener.on(new BotEvent.CircuitStateChanged(b.listener.bot(), this, from.state(), to.state(), openWait));
    }

    /** At {@code deadline}, moves generation {@code generation} on if a call has not done it first. */
    private void schedule(Binding b, long generation, long deadline) {
        BotClock.Timer timer = b.clock.schedule(() -> {
            while (true) {
                Phase s = phase.get();
                if (s.generation() != generation) {
                    return; // a call moved it on first
                }
                Phase next = Transitions.due(s, b.clock.nanoTime(), settings);
                if (next == s) {
                    return;
                }
                if (phase.compareAndSet(s, next)) {
                    moved(b, s, next);
                    return;
                }
            }
        }, deadline);
        remember(new Pending(generation, timer));
    }

    /** Keeps {@code mine} as the pending timer unless a later generation's is there already. */
    private void remember(Pending mine) {
        while (true) {
            Pending p = pending.get();
            if (p != null && p.generation() > mine.generation()) {
                mine.timer().cancel(); // stale already: a later change scheduled its own
                return;
            }
            if (pending.compareAndSet(p, mine)) {
                if (p != null) {
                    p.timer().cancel(); // an older generation's: it would do nothing
                }
                return;
            }
        }
    }

    private Binding bound() {
        Binding b = binding.get();
        if (b == null) {
            throw new IllegalStateException("circuit breaker '" + name + "' is used before a bot registered it");
        }
        return b;
    }

    /** How a failure counts. */
    enum Verdict { SUCCESS, FAILURE, NOT_COUNTED }

    /** The rules' word on {@code failure} ({@code null}: the attempt succeeded). */
    Verdict verdict(@Nullable Throwable failure) {
        if (failure == null) {
            return Verdict.SUCCESS;
        }
        if (failure instanceof InterruptedException || failure instanceof CancellationException
                || failure instanceof CallTimeoutException) {
            return Verdict.NOT_COUNTED; // a cancel or the call's own deadline says nothing about the API
        }
        if (rules.isEmpty()) {
            return Verdict.FAILURE;
        }
        for (CircuitBreakerRule<?> rule : rules) {
            if (rule.matches(failure)) {
                return rule instanceof CircuitBreakerRule.Counts<?> ? Verdict.FAILURE : Verdict.NOT_COUNTED;
            }
        }
        return Verdict.SUCCESS;
    }

    @Override
    public String toString() {
        return "circuit breaker '" + name + "' (" + state() + ")";
    }
}
