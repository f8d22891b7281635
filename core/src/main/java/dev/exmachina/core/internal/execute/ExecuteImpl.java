package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.internal.execute.policy.Admission;
import dev.exmachina.core.internal.execute.policy.AttemptTimeout;
import dev.exmachina.core.internal.execute.policy.CallDeadline;
import dev.exmachina.core.internal.execute.policy.CircuitBreakerPolicy;
import dev.exmachina.core.internal.execute.policy.Deadline;
import dev.exmachina.core.internal.execute.policy.RetryPolicy;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.spi.GroupGate;
import dev.exmachina.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An execute: its call runs one {@link Step}, the execute's policies chained around its handler
 * ({@link Chain}): from the outside in, the call's deadline, retry, circuit breakers, group
 * admission and the attempt timeout, each present only when its options ask for it. Every policy
 * is one file in {@code policy/}, which says what it holds and when it gives it back.
 *
 * <p><b>Cancellation</b> ({@link ExecuteContext#cancelled}). A cancelled call never starts another
 * attempt and is never retried; an attempt granted after the cancel gives its grant back.
 *
 * <p><b>Hot path.</b> An execute without options has an empty chain: a call reads no clock and
 * allocates nothing beyond what its handler does; its attempt is reported only when the observer
 * wants attempts.
 */
public final class ExecuteImpl<A extends @Nullable Object, R extends @Nullable Object> implements Execute<A, R> {

    private final BotRuntime runtime;
    private final String name;
    private final Step<A, R> chain;

    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler, Permits permits, Retry retry) {
        this(runtime, name, handler, permits.groups(), permits.gate(runtime.clock()), retry);
    }

    /** An execute with these options (groups already resolved into {@code permits}). */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler, Permits permits,
            ExecuteOptions options) {
        this(runtime, name, handler, permits.groups(), permits.gate(runtime.clock()), options);
    }

    /** An execute deciding through {@code gate} (of any backend) for {@code groups}, in global order. */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler,
            List<? extends ConcurrentGroup> groups, GroupGate gate, Retry retry) {
        this(runtime, name, handler, groups, gate, ExecuteOptions.defaults().retry(retry));
    }

    /**
     * An execute deciding through {@code gate} (of any backend) for {@code groups}, in global order,
     * with the retry and time limits of {@code options} (its group names are not looked at).
     */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler,
            List<? extends ConcurrentGroup> groups, GroupGate gate, ExecuteOptions options) {
        this.runtime = runtime;
        this.name = name;
        ExecuteContext context = new ExecuteContext(name, runtime.clock(), runtime.observer(), groups, runtime::cancelled);
        this.chain = Chain.of(context, handler, policies(context, gate, options, runtime));
    }

    /** The policies {@code options} ask for, in any order: {@link Chain} orders them. */
    private static List<Policy> policies(ExecuteContext context, GroupGate gate, ExecuteOptions options,
            BotRuntime runtime) {
        List<Policy> policies = new ArrayList<>(6);
        Duration callTimeout = options.callTimeout();
        if (callTimeout != null) {
            policies.add(new CallDeadline(context.execute(), context.clock(), callTimeout));
        }
        if (!options.retry().rules().isEmpty()) {
            policies.add(new RetryPolicy(options.retry(), context));
        }
        policies.addAll(CircuitBreakerPolicy.of(context, options.circuitBreaker(), runtime));
        if (gate != GroupGate.none()) {
            policies.add(Admission.of(context, gate, options));
        } else if (!options.cost().isOne() || !options.pauses().isEmpty()) {
            throw new IllegalArgumentException("execute '" + context.execute() + "' has "
                    + (options.pauses().isEmpty() ? "a " + options.cost() : "pause rules " + options.pauses())
                    + " but no concurrent group to apply it to: list its groups in ExecuteOptions.groups(...)");
        }
        Duration attemptTimeout = options.attemptTimeout();
        if (attemptTimeout != null) {
            policies.add(AttemptTimeout.of(context, attemptTimeout));
        } else if (callTimeout != null) {
            policies.add(AttemptTimeout.untilCallDeadline(context));
        }
        return policies;
    }

    /** The bot this execute belongs to. */
    public BotRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BotClock clock() {
        return runtime.clock();
    }

    @Override
    public R call(A argument) throws Exception {
        return chain.run(argument, Cancellation.NONE, Deadline.NONE, 1);
    }

    /**
     * Runs the execute in this thread for work that {@code token} can cancel (a fork passes its
     * handle), so that a cancel is seen even when a handler swallows the interrupt.
     */
    public R call(A argument, Cancellation token) throws Exception {
        return chain.run(argument, token, Deadline.NONE, 1);
    }

    /** The failure as it was: checked exceptions and errors alike pass through unwrapped. */
    public static Exception rethrow(Throwable failure) {
        return Step.rethrow(failure);
    }

    @Override
    public String toString() {
        return "execute '" + name + "'";
    }
}
