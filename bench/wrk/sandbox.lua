-- POST /sandbox/messages with a unique msg_id per request (one wrk thread: the counter is unique).
-- BENCH_PREFIX keeps the ids of one run apart from another's on the same server.
local prefix = os.getenv("BENCH_PREFIX") or "load"
local token = os.getenv("BENCH_SANDBOX_TOKEN")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if token and token ~= "" then
  wrk.headers["X-Sandbox-Token"] = token
end

function request()
  n = n + 1
  local body = string.format(
    '{"group_id":"grid-2","sender_id":"resident-%d","text":"收到，谢谢大家","msg_id":"%s-%d"}',
    n % 50, prefix, n)
  return wrk.format(nil, nil, nil, body)
end

dofile(os.getenv("BENCH_REPORT_LUA"))
