package dev.exmachina.testkit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Intervals;
import dev.exmachina.testkit.internal.BatonScheduler;
import dev.exmachina.testkit.internal.OneCarrier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * A {@link BotClock} whose time moves only when every bot thread is blocked: a bot that runs for
 * simulated days is tested in milliseconds, with the same sequence of events at the same virtual
 * instants every run.
 *
 * <p><b>Concurrency.</b> Thread-safe, but deterministic by construction: exactly one thread runs
 * at a time. Bot threads (those made by {@link #threadFactory}) run only while the test thread is
 * inside a driving call — {@link #advance}, {@link #runCurrent}, {@link #advanceUntilIdle}, a
 * {@link Launched#join()}, or a bot call that waits, such as {@code Machina.run()}. Between those
 * calls the test thread holds the baton and the bot is frozen in time.
 *
 * <p><b>Scheduling.</b> Threads that may run wait in a first-in, first-out ready queue; the head
 * gets the baton when the running thread parks or ends. Whoever wakes a thread (an unpark, an
 * interrupt, a thread start) queues it, under the clock's lock, before giving up the baton, so the
 * order never depends on real timing. When nothing is ready, time jumps to the earliest deadline,
 * and every thread due then is queued in (deadline, sequence) order: waits due at the same instant
 * run first in, first out. With {@link Builder#shuffle(boolean)} the next thread is drawn from the
 * seed instead, so different seeds explore different interleavings, each reproducible.
 *
 * <p><b>Timers.</b> {@link #schedule} queues the action with the waits, in the same (deadline,
 * sequence) order: it runs at that exact virtual instant, first in, first out with the waits due
 * then, in the thread that moves time while no bot thread runs; what it unparks or interrupts is
 * queued as usual. {@link #advance}'s half-open rule applies to it; {@link #advanceUntilIdle} runs
 * every pending timer; a cancelled timer is gone. What an action throws is logged at ERROR (logger
 * {@code dev.exmachina.core.BotClock}) and ends nothing else.
 *
 * <p><b>Outside the clock.</b> A bot thread that blocks on something the clock cannot see (real
 * I/O, its own lock or latch) keeps the baton and time stands still; after the real-time
 * {@linkplain Builder#watchdog(Duration) watchdog} the driving call fails, naming the thread and
 * where it is. Every thread that waits on the bot must be a bot thread or the test thread.
 *
 * <p><b>One carrier.</b> When this class loads, it sets {@code jdk.virtualThreadScheduler.parallelism}
 * to 1 unless the JVM has it set already: bot threads run one at a time anyway, and on one carrier
 * thread a hand-over between them costs no wake-up of another OS thread. It takes effect if no
 * virtual thread was made in the JVM before (the JDK reads the property once); set the property
 * yourself to keep another value.
 */
public final class VirtualClock implements BotClock {

    static {
        OneCarrier.arrange(); // before the first bot thread: see README, "Requirements"
    }

    private final BatonScheduler scheduler;
    private final Instant origin;
    private final long seed;
    private final Random random;

    private VirtualClock(Builder builder) {
        this.origin = builder.start;
        this.seed = builder.seed;
        this.random = new Random(builder.seed);
        this.scheduler = new BatonScheduler(builder.watchdog, builder.shuffle ? new Random(~builder.seed) : null);
    }

    /**
     * A clock at 2026-01-01T00:00:00Z, seed 0, FIFO order, a 30 s watchdog.
     *
     * @return a new clock, at virtual time zero
     */
    public static VirtualClock create() {
        return builder().build();
    }

    /**
     * For a clock with another start instant, seed, interleaving or watchdog.
     *
     * @return a new builder, set to the defaults of {@link #create()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The seed of {@link #random()} (and of the interleaving, when shuffled).
     *
     * @return the seed to build the clock with again to replay a run
     */
    public long seed() {
        return seed;
    }

    /**
     * The current virtual instant.
     *
     * @return the start instant plus {@link #elapsed()}, the same as {@link #instant()}
     */
    public Instant now() {
        return instant();
    }

    /**
     * Virtual time since the clock was created.
     *
     * @return how far time has moved, never negative
     */
    public Duration elapsed() {
        return Duration.ofNanos(scheduler.now());
    }

    /**
     * Thread hand-overs, time jumps and timer actions so far: a measure of the work the clock has
     * scheduled.
     *
     * @return the count since the clock was created; it only grows
     */
    public long steps() {
        return scheduler.steps();
    }

    // ---- driving -------------------------------------------------------------------------------

    /**
     * Runs everything due strictly before {@code now() + duration}, in order, then sets the time to
     * exactly {@code now() + duration}. What is due at that very instant (a wait or a timer) runs on
     * the next driving call ({@link #runCurrent()} for one that does not move time).
     *
     * @param duration how far to move time, not negative
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time never goes backwards: duration was " + duration);
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        scheduler.advance(nanos);
    }

    /**
     * {@link #advance(Duration)} with an interval string such as {@code "2.5s"}.
     *
     * @param interval how far to move time, in the format of {@link Intervals#parse}
     */
    public void advance(String interval) {
        advance(Intervals.parse(interval));
    }

    /** Runs every thread that may run now, and every wait and timer due now, without moving time. */
    public void runCurrent() {
        scheduler.runCurrent();
    }

    /**
     * Runs until nothing is ready and nothing is due (pending timers included), moving time as far
     * as needed.
     *
     * @throws IllegalStateException at once, with time not moved past the point, if the next
     *     thing due is the interval of an emit that repeats forever: such a bot is never idle (use
     *     {@link #advance(Duration)}, or stop the emit)
     */
    public void advanceUntilIdle() {
        scheduler.advanceUntilIdle();
    }

    /**
     * Runs {@code task} in a new bot thread, so the test can drive time while it runs (for
     * example {@code clock.launch(bot::run)}, then {@link #advance}). Like every bot thread it
     * runs only within driving calls.
     *
     * @param task what to run, such as {@code bot::run}
     * @return the running task, to {@linkplain Launched#join() join} for its outcome
     */
    public Launched launch(Launched.Task task) {
        Objects.requireNonNull(task, "task");
        Launched launched = new Launched(this, task);
        threadFactory("launched").newThread(launched::body).start();
        return launched;
    }

    /**
     * Bot threads alive now, each as {@code name STATE}, and for a parked one what it waits for
     * and until when ({@code launched-1 PARKED on sleep PT1S until +PT1S}): for diagnostics.
     *
     * @return one line per thread, a snapshot
     */
    public List<String> threads() {
        return scheduler.threads();
    }

    // ---- BotClock --------------------------------------------------------------------------------

    @Override
    public long nanoTime() {
        return scheduler.now();
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(nanoTime());
    }

    @Override
    public ThreadFactory threadFactory(String name) {
        return scheduler.threadFactory(name);
    }

    @Override
    public void park(Object blocker, long deadlineNanos) {
        scheduler.park(blocker, deadlineNanos);
    }

    @Override
    public void unpark(Thread thread) {
        scheduler.unpark(thread);
    }

    @Override
    public void interrupt(Thread thread) {
        scheduler.interrupt(thread);
    }

    /**
     * Runs {@code action} when virtual time reaches {@code deadlineNanos}, in (deadline, sequence)
     * order with the waits due then, in the thread that moves time; a deadline already passed runs
     * on the next driving call.
     *
     * @throws IllegalArgumentException if {@code deadlineNanos} is {@link #NO_DEADLINE}
     */
    @Override
    public Timer schedule(Runnable action, long deadlineNanos) {
        return scheduler.schedule(action, deadlineNanos);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public String toString() {
        return "VirtualClock(+" + elapsed() + ", seed " + seed + ")";
    }

    /** Builds a {@link VirtualClock}. Not thread-safe. */
    public static final class Builder {
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private long seed;
        private boolean shuffle;
        private Duration watchdog = Duration.ofSeconds(30);

        private Builder() {}

        /**
         * The instant the clock starts at.
         *
         * @param start the instant of virtual time zero; 2026-01-01T00:00:00Z by default
         * @return this builder
         */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * The instant the clock starts at, given as a wall-clock time in a zone: for a bot on a cron
         * {@code Schedule}, as {@code start(ZonedDateTime.of(2026, 3, 28, 9, 0, 0, 0,
         * ZoneId.of("Europe/Paris")))}.
         *
         * @param start the wall-clock time and zone of virtual time zero
         * @return this builder
         */
        public Builder start(ZonedDateTime start) {
            return start(Objects.requireNonNull(start, "start").toInstant());
        }

        /**
         * The seed of {@link VirtualClock#random()} and of a shuffled interleaving; 0 by default.
         *
         * @param seed any value; the same seed replays the same run
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the next thread to run is drawn from the seed among those ready, instead of first
         * in, first out: different seeds explore different interleavings, each reproducible.
         *
         * @param shuffle {@code true} to draw from the seed; {@code false}, the default, for first
         *     in, first out
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Real time a bot thread may run without waiting on the clock before a driving call fails.
         *
         * @param watchdog the real time, positive; 30 s by default
         * @return this builder
         * @throws IllegalArgumentException if {@code watchdog} is zero or negative
         */
        public Builder watchdog(Duration watchdog) {
            Objects.requireNonNull(watchdog, "watchdog");
            if (watchdog.isNegative() || watchdog.isZero()) {
                throw new IllegalArgumentException("watchdog must be positive, was " + watchdog);
            }
            this.watchdog = watchdog;
            return this;
        }

        /**
         * Builds the clock; the builder may go on to build others.
         *
         * @return a new clock, at virtual time zero
         */
        public VirtualClock build() {
            return new VirtualClock(this);
        }
    }
}
