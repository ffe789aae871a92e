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

/** `service BiRequestStream` — the connection stream at /BiRequestStream/requestBiStream. */
export const BiRequestStreamService = { requestBiStream: method('/BiRequestStream/requestBiStream', true, true) } as const
