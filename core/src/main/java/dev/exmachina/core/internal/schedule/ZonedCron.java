package dev.exmachina.core.internal.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cron expression on the wall clock of a zone, and the daylight-saving rule that turns its
 * wall-clock times into instants. Immutable, thread-safe.
 *
 * <p><b>The rule.</b> A matching wall-clock time
 * <ul>
 *   <li>that exists once runs at that instant;
 *   <li>that falls in a gap (clocks jump forward) runs at the first instant after the gap, the
 *       transition itself: several times of one gap fall on that one instant and run once;
 *   <li>that falls in an overlap (clocks go back) runs at its first occurrence; and also at its
 *       second when the hour field matches every hour, so that an expression that is an interval
 *       ("every 15 minutes") keeps to real time, with neither a hole nor a doubled run.
 * </ul>
 * A time at or before {@code after} never runs again: two times on one instant run once.
 *
 * <p><b>Bound.</b> {@link #next} makes at most {@link #MAX_ROUNDS} wall-clock searches, each of at
 * most {@link CronFields#MAX_MONTHS} months: a round only repeats after an overlap whose first
 * occurrences are already past, and it then jumps past that overlap.
 */
public final class ZonedCron {

    /** The most wall-clock searches of one {@link #next}: each but the last passes an overlap. */
    static final int MAX_ROUNDS = 8;

    private final String expression;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final CronFields fields;
    private final boolean everyHour;

    private ZonedCron(String expression, ZoneId zone, CronFields fields) {
        this.expression = expression;
        this.zone = zone;
        this.rules = zone.getRules();
        this.fields = fields;
        this.everyHour = fields.everyHour();
    }

    /**
     * Parses {@code expression} for {@code zone}.
     *
     * @throws IllegalArgumentException if it is malformed or never matches, naming the field and position
     */
    public static ZonedCron parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        return new ZonedCron(expression, zone, new CronParser(expression).parse());
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first scheduled instant strictly after {@code after}. */
    public Instant next(Instant after) {
        return next(after, null);
    }

    /** {@link #next(Instant)}, counting months visited into {@code steps[0]} when given. */
    Instant next(Instant after, int @Nullable [] steps) {
        ZoneOffset offset = rules.getOffset(after);
        LocalDateTime local = LocalDateTime.ofEpochSecond(after.getEpochSecond(), after.getNano(), offset);
        Instant secondPass = everyHour ? secondPass(after, local, offset, steps) : null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LocalDateTime candidate = fields.nextLocal(local, steps);
            if (candidate == null) {
                throw new DateTimeException("cron expression \"" + expression + "\" has no time after " + after);
            }
            ZoneOffsetTransition transition = rules.getTransition(candidate);
            Instant found;
            if (transition == null) {
                found = candidate.toInstant(rules.getOffset(candidate));
            } else if (transition.isGap()) {
                found = transition.getInstant(); // after `after`: the gap's wall-clock times come after local
            } else {
                found = inOverlap(candidate, transition, after);
                if (found == null) {
                    local = transition.getDateTimeBefore().minusSeconds(1); // past the overlap's wall-clock times
                    continue;
                }
            }
            if (!found.isAfter(after)) {
                local = candidate; // only around back-to-back transitions: search on
                continue;
            }
            return secondPass != null && secondPass.isBefore(found) ? secondPass : found;
        }
        throw new IllegalStateException("cron expression \"" + expression + "\" in " + zone + " passed more than "
                + MAX_ROUNDS + " overlaps after " + after + ": a bug, please report it");
    }

    /** The occurrence of an overlap's wall-clock time to run, if one is after {@code after}. */
    private @Nullable Instant inOverlap(LocalDateTime candidate, ZoneOffsetTransition overlap, Instant after) {
        Instant first = candidate.toInstant(overlap.getOffsetBefore());
        if (first.isAfter(after)) {
            return first;
        }
        if (everyHour) {
            Instant second = candidate.toInstant(overlap.getOffsetAfter());
            if (second.isAfter(after)) {
                return second;
            }
        }
        return null;
    }

    /**
     * For an every-hour expression, when {@code after} is in the first pass of an overlap: its first
     * time in the second pass, which the forward search from {@code local} does not see.
     */
    private @Nullable Instant secondPass(Instant after, LocalDateTime local, ZoneOffset offset, int @Nullable [] steps) {
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (transition == null || transition.isGap() || !offset.equals(transition.getOffsetBefore())) {
            return null;
        }
        LocalDateTime start = transition.getDateTimeAfter(); // the repeated wall-clock times begin here
        LocalDateTime candidate = fields.nextLocal(start.minusSeconds(1), steps);
        if (candidate == null || !candidate.isBefore(transition.getDateTimeBefore())) {
            return null;
        }
        Instant second = candidate.toInstant(transition.getOffsetAfter());
        return second.isAfter(after) ? second : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZonedCron that && fields.equals(that.fields) && zone.equals(that.zone)
                && expression.equals(that.expression);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " in " + zone;
    }
}
