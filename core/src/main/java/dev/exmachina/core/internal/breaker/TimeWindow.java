package dev.exmachina.core.internal.breaker;

import dev.exmachina.core.CircuitBreakerConfig;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outcomes of the attempts that ended in the last {@code length} nanoseconds of the bot clock, in
 * {@link CircuitBreakerConfig.SlidingWindow.Time#BUCKETS} buckets of {@code length / BUCKETS}
 * (rounded up): bucket {@code k} counts the outcomes that ended in
 * {@code [origin + k * width, origin + (k + 1) * width)}, and the window is the newest bucket and
 * the {@code BUCKETS - 1} before it.
 *
 * <p><b>Invariants</b> (under {@code lock}): {@code newest} is the index of the newest bucket written;
 * slot {@code k % BUCKETS} holds bucket {@code k} for {@code newest - BUCKETS < k <= newest} (zero if no
 * outcome ended in it); {@code calls}, {@code failed} and {@code slow} are the sums over those slots.
 */
final class TimeWindow implements OutcomeWindow {

    private static final int BUCKETS = CircuitBreakerConfig.SlidingWindow.Time.BUCKETS;

    private final ReentrantLock lock = new ReentrantLock();
    private final long width;
    private final Settings settings;
    private final int[] bucketCalls = new int[BUCKETS];
    private final int[] bucketFailed = new int[BUCKETS];
    private final int[] bucketSlow = new int[BUCKETS];
    private boolean started;
    private long origin;
    private long newest;
    private int calls;
    private int failed;
    private int slow;

    TimeWindow(long lengthNanos, Settings settings) {
        this.width = lengthNanos / BUCKETS + (lengthNanos % BUCKETS == 0 ? 0 : 1);
        this.settings = settings;
    }

    @Override
    public boolean record(boolean failed, boolean slow, long nowNanos) {
        lock.lock();
        try {
            if (!started) {
                started = true;
                origin = nowNanos; // the first outcome opens bucket 0
            }
            long bucket = Math.max(newest, (nowNanos - origin) / width); // a late reader counts in the newest
            moveTo(bucket);
            int slot = (int) (bucket % BUCKETS);
            bucketCalls[slot]++;
            calls++;
            if (failed) {
                bucketFailed[slot]++;
                this.failed++;
            }
            if (slow) {
                bucketSlow[slot]++;
                this.slow++;
            }
            return calls >= settings.minimumCalls() && settings.tripped(calls, this.failed, this.slow);
        } finally {
            lock.unlock();
        }
    }

    /** Drops the buckets that left the window when {@code bucket} becomes the newest. Lock held. */
    private void moveTo(long bucket) {
        long drop = Math.min(bucket - newest, BUCKETS);
        for (long k = 1; k <= drop; k++) {
            int slot = (int) ((newest + k) % BUCKETS);
            calls -= bucketCalls[slot];
            failed -= bucketFailed[slot];
            slow -= bucketSlow[slot];
            bucketCalls[slot] = 0;
            bucketFailed[slot] = 0;
            bucketSlow[slot] = 0;
        }
        newest = bucket;
    }

    @Override
    public boolean needsTime() {
        return true;
    }
}
