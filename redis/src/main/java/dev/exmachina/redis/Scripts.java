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
 * The Lua scripts, loaded once per client ({@code SCRIPT LOAD}) and called by SHA ({@code EVALSHA});
 * reloaded when Redis answers {@code NOSCRIPT} (a restart, {@code SCRIPT FLUSH}, a failover). Every
 * instant is Redis server time ({@code TIME}) in microseconds, so the processes' own clocks never
 * decide. Numbers go to {@code redis.call} through {@code num()} ({@code %.0f}): Lua would otherwise
 * format a microsecond instant with 14 significant digits and lose its last ones.
 */
final class Scripts {

    /**
     * One decision for all an execute's groups. KEYS: slots_1, starts_1, …, slots_n, starts_n.
     * ARGV: n, lease id, lease ttl (ms), then per group: concurrency (0: none), calls per window,
     * window (µs, 0: none). Expired leases go first; if a group has no free slot: {0, i, now, µs until
     * its first lease expires}. Else every slot is taken (a lease scored by its expiry) and the start is
     * the earliest instant every window allows, no earlier than the last reserved start (so first come,
     * first served across the fleet's decisions), recorded in every window: {1, i deciding or 0, now, start}.
     */
    static final String ACQUIRE = """
            local function num(x) return string.format('%.0f', x) end
            local n = tonumber(ARGV[1])
            local id = ARGV[2]
            local ttl = tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            for i = 1, n do
              local conc = tonumber(ARGV[1 + 3 * i])
              if conc > 0 then
                local key = KEYS[2 * i - 1]
                redis.call('ZREMRANGEBYSCORE', key, '-inf', num(now))
                if redis.call('ZCARD', key) >= conc then
                  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
                  return {0, i, now, tonumber(first[2]) - now}
                end
              end
            end
            local start = now
            local decider = 0
            for i = 1, n do
              local calls = tonumber(ARGV[2 + 3 * i])
              local win = tonumber(ARGV[3 + 3 * i])
              if win > 0 then
                local key = KEYS[2 * i]
                redis.call('ZREMRANGEBYSCORE', key, '-inf', num(now - win))
                local count = redis.call('ZCARD', key)
                if count > 0 then
                  local last = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
                  if last > start then start = last; decider = i end
                  if count >= calls then
                    local e = tonumber(redis.call('ZRANGE', key, count - calls, count - calls, 'WITHSCORES')[2]) + win
                    if e > start then start = e; decider = i end
                  end
                end
              end
            end
            for i = 1, n do
              if tonumber(ARGV[1 + 3 * i]) > 0 then
                redis.call('ZADD', KEYS[2 * i - 1], num(now + ttl * 1000), id)
                redis.call('PEXPIRE', KEYS[2 * i - 1], num(ttl * 2))
              end
              local win = tonumber(ARGV[3 + 3 * i])
              if win > 0 then
                redis.call('ZADD', KEYS[2 * i], num(start), id)
                redis.call('PEXPIRE', KEYS[2 * i], num(math.floor((start - now + win) / 1000) + 1000))
              end
            end
            return {1, decider, now, start}
            """;

    /**
     * Ends a grant. KEYS: slots_1, starts_1, …; ARGV: lease id, 1 to also drop a reserved start that
     * has not come yet (a give-back) else 0, then each group's "freed" channel. A slot removed is
     * published on its channel, so waiters of every process ask again.
     */
    static final String RELEASE = """
            local id = ARGV[1]
            local drop = ARGV[2] == '1'
            local now = nil
            if drop then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            for i = 1, #KEYS / 2 do
              if redis.call('ZREM', KEYS[2 * i - 1], id) == 1 then
                redis.call('PUBLISH', ARGV[2 + i], id)
              end
              if drop then
                local s = redis.call('ZSCORE', KEYS[2 * i], id)
                if s and tonumber(s) > now then redis.call('ZREM', KEYS[2 * i], id) end
              end
            end
            return 1
            """;

    /**
     * Renews leases. KEYS: slots keys; ARGV: ttl (ms), then the lease id for each key. A lease still
     * there gets a new expiry; returns the 1-based indexes of the leases that were gone (expired).
     */
    static final String RENEW = """
            local function num(x) return string.format('%.0f', x) end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local ttl = tonumber(ARGV[1])
            local lost = {}
            for i = 1, #KEYS do
              local s = redis.call('ZSCORE', KEYS[i], ARGV[i + 1])
              if s and tonumber(s) > now then
                redis.call('ZADD', KEYS[i], 'XX', num(now + ttl * 1000), ARGV[i + 1])
                redis.call('PEXPIRE', KEYS[i], num(ttl * 2))
              else
                lost[#lost + 1] = i
              end
            end
            return lost
            """;

    /** Live leases of a group: KEYS: slots; drops expired ones, returns how many are left. */
    static final String COUNT = """
            local function num(x) return string.format('%.0f', x) end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now))
            return redis.call('ZCARD', KEYS[1])
            """;

    /**
     * Takes or keeps an emit lease. KEYS: holder, token counter; ARGV: holder id, ttl (ms). The holder
     * key holds "token:holder id" with the ttl. Held by this id: extend, return its token; free: the
     * counter's next value (INCR: strictly increasing per new holder), return it; else -1.
     */
    static final String LEASE_ACQUIRE = """
            local cur = redis.call('GET', KEYS[1])
            if cur then
              local sep = string.find(cur, ':', 1, true)
              if string.sub(cur, sep + 1) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return tonumber(string.sub(cur, 1, sep - 1))
              end
              return -1
            end
            local token = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'PX', ARGV[2])
            return token
            """;

    /** Renews (ARGV[3] = 'renew') or releases ('release') an emit lease held by ARGV[1]: 1 if held, else 0. */
    static final String LEASE_KEEP = """
            local cur = redis.call('GET', KEYS[1])
            if not cur then return 0 end
            local sep = string.find(cur, ':', 1, true)
            if string.sub(cur, sep + 1) ~= ARGV[1] then return 0 end
            if ARGV[3] == 'renew' then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            else
              redis.call('DEL', KEYS[1])
            end
            return 1
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
     * {@code NOSCRIPT}.
     *
     * @throws JedisException if Redis could not run it
     */
    Object call(String script, List<String> keys, List<String> args) {
        calls.acquireUninterruptibly();
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

    /** {@link #call}, failing with a {@link SharedGroupUnavailableException} naming {@code groups}. */
    <T> T call(String script, List<String> keys, List<String> args, List<String> groups, String what,
            Function<Object, T> answer) {
        try {
            return answer.apply(call(script, keys, args));
        } catch (JedisException e) {
            throw new SharedGroupUnavailableException(groups, what, e);
        }
    }
}
