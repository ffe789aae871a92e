import { fail } from './errors'

/**
 * Request parameters the Nacos way: query string and urlencoded form body merged (for every method,
 * DELETE and PUT included — Node and Go send forms there), decoded as UTF-8 whatever charset the client
 * claims (the Node client says GBK), plus case-insensitive headers.
 */
export class Params {
  private ip: string | undefined

  constructor(
    /** The raw query string, without `?`: scanned per `get` rather than parsed (see queryParam). */
    private readonly query: string,
    /** The urlencoded body; undefined when there is none (reads skip it). */
    private readonly form: URLSearchParams | undefined,
    private readonly request: Request,
    private readonly socketIpOf: (() => string | undefined) | undefined,
  ) {}

  /** The request headers, looked up on first use: most reads never touch them. */
  get headers(): Headers {
    return this.request.headers
  }

  /** The peer address of the TCP connection itself, ignoring any forwarding headers a client can set. */
  get socketIp(): string {
    return this.socketIpOf?.() ?? ''
  }

  /** The client's address, worked out only when a route needs it (reads are the hot path). */
  get clientIp(): string {
    return (this.ip ??= remoteIp(this.request, this.socketIpOf?.()))
  }

  /** A parameter; the query string wins over the form body, as servlet getParameter does. */
  get(name: string): string | undefined {
    return queryParam(this.query, name) ?? this.form?.get(name) ?? undefined
  }

  /** The first present of several parameter names (legacy aliases such as `tenant`/`namespaceId`). */
  first(...names: string[]): string | undefined {
    for (const n of names) {
      const v = this.get(n)
      if (v !== undefined) return v
    }
    return undefined
  }

  /** A required parameter; blank counts as missing. */
  need(name: string): string {
    const v = this.get(name)
    if (v === undefined || v.trim() === '') throw fail.missing(name)
    return v
  }

  /** An integer parameter; malformed input is a clear 400, not NaN downstream. */
  int(name: string): number | undefined {
    const v = this.get(name)?.trim()
    if (v === undefined || v === '') return undefined
    if (!/^-?\d+$/.test(v)) throw fail.invalid(`Parameter '${name}' must be an integer`)
    return Number(v)
  }

  /** A boolean parameter (see parseBool); undefined when absent or unreadable. */
  bool(name: string): boolean | undefined {
    return parseBool(this.get(name))
  }

  header(name: string): string | undefined {
    return this.headers.get(name) ?? undefined
  }
}

const TRUE = new Set(['true', 'yes', 'on', 'y', 't', '1'])
const FALSE = new Set(['false', 'no', 'off', 'n', 'f', '0'])

/**
 * Reads a boolean the way Nacos's ConvertUtils.toBoolean does: case-insensitive (Python sends `True`), with
 * yes/on/y/t/1 and their opposites; blank or anything else gives `fallback`.
 */
export function parseBool(value: unknown, fallback: boolean): boolean
export function parseBool(value: unknown, fallback?: boolean): boolean | undefined
export function parseBool(value: unknown, fallback?: boolean): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return fallback
  const v = value.trim().toLowerCase()
  return TRUE.has(v) ? true : FALSE.has(v) ? false : fallback
}

/** The client's address: X-Forwarded-For / X-Real-IP first, as Nacos RequestUtil.getRemoteIp does. */
function remoteIp(request: Request, socketIp: string | undefined): string {
  const xff = request.headers.get('x-forwarded-for')
  if (xff) return xff.split(',')[0].trim()
  return request.headers.get('x-real-ip') ?? socketIp ?? ''
}

/** Builds Params from a request and its body as the transport read it (raw text, or a parsed multipart form). */
export function readParams(request: Request, body: unknown, socketIp?: () => string | undefined): Params {
  // Slicing the query off the URL is much cheaper than a full `new URL` on every request.
  const url = request.url
  const q = url.indexOf('?')
  const query = q >= 0 ? url.slice(q + 1) : ''
  let form: URLSearchParams | undefined
  if (typeof body === 'string' && body) {
    if (!(request.headers.get('content-type') ?? '').includes('json')) form = new URLSearchParams(body)
  } else if (body && typeof body === 'object' && !(body instanceof Uint8Array)) {
    form = new URLSearchParams()
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form.append(k, v)
  }
  return new Params(query, form, request, socketIp)
}

const decode = (s: string) => (s.includes('%') || s.includes('+') ? decodeURIComponent(s.replaceAll('+', ' ')) : s)

/**
 * One parameter of a query string, read on demand: scans for `name=` without splitting or allocating, which is
 * what the hot config read needs (a handful of lookups). First value wins, as URLSearchParams.get does; a
 * malformed escape is kept as it came rather than failing the request.
 */
function queryParam(qs: string, name: string): string | null {
  if (!qs) return null
  let from = 0
  for (;;) {
    const at = qs.indexOf(name, from)
    if (at < 0) return null
    const end = at + name.length
    if ((at === 0 || qs.charCodeAt(at - 1) === 38) && (end === qs.length || qs.charCodeAt(end) === 61 || qs.charCodeAt(end) === 38)) {
      if (end === qs.length || qs.charCodeAt(end) === 38) return ''
      const stop = qs.indexOf('&', end + 1)
      const raw = qs.slice(end + 1, stop < 0 ? qs.length : stop)
      try {
        return decode(raw)
      } catch {
        return raw
      }
    }
    from = at + 1
  }
}

/** A v2/v3 success envelope `{code:0,message:"success",data}` (Nacos Result.success). */
export function envelope(data: unknown): Response {
  return Response.json({ code: 0, message: 'success', data })
}

/** A plain-text v1 reply (`ok`, `true`). */
export function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain;charset=UTF-8' } })
}

/** A v1 JSON reply. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status })
}

/** The content type Response.json sets, shared by replies whose JSON is already serialised. */
const JSON_HEADERS = new Headers({ 'content-type': 'application/json;charset=utf-8' })

/** A v1 JSON reply from JSON text serialised earlier (cached); on the wire the same as `json`. */
export function jsonText(body: string): Response {
  return new Response(body, { headers: JSON_HEADERS })
}

/** What a feature's HTTP route receives from the transport. */
export interface HttpContext {
  request: Request
  body: unknown
  server: { requestIP(r: Request): { address: string } | null } | null
}

/** Reads the parameters of an Elysia handler's context. */
export function paramsOf(ctx: HttpContext): Params {
  return readParams(ctx.request, ctx.body, () => ctx.server?.requestIP(ctx.request)?.address)
}

/** `METHOD /path` of a request, without the query string or a trailing slash. */
export function routeKey(method: string, url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const q = url.indexOf('?', start)
  let path = q < 0 ? url.slice(start) : url.slice(start, q)
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  return `${method} ${path}`
}

