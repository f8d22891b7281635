package dev.exmachina.redis;

/**
 * The deciding script: one Lua call that takes a slot of every group of an execute and reserves
 * the earliest start every window allows, on Redis time. It begins with {@link Scripts#PRELUDE} and is
 * run through {@link Scripts}.
 */
final class DecisionScripts {

    private DecisionScripts() {}

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
    static final String ACQUIRE = Scripts.PRELUDE + """
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
}
