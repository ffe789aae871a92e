import { createAuth, type Auth } from './auth/center'
import { auditHttp, createAuditHook, createRpcAuditHook } from './audit/http'
import { purgeAudit } from './audit/audit'
import { createHttpGuard, createRpcFilter } from './auth/guard'
import { isAllowed } from './auth/permissions'
import { resourceString } from './auth/rules'
import { authHttp } from './auth/http'
import { loadTokenSecret } from './auth/secret'
import type { Cluster } from './cluster/cluster'
import { clusterHttp } from './cluster/http'
import { configRpcHandlers } from './config/grpc'
import { consoleHttp } from './console/http'
import { configHttpV1 } from './config/http'
import { configTransferHttp } from './config/http-transfer'
import { historyHttpV1 } from './config/http-history'
import { configListenerHttp } from './config/http-listener'
import { configHttpV2 } from './config/http-v2'
import { createConfigCenter, type ConfigCenter } from './config/center'
import { purgeHistory } from './config/history'
import { healthHttp, type HealthState } from './health/http'
import { createNaming, type Naming } from './naming/center'
import { namingRpcHandlers } from './naming/grpc'
import { checkBeats, checkPersistent } from './naming/health'
import { catalogHttp } from './naming/http-catalog'
import { instanceHttpV1 } from './naming/http-instance'
import { serviceHttpV1 } from './naming/http-service'
import { namingHttpV2 } from './naming/http-v2'
import { UdpPusher } from './naming/udp'
import { namespaceHttp } from './namespace/http'
import type { Settings } from './settings/settings'
import { log } from './shared/log'
import type { RpcAfter, RpcFilter, RpcHandlers } from './shared/rpc'
import type { Storage } from './storage/db'
import { buildHttpApp } from './transport/http/app'
import { createObservability } from './metrics/observability'
import type { Metrics } from './metrics/metrics'

/** The features wired to one storage: what both transports serve. */
export interface App {
  auth: Auth
  /** Checks run before every gRPC handler (auth). */
  rpcFilters: RpcFilter[]
  /** Runs after every successful gRPC handler (audit). */
  rpcAfter: RpcAfter
  config: ConfigCenter
  naming: Naming
  udp: UdpPusher
  http: ReturnType<typeof buildHttpApp>
  rpc: RpcHandlers
  /** Prometheus metrics; undefined when BNACOS_METRICS_ENABLED=false. */
  metrics?: Metrics
  /** Periodic housekeeping (history retention); returns a stop function. */
  startJobs(): () => void
}

/** Wires features to storage and settings. `state` feeds the health endpoints. */
export function createApp(storage: Storage, settings: Pick<Settings, 'configMaxContentBytes' | 'historyRetentionDays' | 'longPollMaxMs' | 'namingPushDelayMs' | 'namingEmptyServiceTtlMs' | 'namingHealthCheckMs' | 'authEnabled' | 'authTokenSecret' | 'authTokenTtlSeconds' | 'authLockFailures' | 'authLockMs' | 'auditRetentionDays' | 'metricsEnabled' | 'accessLog' | 'version'>, state: HealthState, cluster?: Cluster): App {
  const config = createConfigCenter(storage.db, { maxContentBytes: settings.configMaxContentBytes, historyRetentionDays: settings.historyRetentionDays })
  const auth = createAuth(storage.db, {
    enabled: settings.authEnabled, tokenKey: loadTokenSecret(storage.dataDir, settings.authTokenSecret),
    tokenTtlSeconds: settings.authTokenTtlSeconds, lockFailures: settings.authLockFailures, lockMs: settings.authLockMs,
  })
  const naming = createNaming(storage.db, { pushDelayMs: settings.namingPushDelayMs })
  const udp = new UdpPusher()
  const configCount = (ns: string) => config.cache.countByNamespace().get(ns) ?? 0
  const usage = { configCount, inUse: (ns: string) => configCount(ns) + naming.registry.list(ns).length }
  // Who the auth guard identified, per request, for the audit log.
  const identities = new WeakMap<Request, string>()
  const rpcIdentities = new WeakMap<Record<string, unknown>, string>()
  const observability = createObservability(storage.db, config, naming, settings)
  const http = buildHttpApp(
    [
    healthHttp(state),
    authHttp(auth),
    auditHttp(storage.db),
    configListenerHttp(config, settings.longPollMaxMs),
    configHttpV1(config, configTransferHttp(config, {
      // A clone names its sources by row id, in any namespace: each must be readable by whoever asks.
      mayRead: (request, k) => !auth.enabled || isAllowed(auth.db, identities.get(request) ?? '', resourceString({ namespace: k.namespace, group: k.group, type: 'config', name: k.dataId }), 'r'),
    })),
    historyHttpV1(config),
    configHttpV2(config),
    namespaceHttp(storage.db, usage),
    instanceHttpV1(naming, udp),
    serviceHttpV1(naming, settings.namingPushDelayMs),
    catalogHttp(naming),
    namingHttpV2(naming),
    ...(cluster ? [clusterHttp(cluster)] : []),
    ...observability.plugins,
    consoleHttp(),
    ],
    createHttpGuard(auth, (request, who) => identities.set(request, who)),
    createAuditHook(storage.db, (request) => identities.get(request)),
    observability.observeHttp,
  )
  const rpc: RpcHandlers = { ...configRpcHandlers(config), ...namingRpcHandlers(naming) }
  return {
    auth,
    rpcFilters: [createRpcFilter(auth, (body, who) => rpcIdentities.set(body, who))],
    rpcAfter: createRpcAuditHook(storage.db, (body) => rpcIdentities.get(body)),
    config,
    naming,
    udp,
    http,
    rpc,
    metrics: observability.metrics,
    startJobs() {
      const purge = () => {
        try {
          const n = purgeHistory(config)
          if (n) log.info('history purged', { rows: n, retentionDays: settings.historyRetentionDays })
        } catch (e) {
          log.error('history purge failed', { error: String(e) })
        }
      }
      purge()
      const every = (ms: number, fn: () => unknown) => {
        const t = setInterval(() => {
          try {
            const r = fn()
            if (r instanceof Promise) r.catch((e) => log.error('job failed', { error: String(e) }))
          } catch (e) {
            log.error('job failed', { error: String(e) })
          }
        }, ms)
        t.unref()
        return t
      }
      const timers = [
        every(3_600_000, purge),
        every(3_600_000, () => purgeAudit(storage.db, settings.auditRetentionDays, Date.now())),
        every(1000, () => checkBeats(naming)),
        every(settings.namingHealthCheckMs, () => checkPersistent(naming)),
        every(30_000, () => {
          naming.subscribers.expire(naming.now() - 30_000)
          naming.registry.cleanEmpty(settings.namingEmptyServiceTtlMs, (s) => naming.subscribers.has(s.keyStr))
          naming.registry.expireOverrides(60_000)
        }),
      ]
      void udp.start()
      return () => {
        for (const t of timers) clearInterval(t)
        naming.pusher.stop()
        udp.stop()
      }
    },
  }
}
