/** A decoded Nacos Payload: metadata and the JSON body (raw bytes when received, a string when built here). */
export interface Payload {
  type: string
  clientIp: string
  headers: Record<string, string>
  body: Uint8Array
  /** The body as a JSON string; set on payloads we build so encoding skips a UTF-8 round trip. */
  json?: string
  /**
   * A JSON object text that continues `json`: the body is `json` followed by this text without its leading `{`
   * (a push envelope in front of a shared, already serialised body, so the large part is never concatenated).
   */
  jsonTail?: string
  /** The Nacos errorCode of a failure reply we built (read by the metrics observer; never encoded). */
  code?: number
}

const EMPTY = Buffer.alloc(0)

// The decoder below walks the bytes with plain loops and returns the position after a varint through `next`
// instead of a [value, pos] tuple and a callback per field: in the gRPC ConfigQueryRequest profile the closures,
// tuples and `fields` calls were ~2.5% of the server's CPU for a 100-byte message.
let next = 0

/** Reads the varint at `pos`; the position after it is left in `next`. */
function readVarint(buf: Uint8Array, pos: number): number {
  let result = 0
  let shift = 0
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint')
    const b = buf[pos++]
    result += (b & 0x7f) * 2 ** shift
    if (b < 0x80) {
      next = pos
      return result
    }
    shift += 7
    if (shift > 49) throw new Error('varint too long')
  }
}

/** The position after a field that is not length-delimited (the tag already read; unknown fields are skipped). */
function skipScalar(buf: Uint8Array, pos: number, wire: number): number {
  if (wire === 0) return (readVarint(buf, pos), next)
  if (wire === 1) return pos + 8
  if (wire === 5) return pos + 4
  throw new Error(`unsupported wire type ${wire}`)
}

/** Reads a length-delimited field's length at `pos`; its bytes are [next, returned end). */
function readLength(buf: Uint8Array, pos: number, end: number): number {
  const len = readVarint(buf, pos)
  if (next + len > end) throw new Error('truncated field')
  return next + len
}

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))

/** Decodes one Metadata.headers map entry (field 1 key, field 2 value) into `headers`. */
function decodeHeader(buf: Buffer, pos: number, end: number, headers: Record<string, string>) {
  let k = ''
  let v = ''
  while (pos < end) {
    const tag = readVarint(buf, pos)
    if ((tag & 7) !== 2) {
      pos = skipScalar(buf, next, tag & 7)
      continue
    }
    const to = readLength(buf, next, end)
    if (tag === 0x0a) k = buf.toString('utf8', next, to)
    else if (tag === 0x12) v = buf.toString('utf8', next, to)
    pos = to
  }
  if (pos !== end) throw new Error('truncated message')
  headers[k] = v
}

/** Decodes Metadata (type = 3, headers = 7, clientIp = 8) into `p`. */
function decodeMetadata(buf: Buffer, pos: number, end: number, p: Payload) {
  while (pos < end) {
    const tag = readVarint(buf, pos)
    if ((tag & 7) !== 2) {
      pos = skipScalar(buf, next, tag & 7)
      continue
    }
    const to = readLength(buf, next, end)
    if (tag === 0x1a) p.type = buf.toString('utf8', next, to)
    else if (tag === 0x42) p.clientIp = buf.toString('utf8', next, to)
    else if (tag === 0x3a) decodeHeader(buf, next, to, p.headers)
    pos = to
  }
  if (pos !== end) throw new Error('truncated message')
}

/** Decodes google.protobuf.Any (value = 2) into `p.body`: a view of the incoming bytes, not a copy. */
function decodeAny(buf: Buffer, pos: number, end: number, p: Payload) {
  while (pos < end) {
    const tag = readVarint(buf, pos)
    if ((tag & 7) !== 2) {
      pos = skipScalar(buf, next, tag & 7)
      continue
    }
    const to = readLength(buf, next, end)
    if (tag === 0x12) p.body = buf.subarray(next, to)
    pos = to
  }
  if (pos !== end) throw new Error('truncated message')
}

/** Decodes protobuf bytes into a Payload (unknown fields are skipped, as protobuf requires). */
export function decodePayload(bytes: Uint8Array): Payload {
  const buf = asBuffer(bytes)
  const p: Payload = { type: '', clientIp: '', headers: {}, body: EMPTY }
  const end = buf.length
  let pos = 0
  while (pos < end) {
    const tag = readVarint(buf, pos)
    if ((tag & 7) !== 2) {
      pos = skipScalar(buf, next, tag & 7)
      continue
    }
    const to = readLength(buf, next, end)
    if (tag === 0x12) decodeMetadata(buf, next, to, p)
    else if (tag === 0x1a) decodeAny(buf, next, to, p)
    pos = to
  }
  if (pos !== end) throw new Error('truncated message')
  return p
}

