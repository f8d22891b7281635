package dev.exmachina.core.internal.schedule;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a cron expression in one pass over its characters: each character is looked at a bounded
 * number of times (at most twice: once to find its field, once to read it), then the calendar check
 * that the expression matches at all visits at most {@link CronFields#MAX_MONTHS} months. A
 * malformed expression is refused at the first fault, with the field and the 1-based position.
 * Not thread-safe: one parser per expression.
 */
final class CronParser {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String MONTHS = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    private static final String WEEKDAYS = "SUNMONTUEWEDTHUFRISAT";

    /** The fields, in the order of a six-field expression. */
    private enum Field {
        SECOND("second", 0, 59), MINUTE("minute", 0, 59), HOUR("hour", 0, 23), DAY("day-of-month", 1, 31),
        MONTH("month", 1, 12), WEEKDAY("day-of-week", 0, 7);

        final String label;
        final int min;
        final int max;

        Field(String label, int min, int max) {
            this.label = label;
            this.min = min;
            this.max = max;
        }
    }

    private final String expression;
    /** What is read: the expression, or the expansion of its macro. */
    private String text;
    /** Whether {@link #text} is a macro's expansion, for the positions in messages. */
    private boolean expanded;
    /** Characters looked at and months visited: the work done, for the tests of the bound. */
    int steps;

    private long seconds;
    private long minutes;
    private long hours;
    private long days;
    private long months;
    private long weekdays;
    private int lastDayOffsets;
    private int nearestWeekdays;
    private boolean lastWeekday;
    private long nthWeekdays;
    private int lastWeekdays;
    private boolean anyDay;
    private boolean anyWeekday;

    CronParser(String expression) {
        this.expression = expression;
        this.text = expression;
    }

    /** Parses, or throws {@link IllegalArgumentException} naming the field and position. */
    CronFields parse() {
        String trimmed = text.strip();
        steps += text.length();
        if (trimmed.startsWith("@")) {
            String expansion = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (expansion == null) {
                throw new IllegalArgumentException("cron expression \"" + expression + "\": unknown macro \"" + trimmed
                        + "\": use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
            }
            text = expansion;
            expanded = true;
        }
        int[] starts = new int[6];
        int[] ends = new int[6];
        int count = 0;
        int i = 0;
        while (i < text.length()) {
            steps++;
            if (isBlank(text.charAt(i))) {
                i++;
                continue;
            }
            if (count == 6) {
                throw fault(null, i, "more than 6 fields: write 5 (minute hour day-of-month month day-of-week)"
                        + " or 6 (second first), separated by spaces");
            }
            starts[count] = i;
            while (i < text.length() && !isBlank(text.charAt(i))) {
                i++;
            }
            ends[count++] = i;
        }
        if (count != 5 && count != 6) {
            throw new IllegalArgumentException("cron expression \"" + expression + "\" has " + count
                    + " fields: write 5 (minute hour day-of-month month day-of-week, as \"0 9 * * MON-FRI\")"
                    + " or 6 (second first, as \"0 0 9 * * MON-FRI\")");
        }
        int shift = 6 - count;
        if (shift == 1) {
            seconds = 1; // second 0
        }
        for (int f = 0; f < count; f++) {
            parseField(Field.values()[f + shift], starts[f], ends[f]);
        }
        CronFields fields = new CronFields(seconds, minutes, (int) hours, (int) days, lastDayOffsets, nearestWeekdays,
                lastWeekday, (int) months, (int) weekdays, nthWeekdays, lastWeekdays, anyDay, anyWeekday);
        int[] visited = new int[1];
        LocalDateTime some = fields.nextLocal(LocalDateTime.of(1999, 12, 31, 23, 59, 59), visited);
        steps += visited[0];
        if (some == null) {
            throw new IllegalArgumentException("cron expression \"" + expression + "\" never matches: no month has the"
                    + " day its day-of-month, month and day-of-week fields name together (as 30 February)");
        }
        return fields;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private void parseField(Field field, int start, int end) {
        if (end - start == 1 && (text.charAt(start) == '*' || text.charAt(start) == '?')) {
            if (text.charAt(start) == '?' && field != Field.DAY && field != Field.WEEKDAY) {
                throw fault(field, start, "'?' is only for day-of-month and day-of-week: write '*'");
            }
            steps++;
            if (field == Field.DAY) {
                anyDay = true;
            } else if (field == Field.WEEKDAY) {
                anyWeekday = true;
            } else {
                set(field, field.min, field.max, 1);
            }
            return;
        }
        int item = start;
        for (int i = start; i <= end; i++) {
            steps++;
            if (i == end || text.charAt(i) == ',') {
                if (i == item) {
                    throw fault(field, i, "empty entry in a list: write values separated by single commas");
                }
                parseItem(field, item, i);
                item = i + 1;
            }
        }
    }

    private void parseItem(Field field, int start, int end) {
        char first = text.charAt(start);
        if (first == '?') {
            throw fault(field, start, "'?' stands alone: write '?' as the whole field");
        }
        if (dayItem(field, start, end)) {
            return;
        }
        int slash = indexOf('/', start, end);
        int rangeEnd = slash < 0 ? end : slash;
        if (rangeEnd == start) {
            throw fault(field, start, "a step needs a start: write */" + text.substring(slash + 1, end));
        }
        int low;
        int high;
        int dash = indexOf('-', start, rangeEnd);
        if (rangeEnd - start == 1 && first == '*') {
            low = field.min;
            high = field.max;
        } else if (dash >= 0) {
            low = value(field, start, dash);
            high = value(field, dash + 1, rangeEnd);
            if (low > high) {
                throw fault(field, start, "range " + text.substring(start, rangeEnd) + " runs backwards: ranges do not"
                        + " wrap, write it as two ranges in a list");
            }
        } else {
            low = value(field, start, rangeEnd);
            high = slash < 0 ? low : field.max;
        }
        int step = 1;
        if (slash >= 0) {
            step = slash + 1 < end ? digits(field, slash + 1, end) : 0;
            if (step < 1 || step > field.max - field.min + 1) {
                throw fault(field, slash + 1, "step \"" + text.substring(slash + 1, end) + "\" must be 1 to "
                        + (field.max - field.min + 1));
            }
        }
        set(field, low, high, step);
    }

    /** The day fields' own forms: L, L-n, LW, nW; dL, d#n. @return whether the item was one */
    private boolean dayItem(Field field, int start, int end) {
        char first = text.charAt(start);
        char last = text.charAt(end - 1);
        if (field == Field.DAY && (first == 'L' || first == 'l')) {
            lastDay(start, end);
            return true;
        }
        if (field == Field.DAY && (last == 'W' || last == 'w') && end - start > 1) {
            nearestWeekdays |= 1 << number(field, start, end - 1);
            return true;
        }
        if (field == Field.WEEKDAY && (last == 'L' || last == 'l')) {
            if (end - start == 1) {
                throw fault(field, start, "'L' needs a day: write FRIL or 5L for the last Friday of the month");
            }
            lastWeekdays |= 1 << weekdayBit(value(field, start, end - 1));
            return true;
        }
        int hash = field == Field.WEEKDAY ? indexOf('#', start, end) : -1;
        if (hash >= 0) {
            int weekday = weekdayBit(value(field, start, hash));
            int nth = hash + 1 < end ? digits(field, hash + 1, end) : -1;
            if (nth < 1 || nth > 5) {
                throw fault(field, hash + 1, "'#' takes 1 to 5 (MON#1: the first Monday), not \""
                        + text.substring(hash + 1, end) + "\"");
            }
            nthWeekdays |= 1L << (weekday * 5 + nth - 1);
            return true;
        }
        return false;
    }

    private void lastDay(int start, int end) {
        String item = text.substring(start, end).toUpperCase(Locale.ROOT);
        if (item.equals("L")) {
            lastDayOffsets |= 1;
        } else if (item.equals("LW")) {
            lastWeekday = true;
        } else if (item.startsWith("L-") && item.length() > 2) {
            int offset = digits(Field.DAY, start + 2, end);
            if (offset > 30) {
                throw fault(Field.DAY, start + 2, "L-n takes n from 0 to 30, not " + offset);
            }
            lastDayOffsets |= 1 << offset;
        } else {
            throw fault(Field.DAY, start, "\"" + text.substring(start, end) + "\" is not L, L-n or LW");
        }
    }

    private void set(Field field, int low, int high, int step) {
        for (int v = low; v <= high; v += step) {
            steps++;
            switch (field) {
                case SECOND -> seconds |= 1L << v;
                case MINUTE -> minutes |= 1L << v;
                case HOUR -> hours |= 1L << v;
                case DAY -> days |= 1L << v;
                case MONTH -> months |= 1L << v;
                case WEEKDAY -> weekdays |= 1L << weekdayBit(v);
            }
        }
    }

    /** Cron's 0-7 (Sunday 0 and 7) to bit 0 (Monday) .. 6 (Sunday). */
    private static int weekdayBit(int cronWeekday) {
        return cronWeekday == 0 || cronWeekday == 7 ? 6 : cronWeekday - 1;
    }

    private int indexOf(char c, int start, int end) {
        for (int i = start; i < end; i++) {
            steps++;
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** A number or, in the month and day-of-week fields, a three-letter name, in the field's range. */
    private int value(Field field, int start, int end) {
        if (start < end && Character.isLetter(text.charAt(start))) {
            String names = field == Field.MONTH ? MONTHS : field == Field.WEEKDAY ? WEEKDAYS : null;
            if (names != null && end - start == 3) {
                steps += 3;
                String name = text.substring(start, end).toUpperCase(Locale.ROOT);
                int at = names.indexOf(name);
                if (at >= 0 && at % 3 == 0) {
                    return at / 3 + (field == Field.MONTH ? 1 : 0);
                }
            }
            throw fault(field, start, "\"" + text.substring(start, end) + "\" is not "
                    + (names == MONTHS ? "a month (1-12 or JAN-DEC)"
                            : names == WEEKDAYS ? "a day of the week (0-7 or SUN-SAT)"
                            : "a number from " + field.min + " to " + field.max));
        }
        return number(field, start, end);
    }

    private int number(Field field, int start, int end) {
        int n = digits(field, start, end);
        if (n < field.min || n > field.max) {
            throw fault(field, start, n + " is out of range: " + field.label + " is " + field.min + " to " + field.max);
        }
        return n;
    }

    /** Plain decimal digits, at most four of them. */
    private int digits(Field field, int start, int end) {
        if (start == end) {
            throw fault(field, start, "a number is missing");
        }
        if (end - start > 4) {
            throw fault(field, start, "\"" + text.substring(start, end) + "\" is too long for a number of the "
                    + field.label + " field (" + field.min + " to " + field.max + ")");
        }
        int n = 0;
        for (int i = start; i < end; i++) {
            steps++;
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw fault(field, i, "unexpected '" + c + "' in \"" + text.substring(start, end) + "\": expected a digit");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private IllegalArgumentException fault(@org.jspecify.annotations.Nullable Field field, int at, String what) {
        String where = !expanded
                ? "position " + (at + 1)
                : "position " + (at + 1) + " of its expansion \"" + text + "\"";
        return new IllegalArgumentException("cron expression \"" + expression + "\": "
                + (field == null ? "" : field.label + " field, ") + where + ": " + what);
    }
}
