package dev.exmachina.core.internal.execute;

import dev.exmachina.core.ExecuteHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The order of an execute's policies, and nothing else: builds the one step a call runs, each
 * policy wrapping the ones after it in {@link Policy.Place} order, the handler innermost. Between
 * admission and the attempt timeout the attempt is reported ({@link ReportedAttempt}), so a report
 * sees a timeout as the attempt's outcome and covers only attempts that started.
 *
 * <p>An execute without options has an empty chain: its call runs one step, the reported handler
 * (no clock read, no allocation).
 */
final class Chain {

    private Chain() {}

    /**
     * The step of an execute whose policies are {@code policies} (any order, one per place).
     *
     * @throws IllegalArgumentException if two policies take the same place
     */
    static <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> of(ExecuteContext context,
            ExecuteHandler<A, R> handler, List<Policy> policies) {
        List<Policy> ordered = new ArrayList<>(policies);
        ordered.sort(Comparator.comparing(Policy::place));
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).place() == ordered.get(i - 1).place()) {
                throw new IllegalArgumentException("two policies at " + ordered.get(i).place() + ": " + ordered);
            }
        }
        int i = ordered.size() - 1;
        Step<A, R> handlerStep = (argument, token, deadline, attempt) -> handler.apply(argument);
        Step<A, R> inside = null; // the policies the report wraps (the attempt timeout), around the handler
        for (; i >= 0 && ordered.get(i).place().compareTo(Policy.Place.ATTEMPT_TIMEOUT) >= 0; i--) {
            inside = ordered.get(i).wrap(inside != null ? inside : handlerStep);
        }
        Step<A, R> step = new ReportedAttempt<>(context, handler, inside);
        for (; i >= 0; i--) {
            step = ordered.get(i).wrap(step);
        }
        return step;
    }
}
