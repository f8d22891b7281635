package dev.exmachina.core.internal.execute;

import org.jspecify.annotations.Nullable;

/**
 * One policy of an execute's chain: it wraps the step inside it (as Failsafe's policy executors
 * do), doing its part before, after or around it. Made once per execute from its options and
 * immutable; what a policy holds for one call lives on that call's stack, in its step.
 *
 * <p>Each policy opens with what it holds and when it gives it back. Where a policy goes is its
 * {@link #place()}; {@link Chain} puts them in that order, so a new policy is one new file and a
 * place in {@link Place}.
 */
public interface Policy {

    /**
     * The places of the chain, from the outside in. The outer a policy, the more of the call it
     * sees: a call deadline bounds the retries, a retry waits holding no slot, a breaker refuses
     * before any slot or window start is taken and sees every attempt's outcome, and an attempt
     * timeout runs only while the attempt holds its groups.
     */
    enum Place {
        /** The whole call's deadline ({@code callTimeout}). */
        CALL_DEADLINE,
        /** Retries after a failed attempt, waiting outside every slot. */
        RETRY,
        /** Refuses attempts while the API looks down; lets a few probe it. */
        CIRCUIT_BREAKER,
        /** The concurrent groups: slots, then a start in every window. */
        ADMISSION,
        /** Counts a started attempt's outcome for the circuit breakers that let it through. */
        CIRCUIT_BREAKER_OUTCOME,
        /** The deadline of one attempt, from its start ({@code attemptTimeout}). */
        ATTEMPT_TIMEOUT
    }

    /**
     * Where this policy goes in the chain.
     *
     * @return its place; one policy per place
     */
    Place place();

    /**
     * This policy around {@code inner}.
     *
     * @param inner the rest of the chain, the handler innermost
     * @param <A> the execute's argument
     * @param <R> the execute's result
     * @return a step doing this policy's part around {@code inner}
     */
    <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner);
}
