package dev.exmachina.core.internal.emit;

import dev.exmachina.core.Event;
import dev.exmachina.core.Execute;
import dev.exmachina.core.Forked;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.execute.ForkedImpl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One iteration of an emit. Executes it forks run in the scope of the emit's run: they may outlive
 * the iteration, not the run, which ends only after they have. Used by the loop's thread only.
 */
public final class EventImpl implements Event {

    private final EmitRun run;
    private final EmitImpl emit;
    private final long epoch;
    private final long previousNanos;
    private final OptionalLong count;
    private final Thread owner;
    private final OptionalLong fencingToken;
    /** When the iteration was due, {@code nanoTime} base, and how late it began. */
    private final long dueNanos;
    private final long lateNanos;
    /** The scheduled wall-clock instant when the schedule names one (cron); else made from {@link #dueNanos}. */
    private final @Nullable Instant scheduled;
    /** The executes this iteration forked; made on the first fork. */
    private @Nullable List<ForkedImpl<?>> forks;
    private boolean ended;

    EventImpl(EmitRun run, long epoch, long previousNanos, OptionalLong count, OptionalLong fencingToken, long dueNanos,
            @Nullable Instant scheduled, long lateNanos) {
        this.fencingToken = fencingToken;
        this.dueNanos = dueNanos;
        this.scheduled = scheduled;
        this.lateNanos = lateNanos;
        this.run = run;
        this.emit = run.emit();
        this.epoch = epoch;
        this.previousNanos = previousNanos;
        this.count = count;
        this.owner = Thread.currentThread();
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("the event of emit '" + emit.name() + "' (epoch " + epoch
                    + ") belongs to thread " + owner.getName() + ", not " + Thread.currentThread().getName()
                    + ": an event may only be used by the handler it was given to");
        }
        if (ended) {
            throw new IllegalStateException("the event of emit '" + emit.name() + "' (epoch " + epoch
                    + ") is over: an event may only be used during its own iteration");
        }
    }

    @Override
    public String name() {
        checkOwner();
        return emit.name();
    }

    @Override
    public long epoch() {
        checkOwner();
        return epoch;
    }

    @Override
    public Duration previousExecutionTime() {
        checkOwner();
        return Duration.ofNanos(previousNanos);
    }

    @Override
    public OptionalLong count() {
        checkOwner();
        return count;
    }

    @Override
    public OptionalLong fencingToken() {
        checkOwner();
        return fencingToken;
    }

    @Override
    public Instant scheduledAt() {
        checkOwner();
        if (scheduled != null) {
            return scheduled;
        }
        var clock = emit.runtime().clock();
        long now = clock.nanoTime(); // read first: the instant read after it is no earlier
        return clock.instant().minusNanos(now - dueNanos);
    }

    @Override
    public Duration lateness() {
        checkOwner();
        return Duration.ofNanos(lateNanos);
    }

    @Override
    public Instant now() {
        checkOwner();
        return emit.runtime().clock().instant();
    }

    @Override
    public void start(String emitName) {
        checkOwner();
        run.host().start(emitName);
    }

    @Override
    public void stop(String emitName) {
        checkOwner();
        run.host().stop(emitName);
    }

    @Override
    public void cancel(String emitName) {
        checkOwner();
        run.host().cancel(emitName);
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Forked<R> execute(Execute<A, R> execute, A argument) {
        checkOwner();
        if (!(execute instanceof ExecuteImpl<A, R> impl) || impl.runtime() != emit.runtime()) {
            throw new IllegalArgumentException(execute + " belongs to another bot");
        }
        return fork(impl, argument);
    }

    @Override
    public Forked<?> execute(String execute, @Nullable Object argument) {
        checkOwner();
        @SuppressWarnings("unchecked")
        ExecuteImpl<@Nullable Object, ?> impl = (ExecuteImpl<@Nullable Object, ?>) run.host().execute(execute);
        return fork(impl, argument);
    }

    private <A extends @Nullable Object, R extends @Nullable Object> Forked<R> fork(ExecuteImpl<A, R> execute, A argument) {
        ForkedImpl<R> forked = run.fork(execute, argument);
        if (forks == null) {
            forks = new ArrayList<>();
        }
        forks.add(forked);
        return forked;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        checkOwner();
        var clock = emit.runtime().clock();
        Waits.sleepUntil(clock, "event.sleep in emit '" + emit.name() + "'", Waits.deadline(clock.nanoTime(), duration));
    }

    /** Ends the iteration: its forked executes go on, and report a failure nobody joined. */
    public void end() {
        ended = true;
        if (forks != null) {
            forks.forEach(ForkedImpl::iterationEnded);
        }
    }
}
