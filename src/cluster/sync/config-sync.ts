import type { ConfigCenter } from '../../config/center'
import type { ConfigKey } from '../../config/model'
import { reconcileAll, refreshKey } from '../../config/refresh'
import { log } from '../../shared/log'
import type { Cluster } from '../cluster'
import { PeerBatcher } from './batcher'

/** How the config replication paces itself (tests shorten these). */
export interface ConfigSyncTiming {
  /** Window in which local writes are gathered into one ConfigChanged message. */
  batchMs: number
  /** How often the change log is tailed. */
  tailMs: number
  /** How many change-log rows before the last seen one are read again (see tail()). */
  lookBack: number
  /** How often the whole cache is compared with the database. */
  fullMs: number
  /** Change-log rows older than this are pruned. */
  keepMs: number
}

/** Defaults from docs/cluster.md §3. */
export const CONFIG_SYNC_TIMING: ConfigSyncTiming = { batchMs: 50, tailMs: 2_000, lookBack: 200, fullMs: 300_000, keepMs: 86_400_000 }

/** What an operator sees of a node's config replication. */
export interface ConfigSyncState {
  lastSeq: number
  lastTailAt: number
  lastFullAt: number
  repairs: number
  notified: number
  lastError?: string
}

/** Config replication between nodes sharing one database. */
export interface ConfigSync {
  /** Called by the config store after each committed write. */
  written(keys: ConfigKey[]): void
  start(): Promise<void>
  stop(): void
  /** Compares everything with the database now; returns how many keys differed. */
  resync(): Promise<number>
  state(): ConfigSyncState
}

const wireKey = (k: ConfigKey) => ({ d: k.dataId, g: k.group, t: k.namespace })
const readKeys = (body: Record<string, unknown>): ConfigKey[] =>
  (Array.isArray(body.keys) ? body.keys : []).flatMap((x: any) => (x && typeof x.d === 'string' && typeof x.g === 'string' && typeof x.t === 'string' ? [{ dataId: x.d, group: x.g, namespace: x.t }] : []))

/**
 * Keeps this node's config cache equal to the shared database: peers tell each other which keys they wrote
 * (ConfigChanged: the receiver re-reads those keys, never trusting the message for content), every node tails the
 * `config_change` log for what a lost message missed, and a periodic full comparison repairs anything else.
 */
export function createConfigSync(cluster: Cluster, cc: ConfigCenter, timing: ConfigSyncTiming = CONFIG_SYNC_TIMING): ConfigSync {
  const st: ConfigSyncState = { lastSeq: 0, lastTailAt: 0, lastFullAt: 0, repairs: 0, notified: 0 }
  const batch = new PeerBatcher<ConfigKey>(cluster, 'ConfigChanged', timing.batchMs, (keys) => ({ keys: keys.map(wireKey) }))
  const timers: ReturnType<typeof setInterval>[] = []
  let tailing = false

  cluster.handle('ConfigChanged', async (body) => {
    const keys = readKeys(body)
    st.notified += keys.length
    let changed = 0
    for (const k of keys) if (await refreshKey(cc, k).catch(() => false)) changed++
    return { applied: changed }
  })

  /**
   * Reads the log from `lookBack` rows before the last seen seq: an auto-increment seq is taken when a row is
   * inserted, not when its transaction commits, so a slow writer can commit a lower seq after a higher one was
   * read. Each key's newest row is compared with the cache and the key re-read only when they disagree.
   */
  async function tail(): Promise<void> {
    if (tailing) return
    tailing = true
    try {
      const rows = await cc.store.changesSince(Math.max(0, st.lastSeq - timing.lookBack), 10_000)
      const newest = new Map<string, (typeof rows)[number]>()
      for (const r of rows) newest.set(`${r.key.namespace}\u0001${r.key.group}\u0001${r.key.dataId}\u0001${r.grayName}`, r)
      const stale = new Map<string, ConfigKey>()
      for (const r of newest.values()) {
        const held = r.grayName ? cc.cache.grays(r.key).find((g) => g.grayName === r.grayName)?.md5 ?? '' : cc.cache.formal(r.key)?.md5 ?? ''
        if (held !== (r.op === 'D' ? '' : r.md5)) stale.set(`${r.key.namespace}\u0001${r.key.group}\u0001${r.key.dataId}`, r.key)
      }
      for (const k of stale.values()) if (await refreshKey(cc, k)) st.repairs++
      if (rows.length) st.lastSeq = Math.max(st.lastSeq, rows[rows.length - 1].seq)
      st.lastTailAt = Date.now()
      st.lastError = undefined
    } catch (e) {
      st.lastError = String(e)
      log.warn('config change log not readable; retrying', { error: String(e) })
    } finally {
      tailing = false
    }
  }

  async function resync(): Promise<number> {
    const repaired = await reconcileAll(cc)
    st.repairs += repaired.length
    st.lastFullAt = Date.now()
    if (repaired.length) log.info('config reconcile repaired keys', { count: repaired.length })
    return repaired.length
  }

  const every = (ms: number, fn: () => Promise<unknown>) => {
    const t = setInterval(() => void fn().catch((e) => log.warn('config sync job failed', { error: String(e) })), ms)
    t.unref()
    timers.push(t)
  }

  return {
    written(keys) {
      for (const k of keys) batch.add(`${k.namespace}\u0001${k.group}\u0001${k.dataId}`, k)
    },
    async start() {
      // The log position is taken before the comparison, so a write landing in between is seen by the next tail.
      st.lastSeq = await cc.store.lastChange()
      await resync()
      every(timing.tailMs, tail)
      every(timing.fullMs, resync)
      every(Math.min(timing.keepMs, 3_600_000), () => cc.store.pruneChanges(Date.now() - timing.keepMs))
    },
    stop() {
      for (const t of timers) clearInterval(t)
      batch.stop()
    },
    resync,
    state: () => ({ ...st }),
  }
}
