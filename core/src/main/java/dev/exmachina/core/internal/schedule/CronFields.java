package dev.exmachina.core.internal.schedule;

import java.time.LocalDateTime;
import java.time.Year;
import org.jspecify.annotations.Nullable;

/**
 * A parsed cron expression as bit sets, and the search for the next matching wall-clock time. Knows
 * nothing of zones: {@link ZonedCron} applies the daylight-saving rule. Immutable, thread-safe.
 *
 * <p><b>Bound.</b> The search visits at most {@link #MAX_MONTHS} months, each in a constant number
 * of bit operations (at most one pass over the 31 days of its special entries): the Gregorian
 * calendar repeats every 400 years (146,097 days, a whole number of weeks), so an expression that
 * matches at all matches within any 400 years and a month; the parser refuses one that never
 * matches.
 */
final class CronFields {

    /** The most months one search visits: a 400-year Gregorian cycle, plus the partial months at both ends. */
    static final int MAX_MONTHS = 401 * 12 + 1;

    final long seconds; // bits 0-59
    final long minutes; // bits 0-59
    final int hours; // bits 0-23
    final int months; // bits 1-12
    /** Plain days of the month, bits 1-31; all set when the field is any. */
    final int days;
    /** {@code L-n}: bits n = 0..30 (L is L-0). */
    final int lastDayOffsets;
    /** {@code nW}: bits n = 1..31. */
    final int nearestWeekdays;
    final boolean lastWeekday; // LW
    /** Days of the week, bits 0 (Monday) to 6 (Sunday); all set when the field is any. */
    final int weekdays;
    /** {@code d#n}: bit (d * 5 + n - 1), d = 0 (Monday) .. 6. */
    final long nthWeekdays;
    /** {@code dL}: bits d = 0 (Monday) .. 6. */
    final int lastWeekdays;
    /** The day of the week matches any day. */
    final boolean anyWeekday;
    /** The day of the month matches any day. */
    final boolean anyDay;
    /** {@link #weekdays} as days of a month, by the day of the week of its first day. */
    private final int[] weekdaysByFirst = new int[7];
    private final int firstSecondOfDay;

    CronFields(long seconds, long minutes, int hours, int days, int lastDayOffsets, int nearestWeekdays,
            boolean lastWeekday, int months, int weekdays, long nthWeekdays, int lastWeekdays, boolean anyDay,
            boolean anyWeekday) {
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.months = months;
        this.days = days;
        this.lastDayOffsets = lastDayOffsets;
        this.nearestWeekdays = nearestWeekdays;
        this.lastWeekday = lastWeekday;
        this.weekdays = weekdays;
        this.nthWeekdays = nthWeekdays;
        this.lastWeekdays = lastWeekdays;
        this.anyDay = anyDay;
        this.anyWeekday = anyWeekday;
        for (int first = 0; first < 7; first++) {
            int mask = 0;
            for (int day = 1; day <= 31; day++) {
                if ((weekdays & (1 << ((first + day - 1) % 7))) != 0) {
                    mask |= 1 << day;
                }
            }
            weekdaysByFirst[first] = mask;
        }
        this.firstSecondOfDay = Integer.numberOfTrailingZeros(hours) * 3600
                + Long.numberOfTrailingZeros(minutes) * 60 + Long.numberOfTrailingZeros(seconds);
    }

    /** Whether the hour field matches every hour: the expression is then an interval in an overlap. */
    boolean everyHour() {
        return hours == (1 << 24) - 1;
    }

    /**
     * The first wall-clock time strictly after {@code after}, at whole seconds, that matches.
     *
     * @param steps counts the months visited, for the tests of the bound; may be null
     * @return the time, or null if none within {@link #MAX_MONTHS} months (only for an expression that
     *     never matches) or before the last year {@link LocalDateTime} holds
     */
    @Nullable LocalDateTime nextLocal(LocalDateTime after, int @Nullable [] steps) {
        LocalDateTime start = after.withNano(0).plusSeconds(1);
        int year = start.getYear();
        int month = start.getMonthValue();
        int day = start.getDayOfMonth();
        int second = start.toLocalTime().toSecondOfDay();
        for (int visited = 1; visited <= MAX_MONTHS; visited++) {
            if (steps != null) {
                steps[0]++;
            }
            if ((months & (1 << month)) != 0) {
                int matching = days(year, month) & (-1 << day);
                while (matching != 0) { // at most twice: a later day always has a first time
                    int found = Integer.numberOfTrailingZeros(matching);
                    int time = found == day ? timeOnOrAfter(second) : firstSecondOfDay;
                    if (time >= 0) {
                        return LocalDateTime.of(year, month, found, time / 3600, time / 60 % 60, time % 60);
                    }
                    matching &= matching - 1;
                }
            }
            int nextMonth = Integer.numberOfTrailingZeros(months & (-1 << (month + 1)));
            if (nextMonth > 12) {
                if (year >= Year.MAX_VALUE) {
                    return null;
                }
                year++;
                nextMonth = Integer.numberOfTrailingZeros(months);
            }
            month = nextMonth;
            day = 1;
            second = 0;
        }
        return null;
    }

