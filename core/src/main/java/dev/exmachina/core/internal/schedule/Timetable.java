package dev.exmachina.core.internal.schedule;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One run of an emit's {@link Schedule}: when each iteration is due, on the clock's
 * {@link BotClock#nanoTime()} base. The emit's loop asks it and waits; it never waits itself.
 * Made and used by the loop's thread alone (confined: no lock).
 *
 * <p>The loop calls {@link #first} once, then for each iteration {@link #due} (before it begins:
 * later than now means wait), then {@link #next} after it ends, {@link #skip} for a late one that
 * the misfire rule skips, {@link #restartAt} after a failure whose restart wait replaces the
 * schedule, and {@link #notHeld} when a singleton's lease is held elsewhere.
 */
public abstract sealed class Timetable {

    /** Due time of the coming iteration, {@link BotClock#nanoTime()} base. */
    long due;
    /** A restart wait replaces the schedule for one iteration. */
    boolean restarting;

    /** The timetable of one run of {@code schedule} on {@code clock}. */
    public static Timetable of(Schedule schedule, BotClock clock) {
        return switch (schedule) {
            case Schedule.FixedDelay delay -> new FixedDelay(delay.interval().toNanos());
            case Schedule.FixedRate rate -> new FixedRate(rate);
            case Schedule.Cron cron -> new Cron(cron, clock);
        };
    }

    /** The first iteration's due time; {@code now} for a fixed schedule. */
    public abstract long first(long now);

    /** The coming iteration's due time, as of {@code now} (a cron schedule reads the wall clock again). */
    public long due(long now) {
        return due;
    }

    /** The next due time, after an iteration that began at {@code begin} and ended at {@code end}. */
    public abstract long next(long begin, long end);

    /** Whether an iteration {@code lateNanos} late is skipped rather than run. */
    public abstract boolean skips(long lateNanos);

    /**
     * A late iteration is skipped at {@code now}: the next due time, the first scheduled one at most
     * the tolerance before now (which then runs, on time) or after it.
     */
    public abstract long skip(long now);

    /** A singleton's lease is held elsewhere at {@code now}: when to try again. */
    public abstract long notHeld(long now, long retryNanos);

    /** The next iteration is due at {@code deadline}, after a restart wait, instead of by the schedule. */
    public void restartAt(long deadline) {
        due = deadline;
        restarting = true;
    }

    /** The coming iteration's scheduled wall-clock instant when the schedule names one (cron), else null. */
    public @Nullable Instant scheduledInstant() {
        return null;
    }

    /** Whether an iteration that begins late is reported as an overrun, as a fixed rate always did. */
    public abstract boolean runsLate();

    /** {@code time + nanos}, saturating below {@link BotClock#NO_DEADLINE}. */
    static long plus(long time, long nanos) {
        long sum = time + nanos;
        return ((time ^ sum) & (nanos ^ sum)) < 0 || sum == BotClock.NO_DEADLINE ? BotClock.NO_DEADLINE - 1 : sum;
    }

    /** Waits the interval after each iteration ends; never late by its own schedule. */
    static final class FixedDelay extends Timetable {
        private final long interval;

        FixedDelay(long interval) {
            this.interval = interval;
        }

        @Override
        public long first(long now) {
            return due = now;
        }

        @Override
        public long next(long begin, long end) {
            restarting = false;
            return due = plus(end, interval);
        }

        @Override
        public boolean skips(long lateNanos) {
            return false;
        }

        @Override
        public long skip(long now) {
            return due = now;
        }

        @Override
        public long notHeld(long now, long retryNanos) {
            return due = plus(now, interval == 0 ? retryNanos : interval);
        }

        @Override
        public boolean runsLate() {
            return false;
        }
    }

    /** Begins an iteration every interval: from the last beginning (run once), or on a grid (skip). */
    static final class FixedRate extends Timetable {
        private final long interval;
        private final boolean skip;
        private final long tolerance;

        FixedRate(Schedule.FixedRate rate) {
            this.interval = rate.interval().toNanos();
            this.skip = rate.misfire() == Schedule.Misfire.SKIP;
            this.tolerance = saturatedNanos(rate.tolerance());
        }

        @Override
        public long first(long now) {
            return due = now;
        }

        @Override
        public long next(long begin, long end) {
            long from = skip && !restarting ? due : begin;
            restarting = false;
            return due = plus(from, interval);
        }

        @Override
        public boolean skips(long lateNanos) {
            return skip && lateNanos > tolerance && interval > 0;
        }

        @Override
        public long skip(long now) {
            // The grid's first instant at most `tolerance` ago: it runs (on time); those before it are skipped at once.
            long missed = (now - tolerance - due) / interval + 1;
            long room = BotClock.NO_DEADLINE - 1 - due;
            return due = missed > room / interval ? BotClock.NO_DEADLINE - 1 : due + missed * interval;
        }

        @Override
        public long notHeld(long now, long retryNanos) {
            return due = plus(now, interval == 0 ? retryNanos : interval);
        }

        @Override
        public boolean runsLate() {
            return true;
        }
    }

    /**
     * At the instants of a cron expression, on the wall clock: each due time is the wall-clock
     * distance to the scheduled instant, measured again every time it is asked, so a wall clock that
     * jumped is seen at the next look.
     */
    static final class Cron extends Timetable {
        private final ZonedCron cron;
        private final BotClock clock;
        private final boolean skip;
        private final long tolerance;
        /** The scheduled instant of the coming iteration. */
        private Instant scheduled = Instant.EPOCH;
        /** The wall clock at the last {@link #due}: at the beginning of the iteration that follows it. */
        private Instant wall = Instant.EPOCH;

        Cron(Schedule.Cron schedule, BotClock clock) {
            this.cron = ZonedCron.parse(schedule.expression(), schedule.zone()); // parsed when registered: cannot fail
            this.clock = clock;
            this.skip = schedule.misfire() == Schedule.Misfire.SKIP;
            this.tolerance = saturatedNanos(schedule.tolerance());
        }

        @Override
        public long first(long now) {
            scheduled = cron.next(clock.instant().minusNanos(1)); // an instant that matches now runs now
            return due(now);
        }

        @Override
        public long due(long now) {
            wall = clock.instant();
            if (restarting) {
                return due;
            }
            return due = plus(now, saturatedNanos(Duration.between(wall, scheduled)));
        }

        @Override
        public long next(long begin, long end) {
            Instant following = restarting ? cron.next(later(scheduled, wall)) : cron.next(scheduled);
            restarting = false;
            if (!following.isAfter(wall)) {
                following = cron.next(wall); // due before this iteration began, which ran for it: no burst
            }
            scheduled = following;
            return due(end);
        }

        @Override
        public boolean skips(long lateNanos) {
            return skip && lateNanos > tolerance && !restarting;
        }

        @Override
        public long skip(long now) {
            // The first instant at most `tolerance` ago: it runs (on time); those before it are skipped.
            scheduled = cron.next(wall.minusNanos(tolerance).minusNanos(1));
            return due(now);
        }

        @Override
        public long notHeld(long now, long retryNanos) {
            scheduled = cron.next(later(scheduled, wall));
            restarting = false;
            return due(now);
        }

        @Override
        public @Nullable Instant scheduledInstant() {
            return restarting ? null : scheduled;
        }

        @Override
        public boolean runsLate() {
            return true;
        }

        private static Instant later(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }

    /** {@code duration} in nanoseconds, saturating at about ±292 years. */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? -(BotClock.NO_DEADLINE - 1) : BotClock.NO_DEADLINE - 1;
        }
    }
}
