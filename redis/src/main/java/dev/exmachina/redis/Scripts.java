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
 * decide.
 */
final class Scripts {

    /**
     * What every script below begins with. {@code num}: a number as {@code redis.call} must get it
     * ({@code %.0f}; Lua would format a microsecond instant with 14 significant digits and lose its
     * last ones). {@code keep}: lengthens a key's time to live, never shortens it. {@code clock}: Redis
     * server time in µs, read once per script, and only by a script that needs it.
     */
    private static final String PRELUDE = """
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

    /**
     * One decision for all an execute's groups. KEYS, five per group: its slots (lease ids by expiry);
     * its window: the starts (start instants by lease id) of a window anchored at starts, or the
     * places held by attempts not ended (by lease expiry) of one anchored at completion; its frees
     * (anchored at completion: when ended attempts' places come free, {@code end + window}); its
     * waiting flag; its control hash: {@code paused} (the Redis instant, µs, until which it starts
     * nothing), and the limits changed at run time ({@code concurrency}, {@code calls1}, {@code calls2}, …
     * per window), which replace those of ARGV. ARGV: n, lease id, lease ttl (ms), then per group: concurrency (0: none), calls per
     * window, window (µs, 0: none), anchor ({@code s} or {@code c}), the window's number in its group; last,
     * the call's cost (1 for an unweighted call). A weighted call's start is named {@code <lease id>#<cost>}
     * in its start-anchored windows, and such a window is flagged {@code weighted<k>} in the control hash
     * (kept without a time to live): from then on its decisions sum the costs of its entries (walking them
     * from the oldest), where an unweighted window counts them ({@code ZCARD}, no walk). A cost larger than
     * a window's limit in force is refused before anything is taken: {2, i, now, limit}.
     *
     * <p>First, changing nothing but dropping what has expired: if a group has no free slot, or every
     * place of its completion window is held by an attempt that has not ended, the group is flagged as
     * waited for (so releases publish) and the answer is {0, i, now, µs until its first lease expires}.
     * A place whose lease expired (its holder died) comes free one window after the expiry. Else every
     * slot is taken (a lease scored by its expiry) and the start is the earliest instant every window
     * allows, no earlier than the last start reserved in a start-anchored window (so first come, first
     * served across the fleet's decisions) nor than the end of a group's pause, recorded in every window: {1, i deciding or 0, now, start}.
     *
     * <p>A group's budget ({@code budget}, units left, and {@code budgetReset}, a Redis instant in µs, in
     * its control hash, read in the same {@code HMGET} as the limits in force, with the group's first
     * window): a start before the reset is counted there (its cost taken from {@code budget}) if the
     * budget has room for the cost, else it moves to the reset, when the budget no longer counts; a
     * budget whose reset has come is dropped. A group without one runs the same commands as before.
     */
    static final String ACQUIRE = PRELUDE + """
            local function full(i, leases, now)
              local first = tonumber(redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')[2])
              -- Releases publish while someone may still wait: until a while after that waiter asks again.
              redis.call('SET', KEYS[5 * i - 1], '1', 'KEEPTTL')
              keep(KEYS[5 * i - 1], math.floor((first - now) / 1000) + 1000)
              return {0, i, now, first - now}
            end
            -- The limits in force: those changed at run time (the group's control hash), else as registered.
            -- And whether a weighted call ever entered the window ({@code weighted<k>}): then its entries are summed.
            -- And what the server said is left ({@code budget} units until {@code budgetReset}), if anything.
            local conc_, calls_, weighted_, budget_ = {}, {}, {}, {}
            local function limits(i)
              if not conc_[i] then
                local c = redis.call('HMGET', KEYS[5 * i], 'concurrency', 'calls' .. ARGV[5 * i + 3],
                  'weighted' .. ARGV[5 * i + 3], 'budget', 'budgetReset')
                conc_[i] = tonumber(ARGV[5 * i - 1])
                if conc_[i] > 0 and c[1] then conc_[i] = tonumber(c[1]) end
                calls_[i] = tonumber(c[2] or ARGV[5 * i])
                weighted_[i] = c[3] and true or false
                -- A group's budget is read with its first window (each group counts a start once).
                if c[4] and c[5] and ARGV[5 * i + 3] == '1' then budget_[i] = {tonumber(c[4]), tonumber(c[5])} end
              end
              return conc_[i], calls_[i]
            end
            local n = tonumber(ARGV[1])
            local id = ARGV[2]
            -- The cost; 'w<cost>' for a weighted execute, which flags the windows it enters.
            local weighed = string.sub(ARGV[5 * n + 4], 1, 1) == 'w'
            local cost = tonumber(weighed and string.sub(ARGV[5 * n + 4], 2) or ARGV[5 * n + 4])
            local member = id
            if cost ~= 1 then member = id .. '#' .. cost end
            local function flag(i)
              if weighed and not weighted_[i] then
                -- From now on every decision sums this window's costs; kept as long as the entries may be.
                redis.call('HSET', KEYS[5 * i], 'weighted' .. ARGV[5 * i + 3], '1')
                redis.call('PERSIST', KEYS[5 * i])
                weighted_[i] = true
              end
            end
            local sums = {}
            local ttl = tonumber(ARGV[3])
            local now = clock()
            local held = {}
            local frees = {}
            for i = 1, n do
              local conc, callsNow = limits(i)
              local slots, window, freeAt = KEYS[5 * i - 4], KEYS[5 * i - 3], KEYS[5 * i - 2]
              if cost > callsNow and ARGV[5 * i + 1] ~= '0' then
                return {2, i, now, callsNow} -- could never start: refused, holding nothing
              end
              -- Expired leases are dropped only when they could matter: at most conc stay behind.
              if conc > 0 and redis.call('ZCARD', slots) >= conc then
                redis.call('ZREMRANGEBYSCORE', slots, '-inf', num(now))
                if redis.call('ZCARD', slots) >= conc then return full(i, slots, now) end
              end
              if ARGV[5 * i + 2] == 'c' then
                local win = tonumber(ARGV[5 * i + 1])
                local calls = callsNow
                redis.call('ZREMRANGEBYSCORE', freeAt, '-inf', num(now))
                held[i] = redis.call('ZCARD', window)
                frees[i] = redis.call('ZCARD', freeAt)
                -- Places of dead holders matter only when the window looks full: at most calls stay behind.
                if held[i] + frees[i] >= calls then
                  local dead = redis.call('ZRANGEBYSCORE', window, '-inf', num(now), 'WITHSCORES')
                  if #dead > 0 then
                    for d = 1, #dead, 2 do
                      redis.call('ZADD', freeAt, num(tonumber(dead[d + 1]) + win), dead[d])
                    end
                    keep(freeAt, math.floor(win / 1000) + 1000)
                    redis.call('ZREMRANGEBYSCORE', window, '-inf', num(now))
                    redis.call('ZREMRANGEBYSCORE', freeAt, '-inf', num(now))
                    held[i] = redis.call('ZCARD', window)
                    frees[i] = redis.call('ZCARD', freeAt)
                  end
                end
                if weighted_[i] or cost ~= 1 then
                  -- Costs summed: the places held and those coming free, as entries to walk.
                  if held[i] + frees[i] < calls then -- dead places were not looked at above
                    local dead = redis.call('ZRANGEBYSCORE', window, '-inf', num(now), 'WITHSCORES')
                    for d = 1, #dead, 2 do
                      redis.call('ZADD', freeAt, num(tonumber(dead[d + 1]) + win), dead[d])
                    end
                    if #dead > 0 then
                      keep(freeAt, math.floor(win / 1000) + 1000)
                      redis.call('ZREMRANGEBYSCORE', window, '-inf', num(now))
                    end
                  end
                  local h = redis.call('ZRANGE', window, 0, -1)
                  local heldCost = 0
                  for j = 1, #h do heldCost = heldCost + weight(h[j]) end
                  if heldCost + cost > calls then return full(i, window, now) end
                  local f = redis.call('ZRANGE', freeAt, 0, -1, 'WITHSCORES')
                  local total = heldCost
                  for j = 1, #f, 2 do total = total + weight(f[j]) end
                  sums[i] = {f, total}
                elseif held[i] >= calls then return full(i, window, now) end
              end
            end
            local start = now
            local decider = 0
            for i = 1, n do
              local _, calls = limits(i)
              local win = tonumber(ARGV[5 * i + 1])
              local window = KEYS[5 * i - 3]
              if sums[i] then
                -- The places that make room: the first to come free, as many as the cost needs.
                local f, total = sums[i][1], sums[i][2]
                local j, at = 1, 0
                while total + cost > calls and j < #f do
                  total = total - weight(f[j]); at = tonumber(f[j + 1]); j = j + 2
                end
                sums[i][3] = (j - 1) / 2 -- places taken from the frees
                sums[i][4] = calls - total - cost -- what they free beyond this cost: still theirs until then
                sums[i][5] = at
                if at > start then start = at; decider = i end
              elseif held[i] then
                if held[i] + frees[i] >= calls then
                  -- The place that makes room (the first, unless the limit was lowered at run time).
                  local k = held[i] + frees[i] - calls
                  local e = tonumber(redis.call('ZRANGE', KEYS[5 * i - 2], k, k, 'WITHSCORES')[2])
                  if e > start then start = e; decider = i end
                end
              elseif win > 0 and (cost ~= 1 or weighted_[i]) then
                -- Costs summed: start when the window's entries plus this cost fit (only weighted windows walk).
                redis.call('ZREMRANGEBYSCORE', window, '-inf', num(now - win))
                local e = redis.call('ZRANGE', window, 0, -1, 'WITHSCORES')
                if #e > 0 then
                  local last = tonumber(e[#e])
                  if last > start then start = last; decider = i end
                  local total = 0
                  for j = 1, #e, 2 do total = total + weight(e[j]) end
                  local at = roomAt(e, total, cost, calls, win)
                  if at > start then start = at; decider = i end
                end
              elseif win > 0 then
                redis.call('ZREMRANGEBYSCORE', window, '-inf', num(now - win))
                local count = redis.call('ZCARD', window)
                if count > 0 then
                  local last = tonumber(redis.call('ZRANGE', window, -1, -1, 'WITHSCORES')[2])
                  if last > start then start = last; decider = i end
                  if count >= calls then
                    local e = tonumber(redis.call('ZRANGE', window, count - calls, count - calls, 'WITHSCORES')[2]) + win
                    if e > start then start = e; decider = i end
                  end
                end
              end
            end
            for i = 1, n do
              local paused = redis.call('HGET', KEYS[5 * i], 'paused')
              if paused and tonumber(paused) > start then start = tonumber(paused); decider = i end
            end
            -- A start before a budget's reset needs room for its cost there, else it is reserved at the reset
            -- (the latest of those in the way: a later start may leave another budget's reset behind).
            local moved = true
            while moved do
              moved = false
              for i, b in pairs(budget_) do
                if start < b[2] and b[1] < cost then start = b[2]; decider = i; moved = true end
              end
            end
            for i, b in pairs(budget_) do
              if now >= b[2] then
                redis.call('HDEL', KEYS[5 * i], 'budget', 'budgetReset') -- reset: it limits nothing any more
              elseif start < b[2] then
                redis.call('HINCRBY', KEYS[5 * i], 'budget', -cost)
              end
            end
            for i = 1, n do
              local slots, window = KEYS[5 * i - 4], KEYS[5 * i - 3]
              if limits(i) > 0 then
                redis.call('ZADD', slots, num(now + ttl * 1000), id)
                keep(slots, ttl * 2)
              end
              local win = tonumber(ARGV[5 * i + 1])
              if sums[i] then
                if sums[i][3] > 0 then
                  redis.call('ZPOPMIN', KEYS[5 * i - 2], sums[i][3])
                  if sums[i][4] > 0 then
                    redis.call('ZADD', KEYS[5 * i - 2], num(sums[i][5]), id .. '~#' .. sums[i][4])
                  end
                end
                redis.call('ZADD', window, num(now + ttl * 1000), member)
                keep(window, ttl * 2)
                flag(i)
              elseif held[i] then
                if held[i] + frees[i] >= select(2, limits(i)) then
                  redis.call('ZPOPMIN', KEYS[5 * i - 2]) -- the place that came free first is this start's
                end
                redis.call('ZADD', window, num(now + ttl * 1000), id)
                keep(window, ttl * 2)
                flag(i) -- a weighted execute's actual cost may differ from this estimate of 1
              elseif win > 0 then
                redis.call('ZADD', window, num(start), member)
                keep(window, math.floor((start - now + win) / 1000) + 1000)
                flag(i)
              end
            end
            return {1, decider, now, start}
            """;

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
    static final String START = PRELUDE + """
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
    static final String SETTLE = PRELUDE + """
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
     * Pauses a group. KEYS: its control hash, its waiting flag. ARGV: how long from now (µs), its
     * "freed" channel. The pause ({@code paused}, µs of Redis time) ends at Redis's now plus that,
     * unless one in force ends later (a pause never shortens another). Waiters of every process are
     * told to ask again (they then wait for the end). Returns the end of the pause in force.
     */
    static final String PAUSE = PRELUDE + """
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
    static final String BUDGET = PRELUDE + """
            local now = clock()
            local reset = now + tonumber(ARGV[2])
            redis.call('HSET', KEYS[1], 'budget', ARGV[1], 'budgetReset', num(reset))
            if redis.call('PTTL', KEYS[1]) >= 0 then keep(KEYS[1], math.floor((reset - now) / 1000) + 1000) end
            return reset
            """;

    /** The pause in force. KEYS: a group's control hash. Returns {now, end of the pause (µs), or 0 if none}. */
    static final String PAUSED = PRELUDE + """
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

    /**
     * Ends a grant. KEYS: five per group, as {@link #ACQUIRE}'s. ARGV: lease id; 1 if the attempt
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
    static final String RELEASE = PRELUDE + """
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

    /**
     * Renews leases. KEYS: slots keys; ARGV: ttl (ms), then the lease id for each key. A lease still
     * there gets a new expiry; returns the 1-based indexes of the leases that were gone (expired).
     */
    static final String RENEW = PRELUDE + """
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
    static final String COUNT = PRELUDE + """
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
