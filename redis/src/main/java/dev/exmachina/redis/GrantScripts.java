package dev.exmachina.redis;

/**
 * The Lua scripts for a grant after its decision: a reserved start that begins (stamped or moved
 * later), a weighted call's actual cost settled, and a grant that ends (released or given back). Each
 * begins with {@link Scripts#PRELUDE} and is run through {@link Scripts}.
 */
final class GrantScripts {

    private GrantScripts() {}

    /**
     * A reserved start begins: its thread runs now. KEYS: the control hash of each of the execute's
     * groups ({@code …:control}, {@code n} of them), then its windows anchored at starts
     * ({@code …:starts}). ARGV: lease id, {@code n}, then per window: calls per window (as registered),
     * window (µs), the 1-based index of its group's control hash in KEYS, the window's number in its group.
     *
     * <p>A group paused past now moves the start to the pause's end (the fleet waits for it). Else the
     * start is stamped at Redis's now in every window if each allows it there: fewer than {@code calls}
     * other starts in {@code (now - window, now]} (reservations after now are checked when they
     * begin). Else (earlier starts began late too) it moves to the instant the oldest start in the way
     * leaves every window: as late as the starts before it were, not behind every start reserved since
     * (which would leave a gap nobody fills, and give away part of the limit). Either way the lease's
     * own reservation is replaced; a moved start is checked again when it begins. Since every start is
     * stamped at the Redis instant it begins, each stamp sees every stamp before it, and no interval
     * of length {@code window} holds more than {@code calls} of them. Returns {0 (stamped now), 1 (moved
     * by a window) or 2 (by a pause), the 1-based index of that window or group, now, start}. A
     * weighted start (lease id {@code <id>#<cost>}) counts its cost: in a window flagged weighted, the
     * costs of the entries are summed instead of counted; 3 (and the limit) if the limit in force is now
     * below the cost.
     */
    static final String START = Scripts.PRELUDE + """
            local id = ARGV[1]
            local n = tonumber(ARGV[2])
            local now = clock()
            local start = now
            local kind, index = 0, 0
            for g = 1, n do
              local paused = redis.call('HGET', KEYS[g], 'paused')
              if paused and tonumber(paused) > start then start = tonumber(paused); kind = 2; index = g end
            end
            -- Per window: its key, its limit in force (changed at run time in its group's control hash, else
            -- as registered), its length.
            -- Whether the window sums costs (a weighted call entered it).
            local cost = weight(id)
            local function window(i)
              local j = 3 + 4 * (i - 1)
              local changed = redis.call('HMGET', KEYS[tonumber(ARGV[j + 2])], 'calls' .. ARGV[j + 3], 'weighted' .. ARGV[j + 3])
              return KEYS[n + i], tonumber(changed[1] or ARGV[j]), tonumber(ARGV[j + 1]), cost ~= 1 or changed[2]
            end
            local allowed = true
            local sums = {}
            for i = 1, #KEYS - n do
              local key, calls, win, weighted = window(i)
              if cost > calls then return {3, i, now, calls} end -- the limit was lowered below the cost
              redis.call('ZREM', key, id)
              redis.call('ZREMRANGEBYSCORE', key, '-inf', num(now - win))
              if weighted then
                local e = redis.call('ZRANGEBYSCORE', key, '-inf', num(now), 'WITHSCORES')
                local total = 0
                for j = 1, #e, 2 do total = total + weight(e[j]) end
                sums[i] = {e, total}
                if total + cost > calls then allowed = false end
              elseif redis.call('ZCOUNT', key, '-inf', num(now)) >= calls then allowed = false end
            end
            if kind == 0 and not allowed then
              for i = 1, #KEYS - n do
                local key, calls, win = window(i)
                local upTo = sums[i] and 0 or redis.call('ZCOUNT', key, '-inf', num(now))
                if sums[i] then
                  local e = roomAt(sums[i][1], sums[i][2], cost, calls, win)
                  if e > start then start = e; kind = 1; index = i end
                elseif upTo >= calls then
                  local e = tonumber(redis.call('ZRANGE', key, upTo - calls, upTo - calls, 'WITHSCORES')[2]) + win
                  if e > start then start = e; kind = 1; index = i end
                end
              end
            end
            for i = 1, #KEYS - n do
              redis.call('ZADD', KEYS[n + i], num(start), id)
              keep(KEYS[n + i], math.floor((start - now + tonumber(ARGV[4 + 4 * (i - 1)])) / 1000) + 1000)
            end
            return {kind, index, now, start}
            """;

