package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
    /** Interval parsing is core's business; here a stand-in that reads whole seconds. */
    private static final Function<String, Duration> SECONDS = s -> {
        if (!s.matches("\\d+s")) throw new IllegalArgumentException("bad interval \"" + s + "\"");
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
    };

    @Test
    void defaultsTo15SecondsAndSeed42() {
        assertEquals(new DemoOptions(Duration.ofSeconds(15), 42, false), DemoOptions.parse(SECONDS));
    }

    @Test
    void readsBothOptionsInEitherForm() {
        assertEquals(new DemoOptions(Duration.ofSeconds(3), 7, false), DemoOptions.parse(SECONDS, "--duration", "3s", "--seed", "7"));
        assertEquals(new DemoOptions(Duration.ofSeconds(3), -7, false), DemoOptions.parse(SECONDS, "--seed=-7", "--duration=3s"));
    }

    @Test
    void runsOneBotInThisProcessUnlessAskedForAFleet() {
        assertEquals(0, DemoOptions.parse(SECONDS).fleet());
        assertEquals(3, DemoOptions.parse(SECONDS, "--fleet", "3").fleet());
        assertEquals(new DemoOptions(Duration.ofSeconds(20), 42, 16, false),
                DemoOptions.parse(SECONDS, "--fleet=16", "--duration", "20s"));
        assertTrue(DemoOptions.USAGE.contains("--fleet <processes>"), DemoOptions.USAGE);
    }

    @Test
    void saysWhatIsWrongWithABadFleet() {
        assertEquals("--fleet needs a value", message("--fleet"));
        assertEquals("--fleet takes 2 to 16 bot processes, got 1 (for one bot, leave --fleet out)", message("--fleet", "1"));
        assertEquals("--fleet takes 2 to 16 bot processes, got 0", message("--fleet=0"));
        assertEquals("--fleet takes 2 to 16 bot processes, got -3", message("--fleet", "-3"));
        assertEquals("--fleet takes 2 to 16 bot processes, got 17", message("--fleet", "17"));
        assertEquals("--fleet takes 2 to 16 bot processes, got 99999999999", message("--fleet", "99999999999"));
        assertEquals("--fleet takes a whole number of bot processes, 2 to 16, got \"three\"", message("--fleet", "three"));
        assertEquals("--fleet takes a whole number of bot processes, 2 to 16, got \"\"", message("--fleet="));
    }

    @Test
    void helpWinsOverTheRest() {
        assertTrue(DemoOptions.parse(SECONDS, "--seed", "1", "--help").help());
    }

    @Test
    void saysWhatIsWrongWithABadCommandLine() {
        assertEquals("unknown option \"--speed\"", message("--speed", "3"));
        assertEquals("--duration needs a value", message("--duration"));
        assertEquals("--seed takes a whole number, got \"x\"", message("--seed", "x"));
        assertEquals("bad interval \"3x\"", message("--duration", "3x"));
        assertEquals("--duration must be positive, got PT0S", message("--duration", "0s"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(SECONDS, args)).getMessage();
    }
}
