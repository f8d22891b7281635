package dev.exmachina.bench;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1: one task forked and joined from a virtual thread. Each invocation starts one virtual thread
 * that does {@link #BATCH} fork+join rounds, so the thread start is spread thin over the rounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class ForkJoinBench {
    static final int BATCH = 1_000;

    /** The anchor: open a scope, fork one task, join, close; what core does at the least. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bareScope() throws Exception {
        return VirtualThreads.call(() -> {
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                int arg = i;
                try (var scope = StructuredTaskScope.open()) {
                    var task = scope.fork(() -> arg + 1);
                    scope.join();
                    sum += task.get();
                }
            }
            return sum;
        });
    }

    /** A fresh bot per invocation (a bot's counted emit runs once per run), built outside the timing. */
    @State(Scope.Thread)
    public static class Bot {
        Machina bot;
        long sum;

        /** {@code perIteration}: one fork per emit iteration, else all forks in one iteration. */
        void build(boolean perIteration) {
            bot = Machina.builder().build();
            Execute<Integer, Integer> plusOne = bot.execute("plusOne", ExecuteOptions.defaults(), x -> x + 1);
            sum = 0;
            if (perIteration) {
                bot.emit("fork", EmitOptions.defaults().count(BATCH),
                        event -> sum += event.execute(plusOne, (int) event.epoch()).join());
            } else {
                bot.emit("fork", EmitOptions.defaults().count(1), event -> {
                    for (int i = 0; i < BATCH; i++) sum += event.execute(plusOne, i).join();
                });
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            bot.close();
        }
    }

    @State(Scope.Thread)
    public static class OneIteration extends Bot {
        @Setup(Level.Invocation)
        public void setUp() {
            build(false);
        }
    }

    @State(Scope.Thread)
    public static class IterationEach extends Bot {
        @Setup(Level.Invocation)
        public void setUp() {
            build(true);
        }
    }

    /**
     * Core: one emit iteration forks an execute and joins it, {@link #BATCH} times in a row. The
     * emit's run opens its scope on the first fork and keeps it; the anchor opens one per fork.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long coreForkJoin(OneIteration state) throws Exception {
        state.bot.run();
        return state.sum;
    }

    /**
     * Core: an emit of {@link #BATCH} iterations, each forking one execute and joining it, as a bot
     * does: adds the cost of an emit iteration to each fork.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long coreForkJoinPerIteration(IterationEach state) throws Exception {
        state.bot.run();
        return state.sum;
    }
}
