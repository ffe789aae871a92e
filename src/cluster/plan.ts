import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ClusterSetupError, parseClusterConf, parseMemberList, type MemberAddress } from './members'
import { findSelf } from './self'

/** Nacos's cluster gRPC port offset (Constants.SDK_GRPC_PORT_DEFAULT_OFFSET 1000, CLUSTER 1001). */
export const PEER_PORT_OFFSET = 1001

/** The smallest shared secret accepted: it keys HMAC-SHA256, so less than its block of entropy weakens it. */
export const MIN_SECRET_BYTES = 32

/** How this node runs: alone, or as one member of a static list. */
export type ClusterPlan =
  | { mode: 'standalone' }
  | { mode: 'cluster'; members: MemberAddress[]; self: MemberAddress; secret: Uint8Array; source: string }

/** The cluster settings as the catalog parses them. */
export interface ClusterSettings {
  clusterMembers?: string
  clusterConf?: string
  clusterSelf?: string
  clusterSecret?: string
  authTokenSecret?: string
  dbUrl?: string
  dataDir: string
  httpPort: number
  host: string
}

/**
 * Works out the plan from settings: BNACOS_CLUSTER_MEMBERS, else the file BNACOS_CLUSTER_CONF, else
 * `<data dir>/cluster.conf` if present; none of them = standalone. Throws ClusterSetupError with the fix.
 */
export function resolveClusterPlan(s: ClusterSettings, localAddresses?: Set<string>): ClusterPlan {
  if (s.clusterMembers !== undefined && s.clusterConf !== undefined) {
    throw new ClusterSetupError('set either BNACOS_CLUSTER_MEMBERS or BNACOS_CLUSTER_CONF, not both')
  }
  let members: MemberAddress[] | undefined
  let source = ''
  if (s.clusterMembers !== undefined) {
    members = parseMemberList(s.clusterMembers)
    source = 'BNACOS_CLUSTER_MEMBERS'
  } else if (s.clusterConf !== undefined) {
    if (!existsSync(s.clusterConf)) throw new ClusterSetupError(`BNACOS_CLUSTER_CONF: file ${s.clusterConf} does not exist`)
    members = parseClusterConf(readFileSync(s.clusterConf, 'utf8'), s.clusterConf)
    source = s.clusterConf
  } else if (s.dataDir !== ':memory:' && existsSync(join(s.dataDir, 'cluster.conf'))) {
    source = join(s.dataDir, 'cluster.conf')
    members = parseClusterConf(readFileSync(source, 'utf8'), source)
  }
  if (!members) {
    if (s.clusterSelf !== undefined) throw new ClusterSetupError('BNACOS_CLUSTER_SELF is set but no member list is (BNACOS_CLUSTER_MEMBERS or a cluster.conf)')
    return { mode: 'standalone' }
  }
  if (members.length === 0) throw new ClusterSetupError(`${source}: the member list is empty; remove it to run standalone`)
  const secret = s.clusterSecret === undefined ? undefined : new TextEncoder().encode(s.clusterSecret)
  if (!secret) throw new ClusterSetupError(`cluster mode (${source}) requires BNACOS_CLUSTER_SECRET, the same on every node, at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 32)`)
  if (secret.length < MIN_SECRET_BYTES) throw new ClusterSetupError(`BNACOS_CLUSTER_SECRET must be at least ${MIN_SECRET_BYTES} bytes (it is ${secret.length})`)
  // Each node would otherwise sign tokens with its own generated key, so a console or SDK token from one node would
  // be refused by the next node a load balancer picks.
  if (!s.authTokenSecret) throw new ClusterSetupError(`cluster mode (${source}) requires BNACOS_AUTH_TOKEN_SECRET, the same on every node, so a token issued by one node is accepted by the others (e.g. openssl rand -base64 32)`)
  // Configs, users, namespaces and persistent instances live in one shared database: nodes each on their own
  // embedded SQLite would silently hold different data.
  if (!s.dbUrl) throw new ClusterSetupError(`cluster mode (${source}) requires BNACOS_DB_URL, one MySQL/MariaDB or PostgreSQL database shared by every node (e.g. mysql://nacos:secret@db:3306/nacos)`)
  const self = findSelf(members, { httpPort: s.httpPort, host: s.host, explicit: s.clusterSelf, localAddresses })
  return { mode: 'cluster', members, self, secret, source }
}
