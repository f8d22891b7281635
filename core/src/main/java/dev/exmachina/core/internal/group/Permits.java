package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.GroupGate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The groups one execute takes for each attempt, in their creation order (never the order the
 * execute listed them), so that two executes sharing groups cannot deadlock. Immutable; its
 * {@link #gate} decides for the attempts.
 */
public final class Permits {

    private static final Permits NONE = new Permits(new GroupImpl[0]);

    /** The groups in the order they are taken, each followed by the groups of its further windows. */
    private final GroupImpl[] groups;
    private final List<GroupImpl> groupList;

    private Permits(GroupImpl[] registered) {
        this.groupList = List.of(registered);
        this.groups = Arrays.stream(registered)
                .flatMap(group -> Stream.concat(Stream.of(group), Arrays.stream(group.moreWindows)))
                .toArray(GroupImpl[]::new);
    }

    public static Permits of(List<GroupImpl> groups) {
        if (groups.isEmpty()) {
            return NONE;
        }
        return new Permits(groups.stream().sorted(Comparator.comparingInt(GroupImpl::order)).toArray(GroupImpl[]::new));
    }

    /** The groups, in the order they are taken. */
    public List<GroupImpl> groups() {
        return groupList;
    }

    /** The in-memory gate deciding for these groups on {@code clock}. */
    public GroupGate gate(BotClock clock) {
        return groups.length == 0 ? GroupGate.none() : new InMemoryGate(groups.clone(), clock);
    }
}
