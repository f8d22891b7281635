package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of one {@link RedisGroups}' live grants, all in one script call, every third of
 * the lease time to live: a timer of the bot clock starts a short virtual thread for the call (a
 * timer's action must not block), which schedules the next timer while any grant is live.
 *
 * <p><b>State.</b> {@code live}: the grants to renew, added and removed by any thread (a concurrent
 * map, no lock). {@code timer} and {@code stopped} are guarded by {@code renewLock}; whenever it is
 * free, {@code timer} is non-null from a renewal's scheduling until it has run, and null only when
 * no renewal is scheduled or running (or once {@code stopped}, final, after which none is
 * scheduled): so at most one chain of renewals runs.
 */
final class Renewer {

    // The backend's logger: users configure its warnings under the public class's name.
    private static final Logger LOG = LoggerFactory.getLogger(RedisGroups.class);

    private final Scripts scripts;
    private final long leaseTtlMillis;
    private final Map<RedisGate.Grant, Boolean> live = new ConcurrentHashMap<>();
    private final ReentrantLock renewLock = new ReentrantLock();
    private BotClock.@Nullable Timer timer;
    private boolean stopped;

    Renewer(Scripts scripts, long leaseTtlMillis) {
        this.scripts = scripts;
        this.leaseTtlMillis = leaseTtlMillis;
    }

    void add(RedisGate.Grant grant, BotClock clock) {
        live.put(grant, Boolean.TRUE);
        renewLock.lock();
        try {
            if (timer == null && !stopped) {
                schedule(clock);
            }
        } finally {
            renewLock.unlock();
        }
    }

    void remove(RedisGate.Grant grant) {
        live.remove(grant);
    }

    void stop() {
        renewLock.lock();
        try {
            stopped = true;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        } finally {
            renewLock.unlock();
        }
    }

    /** Lock held. */
    private void schedule(BotClock clock) {
        long every = Math.max(1, leaseTtlMillis / 3) * 1_000_000L;
        timer = clock.schedule(() -> Thread.ofVirtual().name("exmachina-redis-renewal").start(() -> renew(clock)),
                clock.nanoTime() + every);
    }

    private void renew(BotClock clock) {
        List<RedisGate.Grant> grants = new ArrayList<>(live.keySet());
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        List<RedisGate.Grant> owners = new ArrayList<>();
        args.add(Long.toString(leaseTtlMillis));
        for (RedisGate.Grant grant : grants) {
            List<String> leaseKeys = grant.leaseKeys();
            for (int k = 0; k < leaseKeys.size(); k++) {
                keys.add(leaseKeys.get(k));
                args.add(grant.leaseMember(k));
                owners.add(grant);
            }
        }
        if (!keys.isEmpty()) {
            try {
                List<?> lost = (List<?>) scripts.call(LeaseScripts.RENEW, keys, args, false);
                for (Object index : lost) {
                    RedisGate.Grant grant = owners.get((int) (long) (Long) index - 1);
                    if (live.containsKey(grant)) {
                        LOG.warn("shared groups: the lease {} of key {} had expired before it was renewed "
                                + "(this process was paused longer than the lease time to live?): "
                                + "the fleet may run one attempt more than the limit until it ends",
                                grant.id, keys.get((int) (long) (Long) index - 1));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("shared groups: could not renew {} lease(s), trying again in {} ms: {}", keys.size(),
                        Math.max(1, leaseTtlMillis / 3), e.toString());
            }
        }
        renewLock.lock();
        try {
            timer = null;
            if (!stopped && !live.isEmpty()) {
                schedule(clock);
            }
        } finally {
            renewLock.unlock();
        }
    }
}
