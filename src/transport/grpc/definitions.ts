import { decodePayload, encodePayload, OWN_BUFFER_FROM, type Payload } from './payload'

/** Marks bytes that are not a valid Payload, so the handler answers ErrorResponse 502 instead of a gRPC error. */
export const UNPARSABLE = '\u0000unparsable'

function deserialize(bytes: Uint8Array): Payload {
  try {
    return decodePayload(bytes)
  } catch {
    return { type: UNPARSABLE, clientIp: '', headers: {}, body: new Uint8Array(0) }
  }
}

/**
 * What nice-grpc gets from a serialiser. It wraps every serialiser in `Buffer.from(…)`, which copies a Buffer but
 * only wraps an ArrayBuffer; so a large message, which encodePayload puts in an ArrayBuffer of its exact size, is
 * handed over as that ArrayBuffer: one copy less of each ServiceInfo push (the copy was 2.9% of the server's CPU
 * in the 1,000-connection register profile). Small messages stay on Buffer's pool, cheaper than the copy saved.
 */
function handOver(bytes: Buffer): Uint8Array {
  const whole = bytes.length >= OWN_BUFFER_FROM && bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
  return whole ? (bytes.buffer as unknown as Uint8Array) : bytes
}

/** Payload as a ts-proto message type, the definition shape whose decoder nice-grpc calls on grpc-js's bytes as they are. */
function messageType(encode: (p: Payload) => Buffer) {
  return { encode: (p: Payload) => ({ finish: () => handOver(encode(p)) }), decode: deserialize }
}

/**
 * Serialises a pushed payload and then empties it: the stream's async generator keeps its last yielded item alive
 * while it waits for the next, which for 1,000 subscribers of a large service held one ServiceInfo copy each.
 */
function serializeAndRelease(p: Payload): Buffer {
  const bytes = encodePayload(p)
  p.json = undefined
  p.jsonTail = undefined
  p.body = EMPTY
  return bytes
}

const EMPTY = Buffer.alloc(0)
const PAYLOAD = messageType(encodePayload)
const PUSHED = messageType(serializeAndRelease)

// The services in ts-proto's definition shape rather than nice-grpc's own: nice-grpc reads its own shape as a
// grpc-js definition and copies every incoming message (`Buffer.from(bytes)`) before decoding it.
const method = <S extends boolean>(name: string, stream: S, responseType = PAYLOAD) => ({ name, requestType: PAYLOAD, requestStream: stream, responseType, responseStream: stream, options: {} })

/** `service Request` — unary calls at /Request/request (no proto package, as Nacos). */
export const RequestService = { name: 'Request', fullName: 'Request', methods: { request: method('request', false) } } as const

/** `service BiRequestStream` — the connection stream at /BiRequestStream/requestBiStream. */
export const BiRequestStreamService = { name: 'BiRequestStream', fullName: 'BiRequestStream', methods: { requestBiStream: method('requestBiStream', true, PUSHED) } } as const
