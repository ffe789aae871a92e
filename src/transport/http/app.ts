import { Elysia, type AnyElysia } from 'elysia'
import { fail } from '../../shared/errors'
import { paramsOf, routeKey, type Params } from '../../shared/http'
import { errorResponse } from './errors'

/** Checks a request before its handler (auth); throws a NacosError to refuse. */
export type HttpGuard = (request: Request, params: () => Params) => Promise<void>
/** Observes a handled request (audit): its `METHOD /path`, the request, the status and its parameters. */
export type HttpAfter = (key: string, request: Request, status: number, params: () => Params) => void

/**
 * Observes every answered request (metrics, access log): method, matched route pattern, status, duration, and
 * with `needsClient` the request path and client IP (left '' otherwise: only the access log reads them).
 */
export type HttpObserver = ((o: { method: string; route: string; path: string; status: number; ms: number; ip: string }) => void) & { needsClient?: boolean }

/** What the observer hooks keep on Elysia's per-request context (the same object from onRequest to the reply). */
interface Observed {
  observeT0?: number
  observeIp?: string
}

/**
 * Assembles the HTTP app from feature plugins. Errors thrown anywhere are translated once, here; Elysia's own
 * errors (unknown route, unparsable body) become the same Nacos shapes.
 */
export function buildHttpApp(plugins: AnyElysia[], guard?: HttpGuard, after?: HttpAfter, observe?: HttpObserver) {
  /**
   * Reports one answered request to `observe`. Hooks hand it values, never Elysia's context itself: a context
   * passed to a function makes Elysia (sucrose) assume every part is read and parse the query string, headers
   * and cookies of every request.
   */
  const record = (request: Request, route: string | undefined, t0: number | undefined, ip: string | undefined, status: number) => {
    let path = ''
    if (observe!.needsClient) {
      const url = request.url
      const q = url.indexOf('?')
      path = url.slice(url.indexOf('/', url.indexOf('//') + 2), q < 0 ? undefined : q)
    }
    // `route` is the matched pattern (`/nacos/v1/ns/instance`, `/nacos/*`), so labels stay bounded; unmatched
    // paths are one label, never the raw URL.
    observe!({ method: request.method, route: route || '(unmatched)', path, status, ms: t0 !== undefined ? performance.now() - t0 : 0, ip: ip ?? '' })
  }
  let app: AnyElysia = new Elysia()
    // Bodies are read as raw UTF-8 text whatever charset the client claims (the Node SDK says GBK) and parsed
    // by shared/http.ts, which merges them with the query string the servlet way. Multipart is left to Elysia.
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      if (contentType?.startsWith('multipart/')) return undefined
      return new TextDecoder('utf-8').decode(await request.arrayBuffer())
    })
    .onError({ as: 'global' }, (ctx) => {
    const { code, error, request, route } = ctx
    const { observeT0, observeIp } = ctx as unknown as Observed
    const path = new URL(request.url).pathname
    const reply = (e: unknown) => {
      const r = errorResponse(e, path)
      if (observe) record(request, route, observeT0, observeIp, r.status)
      return r
    }
    if (code === 'NOT_FOUND') return reply(fail.notFound(`no such API: ${request.method} ${path}`))
    if (code === 'PARSE') return reply(fail.invalid('malformed request body'))
    if (code === 'VALIDATION') return reply(fail.invalid(String((error as Error).message)))
    return reply(error)
  })
  if (guard) app = app.onBeforeHandle({ as: 'global' }, async ({ request, body, server }) => {
    await guard(request, () => paramsOf({ request, body, server }))
  })
  if (after) app = app.onAfterHandle({ as: 'global' }, ({ request, body, server, response }) => {
    if (request.method === 'GET') return
    const status = response instanceof Response ? response.status : refusedCode(response) ?? 200
    after(routeKey(request.method, request.url), request, status, () => paramsOf({ request, body, server }))
  })
  if (observe) {
    // Read on arrival: the socket address is gone once the reply is sent. Only for an observer that reads it
    // (the access log): Bun's requestIP was 12% of the HTTP config query's CPU in the issue 7 profile, for
    // metrics that never look at it. The start time rides on Elysia's context rather than in a WeakMap.
    app = app.onRequest((ctx) => {
      const o = ctx as Observed
      o.observeT0 = performance.now()
      if (observe.needsClient) o.observeIp = ctx.server?.requestIP(ctx.request)?.address ?? ''
    })
    // Recorded once the handler has answered (errors: in onError above) rather than in onAfterResponse, which
    // Elysia runs from a setImmediate and an async closure per request (~7% of the config query's CPU).
    app = app.onAfterHandle({ as: 'global' }, (ctx) => {
      const { request, route, set, responseValue } = ctx
      const { observeT0, observeIp } = ctx as unknown as Observed
      record(request, route, observeT0, observeIp, responseValue instanceof Response ? responseValue.status : typeof set.status === 'number' ? set.status : 200)
    })
  }
  for (const p of plugins) app = app.use(p)
  return app.get('/', ({ redirect }) => redirect('/nacos/', 302))
}

/**
 * The code of a refusal sent with HTTP 200: Nacos answers some operations (config import and clone,
 * ConfigController) with a RestResult whose `code` is not 200 — 0 is success in the v2 envelope.
 */
function refusedCode(body: unknown): number | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const code = (body as { code?: unknown }).code
  return typeof code === 'number' && code !== 200 && code !== 0 ? code : undefined
}
