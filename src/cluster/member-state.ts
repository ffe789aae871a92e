import type { MemberAddress } from './members'
import type { NodeReport } from './report'

/** Nacos's NodeState: a member's life-cycle state as this node sees it. */
export type NodeState = 'STARTING' | 'UP' | 'SUSPICIOUS' | 'DOWN' | 'ISOLATION'

/** Failed pings after which a SUSPICIOUS member is DOWN (Nacos: nacos.core.member.fail-access-cnt, 3). */
export const MAX_FAIL_ACCESS = 3

/** What this node knows about one member: its state, failures in a row, and what it last reported. */
export class MemberState {
  state: NodeState = 'STARTING'
  failAccessCnt = 0
  /** When this node last heard from the member (a ping answered, or a ping received), in ms. */
  lastRefreshTime = 0
  /** The member's last own report (version, load). */
  report: NodeReport | undefined
  /** Why the last ping failed, for the operator. */
  lastError: string | undefined

  constructor(readonly member: MemberAddress) {}

  /** The member answered or called us with a valid signature (Nacos MemberUtil.onSuccess). */
  onSuccess(report: NodeReport, now: number): NodeState {
    const old = this.state
    this.state = 'UP'
    this.failAccessCnt = 0
    this.lastRefreshTime = now
    this.report = report
    this.lastError = undefined
    return old
  }

  /**
   * A ping failed (Nacos MemberUtil.onFail): SUSPICIOUS at once, DOWN once failures pass the limit or the peer
   * refused the connection outright (nothing listens: the process is gone).
   */
  onFail(error: string): NodeState {
    const old = this.state
    this.failAccessCnt++
    this.lastError = error
    this.state = this.failAccessCnt > MAX_FAIL_ACCESS || /ECONNREFUSED|connection refused/i.test(error) ? 'DOWN' : 'SUSPICIOUS'
    return old
  }
}
