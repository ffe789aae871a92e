import { log } from '../../shared/log'
import type { RpcAfter, RpcFilter, RpcHandlers } from '../../shared/rpc'
import { UNPARSABLE } from './definitions'
import { BAD_GATEWAY, errorToBody, failureBody, NO_HANDLER, UNREGISTERED } from './errors'
import { jsonPayload, parseBody, type Payload } from './payload'
import type { ConnectionRegistry } from './registry'

export type { RpcFilter } from '../../shared/rpc'

/** Answers unary requests: the connection-level ones itself, business ones through the feature handlers. */
export function createDispatcher(registry: ConnectionRegistry, handlers: RpcHandlers, serverIp: string, filters: RpcFilter[] = [], accepting: () => boolean = () => true, after?: RpcAfter) {
  const reply = (type: string, body: Record<string, unknown>) => jsonPayload(type, body, serverIp)
  const ok = (type: string, body: Record<string, unknown> = {}) => reply(type, { ...body, resultCode: 200, errorCode: 0, success: true })
  // Nacos ErrorResponse.build(code, msg) → setErrorInfo: resultCode FAIL (500), errorCode = code.
  const error = (code: number, message: string) => reply('ErrorResponse', failureBody(code, message))

  return async function dispatch(p: Payload, peer: string): Promise<Payload> {
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
      return reply(handler.responseType, { ...handler.failureDefaults, ...errorToBody(e) })
    }
  }
}
