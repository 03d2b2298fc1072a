/**
 * The Lua scripts that keep a shared pool's buckets in Redis. Each runs atomically, so any number of
 * clients may lease from one pool at once.
 *
 * Time comes from Redis itself (`TIME`, inside the script), never from a client: clients' clocks may
 * be skewed by seconds, and every refill, wait and lease expiry is computed on the one clock they
 * share. A header reading's time is the server's (the response's `date`), compared only with other
 * readings.
 *
 * Keys of one pool (one hash tag, so one cluster slot): KEYS[1] the bucket hash (per dimension
 * `<d>:cap` = per-minute limit = burst, `<d>:level`; `at` = last refill time, `seq` = last lease id,
 * `readAt`/`readSeq` = newest reading applied), KEYS[2] the leases (sorted set: id → expiry ms),
 * KEYS[3] the leases' costs (hash: id → "requests input output tokens").
 */

/** The dimensions in the order every script's arguments list them (the engine's DIMENSIONS). */
const PRELUDE = String.raw`
local DIMS = {'requests', 'inputTokens', 'outputTokens', 'tokens'}
local bucket, leases, costs = KEYS[1], KEYS[2], KEYS[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function parseCost(text)
  local cost, i = {}, 1
  for n in string.gmatch(text, '%S+') do cost[DIMS[i]] = tonumber(n); i = i + 1 end
  return cost
end

-- Leases past their expiry are dropped without refund: whether their request went out is unknown,
-- and what they took comes back through refill, as it does at the server.
local function purge()
  local dead = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  for _, id in ipairs(dead) do redis.call('HDEL', costs, id) end
  if #dead > 0 then redis.call('ZREMRANGEBYSCORE', leases, '-inf', now) end
end

-- Each dimension with a limit, refilled to now: { cap = per-minute limit, level = tokens left,
-- own = tokens left by the store's own accounting of its leases, no reading applied }.
local function load()
  local state = {}
  local at = tonumber(redis.call('HGET', bucket, 'at'))
  for _, d in ipairs(DIMS) do
    local v = redis.call('HMGET', bucket, d .. ':cap', d .. ':level', d .. ':own')
    local cap, level = tonumber(v[1]), tonumber(v[2])
    local own = tonumber(v[3]) or level
    if cap and level and cap > 0 then
      if at then
        local refill = math.max(0, now - at) * cap / 60000
        level = math.min(cap, level + refill)
        own = math.min(cap, own + refill)
      end
      state[d] = { cap = cap, level = level, own = own }
    end
  end
  return state
end

local function save(state, idleMs)
  for d, s in pairs(state) do
    redis.call('HSET', bucket, d .. ':cap', tostring(s.cap), d .. ':level', tostring(s.level), d .. ':own', tostring(s.own))
  end
  redis.call('HSET', bucket, 'at', tostring(now))
  for _, key in ipairs({ bucket, leases, costs }) do redis.call('PEXPIRE', key, idleMs) end
end
`;

/**
 * Admit-or-wait. ARGV: ttlMs, idleMs, the cost (4 numbers), the per-minute limits that create a
 * missing pool (4 numbers, -1 = not paced). Returns {1, leaseId, nowMs} or {0, waitMs, nowMs}.
 */
export const ADMIT_SCRIPT = `${PRELUDE}
local ttlMs, idleMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local cost = {}
for i, d in ipairs(DIMS) do cost[d] = tonumber(ARGV[2 + i]) end
purge()
local state
if redis.call('EXISTS', bucket) == 1 then
  state = load()
else
  state = {}
  for i, d in ipairs(DIMS) do
    local limit = tonumber(ARGV[6 + i])
    if limit > 0 then state[d] = { cap = limit, level = limit, own = limit } end
  end
end
local wait = 0
for d, s in pairs(state) do
  -- Above the burst, a request goes when the bucket is full (the level then goes negative).
  local needed = math.min(s.cap, cost[d])
  if s.level < needed then wait = math.max(wait, math.ceil((needed - s.level) * 60000 / s.cap)) end
end
if wait > 0 then
  save(state, idleMs)
  return { 0, wait, now }
end
for d, s in pairs(state) do
  s.level = s.level - cost[d]
  s.own = s.own - cost[d]
end
save(state, idleMs)
local id = redis.call('HINCRBY', bucket, 'seq', 1)
redis.call('ZADD', leases, now + ttlMs, id)
redis.call('HSET', costs, id, table.concat({ cost.requests, cost.inputTokens, cost.outputTokens, cost.tokens }, ' '))
return { 1, tostring(id), now }
`;

