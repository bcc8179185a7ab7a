-- wrk: a different as-of day on every request (one day further back each time, from
-- 2026-06-30 over six and a half years), so that no cache can answer: the matrix renders
-- from the database every time. The report script's done() is appended by bench/run.py.
-- Each wrk run (warm-up, then each measurement) starts 50 days further on per second of the
-- clock: starting every run at the same day let a shared cache (Redis) answer the next run's
-- requests from the previous run's renders (seen: "uncached" p50 18 ms with Redis).
local base = os.time({year = 2026, month = 6, day = 30, hour = 12})
local n = (os.time() * 50) % 2400
request = function()
  n = n + 1
  local day = os.date("!%Y-%m-%d", base - (n % 2400) * 86400)
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "as_of=" .. day)
end
