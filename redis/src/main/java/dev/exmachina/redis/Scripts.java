package dev.exmachina.redis;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs the Lua scripts: each loaded once per client ({@code SCRIPT LOAD}) and called by SHA
 * ({@code EVALSHA}); reloaded when Redis answers {@code NOSCRIPT} (a restart, {@code SCRIPT FLUSH}, a
 * failover). Holds the prelude the scripts share; the scripts themselves live by job in
 * {@link DecisionScripts}, {@link GrantScripts}, {@link LeaseScripts} and {@link ControlScripts}. Every
 * instant is Redis server time ({@code TIME}) in microseconds, so the processes' own clocks never
 * decide.
 */
final class Scripts {

    /**
     * What every script that reads the clock or writes keys begins with. {@code num}: a number as {@code redis.call} must get it
     * ({@code %.0f}; Lua would format a microsecond instant with 14 significant digits and lose its
     * last ones). {@code keep}: lengthens a key's time to live, never shortens it. {@code clock}: Redis
     * server time in µs, read once per script, and only by a script that needs it.
     */
    static final String PRELUDE = """
            local function num(x) return string.format('%.0f', x) end
            -- Only ever lengthens a key's life: processes may use other lease TTLs, and other entries live longer.
            -- GT leaves a key without a time to live (new) alone; NX gives it one (Redis 7).
            local function keep(key, ms)
              if redis.call('PEXPIRE', key, num(ms), 'GT') == 0 then redis.call('PEXPIRE', key, num(ms), 'NX') end
            end
            local now_
            local function clock()
              if not now_ then
                local t = redis.call('TIME')
                now_ = tonumber(t[1]) * 1000000 + tonumber(t[2])
              end
              return now_
            end
            -- A start's cost in a window: a weighted call's entry is named '<lease id>#<cost>', any other costs 1.
            local function weight(member)
              local w = string.match(member, '#(%d+)$')
              return w and tonumber(w) or 1
            end
            -- In a window whose entries 1..#e (a flat list of member, score) cost total, the instant the
            -- oldest entries that must leave for cost more to fit have left (0 if it fits at once).
            local function roomAt(e, total, cost, calls, win)
              local at, j = 0, 1
              while total + cost > calls and j < #e do
                total = total - weight(e[j])
                at = tonumber(e[j + 1]) + win
                j = j + 2
              end
              return at
            end
            """;

    private final UnifiedJedis jedis;
    private final ConcurrentHashMap<String, String> shas = new ConcurrentHashMap<>();
    /**
     * Calls at once, fewer than the client's pooled connections. Bot threads are virtual, and a pool
     * borrower that finds every connection taken while others are being opened spins in
     * commons-pool2's {@code create}: with as many spinners as carrier threads, the thread opening a
     * connection never runs again. Waiting here instead parks the virtual thread.
     */
    private final Semaphore calls;

    /** @param reserved connections of the pool this instance keeps for itself otherwise (a subscription) */
    Scripts(UnifiedJedis jedis, int reserved) {
        this.jedis = jedis;
        int pooled = jedis instanceof RedisClient client ? client.getPool().getMaxTotal() : 8;
        this.calls = new Semaphore(pooled < 0 ? Integer.MAX_VALUE : Math.max(1, pooled - reserved), true);
    }

    /**
     * Runs {@code script} by SHA, loading it first if this client has not yet, and again after a
     * {@code NOSCRIPT}. Waits for one of the calls' permits first: interruptibly if {@code interruptible}
     * (a decision, which a cancelled attempt gives up), else not (what ends a grant must be sent).
     *
     * @throws JedisException if Redis could not run it, or the wait for a permit was interrupted (the
     *     thread's interrupt status is then set again)
     */
    Object call(String script, List<String> keys, List<String> args, boolean interruptible) {
        if (interruptible) {
            try {
                calls.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JedisException("interrupted while waiting for one of the client's connections", e);
            }
        } else {
            calls.acquireUninterruptibly();
        }
        try {
            String sha = shas.get(script);
            if (sha == null) {
                sha = jedis.scriptLoad(script);
                shas.put(script, sha); // the same SHA whoever loads it first
            }
            try {
                return jedis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException flushed) {
                String reloaded = jedis.scriptLoad(script);
                shas.put(script, reloaded);
                return jedis.evalsha(reloaded, keys, args);
            }
        } finally {
            calls.release();
        }
    }

    /**
     * A decision: {@link #call} (interruptible), failing with a {@link SharedGroupUnavailableException}
     * naming {@code groups} and saying {@code what} could not be done.
     */
    <T> T ask(String script, List<String> keys, List<String> args, List<String> groups, String what,
            Function<Object, T> answer) {
        return answer(script, keys, args, groups, what, answer, true);
    }

    /** What ends or keeps a grant: as {@link #ask}, but the wait for a permit is not interruptible. */
    <T> T tell(String script, List<String> keys, List<String> args, List<String> groups, String what,
            Function<Object, T> answer) {
        return answer(script, keys, args, groups, what, answer, false);
    }

    private <T> T answer(String script, List<String> keys, List<String> args, List<String> groups, String what,
            Function<Object, T> answer, boolean interruptible) {
        try {
            return answer.apply(call(script, keys, args, interruptible));
        } catch (JedisException e) {
            throw new SharedGroupUnavailableException(groups, what, e);
        }
    }
}
