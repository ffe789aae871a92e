import type { AnyElysia } from 'elysia'
import type { PeerTraffic } from '../cluster/traffic'
import type { ConfigCenter } from '../config/center'
import type { Naming } from '../naming/center'
import type { NamespaceStore } from '../namespace/store'
import { writeAccessLog } from './access-log'
import { metricsHttp } from './http'
import { createMetrics, type HttpObservation, type Metrics } from './metrics'

/** What the app wires in for operators: the metrics (when on), the scrape routes, and the HTTP observer. */
export interface Observability {
  metrics?: Metrics
  /** The scrape endpoints' plugin (empty when metrics are off). */
  plugins: AnyElysia[]
  /**
   * Called once per answered HTTP request; undefined when neither metrics nor the access log want it.
   * `needsClient`: the request path and client IP are read (the access log); metrics alone do without them.
   */
  observeHttp?: ((o: HttpObservation) => void) & { needsClient?: boolean }
}

/** Builds metrics over the features' live state and the access log, as the settings ask; `peers`: the cluster's traffic. */
export function createObservability(namespaces: NamespaceStore, config: ConfigCenter, naming: Naming, settings: { metricsEnabled: boolean; accessLog: boolean; version: string }, peers?: PeerTraffic): Observability {
  const metrics = settings.metricsEnabled
    ? createMetrics({
        configs: () => config.cache.size,
        // Custom ones plus public, as listNamespaces counts them (synchronous: read from the store's snapshot).
        namespaces: () => namespaces.count() + 1,
        services: () => naming.registry.services.size,
        instances: () => {
          let total = 0
          let healthy = 0
          for (const s of naming.registry.services.values()) {
            for (const i of naming.registry.instances(s)) {
              total++
              if (i.healthy) healthy++
            }
          }
          return { total, healthy }
        },
        subscribers: () => naming.subscribers.size,
        configListeners: () => config.watches.size,
      }, settings.version, peers)
    : undefined
  const accessLog = settings.accessLog
  const observeHttp = metrics || accessLog
    ? Object.assign((o: HttpObservation) => {
        metrics?.observeHttp(o)
        if (accessLog) writeAccessLog(o)
      }, { needsClient: accessLog })
    : undefined
  return { metrics, plugins: metrics ? [metricsHttp(metrics)] : [], observeHttp }
}
