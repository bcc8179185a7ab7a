-- wrk: a different as-of day on every request (one day further back each time, from
-- 2026-06-30 over six and a half years), so that no cache can answer: the matrix renders
-- from the database every time. The report script's done() is appended by bench/run.py.
local base = os.time({year = 2026, month = 6, day = 30, hour = 12})
local n = 0
request = function()
  n = n + 1
  local day = os.date("!%Y-%m-%d", base - (n % 2400) * 86400)
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "as_of=" .. day)
end
