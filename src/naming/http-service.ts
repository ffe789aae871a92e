import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { json, paramsOf, text, type Params } from '../shared/http'
import { normalizeNamespace } from '../shared/namespace'
import { paging } from '../shared/page'
import type { Naming } from './center'
import type { ServiceMeta } from './model'
import { serviceKeyOf } from './params'
import { checkThreshold, createService, getService, listServiceNames, removeService, serviceSummary, updateService } from './services'
import { parseMetadataParam } from './validate'

function metaOf(p: Params, requireThreshold = false): Partial<ServiceMeta> {
  const out: Partial<ServiceMeta> = {}
  const t = p.get('protectThreshold')
  if (t !== undefined && t !== '') {
    if (!/^-?\d*\.?\d+$/.test(t.trim())) throw fail.invalid("Parameter 'protectThreshold' must be a number")
    out.protectThreshold = checkThreshold(Number(t))
  } else if (requireThreshold) throw fail.missing('protectThreshold')
  if (p.get('metadata') !== undefined) out.metadata = parseMetadataParam(p.get('metadata'))
  const sel = p.get('selector')
  if (sel?.trim()) {
    try {
      const v = JSON.parse(sel)
      out.selector = { type: String(v.type ?? 'none'), ...(v.expression ? { expression: String(v.expression) } : {}) }
    } catch {
      throw fail.invalid('invalid selector: not valid JSON')
    }
  }
  return out
}

/** Service operations shared by v1 and v2. */
export const serviceOps = {
  create: (n: Naming, p: Params) => createService(n, serviceKeyOf(p), metaOf(p)),
  update: (n: Naming, p: Params, requireThreshold: boolean) => updateService(n, serviceKeyOf(p), metaOf(p, requireThreshold)),
  remove: (n: Naming, p: Params) => removeService(n, serviceKeyOf(p)),
  detail(n: Naming, p: Params) {
    const s = getService(n, serviceKeyOf(p))
    return {
      namespaceId: s.key.namespace, groupName: s.key.group, name: s.key.name, protectThreshold: s.meta.protectThreshold, metadata: s.meta.metadata, selector: s.meta.selector,
      clusters: [...s.clusters].map(([name, c]) => ({ name, healthChecker: c.healthChecker, metadata: c.metadata })),
    }
  },
  list(n: Naming, p: Params) {
    return listServiceNames(n, { namespace: p.first('namespaceId', 'namespace'), group: p.get('groupName'), pageNo: p.int('pageNo') ?? 1, pageSize: p.int('pageSize') ?? 10, selector: p.get('selector') })
  },
}

/** Service CRUD and the operator/catalog views under /nacos/v1/ns (Nacos ServiceController, CatalogController, OperatorController). */
export function serviceHttpV1(n: Naming, pushDelayMs: number) {
  return new Elysia({ prefix: '/nacos/v1/ns' })
    .post('/service', async ({ request, body, server }) => (await serviceOps.create(n, paramsOf({ request, body, server })), text('ok')))
    .put('/service', async ({ request, body, server }) => (await serviceOps.update(n, paramsOf({ request, body, server }), true), text('ok')))
    .delete('/service', async ({ request, body, server }) => (await serviceOps.remove(n, paramsOf({ request, body, server })), text('ok')))
    .get('/service', ({ request, body, server }) => json(serviceOps.detail(n, paramsOf({ request, body, server }))))
    .get('/service/list', ({ request, body, server }) => {
      const r = serviceOps.list(n, paramsOf({ request, body, server }))
      return json({ count: r.count, doms: r.names })
    })
    .get('/service/subscribers', ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const key = serviceKeyOf(p)
      const all = n.subscribers.of(`${key.namespace}@@${key.group}@@${key.name}`).map((s) => {
        const [ip, port] = s.addr.includes(':') ? [s.addr.slice(0, s.addr.lastIndexOf(':')), s.addr.slice(s.addr.lastIndexOf(':') + 1)] : [s.addr, '0']
        return { addrStr: s.addr, agent: s.agent, app: s.agent, ip, port: Number(port) || 0, namespaceId: key.namespace, serviceName: `${key.group}@@${key.name}`, cluster: s.clusters }
      })
      const { pageSize, offset } = paging(p.int('pageNo'), p.int('pageSize'))
      return json({ count: all.length, subscribers: all.slice(offset, offset + pageSize) })
    })
    .get('/catalog/services', ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const ns = normalizeNamespace(p.first('namespaceId', 'namespace'))
      const nameLike = p.get('serviceNameParam')?.trim()
      const groupLike = p.get('groupNameParam')?.trim()
      // The console's "hide empty services" (Nacos `hasIpCount`, ignoreEmptyService).
      const nonEmpty = p.bool('hasIpCount') ?? p.bool('ignoreEmptyService') ?? false
      const all = n.registry.list(ns).filter((s) => (!nameLike || s.key.name.includes(nameLike)) && (!groupLike || s.key.group.includes(groupLike)) && (!nonEmpty || s.publishers.size > 0))
      const { pageSize, offset } = paging(p.int('pageNo'), p.int('pageSize'))
      return json({ count: all.length, serviceList: all.slice(offset, offset + pageSize).map((s) => serviceSummary(n, s)) })
    })
    .get('/operator/metrics', ({ request, body, server }) => metrics(n, paramsOf({ request, body, server })))
    .get('/ops/metrics', ({ request, body, server }) => metrics(n, paramsOf({ request, body, server })))
    .get('/operator/switches', () =>
      json({
        name: '00-00---000-NACOS_SWITCH_DOMAIN-000---00-00', defaultPushCacheMillis: 10000, clientBeatInterval: 5000, defaultCacheMillis: 3000,
        healthCheckEnabled: true, pushEnabled: true, lightBeatEnabled: true, pushDelayMillis: pushDelayMs, checkTimes: 3,
      }),
    )
}

function metrics(n: Naming, p: Params) {
  // Node and Go read only `status == "UP"` as server health; the counts are for operators.
  if (p.bool('onlyStatus') !== false) return json({ status: 'UP' })
  let instanceCount = 0
  for (const s of n.registry.services.values()) instanceCount += n.registry.instances(s).length
  return json({ status: 'UP', serviceCount: n.registry.services.size, instanceCount, subscribeCount: n.subscribers.size, clientCount: n.registry.clients.size, responsibleServiceCount: n.registry.services.size, responsibleInstanceCount: instanceCount })
}
