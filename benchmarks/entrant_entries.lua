-- wrk script for benchmarks/entrant_entries.py: every request is one entrant's single entry, with a token
-- of its own (a second entry by the same entrant would be a 409). Thread n takes tokens n, n+T, n+2T, …
-- Arguments: tokens file, campaign id, thread count.
local tokens, campaign, threads = {}, nil, 1
local counter = 0
local started = 0

function setup(thread)
  thread:set("id", started)
  started = started + 1
end

function init(args)
  campaign, threads = args[2], tonumber(args[3])
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
end

function request()
  local index = id + counter * threads + 1
  counter = counter + 1
  if index > #tokens then
    error("out of tokens: mint more (--entrants) or run shorter (--seconds)")
  end
  return wrk.format("POST", "/campaigns/" .. campaign .. "/entry",
                    {["Authorization"] = "Bearer " .. tokens[index], ["Content-Type"] = "application/json"}, "{}")
end

function done(summary, latency, requests)
  io.write(string.format("wrk-json {\"requests\": %d, \"duration_us\": %d, \"non_2xx\": %d, \"errors\": %d, " ..
    "\"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
