package dev.exmachina.examples.demo;

import java.time.Duration;
import java.util.function.Function;

/**
 * The demo's command line: {@code --duration <interval>} (default 15s) and {@code --seed <long>}
 * (default 42); both also as {@code --name=value}. {@code --help} asks for the usage.
 */
public record DemoOptions(Duration duration, long seed, boolean help) {
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
    public static final long DEFAULT_SEED = 42;

    public static final String USAGE = """
            Usage: demo [--duration <interval>] [--seed <number>]
              --duration  how long the bot runs before it stops and prints its summary,
                          as an interval such as 15s, 1m30s or 2.5s (default 15s)
              --seed      seeds the exchange's 503s and prices (default 42); the counts still vary
                          a little between runs, as requests meet the 1 s windows at other instants
            Ctrl-C (SIGINT) or SIGTERM stops the bot early; the summary is still printed.""";

    public DemoOptions {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
    }

    /**
     * Parses {@code args}; an unknown option, a missing value or a bad value is an
     * {@link IllegalArgumentException} that says which. {@code intervalParser} reads interval
     * strings such as {@code "15s"}.
     */
    public static DemoOptions parse(Function<String, Duration> intervalParser, String... args) {
        Duration duration = DEFAULT_DURATION;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) return new DemoOptions(duration, seed, true);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!name.equals("--duration") && !name.equals("--seed")) {
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
            if (name.equals("--duration")) {
                duration = intervalParser.apply(value);
            } else {
                try {
                    seed = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--seed takes a whole number, got \"" + value + "\"");
                }
            }
        }
        return new DemoOptions(duration, seed, false);
    }
}
