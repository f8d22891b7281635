package dev.exmachina.redis;

/**
 * The Lua scripts for leases: renewing the leases of live grants, counting a group's live leases,
 * and taking, keeping or releasing an emit lease (a holder key and its token counter). They are run
 * through {@link Scripts}.
 */
final class LeaseScripts {

    private LeaseScripts() {}

    /**
     * Renews leases. KEYS: slots keys; ARGV: ttl (ms), then the lease id for each key. A lease still
     * there gets a new expiry; returns the 1-based indexes of the leases that were gone (expired).
     */
    static final String RENEW = Scripts.PRELUDE + """
            local now = clock()
            local ttl = tonumber(ARGV[1])
            local lost = {}
            for i = 1, #KEYS do
              local s = redis.call('ZSCORE', KEYS[i], ARGV[i + 1])
              if s and tonumber(s) > now then
                redis.call('ZADD', KEYS[i], 'XX', num(now + ttl * 1000), ARGV[i + 1])
                keep(KEYS[i], ttl * 2)
              else
                lost[#lost + 1] = i
              end
            end
            return lost
            """;

    /** Live leases of a group: KEYS: slots; drops expired ones, returns how many are left. */
    static final String COUNT = Scripts.PRELUDE + """
            local now = clock()
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
}
