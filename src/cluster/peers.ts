import { PEER_ERROR, type PeerMessage, type PeerWire } from '../shared/peer'
import { AUTH_HEADERS, type PeerAuth } from './peer-auth'
import { PEER_PORT_OFFSET } from './plan'
import type { MemberAddress } from './members'
import { readReport, type NodeReport } from './report'
import { bodyBytes, failureOutcome, type PeerTraffic } from './traffic'

/** A peer answered with an error (refused auth, unknown message, failure on its side). */
export class PeerCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'PeerCallError'
  }
}

/** The cluster port of a member: its HTTP port + 1001. */
export function peerTarget(m: MemberAddress): string {
  const port = m.port + PEER_PORT_OFFSET
  return m.ip.includes(':') ? `[${m.ip}]:${port}` : `${m.ip}:${port}`
}

/** Parses a message body as a JSON object. */
export function bodyObject(body: string | Uint8Array): Record<string, unknown> {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  const v: unknown = text ? JSON.parse(text) : {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body is not a JSON object')
  return v as Record<string, unknown>
}

/** Typed, signed calls to other members; every answer is checked to come from a holder of the secret. */
export class PeerClient {
  constructor(
    private readonly wire: PeerWire,
    private readonly auth: PeerAuth,
    private readonly self: MemberAddress,
    /** Where each call's type, outcome, duration and bytes are counted (the cluster's; none in bare tests). */
    private readonly traffic?: PeerTraffic,
  ) {}

  /**
   * Sends one message and returns the verified answer body; throws PeerCallError or a transport error. By default
   * it waits (up to the timeout) for a connection being re-established, so a peer that just came back is reached.
   */
  async call(member: MemberAddress, type: string, body: Record<string, unknown>, timeoutMs: number, waitForReady = true): Promise<Record<string, unknown>> {
    const json = JSON.stringify(body)
    const headers = this.auth.signRequest(type, this.self.address, json)
    const started = performance.now()
    let res: PeerMessage
    try {
      res = await this.wire.call(peerTarget(member), { type, headers, body: json }, timeoutMs, waitForReady)
    } catch (e) {
      this.traffic?.sent(type, failureOutcome(e), performance.now() - started, bodyBytes(json), 0)
      throw e
    }
    // Everything past here is the peer's answer: a refusal, a forged or unreadable answer counts as an error.
    let outcome: 'ok' | 'error' = 'error'
    try {
      const answer = this.verified(member, type, headers[AUTH_HEADERS.nonce], res)
      outcome = 'ok'
      return answer
    } finally {
      this.traffic?.sent(type, outcome, performance.now() - started, bodyBytes(json), bodyBytes(res.body))
    }
  }

  /** Checks an answer: a peer's ErrorResponse becomes a PeerCallError, anything else must be signed over our nonce. */
  private verified(member: MemberAddress, type: string, nonce: string, res: PeerMessage): Record<string, unknown> {
    if (res.type === PEER_ERROR) {
      // Not verified: a peer with another secret cannot sign, and a forged error only fails this call.
      let e: Record<string, unknown> = {}
      try {
        e = bodyObject(res.body)
      } catch {}
      throw new PeerCallError(Number(e.errorCode) || 500, `${member.address} refused ${type}: ${String(e.message ?? 'unknown error')}`)
    }
    this.auth.verifyResponse(res.type, nonce, res.headers, res.body)
    return bodyObject(res.body)
  }

  /**
   * ClusterPing: tells the member our report and member list, returns its report. Fails fast, so a refused
   * connection reads as DOWN at once rather than as a timeout.
   */
  async ping(member: MemberAddress, report: NodeReport, members: string[], timeoutMs: number): Promise<NodeReport> {
    const answer = await this.call(member, 'ClusterPing', { report, members }, timeoutMs, false)
    const theirs = readReport(answer.report)
    if (!theirs) throw new PeerCallError(500, `${member.address} answered ClusterPing without a report`)
    return theirs
  }
}
