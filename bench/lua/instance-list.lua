-- wrk: HTTP instance list as r-nacos's loadtest (http_naming_query) asks it: GET /nacos/v1/ns/instance/list with
-- serviceName=DEFAULT_GROUP@@foo_NNNN, namespaceId=public, clusters=DEFAULT, cycling over the 1,000 services.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", string.format("/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP%%40%%40foo_%04d&namespaceId=public&clusters=DEFAULT", n % 1000))
end
