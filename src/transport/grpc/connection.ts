import { log } from '../../shared/log'
import type { RawJson, RpcConnection } from '../../shared/rpc'
import { jsonPayload, type Payload } from './payload'

let nextRequestId = 1
const EMPTY = new Uint8Array(0)

/** What a ConnectionSetupRequest told us about the client. */
export interface SetupInfo {
  clientIp: string
  labels: Record<string, string>
  clientVersion: string
  tenant: string
  /** Whether the client sent an abilityTable (then it waits for our SetupAckRequest). */
  negotiates: boolean
}

/** Observes a finished push (metrics): its request type, whether the client acked it, and the time to the ack. */
export type PushObserver = (type: string, acked: boolean, ms: number) => void

/** A registered SDK connection: its bi-stream, pending push acks, and close callbacks. */
export class Connection implements RpcConnection {
  readonly clientIp: string
  readonly labels: Record<string, string>
  readonly clientVersion: string
  readonly tenant: string
  readonly createdAt = Date.now()
  lastActive = Date.now()
  /** Set while a ClientDetectionRequest awaits its answer. */
  probing = false
  open = true
  private pending = new Map<string, { resolve: (b: Record<string, unknown>) => void; reject: (e: Error) => void; timer: Timer }>()
  private closeFns: (() => void)[] = []
  /** Set by the server when metrics are on. */
  observePush?: PushObserver

  constructor(
    readonly id: string,
    readonly peer: string,
    setup: SetupInfo,
    private readonly send: (p: Payload) => void,
    private readonly endStream: () => void,
    private readonly serverIp: string,
  ) {
    this.clientIp = setup.clientIp
    this.labels = setup.labels
    this.clientVersion = setup.clientVersion
    this.tenant = setup.tenant
  }

  /** Sends a request that expects no ack (SetupAckRequest: the Java client never answers it). */
  sendOneWay(type: string, body: Record<string, unknown>) {
    if (!this.open) return
    this.send(jsonPayload(type, { headers: {}, ...body }, this.serverIp))
  }

  push(type: string, body: Record<string, unknown> | RawJson, timeoutMs = 3000): Promise<Record<string, unknown>> {
    if (!this.open) return Promise.reject(new Error('connection closed'))
    // Every server request carries "headers":{} and a requestId: Rust fails to parse a push without headers,
    // and acks are matched by requestId alone (Go acks ConfigChangeNotifyRequest with NotifySubscriberResponse).
    const requestId = String(nextRequestId++)
    const sent = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId)
        reject(new Error(`no ack for ${type} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(requestId, { resolve, reject, timer })
      if ('raw' in body && typeof body.raw === 'string') {
        // The envelope goes in front of the shared body without joining them: joining copied the whole ServiceInfo
        // once more per subscriber (3.5% of the server's CPU in the 1,000-connection register profile).
        if (body.raw === '{}') this.send({ type, clientIp: this.serverIp, headers: {}, body: EMPTY, json: `{"headers":{},"requestId":"${requestId}"}` })
        else this.send({ type, clientIp: this.serverIp, headers: {}, body: EMPTY, json: `{"headers":{},"requestId":"${requestId}",`, jsonTail: body.raw })
      } else this.send(jsonPayload(type, { headers: {}, ...body, requestId }, this.serverIp))
    })
    const observe = this.observePush
    if (observe) {
      const t0 = performance.now()
      sent.then(() => observe(type, true, performance.now() - t0), () => observe(type, false, performance.now() - t0))
    }
    return sent
  }

  /** Matches a client's response on the stream to the push it answers. */
  ack(requestId: string, body: Record<string, unknown>) {
    const p = this.pending.get(requestId)
    if (!p) return
    this.pending.delete(requestId)
    clearTimeout(p.timer)
    if (body.resultCode === undefined || body.resultCode === 200 || body.success === true) p.resolve(body)
    else p.reject(new Error(String(body.message ?? 'push failed')))
  }

  onClose(fn: () => void) {
    if (this.open) this.closeFns.push(fn)
    else fn()
  }

  /** Unregisters: runs close callbacks, fails pending pushes and ends the stream (the client reconnects). */
  close(reason: string) {
    if (!this.open) return
    this.open = false
    log.debug('connection closed', { connectionId: this.id, reason })
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(new Error('connection closed'))
    }
    this.pending.clear()
    for (const fn of this.closeFns.splice(0)) {
      try {
        fn()
      } catch (e) {
        log.warn('close callback failed', { connectionId: this.id, error: String(e) })
      }
    }
    this.endStream()
  }
}
