package dev.exmachina.examples.demo;

import java.time.Duration;
import java.util.function.Function;

/**
 * The demo's command line: {@code --duration <interval>} (default 15s), {@code --seed <long>}
 * (default 42) and {@code --fleet <processes>} (default: no fleet, one bot in the demo's process);
 * each also as {@code --name=value}. {@code --help} asks for the usage.
 *
 * @param fleet the bot processes of a fleet ({@link Fleet}), from 2 to {@link #MAX_FLEET}; 0 runs
 *              one bot in the demo's own process
 */
public record DemoOptions(Duration duration, long seed, int fleet, boolean help) {
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
    public static final long DEFAULT_SEED = 42;
    /** A bound on --fleet: each process is a JVM of its own. */
    public static final int MAX_FLEET = 16;

    public static final String USAGE = """
            Usage: demo [--duration <interval>] [--seed <number>] [--fleet <processes>]
              --duration  how long the bot runs before it stops and prints its summary,
                          as an interval such as 15s, 1m30s or 2.5s (default 15s)
              --seed      seeds the exchange's 503s and prices (default 42); the counts still vary
                          a little between runs, as requests meet the 1 s windows at other instants
              --fleet     runs that many bot processes (2 to 16) against the one exchange instead
                          of one bot; they share its limit through a redis-server the demo starts
                          (redis-server must be on the PATH), and the summary shows each process
                          and the exchange's totals
            Ctrl-C (SIGINT) or SIGTERM stops the bot early; the summary is still printed.""";

    public DemoOptions {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (fleet != 0 && (fleet < 2 || fleet > MAX_FLEET)) throw badFleet(fleet);
    }

    /** One bot in the demo's process, no fleet. */
    public DemoOptions(Duration duration, long seed, boolean help) {
        this(duration, seed, 0, help);
    }

    /**
     * Parses {@code args}; an unknown option, a missing value or a bad value is an
     * {@link IllegalArgumentException} that says which. {@code intervalParser} reads interval
     * strings such as {@code "15s"}.
     */
    public static DemoOptions parse(Function<String, Duration> intervalParser, String... args) {
        Duration duration = DEFAULT_DURATION;
        long seed = DEFAULT_SEED;
        int fleet = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) return new DemoOptions(duration, seed, fleet, true);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!name.equals("--duration") && !name.equals("--seed") && !name.equals("--fleet")) {
                throw new IllegalArgumentException("unknown option \"" + arg + "\"");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (++i < args.length) {
                value = args[i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--duration" -> duration = intervalParser.apply(value);
                case "--seed" -> seed = number(name, value, "a whole number");
                default -> {
                    long n = number(name, value, "a whole number of bot processes, 2 to " + MAX_FLEET);
                    if (n < 2 || n > MAX_FLEET) throw badFleet(n);
                    fleet = (int) n;
                }
            }
        }
        return new DemoOptions(duration, seed, fleet, false);
    }

    private static IllegalArgumentException badFleet(long n) {
        return new IllegalArgumentException("--fleet takes 2 to " + MAX_FLEET + " bot processes, got " + n
                + (n == 1 ? " (for one bot, leave --fleet out)" : ""));
    }

    private static long number(String name, String value, String what) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes " + what + ", got \"" + value + "\"");
        }
    }
}
