package dev.exmachina.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link RedisGate} sends Redis: the KEYS and ARGV of its script calls (decide, start, settle,
 * release), and what a {@link SharedGroupUnavailableException} says each could not do, built once from
 * the gate's groups (in global order) and never changed after.
 */
final class GateCalls {

    /** The scripts' entries: every window of every group, in the groups' order (see {@link RedisGroup.Part}). */
    final RedisGroup.Part[] parts;
    final List<String> keys;
    final List<String> names;
    /** What a {@link SharedGroupUnavailableException} says Redis could not do, per script. */
    final String decideFailure;
    final String releaseFailure;
    final String giveBackFailure;
    /** The acquire script's ARGV, with the lease id at index 1 to fill in per call. */
    final String[] acquireArgs;
    /** The release script's ARGV after the id, the give-back flag and the reserved start. */
    private final List<String> releaseArgs;
    /** Whether a grant holds something in Redis until it ends (a slot, a place of a completion window). */
    final boolean holds;
    /** The windows anchored at starts, where a reserved start is stamped when it begins; and their ARGV after the id. */
    final List<String> startKeys;
    final List<String> startArgs;
    final List<String> startNames;
    final String startFailure;
    /** The settle script's KEYS (window, control hash per window anchored at starts) and ARGV after the names. */
    final List<String> settleKeys;
    final List<String> settleArgs;

    GateCalls(RedisGroups owner, RedisGroup[] groups) {
        List<RedisGroup.Part> all = new ArrayList<>();
        for (RedisGroup g : groups) {
            all.addAll(g.parts);
        }
        this.parts = all.toArray(RedisGroup.Part[]::new);
        List<String> n = new ArrayList<>(groups.length);
        List<String> sp = new ArrayList<>();
        boolean anyHeld = false;
        for (RedisGroup g : groups) {
            n.add(g.name);
            sp.add(g.controlKey);
            anyHeld |= g.holdsUntilEnd();
        }
        this.names = List.copyOf(n);
        this.holds = anyHeld;
        String naming = SharedGroupUnavailableException.naming(names);
        this.decideFailure = "decide for " + naming;
        this.releaseFailure = "take the release for " + naming;
        this.giveBackFailure = "take the give-back for " + naming;
        this.startFailure = "stamp the start for " + naming;
        this.keys = acquireKeys(parts);
        this.releaseArgs = releaseArgsAfterStart(parts);
        this.acquireArgs = acquireArgs(parts, owner.leaseTtlMillis());
        List<String> sk = new ArrayList<>();
        List<String> sa = new ArrayList<>();
        List<String> sn = new ArrayList<>();
        List<String> tk = new ArrayList<>();
        List<String> ta = new ArrayList<>();
        List<RedisGroup> order = List.of(groups);
        for (RedisGroup.Part part : parts) {
            RedisGroup g = part.group();
            if (part.startAnchored()) {
                sk.add(part.windowKey());
                sn.add(g.name);
                sa.add(part.callsArg());
                sa.add(part.windowArg());
                sa.add(Integer.toString(order.indexOf(g) + 1));
                sa.add(Integer.toString(part.number()));
                tk.add(part.windowKey());
                tk.add(g.controlKey);
                ta.add(Integer.toString(part.number()));
            }
        }
        sp.addAll(sk); // the pauses first, then the windows anchored at starts
        this.startKeys = List.copyOf(sp);
        sa.addFirst(Integer.toString(groups.length));
        this.startArgs = List.copyOf(sa);
        this.startNames = List.copyOf(sn);
        this.settleKeys = List.copyOf(tk);
        this.settleArgs = List.copyOf(ta);
    }

    /** The acquire and release scripts' KEYS: five per window (see {@link DecisionScripts#ACQUIRE}). */
    private static List<String> acquireKeys(RedisGroup.Part[] parts) {
        List<String> k = new ArrayList<>(parts.length * 5);
        for (RedisGroup.Part part : parts) {
            RedisGroup g = part.group();
            k.add(g.slotsKey);
            k.add(part.windowKey());
            k.add(part.freesKey());
            k.add(g.waitingKey);
            k.add(g.controlKey);
        }
        return List.copyOf(k);
    }

    /** The release script's ARGV per window: its group's "freed" channel, the window, its anchor. */
    private static List<String> releaseArgsAfterStart(RedisGroup.Part[] parts) {
        List<String> r = new ArrayList<>(parts.length * 3);
        for (RedisGroup.Part part : parts) {
            r.add(part.group().freedChannel);
            r.add(part.windowArg());
            r.add(part.anchorArg());
        }
        return List.copyOf(r);
    }

    /** The acquire script's ARGV, the lease id (index 1) and the cost (last) to fill in per call. */
    private static String[] acquireArgs(RedisGroup.Part[] parts, long leaseTtlMillis) {
        String[] args = new String[4 + 5 * parts.length];
        args[args.length - 1] = "1"; // the cost: an unweighted call's
        args[0] = Integer.toString(parts.length);
        args[2] = Long.toString(leaseTtlMillis);
        for (int i = 0; i < parts.length; i++) {
            RedisGroup.Part part = parts[i];
            args[3 + 5 * i] = part.concurrencyArg();
            args[4 + 5 * i] = part.callsArg();
            args[5 + 5 * i] = part.windowArg();
            args[6 + 5 * i] = part.anchorArg();
            args[7 + 5 * i] = Integer.toString(part.number());
        }
        return args;
    }

    /**
     * The release script's ARGV for lease {@code id}, whose entry in start-anchored windows (and actual
     * cost) is {@code member}, and whose place in completion windows is {@code placed}.
     */
    List<String> releaseArgs(String id, boolean giveBack, long redisStart, String member, String placed) {
        List<String> args = new ArrayList<>(4 + releaseArgs.size());
        args.add(id);
        args.add(giveBack ? "1" : "0");
        args.add(Long.toString(redisStart));
        args.addAll(releaseArgs);
        args.add(member);
        args.add(placed);
        return args;
    }
}
