import { createAuth, type Auth } from './auth/center'
import { auditHttp, createAuditHook, createRpcAuditHook } from './audit/http'
import { purgeAudit } from './audit/audit'
import { auditStore } from './audit/store'
import { createHttpGuard, createRpcFilter } from './auth/guard'
import { isAllowed } from './auth/permissions'
import { resourceString } from './auth/rules'
import { authHttp } from './auth/http'
import { authStore } from './auth/store'
import { loadTokenSecret } from './auth/secret'
import type { Cluster } from './cluster/cluster'
import { clusterHttp } from './cluster/http'
import { clusterSyncHttp, type SyncControl } from './cluster/http-sync'
import { configRpcHandlers } from './config/grpc'
import { consoleHttp } from './console/http'
import { configHttpV1 } from './config/http'
import { configTransferHttp } from './config/http-transfer'
import { historyHttpV1 } from './config/http-history'
import { configListenerHttp } from './config/http-listener'
import { configHttpV2 } from './config/http-v2'
import { createConfigCenter, type ConfigCenter } from './config/center'
import { purgeHistory } from './config/history'
import { configStore } from './config/store'
import type { ConfigKey } from './config/model'
import { createConfigSync, type ConfigSync } from './cluster/sync/config-sync'
import { createDataSync, type DataSync } from './cluster/sync/data-sync'
import { createNamingSync, type NamingSync } from './cluster/sync/naming-sync'
import { namingForwardHttp } from './cluster/naming-forward'
import type { PeerTraffic } from './cluster/traffic'
import { healthHttp, type HealthState } from './health/http'
import { createNaming, type Naming } from './naming/center'
import { namingStore } from './naming/store'
import { reloadStored } from './naming/reload'
import { namingRpcHandlers } from './naming/grpc'
import { checkBeats, checkPersistent } from './naming/health'
import { catalogHttp } from './naming/http-catalog'
import { instanceHttpV1 } from './naming/http-instance'
import { serviceHttpV1 } from './naming/http-service'
import { namingHttpV2 } from './naming/http-v2'
import { UdpPusher } from './naming/udp'
import { namespaceHttp } from './namespace/http'
import { namespaceExists } from './namespace/namespaces'
import { namespaceStore, type NamespaceStore } from './namespace/store'
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
  namespaces: NamespaceStore
  /**
   * Reloads the users/roles/permissions and namespace snapshots (a shared database: a peer announced a change, or
   * the periodic refresh); nothing to do on SQLite.
   */
  refreshData(): Promise<void>
  /** Checks run before every gRPC handler (auth). */
  rpcFilters: RpcFilter[]
  /** Runs after every successful gRPC handler (audit). */
  rpcAfter: RpcAfter
  config: ConfigCenter
  /** Config replication between the nodes of a cluster on a shared database. */
  configSync?: ConfigSync
  naming: Naming
  udp: UdpPusher
  http: ReturnType<typeof buildHttpApp>
  rpc: RpcHandlers
  /** Prometheus metrics; undefined when BNACOS_METRICS_ENABLED=false. */
  metrics?: Metrics
  /** Periodic housekeeping (history retention); returns a stop function. */
  startJobs(): () => void
}

