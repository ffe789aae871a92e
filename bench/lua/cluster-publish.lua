-- wrk: config publish for bench/cluster.ts: POST /nacos/v1/cs/configs, form body, group BENCH.
-- Arguments (after --): <dataId prefix> <keys>. keys = 0: a new dataId <prefix><n> every request (all inserts);
-- keys = k > 0: the dataIds <prefix>0000…<prefix><k-1> in turn (k = 1 is one hot key). The content is new every
-- time, so each publish is a real change.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local prefix, keys, n = "w-", 0, 0
function init(args)
  prefix = args[1] or prefix
  keys = tonumber(args[2]) or keys
end
request = function()
  n = n + 1
  local id = keys == 0 and string.format("%s%07d", prefix, n) or string.format("%s%04d", prefix, n % keys)
  local body = string.format("dataId=%s&group=BENCH&content=v%08x-%06x", id, n, math.random(0, 16777215))
  return wrk.format(nil, "/nacos/v1/cs/configs", nil, body)
end
-- The first few refusals are printed (status and body), so that the report can say why writes failed.
local shown = 0
response = function(status, headers, body)
  if status ~= 200 and shown < 3 then
    shown = shown + 1
    io.write(string.format("refused: %d %s\n", status, string.sub(body or "", 1, 200)))
  end
end
