import { Elysia } from 'elysia'
import { envelope, paramsOf, type Params } from '../shared/http'
import { auditDetail, queryAudit, recordAudit } from './audit'
import type { AuditStore } from './store'

/**
 * The writes people make through the APIs, by `METHOD /path`. SDK traffic that only keeps instances alive
 * (register, deregister, beat) is left out: it is not a change a person made, and it would drown the log.
 */
const audited: Record<string, string> = {
  'POST /nacos/v1/cs/configs': 'config.publish',
  'DELETE /nacos/v1/cs/configs': 'config.remove',
  'POST /nacos/v2/cs/config': 'config.publish',
  'DELETE /nacos/v2/cs/config': 'config.remove',
  'POST /nacos/v1/console/namespaces': 'namespace.create',
  'PUT /nacos/v1/console/namespaces': 'namespace.update',
  'DELETE /nacos/v1/console/namespaces': 'namespace.delete',
  'POST /nacos/v2/console/namespace': 'namespace.create',
  'PUT /nacos/v2/console/namespace': 'namespace.update',
  'DELETE /nacos/v2/console/namespace': 'namespace.delete',
  'POST /nacos/v1/auth/users': 'user.create',
  'PUT /nacos/v1/auth/users': 'user.password',
  'DELETE /nacos/v1/auth/users': 'user.delete',
  'POST /nacos/v1/auth/roles': 'role.add',
  'DELETE /nacos/v1/auth/roles': 'role.remove',
  'POST /nacos/v1/auth/permissions': 'permission.grant',
  'DELETE /nacos/v1/auth/permissions': 'permission.revoke',
  'POST /nacos/v3/auth/user': 'user.create',
  'PUT /nacos/v3/auth/user': 'user.password',
  'DELETE /nacos/v3/auth/user': 'user.delete',
  'POST /nacos/v3/auth/role': 'role.add',
  'DELETE /nacos/v3/auth/role': 'role.remove',
  'POST /nacos/v3/auth/permission': 'permission.grant',
  'DELETE /nacos/v3/auth/permission': 'permission.revoke',
  'POST /nacos/v1/ns/service': 'service.create',
  'PUT /nacos/v1/ns/service': 'service.update',
  'DELETE /nacos/v1/ns/service': 'service.delete',
  'PUT /nacos/v1/ns/instance': 'instance.update',
  'POST /nacos/v2/ns/service': 'service.create',
  'PUT /nacos/v2/ns/service': 'service.update',
  'DELETE /nacos/v2/ns/service': 'service.delete',
  'PUT /nacos/v2/ns/instance': 'instance.update',
}

/** A short resource label from the parameters: the thing the write was about. */
function resourceOf(p: Params): string {
  const ns = p.first('tenant', 'namespaceId', 'namespace', 'customNamespaceId') ?? ''
  const parts = [ns, p.first('group', 'groupName') ?? '', p.first('dataId', 'serviceName', 'username', 'role') ?? ''].filter(Boolean)
  return parts.join(':')
}

/** Records successful audited writes; `actorOf` gives the identity the auth guard established, if any. */
export function createAuditHook(store: AuditStore, actorOf: (r: Request) => string | undefined, now: () => number = Date.now) {
  return (key: string, request: Request, status: number, params: () => Params) => {
    let action = audited[key]
    if (!action || status >= 400) return
    const p = params()
    // Import and clone share the publish path and are told apart by a flag (Nacos ConfigController).
    if (key === 'POST /nacos/v1/cs/configs' && (p.bool('import') || p.bool('clone'))) action = p.bool('import') ? 'config.import' : 'config.clone'
    const entries: [string, string][] = []
    for (const k of ['dataId', 'group', 'tenant', 'namespaceId', 'namespace', 'customNamespaceId', 'namespaceName', 'serviceName', 'groupName', 'ip', 'port', 'clusterName', 'weight', 'enabled', 'metadata', 'protectThreshold', 'username', 'role', 'resource', 'action', 'type', 'tag', 'content', 'ids', 'delType', 'beta', 'policy'])
      if (p.get(k) !== undefined) entries.push([k, p.get(k)!])
    for (const h of ['betaIps', 'casMd5']) if (p.header(h)) entries.push([h, p.header(h)!])
    recordAudit(store, { at: now(), actor: actorOf(request) ?? '', ip: p.clientIp, action, resource: resourceOf(p), detail: auditDetail(entries) })
  }
}

/** The audit query API (admin only, see auth/rules.ts): `GET /nacos/v1/console/audit`. */
export function auditHttp(store: AuditStore) {
  return new Elysia().get('/nacos/v1/console/audit', async ({ request, body, server }) => {
    const p = paramsOf({ request, body, server })
    return envelope(await queryAudit(store, { actor: p.get('actor'), action: p.get('action'), resource: p.get('resource'), from: p.int('from'), to: p.int('to'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }))
  })
}

/** gRPC writes that are audited: config changes (instance registration is SDK keep-alive traffic, as on HTTP). */
const auditedRpc: Record<string, string> = { ConfigPublishRequest: 'config.publish', ConfigRemoveRequest: 'config.remove' }

/** Records successful audited gRPC writes; `actorOf` gives the identity the auth filter established, if any. */
export function createRpcAuditHook(store: AuditStore, actorOf: (body: Record<string, unknown>) => string | undefined, now: () => number = Date.now) {
  return (type: string, body: Record<string, unknown>, clientIp: string) => {
    const action = auditedRpc[type]
    if (!action) return
    const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '')
    const add = body.additionMap && typeof body.additionMap === 'object' ? (body.additionMap as Record<string, unknown>) : {}
    const entries: [string, string][] = [['dataId', s('dataId')], ['group', s('group')], ['tenant', s('tenant')], ['content', s('content')], ['transport', 'grpc']]
    for (const k of ['type', 'tag', 'betaIps', 'appName']) if (typeof add[k] === 'string' && add[k]) entries.push([k, add[k] as string])
    if (s('tag')) entries.push(['tag', s('tag')])
    recordAudit(store, { at: now(), actor: actorOf(body) ?? '', ip: clientIp, action, resource: [s('tenant'), s('group'), s('dataId')].filter(Boolean).join(':'), detail: auditDetail(entries.filter(([, v]) => v !== '')) })
  }
}
