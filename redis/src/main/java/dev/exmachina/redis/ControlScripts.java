package dev.exmachina.redis;

/**
 * The Lua scripts that control a group for the fleet: pauses (set and read), limits changed at
 * run time, and the budget the server says is left. They write the group's control hash, which every
 * decision reads; they are run through {@link Scripts}.
 */
final class ControlScripts {

    private ControlScripts() {}

    /**
     * Pauses a group. KEYS: its control hash, its waiting flag. ARGV: how long from now (µs), its
     * "freed" channel. The pause ({@code paused}, µs of Redis time) ends at Redis's now plus that,
     * unless one in force ends later (a pause never shortens another). Waiters of every process are
     * told to ask again (they then wait for the end). Returns the end of the pause in force.
     */
    static final String PAUSE = Scripts.PRELUDE + """
            local now = clock()
            local untilAt = now + tonumber(ARGV[1])
            local cur = redis.call('HGET', KEYS[1], 'paused')
            if cur and tonumber(cur) >= untilAt then return tonumber(cur) end
            redis.call('HSET', KEYS[1], 'paused', num(untilAt))
            if redis.call('PTTL', KEYS[1]) >= 0 then keep(KEYS[1], math.floor((untilAt - now) / 1000) + 1000) end
            if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PUBLISH', ARGV[2], 'paused') end
            return untilAt
            """;

    /**
     * Takes the server's word for what is left of a group's quota. KEYS: its control hash. ARGV: units
     * left, how long from now the reset is (µs). Replaces the budget in force: {@code budget} (units left)
     * and {@code budgetReset} (Redis's now plus that, µs), which every decision reads. A hash with a time
     * to live keeps it until a while after the reset. Returns the reset.
     */
    static final String BUDGET = Scripts.PRELUDE + """
            local now = clock()
            local reset = now + tonumber(ARGV[2])
            redis.call('HSET', KEYS[1], 'budget', ARGV[1], 'budgetReset', num(reset))
            if redis.call('PTTL', KEYS[1]) >= 0 then keep(KEYS[1], math.floor((reset - now) / 1000) + 1000) end
            return reset
            """;

    /** The pause in force. KEYS: a group's control hash. Returns {now, end of the pause (µs), or 0 if none}. */
    static final String PAUSED = Scripts.PRELUDE + """
            local cur = redis.call('HGET', KEYS[1], 'paused')
            return {clock(), cur and tonumber(cur) or 0}
            """;

    /**
     * Changes a group's limits for the fleet. KEYS: its control hash. ARGV: its "freed" channel, then
     * field, value pairs ({@code concurrency}, {@code calls1}, {@code calls2}, …). The hash is kept
     * without a time to live from then on (the change must outlive idle times); waiters of every
     * process are told to ask again.
     */
    static final String CHANGE = """
            for j = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1]) end
            redis.call('PERSIST', KEYS[1])
            redis.call('PUBLISH', ARGV[1], 'limits')
            return 1
            """;
}
