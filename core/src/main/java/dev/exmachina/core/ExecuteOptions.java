package dev.exmachina.core;

import dev.exmachina.retry.Retry;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How an execute runs: the concurrent groups each attempt takes, and its retry policy. Immutable.
 *
 * @param groups names of concurrent groups; each must be registered before the execute
 * @param retry what to wait after a failed attempt; {@link Retry#none()} by default
 */
public record ExecuteOptions(List<String> groups, Retry retry) {

    public ExecuteOptions {
        Objects.requireNonNull(groups, "groups");
        if (groups.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("groups must not contain null, were " + groups);
        }
        groups = List.copyOf(groups);
        Objects.requireNonNull(retry, "retry");
        if (groups.stream().distinct().count() != groups.size()) {
            throw new IllegalArgumentException("groups must not repeat a name, were " + groups);
        }
    }

    /** No group, no retry. */
    public static ExecuteOptions defaults() {
        return new ExecuteOptions(List.of(), Retry.none());
    }

    /** The defaults with these groups (in any order: they are always taken in creation order). */
    public static ExecuteOptions groups(String... groups) {
        return new ExecuteOptions(Arrays.asList(Objects.requireNonNull(groups, "groups")), Retry.none());
    }

    public ExecuteOptions retry(Retry retry) {
        return new ExecuteOptions(groups, retry);
    }
}
