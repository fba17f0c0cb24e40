-- One non-streamed chat completion per request, with the bench tenant's key (ignored by the simulator).
wrk.method = "POST"
wrk.body = '{"model":"chat","messages":[{"role":"user","content":"Say hello to the benchmark."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
