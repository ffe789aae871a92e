-- wrk: HTTP instance register: POST /nacos/v1/ns/instance over 1,000 services foo_0000…foo_0999 (r-nacos's loadtest
-- names) × 10 ports, so 10,000 ephemeral instances once every pair has been sent (later requests re-register them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  local svc, port = n % 1000, 10000 + math.floor(n / 1000) % 10
  n = n + 1
  local body = string.format("serviceName=foo_%04d&groupName=DEFAULT_GROUP&namespaceId=public&ip=192.168.1.1&port=%d&weight=1.0&enabled=true&healthy=true&ephemeral=true", svc, port)
  return wrk.format(nil, "/nacos/v1/ns/instance", nil, body)
end
