import type { Params } from '../shared/http'
import { normalizeNamespace } from '../shared/namespace'
import type { Action } from './permissions'

/** What a request touches: Nacos's `namespace:group:type/name` resource. */
export interface Resource {
  namespace: string
  group: string
  type: 'config' | 'naming'
  name: string
}

/** How a route is guarded: open, admin-only or any signed-in user (both always, whatever the switch), or a resource with an action. */
export type Rule = { kind: 'open' } | { kind: 'admin' } | { kind: 'user' } | { kind: 'resource'; action: Action; resource: (p: Params) => Resource[] }

/** Nacos's resource string; a blank group is `*` and a blank namespace `public` (NacosAuthManager). */
export function resourceString(r: Resource): string {
  return `${normalizeNamespace(r.namespace)}:${r.group?.trim() || '*'}:${r.type}/${r.name?.trim() || '*'}`
}

const config = (p: Params): Resource[] => [{ namespace: p.first('tenant', 'namespaceId') ?? '', group: p.get('group') ?? '', type: 'config', name: p.get('dataId') ?? '' }]
const configNs = (p: Params): Resource[] => [{ namespace: p.first('tenant', 'namespaceId') ?? '', group: '*', type: 'config', name: '*' }]
const importNs = (p: Params): Resource[] => [{ namespace: p.get('namespace') ?? '', group: '*', type: 'config', name: '*' }]
const naming = (p: Params): Resource[] => {
  const raw = p.get('serviceName') ?? ''
  const i = raw.indexOf('@@')
  return [{ namespace: p.first('namespaceId', 'namespace') ?? '', group: i >= 0 ? raw.slice(0, i) : (p.get('groupName') ?? ''), type: 'naming', name: i >= 0 ? raw.slice(i + 2) : raw }]
}
const namingNs = (p: Params): Resource[] => [{ namespace: p.first('namespaceId', 'namespace') ?? '', group: '*', type: 'naming', name: '*' }]
/** The long poll lists its keys in `Listening-Configs`: read access is needed on each. */
const listened = (p: Params): Resource[] =>
  (p.get('Listening-Configs') ?? '').split('\u0001').filter(Boolean).map((line) => {
    const f = line.split('\u0002')
    return { namespace: f[3] ?? '', group: f[1] ?? '', type: 'config' as const, name: f[0] ?? '' }
  })

type Resources = (p: Params) => Resource[]
const r = (resource: Resources): Rule => ({ kind: 'resource', action: 'r', resource })
const w = (resource: Resources): Rule => ({ kind: 'resource', action: 'w', resource })
const admin: Rule = { kind: 'admin' }

/**
 * Every guarded HTTP route: `METHOD path`. Routes not listed (health, login, operator metrics) are open. The
 * user/role/permission and namespace-changing routes are admin-only even with auth off: with Nacos's
 * "auth off by default", anyone could create users and namespaces before the operator turned auth on.
 */
