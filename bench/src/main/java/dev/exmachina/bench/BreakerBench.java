package dev.exmachina.bench;

import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The closed circuit breaker's cost per call, uncontended (one caller, every call succeeds): a direct
 * call through an execute with its own breaker, beside Resilience4j's {@code CircuitBreaker} around
 * the same work, both with a window of the last 100 calls and no slow-call threshold (Resilience4j
 * still times each call: it always does). {@link #coreCall} and {@link #bare} split the breaker's own
 * share from the execute's and from the work's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR"})
public class BreakerBench {

    private Supplier<Integer> resilience4j;
    private Execute<Integer, Integer> coreBreaker;
    private Execute<Integer, Integer> coreCall;
    private int arg;

    @Setup
    public void setUp() {
        var breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(100)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(breaker, this::work);

        var bot = Machina.builder().build();
        var ours = CircuitBreaker.builder("bench").countWindow(100).minimumCalls(10).failureRate(50).build();
        coreBreaker = bot.execute("breaker", ExecuteOptions.defaults().circuitBreaker(ours), x -> work());
        coreCall = bot.execute("plain", ExecuteOptions.defaults(), x -> work());
    }

    /** Changes state so it cannot be folded away, within the boxing cache so it allocates nothing. */
    private Integer work() {
        arg = (arg + 1) & 63;
        return arg;
    }

    /** Resilience4j's closed breaker around the work: the anchor. */
    @Benchmark
    public Integer resilience4jBreaker() {
        return resilience4j.get();
    }

    /** Core: a direct call through an execute with its own closed breaker. */
    @Benchmark
    public Integer coreBreaker() throws Exception {
        return coreBreaker.call(arg);
    }

    /** Core: the same call without a breaker, to split the breaker's cost from the execute's. */
    @Benchmark
    public Integer coreCall() throws Exception {
        return coreCall.call(arg);
    }

    /** The work alone. */
    @Benchmark
    public Integer bare() {
        return work();
    }
}
