package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline of one running attempt: a {@link BotClock#schedule clock timer} that interrupts the
 * attempt's thread at the deadline, unless the attempt ended first.
 *
 * <p><b>Races.</b> The timer's action and the attempt's end race for one state word: the action
 * moves {@code ARMED -> FIRING}, interrupts, then sets {@code FIRED}; the end moves
 * {@code ARMED -> DISARMED} and cancels the timer. So exactly one of them wins. When the action won,
 * the end waits the few instructions until the interrupt was delivered ({@code FIRED}) and then
 * clears it, so no stray interrupt of the timer reaches what the thread does next (a retry wait, the
 * next attempt, the caller). {@link BotClock.Timer#cancel()}'s answer is not needed for that: the
 * state word decides.
 */
final class AttemptTimer implements Runnable {

    private static final int ARMED = 0;
    private static final int FIRING = 1;
    private static final int FIRED = 2;
    private static final int DISARMED = 3;

    private final AtomicInteger state = new AtomicInteger(ARMED);
    private final Thread thread;
    private final BotClock clock;
    final long deadline;
    /** Whether the deadline is the call's ({@code callTimeout}) rather than the attempt's. */
    final boolean ofCall;
    private BotClock.Timer timer;

    /** Arms a timer for the current thread. */
    AttemptTimer(BotClock clock, long deadline, boolean ofCall) {
        this.thread = Thread.currentThread();
        this.clock = clock;
        this.deadline = deadline;
        this.ofCall = ofCall;
        this.timer = clock.schedule(this, deadline);
    }

    /** The timer's action, at the deadline. */
    @Override
    public void run() {
        if (state.compareAndSet(ARMED, FIRING)) {
            try {
                clock.interrupt(thread);
            } finally {
                state.set(FIRED);
            }
        }
    }

    /**
     * Called by the attempt's thread when its handler returned: keeps the timer from firing, or, if
     * it fired, waits until its interrupt was delivered and clears it.
     *
     * @return whether the deadline fired (the attempt timed out)
     */
    boolean disarm() {
        if (state.compareAndSet(ARMED, DISARMED)) {
            timer.cancel();
            return false;
        }
        for (int spins = 0; state.get() != FIRED; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the timer thread was preempted between its two steps
            }
        }
        Thread.interrupted(); // the timer's interrupt, not a cancel: the caller checks for a cancel apart
        return true;
    }
}
