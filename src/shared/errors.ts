/**
 * The closed set of failures the features raise. Each transport translates them to its wire shape in one
 * place: src/transport/http/errors.ts (v1 text / v2 envelope) and src/transport/grpc/errors.ts.
 */
export type ErrorKind =
  | 'missing' // a required parameter is absent or blank (HTTP 400, v2 code 10000)
  | 'invalid' // a parameter is malformed (HTTP 400)
  | 'notFound' // the thing asked for does not exist (HTTP 404)
  | 'conflict' // it exists already, or a compare-and-set lost (HTTP 409)
  | 'casFailed' // publish with casMd5 whose md5 no longer matches (Nacos answers 500 here)
  | 'forbidden' // authenticated but not allowed (HTTP 403)
  | 'unavailable' // the server cannot serve it right now (HTTP 503)
  | 'internal' // a bug or a storage failure (HTTP 500)

/** A failure with a kind the transports know how to translate, and a message fit for clients. */
export class NacosError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** A more specific v2 `Result.code` (e.g. 21008 SERVICE_NOT_EXIST) where Nacos has one. */
    readonly detailCode?: number,
  ) {
    super(message)
    this.name = 'NacosError'
  }
}

/** Shorthand constructors so verbs read as prose. */
export const fail = {
  invalid: (message: string, detailCode?: number) => new NacosError('invalid', message, detailCode),
  missing: (name: string) => new NacosError('missing', `Required parameter '${name}' is missing`),
  notFound: (message: string) => new NacosError('notFound', message),
  conflict: (message: string) => new NacosError('conflict', message),
  casFailed: (message: string) => new NacosError('casFailed', message),
  forbidden: (message: string) => new NacosError('forbidden', message),
  unavailable: (message: string) => new NacosError('unavailable', message),
}

/** Turns anything thrown into a NacosError; unknown errors become `internal` with a redacted message. */
export function asNacosError(e: unknown): NacosError {
  if (e instanceof NacosError) return e
  return new NacosError('internal', 'server error')
}
