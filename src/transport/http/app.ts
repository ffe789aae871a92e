import { Elysia, type AnyElysia } from 'elysia'
import { fail } from '../../shared/errors'
import { paramsOf, routeKey, type Params } from '../../shared/http'
import { errorResponse } from './errors'

/** Checks a request before its handler (auth); throws a NacosError to refuse. */
export type HttpGuard = (request: Request, params: () => Params) => Promise<void>
/** Observes a handled request (audit): its `METHOD /path`, the request, the status and its parameters. */
export type HttpAfter = (key: string, request: Request, status: number, params: () => Params) => void

/** Observes every answered request (metrics, access log): method, matched route pattern, status, duration, client IP. */
export type HttpObserver = (o: { method: string; route: string; path: string; status: number; ms: number; ip: string }) => void

/**
 * Assembles the HTTP app from feature plugins. Errors thrown anywhere are translated once, here; Elysia's own
 * errors (unknown route, unparsable body) become the same Nacos shapes.
 */
export function buildHttpApp(plugins: AnyElysia[], guard?: HttpGuard, after?: HttpAfter, observe?: HttpObserver) {
  // Start time and (for errors) the status of the reply onError built, per request, for `observe`.
  const started = new WeakMap<Request, { t0: number; ip: string }>()
  const errorStatus = new WeakMap<Request, number>()
  let app: AnyElysia = new Elysia()
    // Bodies are read as raw UTF-8 text whatever charset the client claims (the Node SDK says GBK) and parsed
    // by shared/http.ts, which merges them with the query string the servlet way. Multipart is left to Elysia.
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      if (contentType?.startsWith('multipart/')) return undefined
      return new TextDecoder('utf-8').decode(await request.arrayBuffer())
    })
    .onError({ as: 'global' }, ({ code, error, request }) => {
    const path = new URL(request.url).pathname
    const reply = (e: unknown) => {
      const r = errorResponse(e, path)
      if (observe) errorStatus.set(request, r.status)
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
    // The socket address is gone once the reply is sent: read it on arrival.
    app = app.onRequest(({ request, server }) => void started.set(request, { t0: performance.now(), ip: server?.requestIP(request)?.address ?? '' }))
    app = app.onAfterResponse({ as: 'global' }, ({ request, route, set, responseValue }) => {
      const start = started.get(request)
      // `route` is the matched pattern (`/nacos/v1/ns/instance`, `/nacos/*`), so labels stay bounded; unmatched
      // paths are one label, never the raw URL.
      const status = errorStatus.get(request) ?? (responseValue instanceof Response ? responseValue.status : typeof set.status === 'number' ? set.status : 200)
      const url = request.url
      const q = url.indexOf('?')
      const path = url.slice(url.indexOf('/', url.indexOf('//') + 2), q < 0 ? undefined : q)
      observe({ method: request.method, route: route || '(unmatched)', path, status, ms: start ? performance.now() - start.t0 : 0, ip: start?.ip ?? '' })
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
