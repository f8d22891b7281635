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

    String next() {
        return field(0, 59) + " " + field(0, 59) + " " + field(0, 23) + " " + dayOfMonth() + " " + month() + " "
                + dayOfWeek();
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
            case 2 -> "L-" + random.nextInt(20);
            case 3 -> "LW";
            case 4 -> (1 + random.nextInt(28)) + "W";
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

    /** No steps here: cron counts them from Sunday (0), Spring from Monday. */
    private String dayOfWeek() {
        int a = 1 + random.nextInt(7); // 1 (MON) .. 7 (SUN)
        return switch (random.nextInt(12)) {
            case 0 -> "?";
            case 1 -> DAYS[a % 7] + "L";
            case 2 -> a + "L";
            case 3 -> DAYS[a % 7] + "#" + (1 + random.nextInt(4));
            case 4 -> a + "#" + (1 + random.nextInt(5));
            case 5 -> "MON-FRI";
            case 6 -> a + "-" + (a + random.nextInt(8 - a));
            case 7 -> DAYS[a % 7] + "," + DAYS[random.nextInt(7)];
            default -> "*";
        };
    }
}
