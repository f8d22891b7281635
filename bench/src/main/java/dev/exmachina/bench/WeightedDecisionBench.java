package dev.exmachina.bench;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One weighted decision, uncontended (one caller, the window never full): an in-memory group's window
 * counting a call's cost ({@link ExecuteOptions#cost(int)}: 250, an exchange's order book of depth
 * 5,000) next to Bucket4j's {@code tryConsume(250)} on a local bucket that never runs out; and the same
 * with a cost of 1 ({@code tryConsume(1)}), the unweighted decision. Ours is a whole call (decision,
 * handler, release) through a sliding window that keeps one instant (and its cost) per start, short
 * (10 µs) for the reason {@link DirectCallBench} gives; Bucket4j's is a token bucket (one state, no
 * instants), greedy refill. Neither has a concurrency limit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class WeightedDecisionBench {
    static final int COST = 250;
    /** 1,000 calls of cost 250 per 10 µs: beyond one thread's reach, counted but never waited on. */
    static final int WINDOW_COST = 1_000 * COST;
    static final Duration WINDOW = Duration.ofNanos(10_000);

    private Machina bot;
    private Execute<Integer, Integer> weighted;
    private Execute<Integer, Integer> unweighted;
    private Bucket bucket4jWeighted;
    private Bucket bucket4jUnweighted;
    private int arg;

    @Setup
    public void setUp() {
        bot = Machina.builder().build();
        bot.concurrentGroup("weighted", GroupLimits.unlimited().perWindow(WINDOW_COST, WINDOW));
        bot.concurrentGroup("unweighted", GroupLimits.unlimited().perWindow(WINDOW_COST / COST, WINDOW));
        weighted = bot.execute("weighted", ExecuteOptions.groups("weighted").cost(COST), x -> work());
        unweighted = bot.execute("unweighted", ExecuteOptions.groups("unweighted"), x -> work());
        // Never empty either: Bucket4j refills at most 1 token per nanosecond, which a call costing 250 every
        // ~100 ns outruns, so the bucket starts with 10^12 tokens (minutes of calls) and refills at that most.
        bucket4jWeighted = Bucket.builder()
                .addLimit(limit -> limit.capacity(1_000_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1)))
                .build();
        bucket4jUnweighted = Bucket.builder()
                .addLimit(limit -> limit.capacity(1_000_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1)))
                .build();
    }

    @TearDown
    public void tearDown() {
        bot.close();
    }

    /** Changes state so it cannot be folded away, within the boxing cache so it allocates nothing. */
    private Integer work() {
        arg = (arg + 1) & 63;
        return arg;
    }

    /** A call costing 250 through an in-memory window of 250,000 per 10 µs: decision, handler, release. */
    @Benchmark
    public Integer exmachinaWeighted() throws Exception {
        return weighted.call(1);
    }

    /** A call costing 1 through an in-memory window of 1,000 per 10 µs. */
    @Benchmark
    public Integer exmachinaUnweighted() throws Exception {
        return unweighted.call(1);
    }

    /** Bucket4j, local bucket: {@code tryConsume(250)}, then the same work. */
    @Benchmark
    public Integer bucket4jTryConsumeWeighted() {
        return bucket4jWeighted.tryConsume(COST) ? work() : -1;
    }

    /** Bucket4j, local bucket: {@code tryConsume(1)}, then the same work. */
    @Benchmark
    public Integer bucket4jTryConsumeUnweighted() {
        return bucket4jUnweighted.tryConsume(1) ? work() : -1;
    }
}
