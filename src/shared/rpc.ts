/**
 * The contract between features and the gRPC transport. A feature's grpc.ts exports RpcHandlers built on
 * these types; the transport (src/transport/grpc) implements RpcConnection and calls the handlers. Features
 * never import the transport itself.
 */

/** A client's gRPC connection as features see it. */
export interface RpcConnection {
  /** Nacos connectionId: `<millis>_<remoteIp>_<remotePort>`. */
  readonly id: string
  /** The client's own IP, from its ConnectionSetupRequest (Nacos uses it for beta matching). */
  readonly clientIp: string
  /** ConnectionSetupRequest labels (source, module, AppName, app_* …). */
  readonly labels: Readonly<Record<string, string>>
  /**
   * Sends a server request down the stream; resolves with the client's ack body, rejects on timeout or close.
   * The body may be an object or an already serialised JSON object (RawJson), so a push fanned out to many
   * subscribers is stringified once.
   */
  push(type: string, body: Record<string, unknown> | RawJson, timeoutMs?: number): Promise<Record<string, unknown>>
  /** Registers a callback run once when the connection goes away. */
  onClose(fn: () => void): void
  /** Whether the connection is still registered. */
  readonly open: boolean
}

/** A JSON object already serialised, e.g. `{"serviceInfo":…}`; must not contain `headers` or `requestId`. */
export interface RawJson {
  raw: string
}

/** One decoded request. */
export interface RpcRequest {
  body: Record<string, unknown>
  /** Metadata.headers, with any JSON body `headers` merged under them. */
  headers: Record<string, string>
  connection: RpcConnection
}

/** Handles one request type; `responseType` is the Java class name put in the reply's Metadata.type. */
export interface RpcHandler {
  responseType: string
  /** Fields a failure reply must still carry because some SDK parser requires them. */
  failureDefaults?: Record<string, unknown>
  handle(req: RpcRequest): Record<string, unknown> | Promise<Record<string, unknown>>
}

/** A check run before every handler (auth); it throws a NacosError to refuse the request. */
export type RpcFilter = (type: string, headers: Record<string, string>, body: Record<string, unknown>) => void | Promise<void>

/** Observes a request its handler completed successfully (audit); `clientIp` is the connection's. */
export type RpcAfter = (type: string, body: Record<string, unknown>, clientIp: string) => void

/** Handlers by request type name (Metadata.type). */
export type RpcHandlers = Record<string, RpcHandler>

/** Reads a string field of a JSON body; null and non-strings read as undefined. */
export function str(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name]
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}
