package dev.exmachina.core.internal.schedule;

import java.util.random.RandomGenerator;

/**
 * Random cron expressions of six fields (second first), in the part of the syntax whose meaning
 * Spring's {@code CronExpression} shares: for the fuzz test and the differential test.
 */
final class RandomCron {

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final RandomGenerator random;

    RandomCron(RandomGenerator random) {
        this.random = random;
    }

    /**
     * A day field with {@code L}, {@code W} or {@code #} comes with {@code ?} in the other, as Quartz
     * requires: Spring's answers for the two combined do not always match both (it gives Friday 18
     * December 2026 for {@code 18W} on Sundays only).
     */
    String next() {
        String time = field(0, 59) + " " + field(0, 59) + " " + field(0, 23) + " ";
        String day = dayOfMonth();
        String weekday = special(day) ? "?" : dayOfWeek();
        if (special(weekday)) {
            day = "?";
        }
        return time + day + " " + month() + " " + weekday;
    }

    private static boolean special(String dayField) {
        return dayField.contains("L") || dayField.contains("W") || dayField.contains("#");
    }

    /** {@code *}, a value, a range, a step or a list of those, in [min, max]. */
    private String field(int min, int max) {
        int items = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(3);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                field.append(',');
            }
            field.append(item(min, max));
        }
        return field.toString();
    }

    private String item(int min, int max) {
        int a = min + random.nextInt(max - min + 1);
        int b = a + random.nextInt(max - a + 1);
        int step = 1 + random.nextInt(Math.max(1, (max - min) / 2));
        return switch (random.nextInt(6)) {
            case 0 -> "*";
            case 1, 2 -> Integer.toString(a);
            case 3 -> a + "-" + b;
            case 4 -> "*/" + step;
            default -> a + (random.nextBoolean() ? "-" + b : "") + "/" + step;
        };
    }

    private String dayOfMonth() {
        return switch (random.nextInt(12)) {
            case 0 -> "?";
            case 1 -> "L";
            case 2 -> "L-" + (1 + random.nextInt(19));
            case 3 -> "LW";
            case 4 -> (1 + random.nextInt(27)) + "W"; // 28W-31W: Spring leaves the month (see CronSyntaxTest)
            case 5, 6, 7 -> "*";
            default -> field(1, 31);
        };
    }

    private String month() {
        if (random.nextInt(4) == 0) {
            int a = random.nextInt(12);
            return random.nextBoolean() ? MONTHS[a] : MONTHS[a] + "-" + MONTHS[a + random.nextInt(12 - a)];
        }
        return random.nextInt(3) == 0 ? field(1, 12) : "*";
    }

    /**
     * No steps here: cron counts them from Sunday (0), Spring from Monday. Numbers 1 (MON) to 6
     * (SAT) only: Spring reads a range ending at 7 (Sunday) wrongly ({@code ? * 7-7} matches every
     * weekday but Monday).
     */
    private String dayOfWeek() {
        int a = 1 + random.nextInt(7); // 1 (MON) .. 7 (SUN), named
        int n = 1 + random.nextInt(6); // 1 (MON) .. 6 (SAT), numbered
        return switch (random.nextInt(12)) {
            case 0 -> "?";
            case 1 -> DAYS[a % 7] + "L";
            case 2 -> n + "L";
            case 3 -> DAYS[a % 7] + "#" + (1 + random.nextInt(4));
            case 4 -> n + "#" + (1 + random.nextInt(5));
            case 5 -> "MON-FRI";
            case 6 -> n + "-" + (n + random.nextInt(7 - n));
            case 7 -> DAYS[a % 7] + "," + DAYS[random.nextInt(7)];
            default -> "*";
        };
    }
}
