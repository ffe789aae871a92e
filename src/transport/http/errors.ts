import { asNacosError, type ErrorKind } from '../../shared/errors'
import { log } from '../../shared/log'

// casFailed is 500 as in Nacos ConfigOperationService (the Java HTTP agent treats it as a failed publish).
const status: Record<ErrorKind, number> = { missing: 400, invalid: 400, notFound: 404, conflict: 409, casFailed: 500, forbidden: 403, unavailable: 503, internal: 500 }
/** Nacos v2 `Result.code` detail codes (com.alibaba.nacos.api.model.v2.ErrorCode). */
const v2code: Record<ErrorKind, number> = { missing: 10000, invalid: 20002, notFound: 20004, conflict: 20005, casFailed: 20005, forbidden: 10001, unavailable: 30000, internal: 30000 }

/** Whether a path uses the `{code,message,data}` envelope (v2 and v3 APIs) rather than v1 plain text. */
export function isEnvelopePath(path: string): boolean {
  return /^\/nacos\/v[23]\//.test(path)
}

/**
 * The single place HTTP turns thrown errors into responses: v1 gets the status and a plain-text message
 * (what the SDKs' HTTP agents read), v2/v3 get the Result envelope. Unknown errors are logged, not leaked.
 */
export function errorResponse(e: unknown, path: string): Response {
  const err = asNacosError(e)
  if (err.kind === 'internal') log.error('http handler failed', { path, error: String((e as Error)?.stack ?? e) })
  const code = status[err.kind]
  if (isEnvelopePath(path)) return Response.json({ code: err.detailCode ?? v2code[err.kind], message: err.message, data: err.message }, { status: code })
  return new Response(err.message, { status: code, headers: { 'content-type': 'text/plain;charset=UTF-8' } })
}

