import { log } from '../shared/log'
import type { PeerServer, PeerWire, PeerHandler } from '../shared/peer'
import { createPeerHandler, type PeerRequestHandler } from './grpc'
import { DEFAULT_HEALTH_TIMING, startHealthLoop, type HealthTiming } from './health'
import { MemberState, type NodeState } from './member-state'
import type { MemberAddress } from './members'
import { PeerAuth } from './peer-auth'
import { PeerClient } from './peers'
import { PEER_PORT_OFFSET, type ClusterPlan } from './plan'
import { readReport, selfReport, type ReportSource } from './report'
import { PeerTraffic } from './traffic'
import { memberView, type MemberView } from './view'

/** What the wiring supplies to run the cluster port: a listener for the handler, and a wire for calls out. */
export interface ClusterTransport {
  listen(port: number, handler: PeerHandler): Promise<PeerServer>
  wire: PeerWire
}

/** Membership as the rest of the server sees it. */
export interface Cluster {
  readonly mode: 'standalone' | 'cluster'
  /** This node's entry. */
  readonly self: MemberAddress
  /** This node as a Nacos Member. */
  selfView(): MemberView
  /** Every member, this node included, in list order. */
  list(): MemberView[]
  /** Other members currently UP. */
  upPeers(): MemberAddress[]
  /** Every other member, whatever its state. */
  peers(): MemberAddress[]
  /** Signed calls to peers (undefined until started, and in standalone mode). */
  readonly client: PeerClient | undefined
  /** Counts of peer messages both ways (undefined when standalone: no peers, so no peer series at all). */
  readonly traffic: PeerTraffic | undefined
  /** Adds a peer message handler (config/naming replication); call before `start`. */
  handle(type: string, handler: PeerRequestHandler): void
  /** Hears every peer state transition. */
  onChange(fn: (member: MemberAddress, from: NodeState, to: NodeState) => void): void
  /** Opens the cluster port and starts pinging peers (no-op when standalone). */
  start(transport: ClusterTransport): Promise<void>
  stop(): Promise<void>
}

/** Builds the cluster of a plan; standalone is a cluster of one whose only member is this node, always UP. */
export function createCluster(plan: ClusterPlan, standaloneSelf: MemberAddress, source: ReportSource, timing: HealthTiming = DEFAULT_HEALTH_TIMING): Cluster {
  const self = plan.mode === 'cluster' ? plan.self : standaloneSelf
  const members = plan.mode === 'cluster' ? plan.members : [self]
  const peers = new Map(members.filter((m) => m.address !== self.address).map((m) => [m.address, new MemberState(m)]))
  const listeners: ((m: MemberAddress, from: NodeState, to: NodeState) => void)[] = []
  const changed = (m: MemberState, old: NodeState) => {
    log.info('cluster member state changed', { member: m.member.address, from: old, to: m.state, error: m.lastError })
    for (const fn of listeners) fn(m.member, old, m.state)
  }
  const report = () => selfReport(source)
  const addresses = members.map((m) => m.address)
  const ourList = [...addresses].sort().join(',')
  const warned = new Set<string>()
  // Nodes configured with different member lists disagree on who is in the cluster (and, later, on who owns
  // which service): said once per sender, since they ping every 2 s.
  const warnIfListDiffers = (from: string, theirs: unknown) => {
    const list = Array.isArray(theirs) ? theirs.map(String).sort().join(',') : ''
    if (list === ourList && peers.has(from)) return
    if (warned.has(from)) return
    warned.add(from)
    log.warn(peers.has(from) ? 'a member has a different member list; give every node the same list' : 'a node not in our member list pinged us; give every node the same list', { from, theirs: list, ours: ourList })
  }
  let client: PeerClient | undefined
  let server: PeerServer | undefined
  let stopLoop = () => {}
  let wire: PeerWire | undefined
  const handlers: Record<string, PeerRequestHandler> = {}
  // Made with the cluster, not at start, so the metrics wired before start already read it.
  const traffic = plan.mode === 'cluster' ? new PeerTraffic() : undefined
  return {
    mode: plan.mode,
    self,
    selfView: () => memberView(self, 'UP', Date.now(), report(), 0),
    list: () => members.map((m) => {
      if (m.address === self.address) return memberView(self, 'UP', Date.now(), report(), 0)
      const s = peers.get(m.address)!
      return memberView(m, s.state, s.lastRefreshTime, s.report, s.failAccessCnt, s.lastError)
    }),
    upPeers: () => [...peers.values()].filter((s) => s.state === 'UP').map((s) => s.member),
    peers: () => [...peers.values()].map((s) => s.member),
    get client() {
      return client
    },
    traffic,
    onChange: (fn) => void listeners.push(fn),
    handle(type, handler) {
      if (server) throw new Error(`peer handler ${type} registered after start`)
      handlers[type] = handler
    },
    async start(transport) {
      if (plan.mode !== 'cluster') return
      const auth = new PeerAuth(plan.secret)
      const handler = createPeerHandler(auth, {
        ...handlers,
        // A ping proves the sender is alive: record its report as Nacos's ServerMemberManager.update does.
        ClusterPing: (body, from) => {
          const s = peers.get(from)
          warnIfListDiffers(from, body.members)
          const theirs = readReport(body.report)
          if (s && theirs) {
            const old = s.onSuccess(theirs, Date.now())
            if (old !== s.state) changed(s, old)
          }
          return { report: report() }
        },
      }, traffic)
      server = await transport.listen(self.port + PEER_PORT_OFFSET, handler)
      wire = transport.wire
      client = new PeerClient(wire, auth, self, traffic)
      stopLoop = startHealthLoop([...peers.values()], client, report, addresses, timing, changed)
      log.info('cluster mode: configs, users, namespaces and persistent instances on the shared database; ephemeral instances replicated between nodes', {
        self: self.address, members: members.map((m) => m.address), source: plan.source,
      })
    },
    async stop() {
      stopLoop()
      wire?.close()
      await server?.stop()
    },
  }
}

