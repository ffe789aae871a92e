import { configRpcHandlers } from './config/grpc'
import { configHttpV1 } from './config/http'
import { historyHttpV1 } from './config/http-history'
import { configListenerHttp } from './config/http-listener'
import { configHttpV2 } from './config/http-v2'
import { createConfigCenter, type ConfigCenter } from './config/center'
import { purgeHistory } from './config/history'
import { healthHttp, type HealthState } from './health/http'
import { namespaceHttp } from './namespace/http'
import type { Settings } from './settings/settings'
import { log } from './shared/log'
import type { RpcHandlers } from './shared/rpc'
import type { Storage } from './storage/db'
import { buildHttpApp } from './transport/http/app'

/** The features wired to one storage: what both transports serve. */
export interface App {
  config: ConfigCenter
  http: ReturnType<typeof buildHttpApp>
  rpc: RpcHandlers
  /** Periodic housekeeping (history retention); returns a stop function. */
  startJobs(): () => void
}

/** Wires features to storage and settings. `state` feeds the health endpoints. */
export function createApp(storage: Storage, settings: Pick<Settings, 'configMaxContentBytes' | 'historyRetentionDays' | 'longPollMaxMs'>, state: HealthState): App {
  const config = createConfigCenter(storage.db, { maxContentBytes: settings.configMaxContentBytes, historyRetentionDays: settings.historyRetentionDays })
  const usage = {
    configCount: (ns: string) => config.cache.countByNamespace().get(ns) ?? 0,
    inUse: (ns: string) => config.cache.countByNamespace().get(ns) ?? 0,
  }
  const http = buildHttpApp([
    healthHttp(state),
    configListenerHttp(config, settings.longPollMaxMs),
    configHttpV1(config),
    historyHttpV1(config),
    configHttpV2(config),
    namespaceHttp(storage.db, usage),
  ])
  const rpc: RpcHandlers = { ...configRpcHandlers(config) }
  return {
    config,
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
      const t = setInterval(purge, 3_600_000)
      t.unref()
      return () => clearInterval(t)
    },
  }
}