    /**
     * A weighted start's actual cost, known after its attempt. KEYS: per window anchored at starts, the
     * window and its group's control hash. ARGV: the entry's name (lease id and estimate), its new name
     * (lease id and actual cost), then per window its number in its group. The entry is renamed at the
     * same start instant, so the window counts the actual cost there; a window whose entry has left
     * (older than the window) keeps nothing. A window then sums costs from now on.
     */
    static final String SETTLE = Scripts.PRELUDE + """
            for i = 1, #KEYS / 2 do
              local window, control = KEYS[2 * i - 1], KEYS[2 * i]
              local s = redis.call('ZSCORE', window, ARGV[1])
              if s then
                redis.call('ZREM', window, ARGV[1])
                redis.call('ZADD', window, s, ARGV[2])
              end
              if redis.call('HSETNX', control, 'weighted' .. ARGV[2 + i], '1') == 1 then redis.call('PERSIST', control) end
            end
            return 1
            """;

    /**
     * Ends a grant. KEYS: five per group, as {@link DecisionScripts#ACQUIRE}'s. ARGV: lease id; 1 if the attempt
     * never started (a give-back) else 0; its reserved start (µs of Redis time); then per group: its
     * "freed" channel, window (µs), anchor ({@code s} or {@code c}); last, its entry in start-anchored
     * windows (named for the actual cost) and its place in completion windows (named for the estimate),
     * the lease id for both when omitted: the place that comes free carries the actual cost. An attempt that ended frees its
     * place of a completion window one window from now; one that never started gives it back at its
     * reserved start, or now if that has passed. A give-back also drops a start reserved in a
     * start-anchored window that has not come yet. A slot or place freed is published on the group's
     * channel while the group is flagged as waited for, so waiters of every process ask again; an
     * uncontended release publishes nothing.
     */
    static final String RELEASE = Scripts.PRELUDE + """
            local id = ARGV[1]
            local drop = ARGV[2] == '1'
            local reserved = tonumber(ARGV[3])
            local member = ARGV[4 + 3 * (#KEYS / 5)] or id -- its entry in start-anchored windows, and its actual cost
            local placed = ARGV[5 + 3 * (#KEYS / 5)] or id -- its place held in completion windows (the estimate)
            for i = 1, #KEYS / 5 do
              local slots, window, freeAt = KEYS[5 * i - 4], KEYS[5 * i - 3], KEYS[5 * i - 2]
              local freed = redis.call('ZREM', slots, id) == 1
              if ARGV[3 + 3 * i] == 'c' then
                if redis.call('ZREM', window, placed) == 1 then
                  freed = true
                  local at = clock() + tonumber(ARGV[2 + 3 * i])
                  if drop then at = reserved end
                  if at > clock() then
                    redis.call('ZADD', freeAt, num(at), member)
                    keep(freeAt, math.floor((at - clock()) / 1000) + 1000)
                  end
                end
              elseif drop then
                local s = redis.call('ZSCORE', window, member)
                if s and tonumber(s) > clock() then redis.call('ZREM', window, member) end
              end
              if freed and redis.call('EXISTS', KEYS[5 * i - 1]) == 1 then
                redis.call('PUBLISH', ARGV[1 + 3 * i], id)
              end
            end
            return 1
            """;
}
