import { log } from '../shared/log'
import type { Naming } from './center'
import { beatTiming } from './model'
import { updateInstance } from './instances'

/**
 * Expires HTTP beat instances (Nacos ClientBeatCheckTask / UnhealthyInstanceChecker + ExpiredInstanceChecker):
 * unhealthy after the beat timeout (15 s), removed after the delete timeout (30 s), both overridable by
 * `preserved.*` metadata.
 */
export function checkBeats(n: Naming) {
  const now = n.now()
  for (const [bk, last] of n.beats) {
    const bar = bk.indexOf('|')
    const clientId = bk.slice(0, bar)
    const s = n.registry.services.get(bk.slice(bar + 1))
    const list = s?.publishers.get(clientId)
    if (!s || !list) {
      n.beats.delete(bk)
      continue
    }
    const idle = now - last
    const keep = list.filter((i) => idle <= beatTiming(i).deleteTimeout)
    if (keep.length !== list.length) {
      log.info('instance expired: no beat', { service: s.keyStr, client: clientId })
      if (keep.length) n.registry.publish(clientId, 'http', s.key, keep)
      else {
        n.registry.unpublish(clientId, s.key)
        n.beats.delete(bk)
      }
      continue
    }
    // HTTP (ephemeral) clients only: updateInstance stores nothing for them and completes at once.
    for (const i of list) if (i.healthy && idle > beatTiming(i).timeout) void updateInstance(n, s.key, i.ip, i.port, i.clusterName, { healthy: false })
  }
}

/** Whether a TCP connection to ip:port opens within `timeoutMs` (Nacos's default TCP health checker). */
export function tcpProbe(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    const done = (ok: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    Bun.connect({ hostname: ip, port, socket: { open: (sock) => (sock.end(), done(true)), error: () => done(false), connectError: () => done(false), data() {} } }).catch(() => done(false))
  })
}

/** Probes every persistent instance over TCP and records health changes (which pushes to subscribers). */
export async function checkPersistent(n: Naming, timeoutMs = 2000) {
  const probes: Promise<void>[] = []
  for (const s of n.registry.services.values()) {
    if (s.ephemeral !== false) continue
    for (const [clientId, list] of s.publishers) {
      if (n.registry.clients.get(clientId)?.kind !== 'persistent') continue
      for (const i of list) {
        probes.push(
          tcpProbe(i.ip, i.port, timeoutMs).then(async (ok) => {
            if (ok === i.healthy) return
            try {
              await updateInstance(n, s.key, i.ip, i.port, i.clusterName, { healthy: ok })
            } catch {
              // Deregistered while the probe ran, or the database refused: the next round tries again.
            }
          }),
        )
      }
    }
  }
  await Promise.all(probes)
}
