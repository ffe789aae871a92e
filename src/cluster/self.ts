import { hostname, networkInterfaces } from 'node:os'
import { ClusterSetupError, parseMember, type MemberAddress } from './members'

/** What a node knows about itself when looking for its own entry in the member list. */
export interface SelfHints {
  /** The HTTP port this node serves. */
  httpPort: number
  /** The bind address (BNACOS_HOST); a specific address narrows the search, 0.0.0.0/:: does not. */
  host: string
  /** BNACOS_CLUSTER_SELF, when the operator names the entry outright. */
  explicit?: string
  /** Addresses of this machine; defaults to every interface address plus the host name. */
  localAddresses?: Set<string>
}

/** Every address this machine answers on: interface addresses, `localhost` and the host name. */
export function machineAddresses(): Set<string> {
  const out = new Set<string>(['localhost', hostname().toLowerCase()])
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address.toLowerCase())
  return out
}

/** Whether `ip` is this machine: a listed address, or anywhere in 127.0.0.0/8 (Linux routes all of it to lo). */
function isLocal(ip: string, local: Set<string>): boolean {
  return local.has(ip) || /^127\./.test(ip) || ip === '::1'
}

const WILDCARD = new Set(['0.0.0.0', '::', ''])

/**
 * Finds this node's entry (Nacos: ServerMemberManager matches `InetUtils.getSelfIP():port`). BNACOS_CLUSTER_SELF
 * wins; otherwise the entry with this node's HTTP port whose address is this machine — and, when the server binds
 * one address, that address (three nodes on 127.0.0.1/.2/.3 with one port are told apart by their bind address).
 */
export function findSelf(members: MemberAddress[], hints: SelfHints): MemberAddress {
  const listed = members.map((m) => m.address).join(', ')
  if (hints.explicit) {
    const want = parseMember(hints.explicit, 'BNACOS_CLUSTER_SELF')
    const hit = members.find((m) => m.address === want.address)
    if (!hit) throw new ClusterSetupError(`BNACOS_CLUSTER_SELF=${want.address} is not in the member list (${listed})`)
    if (hit.port !== hints.httpPort) throw new ClusterSetupError(`BNACOS_CLUSTER_SELF=${want.address} names port ${hit.port} but this node serves HTTP on ${hints.httpPort}`)
    return hit
  }
  const local = hints.localAddresses ?? machineAddresses()
  let found = members.filter((m) => m.port === hints.httpPort && isLocal(m.ip, local))
  const host = hints.host.toLowerCase()
  if (found.length > 1 && !WILDCARD.has(host)) found = found.filter((m) => m.ip === host)
  if (found.length === 1) return found[0]
  if (found.length === 0) {
    throw new ClusterSetupError(`this node (HTTP port ${hints.httpPort}) is not in the member list (${listed}); list one of this machine's addresses with that port, or set BNACOS_CLUSTER_SELF`)
  }
  throw new ClusterSetupError(`several members could be this node (${found.map((m) => m.address).join(', ')}); set BNACOS_HOST to one of them or BNACOS_CLUSTER_SELF`)
}
