/** The server's HTTP API as the console calls it: base-relative paths, the access token, readable errors. */

/** A non-2xx answer; `message` is the server's readable text. */
export class ApiError extends Error {
  status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
  }
}

const TOKEN_KEY = 'bnacos.token'

/** Where the console is served (`/nacos` normally, `/prefix/nacos` behind a proxy): the API lives beside it. */
export function apiBase(): string {
  return location.pathname.replace(/index\.html$/, '').replace(/\/+$/, '')
}

/** The stored access token ('' when signed out). */
export function getToken(): string {
  return localStorage.getItem(TOKEN_KEY) ?? ''
}

/** Stores (or, with '', forgets) the access token. */
export function setToken(token: string): void {
  if (token) localStorage.setItem(TOKEN_KEY, token)
  else localStorage.removeItem(TOKEN_KEY)
}

/** Called when the server says the session is gone; the session provider sets it to go to the login page. */
let onSignedOut: () => void = () => {
  if (!location.hash.startsWith('#/login')) location.hash = '#/login'
}

/** Lets the session provider decide what "signed out" does. */
export function setSignedOutHandler(fn: () => void): void {
  onSignedOut = fn
}

/** Query or form parameters as strings; undefined and null values are dropped, arrays joined with commas. */
export function toParams(values?: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(values ?? {})) {
    if (v === undefined || v === null) continue
    out.set(k, Array.isArray(v) ? v.join(',') : String(v))
  }
  return out
}

/** The full URL of an API path (e.g. 'v1/cs/configs') with its query. */
export function apiUrl(path: string, query?: Record<string, unknown>): string {
  const qs = toParams(query).toString()
  return `${apiBase()}/${path.replace(/^\/+/, '')}${qs ? `?${qs}` : ''}`
}

/** The readable text of an error body: the v2 envelope's message, a JSON message field, or the plain text. */
function readableError(status: number, text: string): string {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as Record<string, unknown>
      const msg = j.message ?? j.msg ?? j.error ?? j.data
      if (typeof msg === 'string' && msg) return msg
    } catch {
      // not JSON after all: show the text
    }
  }
  return t || `HTTP ${status}`
}

/** Sends a request and parses the answer (JSON when it parses, else text); throws ApiError on non-2xx. */
export async function request<T>(method: string, path: string, query?: Record<string, unknown>, init?: { form?: Record<string, unknown>; body?: BodyInit; headers?: Record<string, string> }): Promise<T> {
  const headers: Record<string, string> = { ...(init?.headers ?? {}) }
  const token = getToken()
  if (token) headers.accessToken = token
  let body: BodyInit | undefined = init?.body
  if (init?.form) {
    body = toParams(init.form)
    headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=utf-8'
  }
  const res = await fetch(apiUrl(path, query), { method, headers, body })
  const text = await res.text()
  if (!res.ok) {
    const message = readableError(res.status, text)
    if (res.status === 401 || (res.status === 403 && /token|expired|not login|unauthori[sz]ed/i.test(message))) {
      setToken('')
      onSignedOut()
    }
    throw new ApiError(res.status, message)
  }
  const ct = res.headers.get('content-type') ?? ''
  if (ct.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as T
    } catch {
      // fall through: plain text
    }
  }
  return text as T
}

/** The API helpers every page uses. */
export const api = {
  get<T = any>(path: string, query?: Record<string, unknown>): Promise<T> {
    return request<T>('GET', path, query)
  },
  post<T = any>(path: string, form?: Record<string, unknown>): Promise<T> {
    return request<T>('POST', path, undefined, { form: form ?? {} })
  },
  put<T = any>(path: string, form?: Record<string, unknown>): Promise<T> {
    return request<T>('PUT', path, undefined, { form: form ?? {} })
  },
  del<T = any>(path: string, query?: Record<string, unknown>): Promise<T> {
    return request<T>('DELETE', path, query)
  },
}

/** Sends a JSON body (clone's list of configs); `query` goes on the URL. */
export function postJson<T = any>(path: string, query: Record<string, unknown>, json: unknown): Promise<T> {
  return request<T>('POST', path, query, { body: JSON.stringify(json), headers: { 'Content-Type': 'application/json' } })
}

/** Sends a multipart form (import's zip); `query` goes on the URL. */
export function postMultipart<T = any>(path: string, query: Record<string, unknown>, form: FormData): Promise<T> {
  return request<T>('POST', path, query, { body: form })
}

/** Downloads a file through the API (with the token) and hands it to the browser as a download. */
export async function download(path: string, query: Record<string, unknown>, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {}
  const token = getToken()
  if (token) headers.accessToken = token
  const res = await fetch(apiUrl(path, query), { headers })
  if (!res.ok) throw new ApiError(res.status, readableError(res.status, await res.text()))
  const name = res.headers.get('content-disposition')?.match(/filename="?([^";]+)"?/)?.[1] ?? fallbackName
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
