import type { NodeState } from './member-state'
import type { MemberAddress } from './members'
import { PEER_PORT_OFFSET } from './plan'
import type { NodeReport } from './report'

/** A member as Nacos's /v1/core/cluster/nodes shows it (com.alibaba.nacos.core.cluster.Member). */
export interface MemberView {
  ip: string
  port: number
  state: NodeState
  address: string
  extendInfo: Record<string, unknown>
  failAccessCnt: number
  abilities: Record<string, unknown>
}

/** Nacos 2.x ServerAbilities as members advertise them; bnacos speaks the gRPC protocol and no Raft. */
const ABILITIES = {
  remoteAbility: { supportRemoteConnection: true, grpcReportEnabled: true },
  configAbility: { supportRemoteMetrics: false },
  namingAbility: { supportJraft: false },
}

/** Builds the Member JSON: the address, state and failures, and the member's last report as extendInfo. */
export function memberView(m: MemberAddress, state: NodeState, lastRefreshTime: number, report: NodeReport | undefined, failAccessCnt: number, lastError?: string): MemberView {
  return {
    ip: m.ip,
    port: m.port,
    state,
    address: m.address,
    extendInfo: {
      lastRefreshTime,
      clusterPort: m.port + PEER_PORT_OFFSET,
      ...(report ?? {}),
      ...(lastError ? { lastError } : {}),
    },
    failAccessCnt,
    abilities: ABILITIES,
  }
}
