import { fail } from '../shared/errors'
import { routeKey, type Params } from '../shared/http'
import { str } from '../shared/rpc'
import { identify, type Auth, type Carriers } from './center'
import { isAllowed } from './permissions'
import { httpRules, resourceString, rpcRules, type Resource } from './rules'
import { isAdmin } from './users'

/** Reads a request's identity carriers: Bearer header, accessToken (param or header), or username + password. */
export function carriersOf(p: Params): Carriers {
  const bearer = p.header('Authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]
  return { token: bearer ?? p.get('accessToken') ?? p.header('accessToken') ?? undefined, username: p.get('username'), password: p.get('password'), ip: p.clientIp }
}

async function check(auth: Auth, who: string, resources: Resource[], action: 'r' | 'w') {
  for (const r of resources) if (!(await isAllowed(auth.store, who, resourceString(r), action))) throw fail.forbidden('authorization failed!')
}

/**
 * Guards one HTTP request by the rule table: admin-only routes always; resource routes only with auth enabled.
 * `params` is only built when a check is needed, so the disabled switch costs a lookup.
 */
export function createHttpGuard(auth: Auth, remember: (request: Request, who: string) => void = () => {}) {
  return async (request: Request, params: () => Params): Promise<void> => {
    const rule = httpRules[routeKey(request.method, request.url)]
    if (!rule || rule.kind === 'open' || (rule.kind === 'resource' && !auth.enabled)) return
    const p = params()
    const who = await identify(auth, carriersOf(p))
    remember(request, who)
    if (rule.kind === 'user') return
    if (rule.kind === 'admin') {
      if (!(await isAdmin(auth.store, who))) throw fail.forbidden('authorization failed!')
      return
    }
    await check(auth, who, rule.resource(p), rule.action)
  }
}

/** The resources a gRPC request touches (a batch listen touches each of its keys). */
function rpcResources(type: 'config' | 'naming', requestType: string, body: Record<string, unknown>): Resource[] {
  if (type === 'config') {
    const list = requestType === 'ConfigBatchListenRequest' && Array.isArray(body.configListenContexts) ? (body.configListenContexts as Record<string, unknown>[]) : [body]
    return list.map((c) => ({ namespace: str(c, 'tenant') ?? '', group: str(c, 'group') ?? '', type: 'config', name: str(c, 'dataId') ?? '' }))
  }
  const name = requestType === 'ServiceListRequest' ? '*' : (str(body, 'serviceName') ?? '')
  return [{ namespace: str(body, 'namespace') ?? '', group: str(body, 'groupName') ?? '', type: 'naming', name }]
}

/**
 * The gRPC auth filter: with auth enabled, each business request must carry a token (`accessToken` or
 * `Authorization` in Metadata.headers, exact keys as Nacos reads them) or `username`/`password`, and hold the
 * permission. A failure reaches the client as the handler's own response type with errorCode 403.
 */
export function createRpcFilter(auth: Auth, remember: (body: Record<string, unknown>, who: string) => void = () => {}) {
  return async (type: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<void> => {
    if (!auth.enabled) return
    const rule = rpcRules[type]
    if (!rule) return
    const bearer = headers.Authorization?.match(/^Bearer\s+(.+)$/i)?.[1]
    const who = await identify(auth, { token: headers.accessToken || bearer || undefined, username: headers.username, password: headers.password, ip: '' })
    remember(body, who)
    await check(auth, who, rpcResources(rule.type, type, body), rule.action)
  }
}
