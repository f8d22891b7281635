package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Group admission: an attempt takes a slot of each of its concurrent groups and a start in each of
 * their windows, through the execute's {@link GroupGate}, before the steps inside it run.
 *
 * <p><b>Holds</b> the grant (every slot, and the start counted in the windows) from the gate's
 * decision until the attempt inside has ended, then gives the slots back ({@link GroupGate#release}
 * exactly once); the start stays counted. An attempt that will not start (cancelled, interrupted,
 * out of time while it waits) gives everything back before it throws: {@link GroupWait}.
 *
 * <p><b>Uncontended</b> it costs the gate's {@code tryEnter} and {@code release}, an interrupt-flag
 * read and a volatile read, and allocates nothing; the clock is read for a wait only.
 *
 * <p><b>Bounded waits.</b> A {@code maxWait}, or the call's {@link Deadline}, bounds the wait for
 * the groups: past it the attempt fails with a {@link GroupWaitTimeoutException} (retried if a rule
 * says so), or the call with a {@link dev.exmachina.core.CallTimeoutException}, holding nothing.
 *
 * <p><b>Backend failures.</b> A gate call that throws (a backend in another process) fails the
 * attempt with that exception, holding nothing; a failing release fails an attempt that had
 * succeeded, or is attached to its failure.
 */
public final class Admission implements Policy {

    private final ExecuteContext context;
    private final GroupGate gate;
    private final GroupWait waits;
    /** The longest an attempt waits for its groups; empty when only the call's deadline bounds it. */
    private final Optional<Duration> maxWait;

    private Admission(ExecuteContext context, GroupGate gate, Optional<Duration> maxWait) {
        this.context = context;
        this.gate = gate;
        this.waits = new GroupWait(context, gate);
        this.maxWait = maxWait;
    }

    /** Admission through {@code gate}, waiting as long as it takes (or the call's deadline allows). */
    public static Admission through(ExecuteContext context, GroupGate gate) {
        return new Admission(context, gate, Optional.empty());
    }

    /** Admission through {@code gate}, waiting at most {@code maxWait} for the groups. */
    public static Admission through(ExecuteContext context, GroupGate gate, Duration maxWait) {
        return new Admission(context, gate, Optional.of(maxWait));
    }

    @Override
    public Place place() {
        return Place.ADMISSION;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline deadline, int attempt) -> {
            Decision decision = gate.tryEnter();
            Decision.Granted granted;
            if (decision instanceof Decision.StartNow now && !context.cancelled(token, false)) {
                granted = now;
            } else {
                granted = await(decision, token, deadline, attempt);
            }
            R result;
            try {
                result = inner.run(argument, token, deadline, attempt);
            } catch (Throwable failure) {
                release(granted, failure);
                throw failure;
            }
            release(granted, null);
            return result;
        };
    }

    /** The slow path: waits for a grant, within {@code maxWait} and the call's deadline. */
    private Decision.Granted await(Decision decision, Cancellation token, Deadline deadline, int attempt) throws Exception {
        if (maxWait.isEmpty() && !deadline.isSet()) {
            return waits.await(decision, token);
        }
        BotClock clock = context.clock();
        long since = clock.nanoTime();
        long waitDeadline = deadline.earlierThan(maxWait.map(bound -> Waits.deadline(since, bound)).orElse(BotClock.NO_DEADLINE));
        try {
            return waits.await(decision, token, since, waitDeadline);
        } catch (GroupWait.Expired expired) {
            Duration waited = Duration.ofNanos(expired.waitedNanos);
            if (deadline.is(waitDeadline)) {
                throw deadline.exceeded(attempt - 1, "waited " + waited + " for concurrent group '" + expired.group
                        + "', " + expired.getMessage(), null);
            }
            throw new GroupWaitTimeoutException(context.execute(), expired.group, waited, maxWait.orElseThrow(),
                    expired.getMessage());
        }
    }

    /** Gives the slots back; a failing release fails a successful attempt or is attached to its failure. */
    private void release(Decision.Granted granted, @Nullable Throwable failure) {
        try {
            gate.release(granted);
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "admission" + maxWait.map(bound -> " (max wait " + bound + ")").orElse("");
    }
}
