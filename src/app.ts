import { createAuth, type Auth } from './auth/center'
import { auditHttp, createAuditHook, createRpcAuditHook } from './audit/http'
import { purgeAudit } from './audit/audit'
import { createHttpGuard, createRpcFilter } from './auth/guard'
import { authHttp } from './auth/http'
import { loadTokenSecret } from './auth/secret'
import { configRpcHandlers } from './config/grpc'
import { configHttpV1 } from './config/http'
import { historyHttpV1 } from './config/http-history'
import { configListenerHttp } from './config/http-listener'
import { configHttpV2 } from './config/http-v2'
import { createConfigCenter, type ConfigCenter } from './config/center'
import { purgeHistory } from './config/history'
import { healthHttp, type HealthState } from './health/http'
import { createNaming, type Naming } from './naming/center'
import { namingRpcHandlers } from './naming/grpc'
import { checkBeats, checkPersistent } from './naming/health'
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
  /** Periodic housekeeping (history retention); returns a stop function. */
  startJobs(): () => void
}

/** Wires features to storage and settings. `state` feeds the health endpoints. */
export function createApp(storage: Storage, settings: Pick<Settings, 'configMaxContentBytes' | 'historyRetentionDays' | 'longPollMaxMs' | 'namingPushDelayMs' | 'namingEmptyServiceTtlMs' | 'namingHealthCheckMs' | 'authEnabled' | 'authTokenSecret' | 'authTokenTtlSeconds' | 'authLockFailures' | 'authLockMs' | 'auditRetentionDays'>, state: HealthState): App {
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
  const http = buildHttpApp(
    [
    healthHttp(state),
    authHttp(auth),
    auditHttp(storage.db),
    configListenerHttp(config, settings.longPollMaxMs),
    configHttpV1(config),
    historyHttpV1(config),
    configHttpV2(config),
    namespaceHttp(storage.db, usage),
    instanceHttpV1(naming, udp),
    serviceHttpV1(naming, settings.namingPushDelayMs),
    namingHttpV2(naming),
    ],
    createHttpGuard(auth, (request, who) => identities.set(request, who)),
    createAuditHook(storage.db, (request) => identities.get(request)),
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
