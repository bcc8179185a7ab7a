-- wrk: one machine-readable line at the end of a run (latencies in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"p50\":%d,\"p90\":%d," ..
    "\"p99\":%d,\"max\":%d,\"socket_errors\":%d,\"non_2xx_3xx\":%d}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
