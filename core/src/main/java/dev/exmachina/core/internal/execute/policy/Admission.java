package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.CallCost;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.PauseRule;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.util.List;
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
 * <p><b>Weights.</b> An execute with a cost ({@link ExecuteOptions#cost(int)}) asks the gate with the
 * call's estimate; a cost no window of its groups can ever hold fails the attempt before it asks, holding
 * nothing. With {@link ExecuteOptions#costAfter} the actual cost is settled after a successful attempt,
 * before its slots go back ({@link GroupGate#settle}).
 *
 * <p><b>Pauses.</b> A failure matching one of the execute's {@link PauseRule}s pauses every group of
 * the execute ({@link ConcurrentGroup#pauseUntil}) before the attempt's slots go back, so the waiter
 * handed a slot already sees the pause. A cancelled attempt pauses nothing.
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
    /** What a call costs in the windows; {@link CallCost#isOne()} asks the gate's unweighted methods. */
    private final CallCost cost;
    private final boolean weighed;
    private final boolean settles;
    private final List<PauseRule<?>> pauses;

    private Admission(ExecuteContext context, GroupGate gate, Optional<Duration> maxWait, CallCost cost,
            List<PauseRule<?>> pauses) {
        this.context = context;
        this.gate = gate;
        this.waits = new GroupWait(context, gate);
        this.maxWait = maxWait;
        this.cost = cost;
        this.weighed = !cost.isOne();
        this.settles = cost.settlesAfter();
        this.pauses = List.copyOf(pauses);
    }

    /** Admission through {@code gate} with the bound, the cost and the pause rules of {@code options}. */
    public static Admission of(ExecuteContext context, GroupGate gate, ExecuteOptions options) {
        return new Admission(context, gate, Optional.ofNullable(options.maxWait()), options.cost(), options.pauses());
    }

    /** Admission through {@code gate}, waiting as long as it takes (or the call's deadline allows). */
    public static Admission through(ExecuteContext context, GroupGate gate) {
        return new Admission(context, gate, Optional.empty(), ExecuteOptions.defaults().cost(), List.of());
    }

    /** Admission through {@code gate}, waiting at most {@code maxWait} for the groups. */
    public static Admission through(ExecuteContext context, GroupGate gate, Duration maxWait) {
        return new Admission(context, gate, Optional.of(maxWait), ExecuteOptions.defaults().cost(), List.of());
    }

    @Override
    public Place place() {
        return Place.ADMISSION;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline deadline, int attempt) -> {
            int estimate = weighed ? costOf(argument) : GroupWait.UNWEIGHED;
            Decision decision = weighed ? gate.tryEnter(estimate) : gate.tryEnter();
            Decision.Granted granted;
            if (decision instanceof Decision.StartNow now && !context.cancelled(token, false)) {
                granted = now;
            } else {
                granted = await(decision, token, deadline, attempt, estimate);
            }
            R result;
            try {
                result = inner.run(argument, token, deadline, attempt);
            } catch (Throwable failure) {
                if (!pauses.isEmpty()) {
                    pauseFor(failure, token);
                }
                release(granted, failure);
                throw failure;
            }
            if (settles) {
                try {
                    gate.settle(granted, cost.actual(result, estimate));
                } catch (RuntimeException | Error e) {
                    release(granted, e);
                    throw e;
                }
            }
            release(granted, null);
            return result;
        };
    }

    /** The call's estimate, refused when a window of its groups could never hold it. */
    private int costOf(@Nullable Object argument) {
        int estimate = cost.estimate(argument);
        for (ConcurrentGroup group : context.groups()) {
            for (GroupLimits.Window window : group.limits().windows()) {
                if (estimate > window.limit()) {
                    throw new IllegalArgumentException("execute '" + context.execute() + "': a call costing " + estimate
                            + " can never start in concurrent group '" + group.name() + "', whose window allows "
                            + window + "; lower the call's cost or raise the window's limit");
                }
            }
        }
        return estimate;
    }

    /**
     * Pauses every group of the execute as the first matching rule says; a failure to pause is attached
     * to {@code failure}. A cancelled attempt pauses nothing.
     */
    private void pauseFor(Throwable failure, Cancellation token) {
        for (PauseRule<?> rule : pauses) {
            if (!rule.matches(failure)) {
                continue;
            }
            try {
                Duration pause = rule.pauseFor(failure);
                if (pause == null || pause.isNegative() || pause.isZero() || context.cancelled(token, true)) {
                    return;
                }
                var until = context.clock().instant().plus(pause);
                for (ConcurrentGroup group : context.groups()) {
                    group.pauseUntil(until);
                }
            } catch (RuntimeException | Error e) {
                failure.addSuppressed(e);
            }
            return;
        }
    }

    /** The slow path: waits for a grant, within {@code maxWait} and the call's deadline. */
    private Decision.Granted await(Decision decision, Cancellation token, Deadline deadline, int attempt, int cost)
            throws Exception {
        if (maxWait.isEmpty() && !deadline.isSet()) {
            return waits.await(decision, token, cost);
        }
        BotClock clock = context.clock();
        long since = clock.nanoTime();
        long waitDeadline = deadline.earlierThan(maxWait.map(bound -> Waits.deadline(since, bound)).orElse(BotClock.NO_DEADLINE));
        try {
            return waits.await(decision, token, cost, since, waitDeadline);
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
