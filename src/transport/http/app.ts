import { Elysia, type AnyElysia } from 'elysia'
import { fail } from '../../shared/errors'
import { paramsOf, routeKey, type Params } from '../../shared/http'
import { errorResponse } from './errors'

/**
 * Assembles the HTTP app from feature plugins. Errors thrown anywhere are translated once, here; Elysia's own
 * errors (unknown route, unparsable body) become the same Nacos shapes.
 */
/** Checks a request before its handler (auth); throws a NacosError to refuse. */
export type HttpGuard = (request: Request, params: () => Params) => Promise<void>
/** Observes a handled request (audit): its `METHOD /path`, the request, the status and its parameters. */
export type HttpAfter = (key: string, request: Request, status: number, params: () => Params) => void

export function buildHttpApp(plugins: AnyElysia[], guard?: HttpGuard, after?: HttpAfter) {
  let app: AnyElysia = new Elysia()
    // Bodies are read as raw UTF-8 text whatever charset the client claims (the Node SDK says GBK) and parsed
    // by shared/http.ts, which merges them with the query string the servlet way. Multipart is left to Elysia.
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      if (contentType?.startsWith('multipart/')) return undefined
      return new TextDecoder('utf-8').decode(await request.arrayBuffer())
    })
    .onError({ as: 'global' }, ({ code, error, request }) => {
    const path = new URL(request.url).pathname
    if (code === 'NOT_FOUND') return errorResponse(fail.notFound(`no such API: ${request.method} ${path}`), path)
    if (code === 'PARSE') return errorResponse(fail.invalid('malformed request body'), path)
    if (code === 'VALIDATION') return errorResponse(fail.invalid(String((error as Error).message)), path)
    return errorResponse(error, path)
  })
  if (guard) app = app.onBeforeHandle({ as: 'global' }, async ({ request, body, server }) => {
    await guard(request, () => paramsOf({ request, body, server }))
  })
  if (after) app = app.onAfterHandle({ as: 'global' }, ({ request, body, server, response }) => {
    if (request.method === 'GET') return
    const status = response instanceof Response ? response.status : 200
    after(routeKey(request.method, request.url), request, status, () => paramsOf({ request, body, server }))
  })
  for (const p of plugins) app = app.use(p)
  return app.get('/', ({ redirect }) => redirect('/nacos/', 302))
}
