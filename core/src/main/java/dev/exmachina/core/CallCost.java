package dev.exmachina.core;

import java.util.Objects;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * What one call of an execute costs in its groups' windows: a constant, or a function of the call's
 * argument (the tokens of a prompt), and optionally the actual cost, known from the result once the
 * attempt has run (the tokens of an answer). Immutable; made by {@link ExecuteOptions#cost(int)},
 * {@link ExecuteOptions#cost(Class, ToIntFunction)} and {@link ExecuteOptions#costAfter(Class, ToIntFunction)}.
 *
 * <p>A window counts costs, not calls: an attempt starts only when every window of every group it
 * takes has room for its cost. With a cost known only afterwards, the window holds the estimate from
 * the start until the attempt ends, then counts the actual cost at the same start instant. An attempt
 * that fails keeps its estimate.
 */
public final class CallCost {

    private static final CallCost ONE = new CallCost(null, null, 1, null, null);

    private final @Nullable Class<?> argumentType;
    private final @Nullable ToIntFunction<Object> estimate;
    private final int constant;
    private final @Nullable Class<?> resultType;
    private final @Nullable ToIntFunction<Object> actual;

    private CallCost(@Nullable Class<?> argumentType, @Nullable ToIntFunction<Object> estimate, int constant,
            @Nullable Class<?> resultType, @Nullable ToIntFunction<Object> actual) {
        this.argumentType = argumentType;
        this.estimate = estimate;
        this.constant = constant;
        this.resultType = resultType;
        this.actual = actual;
    }

    /** Every call costs 1: a window counts calls. */
    static CallCost one() {
        return ONE;
    }

    static CallCost constant(int cost) {
        return new CallCost(null, null, checked(cost, "cost"), null, null);
    }

    @SuppressWarnings("unchecked")
    static <A> CallCost of(Class<A> argumentType, ToIntFunction<? super A> cost) {
        Objects.requireNonNull(argumentType, "argumentType");
        Objects.requireNonNull(cost, "cost");
        return new CallCost(argumentType, (ToIntFunction<Object>) cost, 0, null, null);
    }

    @SuppressWarnings("unchecked")
    <R> CallCost settledBy(Class<R> resultType, ToIntFunction<? super R> cost) {
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(cost, "costAfter");
        return new CallCost(argumentType, estimate, constant, resultType, (ToIntFunction<Object>) cost);
    }

    /**
     * Whether every call costs 1 and nothing is settled afterwards: windows count calls.
     *
     * @return true for the default cost
     */
    public boolean isOne() {
        return estimate == null && constant == 1 && actual == null;
    }

    /**
     * Whether the actual cost is settled from the result after the attempt.
     *
     * @return true if {@link ExecuteOptions#costAfter} was given
     */
    public boolean settlesAfter() {
        return actual != null;
    }

    /**
     * The cost of a call with {@code argument}, before it starts.
     *
     * @param argument the call's argument
     * @return the cost, zero or more
     * @throws IllegalArgumentException if the argument is not of the type the cost function takes, or
     *     the function returns a negative cost
     */
    public int estimate(@Nullable Object argument) {
        ToIntFunction<Object> function = estimate;
        if (function == null) {
            return constant;
        }
        Class<?> type = Objects.requireNonNull(argumentType);
        if (argument != null && !type.isInstance(argument)) {
            throw new IllegalArgumentException("the cost function takes a " + type.getName() + ", but the call passed a "
                    + argument.getClass().getName() + ": give cost(...) the execute's argument type");
        }
        return checked(function.applyAsInt(argument), "the cost of a call");
    }

    /**
     * The actual cost of a call that returned {@code result}, if it is settled afterwards.
     *
     * @param result what the handler returned
     * @param estimate what the call was counted at until now
     * @return the actual cost, or {@code estimate} when nothing is settled afterwards or the result is
     *     not of the type the function takes
     * @throws IllegalArgumentException if the function returns a negative cost
     */
    public int actual(@Nullable Object result, int estimate) {
        ToIntFunction<Object> function = actual;
        Class<?> type = resultType;
        if (function == null || type == null || result != null && !type.isInstance(result)) {
            return estimate;
        }
        return checked(function.applyAsInt(result), "the cost after a call");
    }

    private static int checked(int cost, String what) {
        if (cost < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + cost);
        }
        return cost;
    }

    @Override
    public String toString() {
        String before = estimate != null ? "cost of a " + Objects.requireNonNull(argumentType).getSimpleName() : "cost " + constant;
        return actual == null ? before : before + ", settled from a " + Objects.requireNonNull(resultType).getSimpleName();
    }
}
