import { log } from '../../shared/log'
import type { Cluster } from '../cluster'
import { PeerBatcher } from './batcher'

/** Shared data a node keeps a snapshot of besides configs: each kind reloads as a whole (the tables are small). */
export type DataKind = 'auth' | 'namespace' | 'naming'

/** Keeps per-node snapshots of small shared tables fresh. */
export interface DataSync {
  /** Called after a committed local write of that kind: the peers reload it. */
  changed(kind: DataKind): void
  start(): void
  stop(): void
  /** Reloads every kind now. */
  refreshAll(): Promise<void>
}

const KINDS: DataKind[] = ['auth', 'namespace', 'naming']

/**
 * Announces writes of users/roles/permissions, namespaces and stored naming data to the peers (DataChanged), which
 * reload that kind from the shared database; every `periodMs` each node reloads everything anyway, so a lost
 * announcement costs at most that long.
 */
export function createDataSync(cluster: Cluster, reload: Partial<Record<DataKind, () => Promise<void>>>, periodMs = 10_000): DataSync {
  const batch = new PeerBatcher<DataKind>(cluster, 'DataChanged', 50, (kinds) => ({ kinds }))
  let timer: ReturnType<typeof setInterval> | undefined
  const run = async (kind: DataKind) => {
    try {
      await reload[kind]?.()
    } catch (e) {
      log.warn('shared data not reloaded; retrying later', { kind, error: String(e) })
    }
  }
  cluster.handle('DataChanged', async (body) => {
    const kinds = (Array.isArray(body.kinds) ? body.kinds : []).filter((k): k is DataKind => KINDS.includes(k as DataKind))
    for (const k of kinds) await run(k)
    return { reloaded: kinds }
  })
  const refreshAll = async () => {
    for (const k of KINDS) await run(k)
  }
  return {
    changed: (kind) => batch.add(kind, kind),
    start() {
      timer = setInterval(() => void refreshAll(), periodMs)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      batch.stop()
    },
    refreshAll,
  }
}
