-- wrk script: optional list of paths to cycle through (WRK_PATHS, one per line; each thread
-- starts at its own offset) and a JSON summary line at the end for bench/api.py to parse.
local paths = {}
local file = os.getenv("WRK_PATHS")
if file then
  for line in io.lines(file) do paths[#paths + 1] = line end
end
local counter = 0
local offset = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

function request()
  if #paths == 0 then return wrk.request() end
  offset = offset + 1
  return wrk.format("GET", paths[offset % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
