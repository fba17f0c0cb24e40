-- One non-streamed chat completion per request, with the bench tenant's key (ignored by the simulator), for the
-- model BENCH_MODEL names (the gateways' alias `chat`, or straight to the simulator the model behind it).
wrk.method = "POST"
wrk.body = '{"model":"' .. (os.getenv("BENCH_MODEL") or "chat") .. '","messages":[{"role":"user","content":"Say hello to the benchmark."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
