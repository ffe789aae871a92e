import { asNacosError, type ErrorKind } from '../../shared/errors'
import { log } from '../../shared/log'

/**
 * Nacos errorCode per error kind on the gRPC path. `notFound` is 300 because that is what config clients
 * special-case ("config data not exist", ConfigQueryRequestHandler); `casFailed` answers 500 as Nacos does.
 */
const codes: Record<ErrorKind, number> = {
  missing: 400,
  invalid: 400,
  notFound: 300,
  conflict: 409,
  casFailed: 500,
  forbidden: 403,
  unavailable: 503,
  internal: 500,
}

/** Transport-level codes of Nacos's ErrorResponse. */
export const UNREGISTERED = 301
/** No handler for the request type. */
export const NO_HANDLER = 302
/** The payload could not be parsed. */
export const BAD_GATEWAY = 502

/** A failure body: Jackson NON_NULL shape with resultCode 500, the code, and success false. */
export function failureBody(errorCode: number, message: string): Record<string, unknown> {
  return { resultCode: 500, errorCode, message, success: false }
}

/** The single place thrown errors become gRPC response bodies; unknown errors are logged and redacted. */
export function errorToBody(e: unknown): Record<string, unknown> {
  const err = asNacosError(e)
  if (err.kind === 'internal') log.error('grpc handler failed', { error: String((e as Error)?.stack ?? e) })
  return failureBody(codes[err.kind], err.message)
}