    /** The first matching second of the day at or after {@code secondOfDay}, or -1: at most three lookups. */
    private int timeOnOrAfter(int secondOfDay) {
        int h = secondOfDay / 3600;
        int m = secondOfDay / 60 % 60;
        int s = secondOfDay % 60;
        int hour = next(hours, h);
        if (hour < 0) {
            return -1;
        }
        if (hour > h) {
            return hour * 3600 + Long.numberOfTrailingZeros(minutes) * 60 + Long.numberOfTrailingZeros(seconds);
        }
        int minute = next(minutes, m);
        if (minute == m) {
            int sec = next(seconds, s);
            if (sec >= 0) {
                return h * 3600 + m * 60 + sec;
            }
            minute = next(minutes, m + 1);
        }
        if (minute >= 0) {
            return h * 3600 + minute * 60 + Long.numberOfTrailingZeros(seconds);
        }
        hour = next(hours, h + 1);
        return hour < 0 ? -1 : hour * 3600 + Long.numberOfTrailingZeros(minutes) * 60 + Long.numberOfTrailingZeros(seconds);
    }

    /** The lowest set bit of {@code bits} at or above {@code from}, or -1. */
    private static int next(long bits, int from) {
        if (from > 63) {
            return -1;
        }
        long above = bits & (-1L << from);
        return above == 0 ? -1 : Long.numberOfTrailingZeros(above);
    }

    /** The matching days of a month, bits 1 to its length: both day fields must match. */
    int days(int year, int month) {
        int length = java.time.Month.of(month).length(Year.isLeap(year));
        int valid = (int) ((1L << (length + 1)) - 2);
        int first = java.time.LocalDate.of(year, month, 1).getDayOfWeek().getValue() - 1; // 0 = Monday
        int byDay = anyDay ? valid : dayOfMonth(length, first) & valid;
        if (byDay == 0) {
            return 0;
        }
        int byWeekday = anyWeekday ? valid : dayOfWeek(length, first) & valid;
        return byDay & byWeekday;
    }

    private int dayOfMonth(int length, int first) {
        int mask = days;
        for (int offsets = lastDayOffsets; offsets != 0; offsets &= offsets - 1) {
            int day = length - Integer.numberOfTrailingZeros(offsets);
            if (day >= 1) {
                mask |= 1 << day;
            }
        }
        for (int nearest = nearestWeekdays; nearest != 0; nearest &= nearest - 1) {
            int day = Integer.numberOfTrailingZeros(nearest);
            if (day <= length) {
                mask |= 1 << nearestWeekday(day, length, first);
            }
        }
        if (lastWeekday) {
            int weekday = (first + length - 1) % 7;
            mask |= 1 << (weekday == 5 ? length - 1 : weekday == 6 ? length - 2 : length);
        }
        return mask;
    }

    /** The weekday nearest {@code day} without leaving the month (Saturday: Friday, or Monday on the 1st). */
    private static int nearestWeekday(int day, int length, int first) {
        int weekday = (first + day - 1) % 7;
        if (weekday == 5) {
            return day > 1 ? day - 1 : day + 2;
        }
        if (weekday == 6) {
            return day < length ? day + 1 : day - 2;
        }
        return day;
    }

    private int dayOfWeek(int length, int first) {
        int mask = weekdaysByFirst[first];
        for (long nth = nthWeekdays; nth != 0; nth &= nth - 1) {
            int bit = Long.numberOfTrailingZeros(nth);
            int day = 1 + Math.floorMod(bit / 5 - first, 7) + 7 * (bit % 5);
            if (day <= length) {
                mask |= 1 << day;
            }
        }
        int lastOfMonth = (first + length - 1) % 7;
        for (int last = lastWeekdays; last != 0; last &= last - 1) {
            int weekday = Integer.numberOfTrailingZeros(last);
            mask |= 1 << (length - Math.floorMod(lastOfMonth - weekday, 7));
        }
        return mask;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronFields that && seconds == that.seconds && minutes == that.minutes
                && hours == that.hours && months == that.months && days == that.days
                && lastDayOffsets == that.lastDayOffsets && nearestWeekdays == that.nearestWeekdays
                && lastWeekday == that.lastWeekday && weekdays == that.weekdays && nthWeekdays == that.nthWeekdays
                && lastWeekdays == that.lastWeekdays && anyDay == that.anyDay && anyWeekday == that.anyWeekday;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seconds * 31 + minutes) * 31 + hours * 17 + days * 13 + months + weekdays * 7;
    }
}
