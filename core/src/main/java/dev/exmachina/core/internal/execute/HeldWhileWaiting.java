package dev.exmachina.core.internal.execute;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What a call holds while it sleeps (a window start reserved for it), offered to whoever cancels
 * the call so that the cancel gives it back at once, from the cancelling thread: when
 * {@code cancel()} returns, the capacity is free again, without waiting for the sleeping thread
 * to run.
 *
 * <p><b>Contract under concurrency.</b> Exactly one of two threads takes it ({@link #take}, one
 * compare-and-set): the sleeping call, to start with it or give it back itself, or the canceller,
 * which gives it back ({@link #giveBackNow}). Whoever did not take it makes no more use of it. A
 * give-back that fails in the canceller is kept for the call to report with its cancellation.
 */
public final class HeldWhileWaiting {

    private final AtomicBoolean taken = new AtomicBoolean();
    private final Runnable giveBack;
    private volatile @Nullable Throwable failure;

    /** @param giveBack gives what is held back; run at most once, by the canceller */
    public HeldWhileWaiting(Runnable giveBack) {
        this.giveBack = giveBack;
    }

    /** Takes it: true for the first taker only, who then owns what is held. */
    public boolean take() {
        return !taken.get() && taken.compareAndSet(false, true);
    }

    /** Gives it back now, unless the call took it first. The cancelling thread; never throws. */
    public void giveBackNow() {
        if (take()) {
            try {
                giveBack.run();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /** What the canceller's give-back threw, if it did. */
    public @Nullable Throwable failure() {
        return failure;
    }
}
