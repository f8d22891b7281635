package dev.exmachina.redis;

import java.util.List;

/**
 * Redis could not decide for a shared concurrent group or lease (unreachable, timed out, or
 * refused the command): the attempt or iteration does not run. Shared limits fail closed: a bot
 * never runs unlimited because Redis was away. Once Redis answers again, the next call works.
 *
 * <p>It is a {@link RuntimeException} that an execute's {@code Retry} may retry like any failure.
 */
public final class SharedGroupUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The groups (or the lease) the failed call was deciding for: an array, so it serializes. */
    private final String[] groups;

    /**
     * @param groups the groups' names (or {@code "lease <name>"})
     * @param what what Redis could not do, and for what: "decide for shared group 'api'"
     */
    SharedGroupUnavailableException(List<String> groups, String what, Throwable cause) {
        super("Redis could not " + what + ": " + cause, cause);
        this.groups = groups.toArray(String[]::new);
    }

    /** How a message names {@code groups}: "shared group 'api'", "shared groups [api, orders]". */
    static String naming(List<String> groups) {
        return groups.size() == 1 ? "shared group '" + groups.get(0) + "'" : "shared groups " + groups;
    }

    /**
     * The groups (or the lease) the failed call was deciding for.
     *
     * @return their names
     */
    public List<String> groups() {
        return List.of(groups);
    }
}
