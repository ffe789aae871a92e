-- wrk: HTTP config publish as r-nacos's loadtest (http_config_set) does it: POST /nacos/v1/cs/configs, form body,
-- dataId cycling over 000…999, group foo, tenant public, content a fresh 36-character value each time.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  local body = string.format("dataId=%03d&group=foo&tenant=public&content=%08x-%04x-4000-8000-%06x%06x", n % 1000, n, math.random(0, 65535), math.random(0, 16777215), math.random(0, 16777215))
  return wrk.format(nil, "/nacos/v1/cs/configs", nil, body)
end
