package dev.exmachina.bench;

import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/** The rate limiters users would pick instead, each as a {@link Gate} of N starts per T. */
public final class AnchorGates {
    private AnchorGates() {}

    /** A named way to build a gate of {@code n} per {@code window}. */
    public record Kind(String name, String note, BiFunction<Integer, Duration, Gate> factory) {
        public Gate create(int n, Duration window) {
            return factory.apply(n, window);
        }
    }

    /** Waits far longer than any window here: a refusal would end the run, not measure it. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    public static final List<Kind> ALL = List.of(
            new Kind("resilience4j-atomic", "Resilience4j AtomicRateLimiter: N per fixed cycle of T",
                    AnchorGates::resilience4j),
            new Kind("failsafe-bursty", "Failsafe bursty RateLimiter: N per fixed period T",
                    (n, t) -> failsafe(dev.failsafe.RateLimiter.burstyBuilder(n, t))),
            new Kind("failsafe-smooth", "Failsafe smooth RateLimiter: one per T/N",
                    (n, t) -> failsafe(dev.failsafe.RateLimiter.smoothBuilder(n, t))),
            new Kind("bucket4j-greedy", "Bucket4j capacity N, greedy refill N per T",
                    (n, t) -> bucket4j(Bucket.builder()
                            .addLimit(limit -> limit.capacity(n).refillGreedy(n, t))
                            .build())),
            new Kind("bucket4j-interval", "Bucket4j capacity N, N added every T",
                    (n, t) -> bucket4j(Bucket.builder()
                            .addLimit(limit -> limit.capacity(n).refillIntervally(n, t))
                            .build())));

    private static Gate resilience4j(int n, Duration window) {
        var limiter = RateLimiter.of("window", RateLimiterConfig.custom()
                .limitForPeriod(n)
                .limitRefreshPeriod(window)
                .timeoutDuration(MAX_WAIT)
                .build());
        return started -> {
            if (!limiter.acquirePermission()) throw new IllegalStateException("refused by " + limiter);
            started.accept(System.nanoTime());
        };
    }

    private static Gate failsafe(dev.failsafe.RateLimiterBuilder<Object> builder) {
        var limiter = builder.withMaxWaitTime(MAX_WAIT).build();
        return started -> {
            limiter.acquirePermit();
            started.accept(System.nanoTime());
        };
    }

    private static Gate bucket4j(Bucket bucket) {
        var blocking = bucket.asBlocking();
        return started -> {
            blocking.consume(1);
            started.accept(System.nanoTime());
        };
    }
}