const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5)
/** Size of a length-delimited field with a one-byte tag. */
const fieldSize = (len: number) => 1 + varintSize(len) + len

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80
    n >>>= 7
  }
  buf[pos++] = n
  return pos
}

function writeHead(buf: Buffer, pos: number, field: number, len: number): number {
  buf[pos++] = (field << 3) | 2
  return writeVarint(buf, pos, len)
}

/**
 * Messages from this size on get an ArrayBuffer of their own and exact size (Buffer.allocUnsafeSlow), which the
 * server hands to nice-grpc without a copy (definitions.ts); below it Buffer's pool is cheaper than the copy saved.
 */
export const OWN_BUFFER_FROM = 4096

/** One Metadata.headers entry with its UTF-8 sizes. */
interface Entry {
  k: string
  v: string
  kl: number
  vl: number
  len: number
}

/** The header entries with their sizes; none for the empty headers every reply and push carries. */
function headerEntries(headers: Record<string, string>): Entry[] | undefined {
  let entries: Entry[] | undefined
  for (const k in headers) {
    if (!Object.hasOwn(headers, k)) continue
    const v = headers[k]
    const kl = Buffer.byteLength(k)
    const vl = Buffer.byteLength(v)
    ;(entries ??= []).push({ k, v, kl, vl, len: fieldSize(kl) + fieldSize(vl) })
  }
  return entries
}

/**
 * Encodes a Payload into one Buffer sized up front (grpc-js frames messages with Buffer#copy, so it must be a
 * Buffer); empty strings are omitted as proto3 does. A JSON body is written straight into it, never into an
 * intermediate Buffer.
 */
export function encodePayload(p: Payload): Buffer {
  const typeLen = p.type ? Buffer.byteLength(p.type) : 0
  const ipLen = p.clientIp ? Buffer.byteLength(p.clientIp) : 0
  const entries = headerEntries(p.headers)
  const jsonLen = p.json !== undefined ? Buffer.byteLength(p.json) : 0
  // The tail's leading `{` is one byte and is not sent.
  const tailLen = p.jsonTail ? Buffer.byteLength(p.jsonTail) - 1 : 0
  const bodyLen = p.json !== undefined ? jsonLen + tailLen : p.body.length
  let metaLen = (typeLen ? fieldSize(typeLen) : 0) + (ipLen ? fieldSize(ipLen) : 0)
  if (entries) for (const e of entries) metaLen += fieldSize(e.len)
  const anyLen = fieldSize(bodyLen)
  const size = fieldSize(metaLen) + fieldSize(anyLen)
  const buf = size >= OWN_BUFFER_FROM ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size)
  let pos = writeHead(buf, 0, 2, metaLen)
  if (typeLen) {
    pos = writeHead(buf, pos, 3, typeLen)
    pos += buf.write(p.type, pos)
  }
  if (entries) {
    for (const e of entries) {
      pos = writeHead(buf, pos, 7, e.len)
      pos = writeHead(buf, pos, 1, e.kl)
      pos += buf.write(e.k, pos)
      pos = writeHead(buf, pos, 2, e.vl)
      pos += buf.write(e.v, pos)
    }
  }
  if (ipLen) {
    pos = writeHead(buf, pos, 8, ipLen)
    pos += buf.write(p.clientIp, pos)
  }
  pos = writeHead(buf, pos, 3, anyLen)
  pos = writeHead(buf, pos, 2, bodyLen)
  if (p.json !== undefined) {
    // The tail goes first with its `{` on the last byte of json's place, which writing json then overwrites:
    // both strings are written straight from their own text, with no joined copy.
    if (p.jsonTail !== undefined) {
      if (jsonLen > 0) buf.write(p.jsonTail, pos + jsonLen - 1)
      else buf.write(p.jsonTail.slice(1), pos)
    }
    buf.write(p.json, pos)
  } else buf.set(p.body, pos)
  return buf
}

/** Builds a payload from a type name and a body already serialised to JSON. */
export function rawPayload(type: string, json: string, clientIp = ''): Payload {
  return { type, clientIp, headers: {}, body: EMPTY, json }
}

/** Builds a payload from a type name and a JSON-able body. */
export function jsonPayload(type: string, body: unknown, clientIp = ''): Payload {
  return rawPayload(type, JSON.stringify(body), clientIp)
}

/** Parses a payload's body as a JSON object; throws on anything else. */
export function parseBody(p: Payload): Record<string, unknown> {
  const text = p.json !== undefined ? p.json + (p.jsonTail?.slice(1) ?? '') : p.body.length ? asBuffer(p.body).toString('utf8') : ''
  const v: unknown = text ? JSON.parse(text) : {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body is not a JSON object')
  return v as Record<string, unknown>
}
