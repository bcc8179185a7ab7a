-- wrk: search with a different excluded nonsense word on every request ("-zq1234"): the hits
-- are the query's own, but the page cache holds no copy of any of them, so every request
-- runs the search (a cached search answered in 3 ms and measured nothing of search's cost).
-- Each run starts further on, as uncached.lua does, so that Redis keeps no page across runs.
local n = (os.time() * 50) % 1000000
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "+-zq" .. n)
end
