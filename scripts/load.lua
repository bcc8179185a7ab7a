-- wrk script for `make load`: rotates over the public URLs listed in the file named by the
-- LOAD_URLS environment variable (one "path<TAB>htmx" a line), counts answers that are not
-- 2xx/3xx, and prints one summary line (WRK_JSON {...}) that scripts/load.py reads.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  paths, htmx = {}, {}
  for line in io.lines(os.getenv("LOAD_URLS")) do
    local path, hx = line:match("^([^\t]+)\t(%d)$")
    table.insert(paths, path)
    table.insert(htmx, hx == "1")
  end
  -- Threads start at different places so they do not fetch the same page in step.
  counter = (id * 7919) % #paths
  not_ok = 0
  by_status = {}
end

function request()
  counter = counter % #paths + 1
  local headers = {}
  if htmx[counter] then
    headers["HX-Request"] = "true"
  end
  return wrk.format("GET", paths[counter], headers)
end

function response(status, headers, body)
  if status < 200 or status >= 400 then
    not_ok = not_ok + 1
    by_status[status] = (by_status[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total, statuses = 0, {}
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\"requests\":%d,\"duration_us\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,"
      .. "\"timeout\":%d,\"not_2xx_3xx\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,"
      .. "\"max_us\":%d}\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, not_ok_total,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
