package dev.exmachina.bench;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P6: a day of virtual time. Emits at 1 s, each iteration forking an execute and joining it, run
 * under {@link VirtualClock} until every emit has done its count; reports the wall time and the
 * clock's steps (thread hand-overs and time jumps) per second of wall time.
 *
 * <pre>java --enable-preview -cp benchmarks.jar dev.exmachina.bench.VirtualDay --emits=10 --seconds=86400</pre>
 */
public final class VirtualDay {
    private VirtualDay() {}

    public record Result(int emits, long seconds, long iterations, long executes, Duration virtual,
                         long wallNanos, long steps) {
        public String row() {
            return String.format(Locale.ROOT, "| %d × %d s | %d | %d | %s | %.2f s | %d | %.0f | %.0f |",
                    emits, seconds, iterations, executes, virtual, wallNanos / 1e9, steps,
                    steps / (wallNanos / 1e9), iterations / (wallNanos / 1e9));
        }

        public static String header() {
            return "| emits × iterations @1 s | iterations | executes | virtual time | wall | clock steps"
                    + " | steps/s | iterations/s |\n|---|---|---|---|---|---|---|---|";
        }
    }

    public static Result run(int emits, long seconds) throws Exception {
        var clock = VirtualClock.create();
        var bot = Machina.builder().clock(clock).build();
        var iterations = new AtomicLong();
        var executes = new AtomicLong();
        Execute<Integer, Long> work = bot.execute("work", ExecuteOptions.defaults(), x -> executes.incrementAndGet());
        for (int i = 0; i < emits; i++) {
            int emit = i;
            bot.emit("tick-" + i, EmitOptions.every(Duration.ofSeconds(1)).count(seconds), event -> {
                iterations.incrementAndGet();
                event.execute(work, emit).join();
            });
        }
        long t0 = System.nanoTime();
        bot.run();
        long wall = System.nanoTime() - t0;
        bot.close();
        return new Result(emits, seconds, iterations.get(), executes.get(), clock.elapsed(), wall, clock.steps());
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv);
        var result = run(args.integer("emits", 10), args.number("seconds", 86_400));
        System.out.printf(Locale.ROOT, "Virtual day: %d cores%n", Runtime.getRuntime().availableProcessors());
        System.out.println(Result.header());
        System.out.println(result.row());
    }
}
