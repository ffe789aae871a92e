import type { MethodDefinition } from 'nice-grpc'
import { decodePayload, encodePayload, type Payload } from './payload'

/** Marks bytes that are not a valid Payload, so the handler answers ErrorResponse 502 instead of a gRPC error. */
export const UNPARSABLE = '\u0000unparsable'

function deserialize(bytes: Uint8Array): Payload {
  try {
    return decodePayload(bytes)
  } catch {
    return { type: UNPARSABLE, clientIp: '', headers: {}, body: new Uint8Array(0) }
  }
}

function method<RS extends boolean, SS extends boolean>(path: string, requestStream: RS, responseStream: SS): MethodDefinition<Payload, Payload, Payload, Payload, RS, SS> {
  return { path, requestStream, responseStream, requestSerialize: encodePayload, requestDeserialize: deserialize, responseSerialize: encodePayload, responseDeserialize: deserialize, options: {} }
}

/** `service Request` — unary calls at /Request/request (no proto package, as Nacos). */
export const RequestService = { request: method('/Request/request', false, false) } as const

/**
 * Serialises a pushed payload and then empties it: the stream's async generator keeps its last yielded item alive
 * while it waits for the next, which for 1,000 subscribers of a large service held one ServiceInfo copy each.
 */
function serializeAndRelease(p: Payload): Buffer {
  const bytes = encodePayload(p)
  p.json = undefined
  p.body = EMPTY
  return bytes
}

const EMPTY = Buffer.alloc(0)

/** `service BiRequestStream` — the connection stream at /BiRequestStream/requestBiStream. */
export const BiRequestStreamService = {
  requestBiStream: { ...method('/BiRequestStream/requestBiStream', true, true), responseSerialize: serializeAndRelease },
} as const
