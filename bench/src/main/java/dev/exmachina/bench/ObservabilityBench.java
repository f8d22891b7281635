package dev.exmachina.bench;

import dev.exmachina.core.BotListener;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.micrometer.MachinaMetrics;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jdk.jfr.Recording;
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
 * P8: what observing a call costs. The uncontended direct call of {@link DirectCallBench#coreCall}
 * (one group with a concurrency limit and a window, one caller) with nothing attached, with a JFR
 * recording of the library's events, with JFR initialized but recording other events only, with a
 * listener that does nothing (the listener API's own cost), and with {@link MachinaMetrics} on a
 * {@link SimpleMeterRegistry}; next to Resilience4j's Bulkhead +
 * RateLimiter chain without metrics, with its Micrometer binding ({@code TaggedBulkheadMetrics},
 * {@code TaggedRateLimiterMetrics}), and with that binding plus its per-call timer
 * ({@code io.github.resilience4j.micrometer.Timer}, the closest to our per-attempt timer).
 *
 * <p>Each configuration is its own {@link State}, so each runs in its own fork with nothing else
 * set up: in particular, Flight Recorder is initialized only in the forks of the JFR benchmarks. The
 * recording keeps its events in memory ({@code toDisk(false)}), measuring the commit, not the disk.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class ObservabilityBench {

    /** The library's JFR events, all enabled in the recording of {@link JfrRecording}. */
    static final List<String> EVENTS = List.of("dev.exmachina.Attempt", "dev.exmachina.GroupWait",
            "dev.exmachina.Retry", "dev.exmachina.EmitIteration", "dev.exmachina.EmitFailure");

    /** Changes state so it cannot be folded away, within the boxing cache so it allocates nothing. */
    static final class Work {
        private int arg;

        Integer next() {
            arg = (arg + 1) & 63;
            return arg;
        }
    }

    /** A bot with one group of DirectCallBench's limits and one execute through it. */
    static Execute<Integer, Integer> coreCall(Machina.Builder builder, Work work) {
        var bot = builder.build();
        bot.concurrentGroup("api", GroupLimits.concurrency(DirectCallBench.CONCURRENCY)
                .perWindow(DirectCallBench.WINDOW_CALLS, DirectCallBench.WINDOW));
        return bot.execute("call", ExecuteOptions.groups("api"), x -> work.next());
    }

    /** Nothing attached (slf4j below DEBUG, no listener, JFR never initialized). */
    @State(Scope.Benchmark)
    public static class Plain {
        final Work work = new Work();
        Execute<Integer, Integer> core;

        @Setup
        public void setUp() {
            core = coreCall(Machina.builder(), work);
        }
    }

    /** A JFR recording with every event of the library enabled, in memory. */
    @State(Scope.Benchmark)
    public static class JfrRecording {
        final Work work = new Work();
        Execute<Integer, Integer> core;
        Recording recording;

        @Setup
        public void setUp() {
            core = coreCall(Machina.builder(), work);
            recording = new Recording();
            EVENTS.forEach(name -> recording.enable(name).withoutStackTrace());
            recording.setToDisk(false);
            recording.start();
        }

        @TearDown
        public void tearDown() {
            recording.close();
        }
    }

    /** JFR initialized, a recording running with the library's events disabled. */
    @State(Scope.Benchmark)
    public static class JfrOtherEvents {
        final Work work = new Work();
        Execute<Integer, Integer> core;
        Recording recording;

        @Setup
        public void setUp() {
            core = coreCall(Machina.builder(), work);
            recording = new Recording();
            EVENTS.forEach(recording::disable);
            recording.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
            recording.setToDisk(false);
            recording.start();
        }

        @TearDown
        public void tearDown() {
            recording.close();
        }
    }

    /** MachinaMetrics on a SimpleMeterRegistry. */
    @State(Scope.Benchmark)
    public static class Metrics {
        final Work work = new Work();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Execute<Integer, Integer> core;

        @Setup
        public void setUp() {
            core = coreCall(Machina.builder().listener(new MachinaMetrics(registry)), work);
        }
    }

    /** A listener that does nothing: what the listener API costs before any metrics are recorded. */
    @State(Scope.Benchmark)
    public static class EmptyListener {
        final Work work = new Work();
        Execute<Integer, Integer> core;

        @Setup
        public void setUp() {
            core = coreCall(Machina.builder().listener(new BotListener() {}), work);
        }
    }

    /** Resilience4j's Bulkhead outside its RateLimiter, as in DirectCallBench, made from registries. */
    static final class Chain {
        final Work work = new Work();
        final BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(DirectCallBench.CONCURRENCY)
                .maxWaitDuration(Duration.ofSeconds(1))
                .build());
        final RateLimiterRegistry limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(DirectCallBench.WINDOW_CALLS)
                .limitRefreshPeriod(DirectCallBench.WINDOW)
                .timeoutDuration(Duration.ofSeconds(1))
                .build());

        /** Binds both registries to {@code registry}, as resilience4j-micrometer's users do. */
        Chain bindTo(SimpleMeterRegistry registry) {
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
            TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(registry);
            return this;
        }

        Supplier<Integer> around(Supplier<Integer> call) {
            Bulkhead bulkhead = bulkheads.bulkhead("bench");
            RateLimiter limiter = limiters.rateLimiter("bench");
            return Bulkhead.decorateSupplier(bulkhead, RateLimiter.decorateSupplier(limiter, call));
        }
    }

    /** The chain without metrics. */
    @State(Scope.Benchmark)
    public static class Resilience4j {
        Supplier<Integer> chain;

        @Setup
        public void setUp() {
            var c = new Chain();
            chain = c.around(c.work::next);
        }
    }

    /** The chain, its registries bound to a SimpleMeterRegistry by resilience4j-micrometer. */
    @State(Scope.Benchmark)
    public static class Resilience4jMetrics {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Supplier<Integer> chain;

        @Setup
        public void setUp() {
            var c = new Chain().bindTo(registry);
            chain = c.around(c.work::next);
        }
    }

    /** The bound chain with resilience4j-micrometer's Timer around the call: a timer per call, as ours per attempt. */
    @State(Scope.Benchmark)
    public static class Resilience4jTimed {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Supplier<Integer> chain;

        @Setup
        public void setUp() {
            var c = new Chain().bindTo(registry);
            var timer = io.github.resilience4j.micrometer.Timer.of("bench", registry);
            chain = c.around(io.github.resilience4j.micrometer.Timer.decorateSupplier(timer, c.work::next));
        }
    }

    @Benchmark
    public Integer coreCall(Plain state) throws Exception {
        return state.core.call(state.work.arg);
    }

    @Benchmark
    public Integer coreCallJfrRecording(JfrRecording state) throws Exception {
        return state.core.call(state.work.arg);
    }

    @Benchmark
    public Integer coreCallJfrOtherEvents(JfrOtherEvents state) throws Exception {
        return state.core.call(state.work.arg);
    }

    @Benchmark
    public Integer coreCallMicrometer(Metrics state) throws Exception {
        return state.core.call(state.work.arg);
    }

    @Benchmark
    public Integer coreCallEmptyListener(EmptyListener state) throws Exception {
        return state.core.call(state.work.arg);
    }

    @Benchmark
    public Integer resilience4jChain(Resilience4j state) {
        return state.chain.get();
    }

    @Benchmark
    public Integer resilience4jChainMicrometer(Resilience4jMetrics state) {
        return state.chain.get();
    }

    @Benchmark
    public Integer resilience4jChainMicrometerTimer(Resilience4jTimed state) {
        return state.chain.get();
    }

    /**
     * Reference: one read of the system clock. With any observer of attempts, an attempt reads the
     * bot's clock twice (its start and end, for a bot-clock duration), and a JFR commit reads JFR's
     * own clock once more for the event's timestamp: on a host where the clock is slow, those reads
     * are most of the cost.
     */
    @Benchmark
    public long clockRead() {
        return System.nanoTime();
    }
}
