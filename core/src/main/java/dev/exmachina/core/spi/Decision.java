package dev.exmachina.core.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link GroupGate} decided for one attempt: start now ({@link StartNow}), start at a
 * reserved instant ({@link StartAt}), or queue ({@link Queued}). The first two are
 * {@linkplain Granted grants}. Immutable records; match them with a {@code switch}.
 *
 * <p>{@link #START_NOW} is shared, so the uncontended path allocates nothing. A backend that must
 * remember something about a grant (a lease id in a shared store) puts its own {@link Lease} in it;
 * core hands the same grant back to {@link GroupGate#start}, {@link GroupGate#giveBack} and
 * {@link GroupGate#release}.
 */
public sealed interface Decision permits Decision.Granted, Decision.Queued {

    /** Granted, start now, nothing to remember. Shared. */
    StartNow START_NOW = new StartNow(null);

    /**
     * Granted, start now, with what the backend remembers about the grant.
     *
     * @param lease the backend's own record of the grant
     * @return a {@link StartNow} carrying {@code lease}
     */
    static StartNow startNow(Lease lease) {
        return new StartNow(Objects.requireNonNull(lease, "lease"));
    }

    /**
     * Granted, with a start reserved at {@code atNanos}, set by the window of {@code group}.
     *
     * @param atNanos the reserved start, on the {@link dev.exmachina.core.BotClock#nanoTime()} base
     * @param group the group whose window set the instant
     * @return a {@link StartAt} decision
     */
    static StartAt startAt(long atNanos, String group) {
        return new StartAt(atNanos, group, null);
    }

    /**
     * {@link #startAt(long, String)} with what the backend remembers about the grant.
     *
     * @param atNanos the reserved start, on the {@link dev.exmachina.core.BotClock#nanoTime()} base
     * @param group the group whose window set the instant
     * @param lease the backend's own record of the grant
     * @return a {@link StartAt} decision carrying {@code lease}
     */
    static StartAt startAt(long atNanos, String group, Lease lease) {
        return new StartAt(atNanos, group, Objects.requireNonNull(lease, "lease"));
    }

    /**
     * Not granted: the attempt queues for a slot of {@code group}.
     *
     * @param group the group whose slot the attempt waits for
     * @return a {@link Queued} decision
     */
    static Queued queued(String group) {
        return new Queued(group);
    }

    /** A grant: every slot is held, and a start is counted in every window. */
    sealed interface Granted extends Decision permits StartNow, StartAt {
        /**
         * What the backend remembers about this grant.
         *
         * @return the backend's lease, or null if it needs none
         */
        @Nullable Lease lease();
    }

    /**
     * Granted: every slot is held and the start is now.
     *
     * @param lease what the backend remembers about the grant, or null
     */
    record StartNow(@Nullable Lease lease) implements Granted {
        @Override
        public String toString() {
            return "start now" + (lease == null ? "" : " [" + lease + "]");
        }
    }

    /**
     * Granted: every slot is held and a start is reserved at {@code atNanos}; core sleeps until then.
     *
     * @param atNanos the reserved start, on the {@link dev.exmachina.core.BotClock#nanoTime()} base
     * @param group the group whose window set the instant, for observers and diagnostics
     * @param lease what the backend remembers about the grant, or null
     */
    record StartAt(long atNanos, String group, @Nullable Lease lease) implements Granted {
        /**
         * Checks the group.
         *
         * @throws NullPointerException if {@code group} is null
         */
        public StartAt {
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String toString() {
            return "start at " + atNanos + " ns (window of '" + group + "')" + (lease == null ? "" : " [" + lease + "]");
        }
    }

    /**
     * Not granted: wait until the backend wakes the ticket, then ask again. Holds nothing.
     *
     * @param group the group whose slot (or window place) the attempt waits for
     */
    record Queued(String group) implements Decision {
        /**
         * Checks the group.
         *
         * @throws NullPointerException if {@code group} is null
         */
        public Queued {
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String toString() {
            return "queued for a slot of '" + group + "'";
        }
    }

    /**
     * What a backend remembers about one grant (a lease id in a shared store), carried by the grant
     * from the decision to its release. Core never looks inside.
     */
    interface Lease {}
}