/**
 * Settle (or refund, with a zero actual cost). ARGV: leaseId, idleMs, the actual cost (4 numbers).
 * What the lease took beyond the actual cost goes back (capped at the burst); usage beyond it is
 * taken. Returns {1, nowMs}, or {0, nowMs} for an unknown lease (expired, or closed already).
 */
export const SETTLE_SCRIPT = `${PRELUDE}
local id, idleMs = ARGV[1], tonumber(ARGV[2])
purge()
local leased = redis.call('HGET', costs, id)
if not leased then return { 0, now } end
redis.call('HDEL', costs, id)
redis.call('ZREM', leases, id)
local taken = parseCost(leased)
local state = load()
for i, d in ipairs(DIMS) do
  local s = state[d]
  if s then
    local back = taken[d] - tonumber(ARGV[2 + i])
    s.level = math.min(s.cap, s.level + back)
    s.own = math.min(s.cap, s.own + back)
  end
end
save(state, idleMs)
return { 1, now }
`;

/**
 * Header sync: the newest reading (by the server's time; on a tie, the later lease's) wins. ARGV:
 * readAtMs, sourceLeaseId (-1 = none), idleMs, then per dimension limit and remaining (8 numbers,
 * -1 = absent). A level becomes `remaining` less the leases the server had not seen (granted after
 * the source lease; all live leases without one), but never more than `own`, what the store's own
 * accounting of its leases leaves: a reading can reach the store after leases it did not count were
 * settled (their costs are gone from here), or before the server saw an earlier lease that arrived
 * late, and taking it whole let four clients draw 429s. Below `own` a reading says what the store
 * cannot see (other traffic on the organization), or counts a lease twice (one the server had seen
 * already while still live here): the next reading sets it again. Returns {1, nowMs} or {0, nowMs}
 * when stale.
 */
export const SYNC_SCRIPT = `${PRELUDE}
local readAt, source, idleMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
purge()
local lastAt = tonumber(redis.call('HGET', bucket, 'readAt'))
local lastSeq = tonumber(redis.call('HGET', bucket, 'readSeq')) or -1
if lastAt and (readAt < lastAt or (readAt == lastAt and source < lastSeq)) then return { 0, now } end
local unseen = { requests = 0, inputTokens = 0, outputTokens = 0, tokens = 0 }
local live = redis.call('HGETALL', costs)
for i = 1, #live, 2 do
  if tonumber(live[i]) > source then
    local c = parseCost(live[i + 1])
    for _, d in ipairs(DIMS) do unseen[d] = unseen[d] + c[d] end
  end
end
local state = load()
for i, d in ipairs(DIMS) do
  local limit, remaining = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  if limit > 0 then
    if state[d] then
      state[d].cap = limit
      state[d].level = math.min(limit, state[d].level)
      state[d].own = math.min(limit, state[d].own)
    else
      state[d] = { cap = limit, level = limit, own = limit }
    end
  end
  if remaining >= 0 and state[d] then state[d].level = math.min(state[d].own, remaining - unseen[d]) end
end
redis.call('HSET', bucket, 'readAt', tostring(readAt), 'readSeq', tostring(source))
save(state, idleMs)
return { 1, now }
`;

/**
 * Presence of the clients sharing the store: KEYS[1] a sorted set (client id → last heartbeat, Redis
 * time). ARGV: client id, TTL ms (a client silent this long is no longer counted), 1 = here, 0 = leaving.
 * Returns how many clients are present.
 */
export const PRESENCE_SCRIPT = String.raw`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('ZCARD', KEYS[1])
`;
