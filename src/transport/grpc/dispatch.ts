import { log } from '../../shared/log'
import type { RpcAfter, RpcFilter, RpcHandlers } from '../../shared/rpc'
import { UNPARSABLE } from './definitions'
import { BAD_GATEWAY, errorToBody, failureBody, NO_HANDLER, UNREGISTERED } from './errors'
import { parseBody, rawPayload, type Payload } from './payload'
import type { ConnectionRegistry } from './registry'

export type { RpcFilter } from '../../shared/rpc'

/** Observes each answered unary request (metrics): its type, the Nacos code answered (200 or errorCode), the time taken. */
export type RpcObserver = (type: string, code: number, ms: number) => void

const SUCCESS = '"resultCode":200,"errorCode":0,"success":true}'

/**
 * The JSON of `{ ...body, resultCode: 200, errorCode: 0, success: true }` without copying the body into a new
 * object: the success fields are appended to the body's own JSON (the same text, key order included). A body that
 * carries one of those keys itself goes through the spread, where its own position is kept.
 */
function successJson(body: Record<string, unknown>): string {
  if (Object.hasOwn(body, 'resultCode') || Object.hasOwn(body, 'errorCode') || Object.hasOwn(body, 'success')) {
    return JSON.stringify({ ...body, resultCode: 200, errorCode: 0, success: true })
  }
  const json = JSON.stringify(body)
  return json === '{}' ? `{${SUCCESS}` : `${json.slice(0, -1)},${SUCCESS}`
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | undefined)?.then === 'function'

/**
 * Answers unary requests: the connection-level ones itself, business ones through the feature handlers. An answer
 * that needs no await is returned as is, not wrapped in promises (each request used to cost two async frames).
 */
export function createDispatcher(registry: ConnectionRegistry, handlers: RpcHandlers, serverIp: string, filters: RpcFilter[] = [], accepting: () => boolean = () => true, after?: RpcAfter, observe?: RpcObserver) {
  const ok = (type: string, body: Record<string, unknown> = {}) => rawPayload(type, successJson(body), serverIp)
  // Nacos ErrorResponse.build(code, msg) → setErrorInfo: resultCode FAIL (500), errorCode = code.
  // The Nacos code of each failure reply is kept on it for `observe` (successes are 200).
  const failed = (type: string, body: Record<string, unknown>, code: number): Payload => ({ ...rawPayload(type, JSON.stringify(body), serverIp), code })
  const error = (code: number, message: string) => failed('ErrorResponse', failureBody(code, message), code)

  if (!observe) return answer
  const done = (p: Payload, t0: number, out: Payload): Payload => {
    // Label by request type only when we serve it, so unknown or garbled types cannot grow the label set.
    const type = p.type === 'ServerCheckRequest' || p.type === 'HealthCheckRequest' || handlers[p.type] ? p.type : '(unknown)'
    observe(type, out.code ?? 200, performance.now() - t0)
    return out
  }
  return function observed(p: Payload, peer: string): Payload | Promise<Payload> {
    const t0 = performance.now()
    const out = answer(p, peer)
    return out instanceof Promise ? out.then((o) => done(p, t0, o)) : done(p, t0, out)
  }

  function answer(p: Payload, peer: string): Payload | Promise<Payload> {
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
    const fail = (e: unknown): Payload => {
      if (log.enabled('debug')) log.debug('grpc request failed', { type: p.type, error: String(e) })
      const out = errorToBody(e)
      return failed(handler.responseType, { ...handler.failureDefaults, ...out }, Number(out.errorCode))
    }
    const handle = (): Payload | Promise<Payload> => {
      const out = handler.handle({ body, headers, connection: conn })
      return isThenable(out) ? Promise.resolve(out).then(succeed) : succeed(out)
    }
    const succeed = (out: Record<string, unknown>): Payload => {
      after?.(p.type, body, conn.clientIp)
      return ok(handler.responseType, out)
    }
    try {
      const pending = runFilters(filters, 0, p.type, headers, body)
      const out = pending ? pending.then(handle) : handle()
      return out instanceof Promise ? out.catch(fail) : out
    } catch (e) {
      return fail(e)
    }
  }
}

/** Runs the filters in order; a promise only once one of them is asynchronous (auth), else undefined. */
function runFilters(filters: RpcFilter[], from: number, type: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<void> | undefined {
  for (let i = from; i < filters.length; i++) {
    const r = filters[i](type, headers, body)
    if (isThenable(r)) return Promise.resolve(r).then(() => runFilters(filters, i + 1, type, headers, body))
  }
  return undefined
}
