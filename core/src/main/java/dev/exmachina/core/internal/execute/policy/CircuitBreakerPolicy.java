package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitOpenException;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.internal.breaker.BreakerImpl;
import dev.exmachina.core.internal.breaker.Breakers;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import dev.exmachina.core.internal.runtime.BotRuntime;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Circuit breaker: the execute's own breaker and its groups' ({@link Breakers}), asked before group
 * admission, told each started attempt's outcome after it.
 *
 * <p><b>Holds</b> one permit per breaker (in half-open, a probe's) from before admission until the
 * attempt's outcome is counted. It takes two places in the chain: {@link Place#CIRCUIT_BREAKER}, outside
 * admission, takes the permits (or refuses with {@link CircuitOpenException}, holding nothing, before
 * any slot or window start is taken) and gives them back uncounted if no attempt started (a group wait
 * that timed out or was cancelled, a backend that could not decide); {@link Place#CIRCUIT_BREAKER_OUTCOME},
 * inside admission, times the attempt alone (group waits excluded) and counts its outcome. The permits go
 * from the outer part to the inner one in the call's {@link Cancellation} token ({@link Pass}), which
 * answers for the caller's token.
 *
 * <p><b>Never counted</b>, the permits given back: a cancelled attempt (interrupt, the token, the bot's
 * word on the thread) and one stopped by the call's deadline; the breakers' rules decide the rest. An
 * attempt timeout is the attempt's outcome, a failure unless a rule says otherwise.
 */
public final class CircuitBreakerPolicy implements Policy {

    private final Breakers breakers;

    private CircuitBreakerPolicy(Breakers breakers) {
        this.breakers = breakers;
    }

    /**
     * Both parts of the policy for the execute's own breaker ({@code own}) and its groups', bound to
     * {@code bot}; none when there is no breaker.
     *
     * @throws IllegalArgumentException if a breaker belongs to another bot, or would be asked twice
     *     (the execute's own is also a group's, or two groups share one)
     */
    public static List<Policy> of(ExecuteContext context, @Nullable CircuitBreaker own, BotRuntime bot) {
        List<BreakerImpl> all = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (own != null) {
            all.add(BreakerImpl.bind(own, bot));
            where.add("its own");
        }
        for (ConcurrentGroup group : context.groups()) {
            CircuitBreaker breaker = group.limits().circuitBreaker();
            if (breaker == null) {
                continue;
            }
            int before = all.indexOf(breaker);
            if (before >= 0) {
                throw new IllegalArgumentException("execute '" + context.execute() + "' would ask circuit breaker '"
                        + breaker.name() + "' twice: it is " + where.get(before) + " and group '" + group.name()
                        + "''s; put it in one place");
            }
            all.add(BreakerImpl.bind(breaker, bot));
            where.add("group '" + group.name() + "''s");
        }
        Breakers breakers = Breakers.of(all);
        return breakers == null ? List.of() : List.of(new CircuitBreakerPolicy(breakers), new Outcome(context, breakers));
    }

    @Override
    public Place place() {
        return Place.CIRCUIT_BREAKER;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline deadline, int attempt) -> {
            Pass pass = new Pass(token, breakers.enter()); // refused: CircuitOpenException, nothing held
            try {
                return inner.run(argument, pass, deadline, attempt);
            } finally {
                if (!pass.counted) {
                    breakers.giveBack(pass.permits); // no attempt started: not an outcome of the API
                }
            }
        };
    }

    @Override
    public String toString() {
        return "circuit breaker";
    }

    /** A call's permits on their way from the outer part to the inner one; answers for the caller's token. */
    private static final class Pass implements Cancellation {
        final Cancellation caller;
        final Object permits;
        boolean counted;

        Pass(Cancellation caller, Object permits) {
            this.caller = caller;
            this.permits = permits;
        }

        @Override
        public boolean isCancelled() {
            return caller.isCancelled();
        }
    }

    /** The inner part: times the started attempt and counts its outcome. */
    private static final class Outcome implements Policy {
        private final ExecuteContext context;
        private final Breakers breakers;
        private final BotClock clock;
        private final boolean timed;

        Outcome(ExecuteContext context, Breakers breakers) {
            this.context = context;
            this.breakers = breakers;
            this.clock = context.clock();
            this.timed = breakers.timesAttempts();
        }

        @Override
        public Place place() {
            return Place.CIRCUIT_BREAKER_OUTCOME;
        }

        @Override
        public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
            return (A argument, Cancellation token, Deadline deadline, int attempt) -> {
                Pass pass = (Pass) token; // the outer part always passes one
                long began = timed ? clock.nanoTime() : 0;
                R result;
                try {
                    result = inner.run(argument, pass.caller, deadline, attempt);
                } catch (Throwable failure) {
                    count(pass, failure, began);
                    throw failure;
                }
                count(pass, null, began);
                return result;
            };
        }

        private void count(Pass pass, @Nullable Throwable failure, long began) {
            pass.counted = true;
            if (failure != null && (failure instanceof InterruptedException || context.cancelled(pass.caller, true))) {
                breakers.giveBack(pass.permits); // a cancel says nothing about the API
                return;
            }
            long duration = timed ? clock.nanoTime() - began : 0;
            try {
                breakers.ended(pass.permits, failure, duration);
            } catch (RuntimeException | Error filterFailed) {
                if (failure == null) {
                    throw filterFailed;
                }
                failure.addSuppressed(filterFailed); // the attempt's own failure stays the one thrown
            }
        }

        @Override
        public String toString() {
            return "circuit breaker outcome";
        }
    }
}
