import { Elysia } from 'elysia'
import { json } from '../shared/http'

/** What the operator sees and triggers of this node's replication. */
export interface SyncControl {
  /** Per-node replication figures (change-log position, repairs, last runs). */
  state(): Record<string, unknown>
  /** Compares everything with the shared database (and the peers) now; says what differed. */
  resync(): Promise<Record<string, unknown>>
}

/**
 * This node's replication state and a resync button: `GET /nacos/v1/core/cluster/sync` (signed-in user) and
 * `POST /nacos/v1/core/cluster/resync` (admin). Nacos has no such API; r-nacos users asked for one after nodes that
 * never converged (docs/cluster.md §2). Answers in the v1 core RestResult shape.
 */
export function clusterSyncHttp(ctrl: SyncControl) {
  return new Elysia()
    .get('/nacos/v1/core/cluster/sync', () => json({ code: 200, message: null, data: ctrl.state() }))
    .post('/nacos/v1/core/cluster/resync', async () => json({ code: 200, message: null, data: await ctrl.resync() }))
}
