-- wrk: HTTP instance beat as r-nacos's loadtest (http_naming_beat) sends it: PUT /nacos/v1/ns/instance/beat with the
-- Java SDK 1.x form body (serviceName=DEFAULT_GROUP@@…, beat=<JSON>), over the 10,000 instances instance-register.lua made.
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
local fmt = "serviceName=DEFAULT_GROUP%%40%%40foo_%04d&encoding=UTF-8&namespaceId=public&beat=%%7B%%22cluster%%22%%3A+%%22DEFAULT%%22%%2C+%%22ip%%22%%3A+%%22192.168.1.1%%22%%2C+%%22metadata%%22%%3A+%%7B%%22preserved.register.source%%22%%3A+%%22SPRING_CLOUD%%22%%7D%%2C+%%22period%%22%%3A+5000%%2C+%%22port%%22%%3A+%d%%2C+%%22scheduled%%22%%3A+false%%2C+%%22serviceName%%22%%3A+%%22DEFAULT_GROUP%%40%%40foo_%04d%%22%%2C+%%22stopped%%22%%3A+false%%2C+%%22weight%%22%%3A+1.0%%7D"
request = function()
  local svc, port = n % 1000, 10000 + math.floor(n / 1000) % 10
  n = n + 1
  return wrk.format(nil, "/nacos/v1/ns/instance/beat", nil, string.format(fmt, svc, port, svc))
end
