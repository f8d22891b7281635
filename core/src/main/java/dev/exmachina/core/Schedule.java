package dev.exmachina.core;

import dev.exmachina.core.internal.schedule.ZonedCron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When an emit's iterations run: the one place that answers "when does the next iteration run", and
 * what happens when one begins late. Immutable.
 *
 * <ul>
 *   <li>{@link #fixedDelay(Duration)}: wait the interval after each iteration ends (what
 *       {@link EmitOptions#every(Duration)} and {@link EmitMode#AFTER} give);
 *   <li>{@link #fixedRate(Duration)}: begin an iteration every interval, counted from the beginning
 *       of the previous one ({@link EmitMode#ENTIRE});
 *   <li>{@link #cron(String, ZoneId)}: at the instants a cron expression names on the wall clock of a
 *       time zone, with an explicit daylight-saving rule (see {@link Cron}).
 * </ul>
 *
 * <p><b>Late iterations (misfires).</b> An iteration is late when it begins after its scheduled
 * instant: the previous iteration ran past it, the machine was paused, or the wall clock jumped.
 * A fixed rate or a cron schedule then does what its {@link Misfire} says: {@link Misfire#RUN_ONCE}
 * runs one iteration at once, {@link Misfire#SKIP} waits for the next scheduled instant. Never a
 * burst: however many scheduled instants were missed, at most one late iteration runs for them.
 * {@link Event#scheduledAt()} and {@link Event#lateness()} tell each iteration when it was due.
 *
 * <p>Fixed delay and fixed rate are measured on the bot clock's monotonic time
 * ({@link BotClock#nanoTime()}); a cron schedule reads the wall time ({@link BotClock#instant()}),
 * so on a {@code VirtualClock} it follows virtual time.
 */
public sealed interface Schedule permits Schedule.FixedDelay, Schedule.FixedRate, Schedule.Cron {

    /** How late an iteration may begin and still be on time, unless a schedule says otherwise: one second. */
    Duration DEFAULT_TOLERANCE = Duration.ofSeconds(1);

    /**
     * Waits {@code interval} after each iteration ends: a fixed delay.
     *
     * @param interval the wait after each iteration ({@link Duration#ZERO}: none); at most
     *     {@link EmitOptions#MAX_INTERVAL}
     * @return the schedule
     * @throws IllegalArgumentException if {@code interval} is negative or too long
     */
    static FixedDelay fixedDelay(Duration interval) {
        return new FixedDelay(interval);
    }

    /**
     * Begins an iteration every {@code interval}, counted from the beginning of the previous one: a
     * fixed rate. An iteration that runs past the next one's instant is followed at once by the next
     * ({@link Misfire#RUN_ONCE}, with a warning giving the lag), the rate counted from there.
     *
     * @param interval the time between the beginnings of two iterations; at most
     *     {@link EmitOptions#MAX_INTERVAL}
     * @return the schedule, {@link Misfire#RUN_ONCE}, {@link #DEFAULT_TOLERANCE}
     * @throws IllegalArgumentException if {@code interval} is negative or too long
     */
    static FixedRate fixedRate(Duration interval) {
        return new FixedRate(interval, Misfire.RUN_ONCE, DEFAULT_TOLERANCE);
    }

    /**
     * At the instants {@code expression} names on the wall clock of {@code zone}, such as
     * {@code cron("0 9 * * MON-FRI", ZoneId.of("America/New_York"))}: weekdays at 09:00 New York
     * time. The syntax and the daylight-saving rule are described on {@link Cron}.
     *
     * @param expression five fields ({@code minute hour day-of-month month day-of-week}), six (a
     *     second first), or a macro such as {@code @daily}
     * @param zone the time zone whose wall clock the expression reads
     * @return the schedule, {@link Misfire#RUN_ONCE}, {@link #DEFAULT_TOLERANCE}
     * @throws IllegalArgumentException if {@code expression} is malformed or never matches; the
     *     message names the field and the position
     */
    static Cron cron(String expression, ZoneId zone) {
        return new Cron(ZonedCron.parse(expression, zone), Misfire.RUN_ONCE, DEFAULT_TOLERANCE);
    }

    /** What a late iteration does (see {@link Schedule}). */
    enum Misfire {
        /**
         * Runs one iteration at once, however many scheduled instants were missed; the schedule goes
         * on from there. The default.
         */
        RUN_ONCE,
        /**
         * Runs nothing for the missed instants: waits for the next scheduled instant. An iteration
         * late by no more than the schedule's tolerance still runs.
         */
        SKIP
    }

    /**
     * Waits {@code interval} after each iteration ends. Never late by its own schedule: a wait that
     * ends late (a paused machine) is followed by the iteration at once.
     *
     * @param interval the wait after each iteration ({@link Duration#ZERO}: none); at most
     *     {@link EmitOptions#MAX_INTERVAL}
     */
    record FixedDelay(Duration interval) implements Schedule {

        /**
         * Checks the interval.
         *
         * @param interval the wait after each iteration; at most {@link EmitOptions#MAX_INTERVAL}
         * @throws IllegalArgumentException if {@code interval} is negative or too long
         */
        public FixedDelay {
            checkInterval(interval);
        }
    }

    /**
     * Begins an iteration every {@code interval}, counted from the beginning of the previous one.
     * Under {@link Misfire#RUN_ONCE} a late iteration runs at once and the rate is counted from its
     * beginning; under {@link Misfire#SKIP} the iterations keep to the instants first, first +
     * interval, first + 2 × interval…, and the missed ones are skipped.
     *
     * @param interval the time between the beginnings of two iterations; at most
     *     {@link EmitOptions#MAX_INTERVAL}
     * @param misfire what a late iteration does
     * @param tolerance how late an iteration may begin and still be on time ({@link Misfire#SKIP}
     *     skips only beyond it)
     */
    record FixedRate(Duration interval, Misfire misfire, Duration tolerance) implements Schedule {

        /**
         * Checks the settings.
         *
         * @param interval the time between the beginnings of two iterations
         * @param misfire what a late iteration does
         * @param tolerance how late an iteration may begin and still be on time, not negative
         * @throws IllegalArgumentException if {@code interval} is negative or too long, or
         *     {@code tolerance} negative
         */
        public FixedRate {
            checkInterval(interval);
            Objects.requireNonNull(misfire, "misfire");
            checkTolerance(tolerance);
        }

        /**
         * A copy whose late iterations do as {@code misfire} says.
         *
         * @param misfire what a late iteration does
         * @return a copy with that rule
         */
        public FixedRate misfire(Misfire misfire) {
            return new FixedRate(interval, misfire, tolerance);
        }

        /**
         * A copy that counts an iteration as on time when it begins at most {@code tolerance} late.
         *
         * @param tolerance not negative
         * @return a copy with that tolerance
         */
        public FixedRate tolerance(Duration tolerance) {
            return new FixedRate(interval, misfire, tolerance);
        }
    }

    /**
     * A cron expression read on the wall clock of a time zone. Immutable, thread-safe.
     *
     * <p><b>Syntax.</b> Five fields {@code minute hour day-of-month month day-of-week} (the second is
     * then 0), or six with the {@code second} first, separated by spaces. Each field is {@code *}, a
     * value, a range {@code a-b}, a step <code>&#42;/n</code>, {@code a/n} or {@code a-b/n}, or a comma-separated
     * list of those. Seconds and minutes are 0-59, hours 0-23, days
     * of the month 1-31, months 1-12 or {@code JAN}-{@code DEC}, days of the week 0-7 or
     * {@code SUN}-{@code SAT} (0 and 7 are Sunday); names are case-insensitive. {@code ?} means any,
     * in the two day fields. The day of the month also takes {@code L} (the last day), {@code L-n}
     * (n days before it), {@code nW} (the weekday nearest day n, within the month) and {@code LW} (the
     * last weekday); the day of the week takes {@code dL} (the last such day of the month, as
     * {@code FRIL}) and {@code d#n} (the n-th, as {@code MON#1}). Macros: {@code @yearly} (or
     * {@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} (or {@code @midnight}),
     * {@code @hourly}. When both day fields are restricted, a day must match both (as in Spring and
     * Quartz; Vixie cron takes either). An expression that never matches (day 30 of February) is
     * refused.
     *
     * <p><b>Daylight saving.</b> Times are matched on the zone's wall clock, then:
     * <ul>
     *   <li>a time that does not exist (clocks jump forward over it) runs once, at the first instant
     *       after the gap; several times in one gap run once;
     *   <li>a time that exists twice (clocks go back) runs once, at its first occurrence, unless the
     *       hour field matches every hour: then the expression is taken as an interval and runs at
     *       both occurrences, so "every 15 minutes" has neither a hole nor a doubled run;
     *   <li>two matching times that fall on one instant run once.
     * </ul>
     */
    final class Cron implements Schedule {

        private final ZonedCron cron;
        private final Misfire misfire;
        private final Duration tolerance;

        private Cron(ZonedCron cron, Misfire misfire, Duration tolerance) {
            this.cron = cron;
            this.misfire = Objects.requireNonNull(misfire, "misfire");
            this.tolerance = checkTolerance(tolerance);
        }

        /**
         * The expression as it was written.
         *
         * @return the expression
         */
        public String expression() {
            return cron.expression();
        }

        /**
         * The zone whose wall clock the expression reads.
         *
         * @return the zone
         */
        public ZoneId zone() {
            return cron.zone();
        }

        /**
         * What a late iteration does.
         *
         * @return the misfire rule; {@link Misfire#RUN_ONCE} by default
         */
        public Misfire misfire() {
            return misfire;
        }

        /**
         * How late an iteration may begin and still be on time.
         *
         * @return the tolerance; {@link #DEFAULT_TOLERANCE} by default
         */
        public Duration tolerance() {
            return tolerance;
        }

        /**
         * A copy whose late iterations do as {@code misfire} says.
         *
         * @param misfire what a late iteration does
         * @return a copy with that rule
         */
        public Cron misfire(Misfire misfire) {
            return new Cron(cron, misfire, tolerance);
        }

        /**
         * A copy that counts an iteration as on time when it begins at most {@code tolerance} late.
         *
         * @param tolerance not negative
         * @return a copy with that tolerance
         */
        public Cron tolerance(Duration tolerance) {
            return new Cron(cron, misfire, tolerance);
        }

        /**
         * The first scheduled instant strictly after {@code after}, by the daylight-saving rule above.
         * Takes a bounded number of steps (at most a 400-year Gregorian cycle of months).
         *
         * @param after any instant
         * @return the next scheduled instant
         * @throws java.time.DateTimeException if it would be past the year 999,999,999
         */
        public Instant next(Instant after) {
            return cron.next(Objects.requireNonNull(after, "after"));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cron that && cron.equals(that.cron) && misfire == that.misfire
                    && tolerance.equals(that.tolerance);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cron, misfire, tolerance);
        }

        @Override
        public String toString() {
            return "Cron[" + cron.expression() + " in " + cron.zone() + ", misfire " + misfire + ", tolerance "
                    + tolerance + "]";
        }
    }

    private static void checkInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, was " + interval);
        }
        if (interval.compareTo(EmitOptions.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval must be at most " + EmitOptions.MAX_INTERVAL
                    + " (Long.MAX_VALUE nanoseconds, about 292 years), was " + interval);
        }
    }

    private static Duration checkTolerance(Duration tolerance) {
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance
                    + ": use Duration.ZERO for none");
        }
        return tolerance;
    }
}
