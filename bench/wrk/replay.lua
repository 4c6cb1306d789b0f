-- POST pre-built requests from BENCH_BODIES, one per line: "<path with query>\t<body>", in order (each carries its
-- own message id, signature and nonce). Past the last line it starts again (redeliveries: wrapped is reported).
local lines = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  local tab = string.find(line, "\t", 1, true)
  lines[#lines + 1] = {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)}
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml"

function request()
  n = n + 1
  local item = lines[(n - 1) % #lines + 1]
  if n == #lines + 1 then
    io.stderr:write("replay.lua: wrapped past " .. #lines .. " bodies\n")
  end
  return wrk.format(nil, item[1], nil, item[2])
end

dofile(os.getenv("BENCH_REPORT_LUA"))