export const httpRules: Record<string, Rule> = {
  // An export by ids or a search reads the whole namespace; an export by filters reads what config(p) names.
  'GET /nacos/v1/cs/configs': r((p) => (p.get('search') || ((p.bool('export') || p.bool('exportV2')) && p.get('ids')) ? configNs(p) : config(p))),
  // Import writes any group of the `namespace` parameter; clone writes into `tenant` (its sources are checked by the route).
  'POST /nacos/v1/cs/configs': w((p) => (p.bool('import') ? importNs(p) : p.bool('clone') ? configNs(p) : config(p))),
  'DELETE /nacos/v1/cs/configs': w((p) => (p.get('delType') === 'ids' ? configNs(p) : config(p))),
  'POST /nacos/v1/cs/configs/listener': r(listened),
  'GET /nacos/v1/cs/configs/listener': r(config),
  'GET /nacos/v1/cs/history': r(config),
  'GET /nacos/v1/cs/history/previous': r(config),
  'GET /nacos/v1/cs/history/configs': r(configNs),
  'GET /nacos/v2/cs/config': r(config),
  'POST /nacos/v2/cs/config': w(config),
  'DELETE /nacos/v2/cs/config': w(config),
  'GET /nacos/v2/cs/history': r(config),
  'GET /nacos/v2/cs/history/list': r(config),
  'GET /nacos/v2/cs/history/previous': r(config),
  'GET /nacos/v2/cs/history/configs': r(configNs),
  'GET /nacos/v1/console/namespaces': r(configNs),
  'GET /nacos/v1/console/audit': admin,
  'GET /nacos/v1/auth/users': admin,
  'POST /nacos/v1/auth/users': admin,
  'PUT /nacos/v1/auth/users': { kind: 'user' },
  'DELETE /nacos/v1/auth/users': admin,
  'GET /nacos/v1/auth/roles': admin,
  'POST /nacos/v1/auth/roles': admin,
  'DELETE /nacos/v1/auth/roles': admin,
  'GET /nacos/v1/auth/permissions': admin,
  'POST /nacos/v1/auth/permissions': admin,
  'DELETE /nacos/v1/auth/permissions': admin,
  'GET /nacos/v3/auth/user/list': admin,
  'POST /nacos/v3/auth/user': admin,
  'PUT /nacos/v3/auth/user': { kind: 'user' },
  'DELETE /nacos/v3/auth/user': admin,
  'GET /nacos/v3/auth/role/list': admin,
  'POST /nacos/v3/auth/role': admin,
  'DELETE /nacos/v3/auth/role': admin,
  'GET /nacos/v3/auth/permission/list': admin,
  'POST /nacos/v3/auth/permission': admin,
  'DELETE /nacos/v3/auth/permission': admin,
  'POST /nacos/v1/console/namespaces': admin,
  'PUT /nacos/v1/console/namespaces': admin,
  'DELETE /nacos/v1/console/namespaces': admin,
  'GET /nacos/v2/console/namespace': r(configNs),
  'GET /nacos/v2/console/namespace/list': r(configNs),
  'POST /nacos/v2/console/namespace': admin,
  'PUT /nacos/v2/console/namespace': admin,
  'DELETE /nacos/v2/console/namespace': admin,
  'POST /nacos/v1/ns/instance': w(naming),
  'DELETE /nacos/v1/ns/instance': w(naming),
  'PUT /nacos/v1/ns/instance': w(naming),
  'GET /nacos/v1/ns/instance': r(naming),
  'GET /nacos/v1/ns/instance/list': r(naming),
  'PUT /nacos/v1/ns/instance/beat': w(naming),
  'POST /nacos/v1/ns/service': w(naming),
  'PUT /nacos/v1/ns/service': w(naming),
  'DELETE /nacos/v1/ns/service': w(naming),
  'GET /nacos/v1/ns/service': r(naming),
  'GET /nacos/v1/ns/service/list': r(namingNs),
  'GET /nacos/v1/ns/service/subscribers': r(naming),
  'GET /nacos/v1/ns/catalog/services': r(namingNs),
  'GET /nacos/v1/ns/catalog/service': r(naming),
  'GET /nacos/v1/ns/catalog/instances': r(naming),
  'GET /nacos/v1/ns/operator/switches': r(namingNs),
  'POST /nacos/v2/ns/instance': w(naming),
  'DELETE /nacos/v2/ns/instance': w(naming),
  'PUT /nacos/v2/ns/instance': w(naming),
  'GET /nacos/v2/ns/instance': r(naming),
  'GET /nacos/v2/ns/instance/list': r(naming),
  'PUT /nacos/v2/ns/instance/beat': w(naming),
  'POST /nacos/v2/ns/service': w(naming),
  'PUT /nacos/v2/ns/service': w(naming),
  'DELETE /nacos/v2/ns/service': w(naming),
  'GET /nacos/v2/ns/service': r(naming),
  'GET /nacos/v2/ns/service/list': r(namingNs),
  // Cluster members (addresses, load): any signed-in user; the self/health probes stay open like liveness.
  'GET /nacos/v1/core/cluster/nodes': { kind: 'user' },
  'GET /nacos/v1/core/cluster/nodes/self': { kind: 'user' },
  'GET /nacos/v2/core/cluster/node/list': { kind: 'user' },
  'GET /nacos/v2/core/cluster/node/self': { kind: 'user' },
  // This node's replication state, and the operator's resync (it re-reads everything from the database).
  'GET /nacos/v1/core/cluster/sync': { kind: 'user' },
  'POST /nacos/v1/core/cluster/resync': admin,
}

/** gRPC request types and what they touch; ServerCheck and HealthCheck never reach the filter. */
export const rpcRules: Record<string, { action: Action; type: 'config' | 'naming' }> = {
  ConfigQueryRequest: { action: 'r', type: 'config' },
  ConfigBatchListenRequest: { action: 'r', type: 'config' },
  ConfigPublishRequest: { action: 'w', type: 'config' },
  ConfigRemoveRequest: { action: 'w', type: 'config' },
  InstanceRequest: { action: 'w', type: 'naming' },
  BatchInstanceRequest: { action: 'w', type: 'naming' },
  PersistentInstanceRequest: { action: 'w', type: 'naming' },
  SubscribeServiceRequest: { action: 'r', type: 'naming' },
  ServiceQueryRequest: { action: 'r', type: 'naming' },
  ServiceListRequest: { action: 'r', type: 'naming' },
}
