package dev.exmachina.retry;

import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The default {@code waitFrom} of every rule: the failure says nothing about the wait, so the rule's
 * own backoff decides. A named singleton, so a rule's {@code toString} stays readable.
 */
enum NoWaitFrom implements Function<Object, @Nullable Duration> {
    INSTANCE;

    @Override
    public @Nullable Duration apply(Object failure) {
        return null;
    }

    @Override
    public String toString() {
        return "backoff";
    }
}
