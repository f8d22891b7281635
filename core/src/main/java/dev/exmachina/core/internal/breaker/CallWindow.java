package dev.exmachina.core.internal.breaker;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The outcomes of the last {@code size} attempts, in a ring.
 *
 * <p><b>Invariants</b> (under {@code lock}): {@code 0 <= count <= size}; {@code failed} and
 * {@code slow} are the numbers of {@link #FAILED} and {@link #SLOW} bits among the {@code count}
 * outcomes in {@code ring} ending just before {@code next}.
 */
final class CallWindow implements OutcomeWindow {

    private static final byte FAILED = 1;
    private static final byte SLOW = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] ring;
    private final Settings settings;
    private int next;
    private int count;
    private int failed;
    private int slow;

    CallWindow(int size, Settings settings) {
        this.ring = new byte[size];
        this.settings = settings;
    }

    @Override
    public boolean record(boolean failed, boolean slow, long nowNanos) {
        byte outcome = (byte) ((failed ? FAILED : 0) | (slow ? SLOW : 0));
        lock.lock();
        try {
            if (count == ring.length) {
                byte old = ring[next];
                this.failed -= old & FAILED;
                this.slow -= (old & SLOW) >> 1;
            } else {
                count++;
            }
            ring[next] = outcome;
            next = next + 1 == ring.length ? 0 : next + 1;
            this.failed += outcome & FAILED;
            this.slow += (outcome & SLOW) >> 1;
            return count >= settings.minimumCalls() && settings.tripped(count, this.failed, this.slow);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean needsTime() {
        return false;
    }
}
