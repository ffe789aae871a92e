// A minimal Nacos gRPC client for tests: unary requests and the bi-stream, speaking the same Payload the
// SDKs speak through bnacos's own codec. It lets tests play the client roles the SDKs play (including
// orders and mistakes the SDKs make) and observe pushes.
import * as grpc from '@grpc/grpc-js'
import { decodePayload, encodePayload, jsonPayload, parseBody, type Payload } from '../../src/transport/grpc/payload'
import { AsyncQueue } from '../../src/transport/grpc/queue'

export type Body = Record<string, any>

export interface Received {
  type: string
  body: Body
}

export class TestClient {
  private client: grpc.Client
  private stream?: grpc.ClientDuplexStream<Payload, Payload>
  readonly pushes = new AsyncQueue<Received>()
  readonly seen: Received[] = []
  streamEnded = false

  constructor(readonly address: string) {
    // A private subchannel pool gives each TestClient its own HTTP/2 connection, as each SDK client has: the
    // server tells connections apart by transport, so two clients sharing one would be one connection.
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 })
  }

  /** Sends a raw Payload on the unary path and decodes the answer. */
  raw(p: Payload): Promise<Received> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest('/Request/request', encodePayload, (b: Buffer) => decodePayload(b), p, (err, res) => {
        if (err || !res) return reject(err ?? new Error('no response'))
        resolve({ type: res.type, body: parseBody(res) })
      })
    })
  }

  /** Sends arbitrary bytes on the unary path (a malformed Payload). */
  bytes(buf: Buffer): Promise<Received> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest('/Request/request', (b: Buffer) => b, (b: Buffer) => decodePayload(b), buf, (err, res) => {
        if (err || !res) return reject(err ?? new Error('no response'))
        resolve({ type: res.type, body: parseBody(res) })
      })
    })
  }

  /** A unary request of a Nacos type with a JSON body. */
  request(type: string, body: Body = {}, headers: Record<string, string> = {}): Promise<Received> {
    return this.raw({ ...jsonPayload(type, { headers: {}, ...body }, '127.0.0.1'), headers })
  }

  /** Opens the bi-stream; every server request lands in `pushes`. */
  openStream() {
    this.stream = this.client.makeBidiStreamRequest('/BiRequestStream/requestBiStream', encodePayload, (b: Buffer) => decodePayload(b))
    this.stream.on('data', (p: Payload) => {
      const r = { type: p.type, body: parseBody(p) }
      this.seen.push(r)
      this.pushes.push(r)
    })
    const done = () => {
      this.streamEnded = true
      this.pushes.end()
    }
    this.stream.on('end', done)
    this.stream.on('error', done)
  }

  /** Sends a message up the stream (setup, or an ack). */
  send(type: string, body: Body, clientIp = '127.0.0.1') {
    this.stream!.write(jsonPayload(type, { headers: {}, ...body }, clientIp))
  }

  /** ServerCheck, stream, ConnectionSetupRequest — the Java client's order; waits for SetupAck if negotiating. */
  async connect(opts: { tenant?: string; abilityTable?: Body | null; clientIp?: string; labels?: Body } = {}) {
    const check = await this.request('ServerCheckRequest', { module: 'internal' })
    this.openStream()
    const setup: Body = { clientVersion: 'Nacos-Test-Client:v1', tenant: opts.tenant ?? '', labels: { source: 'sdk', module: 'config', ...opts.labels } }
    if (opts.abilityTable !== null) setup.abilityTable = opts.abilityTable ?? { supportPersistentInstanceByGrpc: true }
    this.send('ConnectionSetupRequest', setup, opts.clientIp)
    if (setup.abilityTable) {
      const ack = await this.nextPush(2000)
      if (ack.type !== 'SetupAckRequest') throw new Error(`expected SetupAckRequest, got ${ack.type}`)
    } else await Bun.sleep(100)
    return check
  }

  /** Waits for the next server request on the stream. */
  async nextPush(timeoutMs = 3000): Promise<Received> {
    const it = this.pushes[Symbol.asyncIterator]()
    const timeout = Bun.sleep(timeoutMs).then(() => 'timeout' as const)
    const r = await Promise.race([it.next(), timeout])
    if (r === 'timeout') throw new Error(`no push within ${timeoutMs} ms`)
    if (r.done) throw new Error('stream ended')
    return r.value
  }

  /** Answers a push the way SDKs do: a response carrying the push's requestId. */
  ack(push: Received, type = push.type.replace(/Request$/, 'Response')) {
    this.send(type, { requestId: push.body.requestId, resultCode: 200, errorCode: 0, success: true })
  }

  close() {
    try {
      this.stream?.end()
    } catch {}
    this.client.close()
  }
}
