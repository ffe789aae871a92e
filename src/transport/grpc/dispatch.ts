import { log } from '../../shared/log'
import type { RpcAfter, RpcFilter, RpcHandlers } from '../../shared/rpc'
import { UNPARSABLE } from './definitions'
import { BAD_GATEWAY, errorToBody, failureBody, NO_HANDLER, UNREGISTERED } from './errors'
import { jsonPayload, parseBody, type Payload } from './payload'
import type { ConnectionRegistry } from './registry'

export type { RpcFilter } from '../../shared/rpc'

/** Answers unary requests: the connection-level ones itself, business ones through the feature handlers. */
/** Observes each answered unary request (metrics): its type, the Nacos code answered (200 or errorCode), the time taken. */
export type RpcObserver = (type: string, code: number, ms: number) => void

export function createDispatcher(registry: ConnectionRegistry, handlers: RpcHandlers, serverIp: string, filters: RpcFilter[] = [], accepting: () => boolean = () => true, after?: RpcAfter, observe?: RpcObserver) {
  const reply = (type: string, body: Record<string, unknown>) => jsonPayload(type, body, serverIp)
  const ok = (type: string, body: Record<string, unknown> = {}) => reply(type, { ...body, resultCode: 200, errorCode: 0, success: true })
  // Nacos ErrorResponse.build(code, msg) → setErrorInfo: resultCode FAIL (500), errorCode = code.
  // The Nacos code of each failure reply, for `observe` (successes are 200).
  const lastCode = new WeakMap<Payload, number>()
  const failed = (out: Payload, code: number) => (lastCode.set(out, code), out)
  const error = (code: number, message: string) => failed(reply('ErrorResponse', failureBody(code, message)), code)

  if (!observe) return answer
  return async function observed(p: Payload, peer: string): Promise<Payload> {
    const t0 = performance.now()
    const out = await answer(p, peer)
    // Label by request type only when we serve it, so unknown or garbled types cannot grow the label set.
    const type = p.type === 'ServerCheckRequest' || p.type === 'HealthCheckRequest' || handlers[p.type] ? p.type : '(unknown)'
    const code = lastCode.get(out) ?? 200
    observe(type, code, performance.now() - t0)
    return out
  }

  async function answer(p: Payload, peer: string): Promise<Payload> {
    if (p.type === UNPARSABLE) return error(BAD_GATEWAY, 'payload is not a valid Nacos Payload')
    // While stopping, new connections are refused the way Java Nacos refuses them while starting (300
    // INVALID_SERVER_STATUS), so clients go to another server instead of connecting to one about to close.
    if (p.type === 'ServerCheckRequest' && !accepting()) return error(300, 'server is stopping')
    // ServerCheck comes before the stream exists; its connectionId is reused when the stream sets up.
    if (p.type === 'ServerCheckRequest') return ok('ServerCheckResponse', { connectionId: registry.idFor(peer), supportAbilityNegotiation: true })
    const conn = registry.get(peer)
    if (p.type === 'HealthCheckRequest') {
      if (!conn) return error(UNREGISTERED, 'Connection is unregistered.')
      conn.lastActive = Date.now()
      return ok('HealthCheckResponse')
    }
    const handler = handlers[p.type]
    if (!handler) return error(NO_HANDLER, `RequestHandler Not Found: ${p.type}`)
    if (!conn) return error(UNREGISTERED, 'Connection is unregistered.')
    conn.lastActive = Date.now()
    let body: Record<string, unknown>
    try {
      body = parseBody(p)
    } catch {
      return error(BAD_GATEWAY, `body of ${p.type} is not valid JSON`)
    }
    // The Java client moves headers into Metadata.headers and sends an empty "headers":{} in the body.
    const bodyHeaders = body.headers && typeof body.headers === 'object' ? (body.headers as Record<string, string>) : {}
    const headers = { ...bodyHeaders, ...p.headers }
    try {
      for (const f of filters) await f(p.type, headers, body)
      const out = await handler.handle({ body, headers, connection: conn })
      after?.(p.type, body, conn.clientIp)
      return ok(handler.responseType, out)
    } catch (e) {
      if (log.enabled('debug')) log.debug('grpc request failed', { type: p.type, error: String(e) })
      const body = errorToBody(e)
      return failed(reply(handler.responseType, { ...handler.failureDefaults, ...body }), Number(body.errorCode))
    }
  }
}
