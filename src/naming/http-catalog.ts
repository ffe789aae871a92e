import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { json, paramsOf } from '../shared/http'
import { paging } from '../shared/page'
import type { Naming } from './center'
import type { ServiceKey } from './model'
import { serviceKeyOf } from './params'
import type { ServiceState } from './registry'
import { hostJson } from './service-info'
import { checkCluster } from './validate'

// Nacos CatalogServiceV2Impl answers a missing service or cluster with NOT_FOUND.
function serviceOf(n: Naming, key: ServiceKey): ServiceState {
  const s = n.registry.get(key)
  if (!s) throw fail.notFound(`service ${key.group}@@${key.name} is not found!`)
  return s
}

/** A service with its settings and clusters, as Nacos 2.x `GET /v1/ns/catalog/service` shapes it. */
export function catalogService(n: Naming, key: ServiceKey) {
  const s = serviceOf(n, key)
  return {
    service: { name: key.name, groupName: key.group, namespaceId: key.namespace, protectThreshold: s.meta.protectThreshold, selector: s.meta.selector, metadata: s.meta.metadata, ephemeral: s.ephemeral ?? null },
    clusters: [...s.clusters].map(([name, c]) => ({ name, serviceName: key.name, healthChecker: c.healthChecker, metadata: c.metadata })),
  }
}

/** A page of a service's instances, optionally of one cluster (`GET /v1/ns/catalog/instances`): `{count, list}`. */
export function catalogInstances(n: Naming, key: ServiceKey, cluster: string | undefined, pageNo: number | undefined, pageSize: number | undefined) {
  const s = serviceOf(n, key)
  if (cluster && !s.clusters.has(cluster)) throw fail.notFound(`cluster ${cluster} is not found!`)
  // Sorted so pages are stable while clients come and go.
  const all = n.registry.instances(s).filter((i) => !cluster || i.clusterName === cluster)
  all.sort((a, b) => a.clusterName.localeCompare(b.clusterName) || a.ip.localeCompare(b.ip) || a.port - b.port)
  const page = paging(pageNo, pageSize)
  return { count: all.length, list: all.slice(page.offset, page.offset + page.pageSize).map((i) => hostJson(i, key)) }
}

/** The console's views of one service under /nacos/v1/ns/catalog (Nacos CatalogController). */
export function catalogHttp(n: Naming) {
  return new Elysia({ prefix: '/nacos/v1/ns/catalog' })
    .get('/service', ({ request, body, server }) => json(catalogService(n, serviceKeyOf(paramsOf({ request, body, server })))))
    .get('/instances', ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      // Nacos requires clusterName here; blank lists every cluster, which is what a console page wants first.
      const raw = p.first('clusterName', 'cluster')?.trim()
      return json(catalogInstances(n, serviceKeyOf(p), raw ? checkCluster(raw) : undefined, p.int('pageNo'), p.int('pageSize')))
    })
}
