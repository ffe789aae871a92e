import type { Naming } from '../../naming/center'
import { OwnedClients } from '../../naming/distro'
import { ReplicaSet } from '../../naming/replicas'
import { log } from '../../shared/log'
import type { Cluster } from '../cluster'
import type { MemberAddress } from '../members'
import { PeerBatcher } from './batcher'

/** How the ephemeral-instance replication paces itself (tests shorten these). */
export interface NamingSyncTiming {
  /** Window in which changed clients are gathered into one DistroDelta. */
  batchMs: number
  /** How often each node announces the checksum of what it owns (and drops silent owners). */
  verifyMs: number
  /** An owner not heard from for this long is taken as gone: its clients are removed. */
  silentMs: number
}

/**
 * Defaults (docs/cluster.md §4). Nacos verifies every 5 s too (DistroVerifyTimedTask) but keeps a dead member's
 * clients for 3 min (nacos.naming.client.expired.time); its SDKs re-register on another node within seconds, so
 * 15 s of silence (three missed rounds) is enough and its instances leave the survivors' lists sooner.
 */
export const NAMING_SYNC_TIMING: NamingSyncTiming = { batchMs: 50, verifyMs: 5_000, silentMs: 15_000 }

/** What an operator sees of a node's ephemeral-instance replication. */
export interface NamingSyncState {
  /** Clients this node is responsible for: gRPC connections and HTTP beat clients. */
  owned: { grpc: number; http: number }
  owners: Record<string, { clients: number; heardMsAgo: number }>
  deltasApplied: number
  snapshotsPulled: number
  checksumMismatches: number
  ownersExpired: number
  lastError?: string
}

/** Ephemeral-instance replication (Nacos Distro, reduced to what bnacos needs). */
export interface NamingSync {
  start(): void
  stop(): void
  /** Pulls every peer's snapshot now; returns how many peers answered. */
  resync(): Promise<number>
  state(): NamingSyncState
}

/**
 * Each node owns the ephemeral clients connected to it (gRPC) or beating to it (HTTP, routed by hash — see
 * naming-forward.ts) and tells its peers: every change of an owned client goes out in a DistroDelta batch (the
 * client's whole record, or its removal); every `verifyMs` a DistroVerify carries the checksum of everything it
 * owns, and a peer whose copy differs pulls a DistroSnapshot. A peer turning UP (so every peer at a node's start)
 * has its snapshot pulled at once; an owner silent for `silentMs` (killed, partitioned) has its clients removed,
 * and its SDK clients re-register elsewhere.
 */
export function createNamingSync(cluster: Cluster, n: Naming, timing: NamingSyncTiming = NAMING_SYNC_TIMING): NamingSync {
  const replicas = new ReplicaSet(n)
  const st = { deltasApplied: 0, snapshotsPulled: 0, checksumMismatches: 0, ownersExpired: 0, lastError: undefined as string | undefined }
  let owned: OwnedClients | undefined
  const batch = new PeerBatcher<string>(cluster, 'DistroDelta', timing.batchMs, (ids) => ({ records: ids.map((id) => owned!.recordOrRemoval(id)) }))
  const pulling = new Set<string>()
  let timer: ReturnType<typeof setInterval> | undefined

  const memberOf = (address: string): MemberAddress | undefined => cluster.peers().find((m) => m.address === address)
  const pull = async (peer: MemberAddress): Promise<boolean> => {
    const client = cluster.client
    if (!client || pulling.has(peer.address)) return false
    pulling.add(peer.address)
    try {
      // Waits for the connection (up to the timeout): right after a peer turns UP our channel to it may still be
      // backing off from the calls that failed while it was down.
      const answer = await client.call(peer, 'DistroSnapshot', {}, 10_000, true)
      replicas.replace(peer.address, Array.isArray(answer.records) ? answer.records : [])
      st.snapshotsPulled++
      st.lastError = undefined
      return true
    } catch (e) {
      st.lastError = `snapshot from ${peer.address}: ${String(e)}`
      log.debug('no naming snapshot from a peer; the next checksum round retries', { peer: peer.address, error: String(e) })
      return false
    } finally {
      pulling.delete(peer.address)
    }
  }

  cluster.handle('DistroDelta', (body, from) => {
    replicas.apply(from, Array.isArray(body.records) ? body.records : [])
    st.deltasApplied++
    return {}
  })
  cluster.handle('DistroSnapshot', () => ({ records: owned?.records() ?? [] }))
  cluster.handle('DistroVerify', (body, from) => {
    replicas.heard(from)
    const mine = replicas.checksum(from)
    if (mine.checksum !== body.checksum || mine.count !== body.count) {
      st.checksumMismatches++
      const peer = memberOf(from)
      if (peer) void pull(peer)
    }
    return {}
  })

  // A peer seen UP (at our start, after its restart, after a partition heals): take its snapshot at once rather
  // than at the next checksum round.
  cluster.onChange((m, _from, to) => {
    if (to === 'UP') void pull(m)
  })

  const verifyRound = () => {
    const client = cluster.client
    if (client && owned) {
      const body = owned.checksum()
      for (const peer of cluster.peers()) client.call(peer, 'DistroVerify', body, 2_000, false).catch(() => {})
    }
    st.ownersExpired += replicas.expire(n.now(), timing.silentMs).length
  }

  const resync = async () => (await Promise.all(cluster.peers().map(pull))).filter(Boolean).length
  return {
    start() {
      // From here on every change of an owned client is announced; what came before is in the snapshots.
      owned = new OwnedClients(n, (id) => batch.add(id, id))
      timer = setInterval(verifyRound, timing.verifyMs)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      batch.stop()
      owned?.close()
    },
    resync,
    state: () => ({ owned: owned?.counts() ?? { grpc: 0, http: 0 }, owners: replicas.summary(), ...st }),
  }
}