/** Wires features to storage and settings (loading what they keep in memory). `state` feeds the health endpoints. */
export async function createApp(storage: Storage, settings: Pick<Settings, 'configMaxContentBytes' | 'historyRetentionDays' | 'longPollMaxMs' | 'namingPushDelayMs' | 'namingEmptyServiceTtlMs' | 'namingHealthCheckMs' | 'authEnabled' | 'authTokenSecret' | 'authTokenTtlSeconds' | 'authLockFailures' | 'authLockMs' | 'auditRetentionDays' | 'metricsEnabled' | 'accessLog' | 'version'>, state: HealthState, cluster?: Cluster): Promise<App> {
  // A write on a shared database is announced to the peers once committed (cluster mode; see src/cluster/sync).
  let announce: ((keys: ConfigKey[]) => void) | undefined
  // Users, roles, permissions and namespaces: a write on a shared database is announced to the peers, which reload.
  let dataSync: DataSync | undefined
  const namespaces = namespaceStore(storage, () => dataSync?.changed('namespace'))
  const audit = auditStore(storage)
  const config = await createConfigCenter(configStore(storage, (keys) => announce?.(keys)), { maxContentBytes: settings.configMaxContentBytes, historyRetentionDays: settings.historyRetentionDays }, Date.now, async (id) => namespaceExists(namespaces, id))
  const auth = createAuth(authStore(storage, () => dataSync?.changed('auth')), {
    enabled: settings.authEnabled, tokenKey: loadTokenSecret(storage.dataDir, settings.authTokenSecret),
    tokenTtlSeconds: settings.authTokenTtlSeconds, lockFailures: settings.authLockFailures, lockMs: settings.authLockMs,
  })
  // On a shared database the guard answers from snapshots: have them before the first request.
  if (storage.kind === 'remote') await Promise.all([auth.store.refresh(), namespaces.refresh()])
  const naming = await createNaming(namingStore(storage, () => dataSync?.changed('naming')), { pushDelayMs: settings.namingPushDelayMs })
  const udp = new UdpPusher()
  const clustered = cluster?.mode === 'cluster' && storage.kind === 'remote' ? cluster : undefined
  const configSync = clustered && createConfigSync(clustered, config)
  announce = configSync?.written
  dataSync = clustered && createDataSync(clustered, { auth: () => auth.store.refresh(), namespace: () => namespaces.refresh(), naming: async () => void (await reloadStored(naming)) })
  const namingSync = clustered && createNamingSync(clustered, naming)
  const configCount = (ns: string) => config.cache.countByNamespace().get(ns) ?? 0
  const usage = { configCount, inUse: (ns: string) => configCount(ns) + naming.registry.list(ns).length }
  // Who the auth guard identified, per request, for the audit log.
  const identities = new WeakMap<Request, string>()
  const rpcIdentities = new WeakMap<Record<string, unknown>, string>()
  const observability = createObservability(namespaces, config, naming, settings, cluster?.traffic)
  const http = buildHttpApp(
    [
    // First: its hook applies to the routes registered after it (the instance writes it forwards).
    ...(clustered ? [namingForwardHttp(clustered)] : []),
    healthHttp(state),
    authHttp(auth),
    auditHttp(audit),
    configListenerHttp(config, settings.longPollMaxMs),
    configHttpV1(config, configTransferHttp(config, {
      // A clone names its sources by row id, in any namespace: each must be readable by whoever asks.
      mayRead: async (request, k) => !auth.enabled || isAllowed(auth.store, identities.get(request) ?? '', resourceString({ namespace: k.namespace, group: k.group, type: 'config', name: k.dataId }), 'r'),
    })),
    historyHttpV1(config),
    configHttpV2(config),
    namespaceHttp(namespaces, usage),
    instanceHttpV1(naming, udp),
    serviceHttpV1(naming, settings.namingPushDelayMs),
    catalogHttp(naming),
    namingHttpV2(naming),
    ...(cluster ? [clusterHttp(cluster)] : []),
    ...(configSync && dataSync && namingSync ? [clusterSyncHttp(syncControl(configSync, dataSync, namingSync, clustered.traffic))] : []),
    ...observability.plugins,
    consoleHttp(),
    ],
    createHttpGuard(auth, (request, who) => identities.set(request, who)),
    createAuditHook(audit, (request) => identities.get(request)),
    observability.observeHttp,
  )
  const rpc: RpcHandlers = { ...configRpcHandlers(config), ...namingRpcHandlers(naming) }
  return {
    auth,
    namespaces,
    async refreshData() {
      await Promise.all([auth.store.refresh(), namespaces.refresh()])
    },
    rpcFilters: [createRpcFilter(auth, (body, who) => rpcIdentities.set(body, who))],
    rpcAfter: createRpcAuditHook(audit, (body) => rpcIdentities.get(body)),
    config,
    configSync,
    naming,
    udp,
    http,
    rpc,
    metrics: observability.metrics,
    startJobs() {
      const purge = async () => {
        try {
          const n = await purgeHistory(config)
          if (n) log.info('history purged', { rows: n, retentionDays: settings.historyRetentionDays })
        } catch (e) {
          log.error('history purge failed', { error: String(e) })
        }
      }
      void purge()
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
        every(3_600_000, () => purgeAudit(audit, settings.auditRetentionDays, Date.now())),
        every(1000, () => checkBeats(naming)),
        every(settings.namingHealthCheckMs, () => checkPersistent(naming)),
        every(30_000, () => {
          naming.subscribers.expire(naming.now() - 30_000)
          naming.registry.cleanEmpty(settings.namingEmptyServiceTtlMs, (s) => naming.subscribers.has(s.keyStr))
          naming.registry.expireOverrides(60_000)
        }),
      ]
      void udp.start()
      configSync?.start().catch((e) => log.error('config replication did not start', { error: String(e) }))
      dataSync?.start()
      namingSync?.start()
      return () => {
        for (const t of timers) clearInterval(t)
        configSync?.stop()
        dataSync?.stop()
        namingSync?.stop()
        naming.pusher.stop()
        udp.stop()
      }
    },
  }
}

/** The replication figures and the resync of a clustered node, for the operator API. */
function syncControl(configSync: ConfigSync, dataSync: DataSync, namingSync: NamingSync, traffic: PeerTraffic | undefined): SyncControl {
  return {
    state: () => ({ config: configSync.state(), naming: namingSync.state(), ...(traffic ? { peers: traffic.totals() } : {}) }),
    async resync() {
      const configKeysRepaired = await configSync.resync()
      await dataSync.refreshAll()
      const namingSnapshotsPulled = await namingSync.resync()
      return { configKeysRepaired, reloaded: ['auth', 'namespace', 'naming'], namingSnapshotsPulled }
    },
  }
}
