/** A decoded Nacos Payload: metadata and the JSON body (raw bytes when received, a string when built here). */
export interface Payload {
  type: string
  clientIp: string
  headers: Record<string, string>
  body: Uint8Array
  /** The body as a JSON string; set on payloads we build so encoding skips a UTF-8 round trip. */
  json?: string
}

const EMPTY = Buffer.alloc(0)

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0
  let shift = 0
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint')
    const b = buf[pos++]
    result += (b & 0x7f) * 2 ** shift
    if (b < 0x80) return [result, pos]
    shift += 7
    if (shift > 49) throw new Error('varint too long')
  }
}

/** Walks the fields of one message, calling `on(field, start, end)` for length-delimited ones. */
function fields(buf: Uint8Array, start: number, end: number, on: (field: number, from: number, to: number) => void) {
  let pos = start
  while (pos < end) {
    const [tag, p1] = readVarint(buf, pos)
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    pos = p1
    if (wire === 2) {
      const [len, p2] = readVarint(buf, pos)
      if (p2 + len > end) throw new Error('truncated field')
      on(field, p2, p2 + len)
      pos = p2 + len
    } else if (wire === 0) pos = readVarint(buf, pos)[1]
    else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else throw new Error(`unsupported wire type ${wire}`)
  }
  if (pos !== end) throw new Error('truncated message')
}

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))

/** Decodes protobuf bytes into a Payload (unknown fields are skipped, as protobuf requires). */
export function decodePayload(bytes: Uint8Array): Payload {
  const buf = asBuffer(bytes)
  const p: Payload = { type: '', clientIp: '', headers: {}, body: EMPTY }
  fields(buf, 0, buf.length, (f, a, b) => {
    if (f === 2) {
      fields(buf, a, b, (mf, ma, mb) => {
        if (mf === 3) p.type = buf.toString('utf8', ma, mb)
        else if (mf === 8) p.clientIp = buf.toString('utf8', ma, mb)
        else if (mf === 7) {
          let k = ''
          let v = ''
          fields(buf, ma, mb, (ef, ea, eb) => {
            if (ef === 1) k = buf.toString('utf8', ea, eb)
            else if (ef === 2) v = buf.toString('utf8', ea, eb)
          })
          p.headers[k] = v
        }
      })
    } else if (f === 3) {
      fields(buf, a, b, (af, aa, ab) => {
        if (af === 2) p.body = buf.subarray(aa, ab)
      })
    }
  })
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
 * Encodes a Payload into one Buffer sized up front (grpc-js frames messages with Buffer#copy, so it must be a
 * Buffer); empty strings are omitted as proto3 does.
 */
export function encodePayload(p: Payload): Buffer {
  const typeLen = p.type ? Buffer.byteLength(p.type) : 0
  const ipLen = p.clientIp ? Buffer.byteLength(p.clientIp) : 0
  const entries = Object.entries(p.headers).map(([k, v]) => {
    const kl = Buffer.byteLength(k)
    const vl = Buffer.byteLength(v)
    return { k, v, kl, vl, len: fieldSize(kl) + fieldSize(vl) }
  })
  const bodyLen = p.json !== undefined ? Buffer.byteLength(p.json) : p.body.length
  let metaLen = (typeLen ? fieldSize(typeLen) : 0) + (ipLen ? fieldSize(ipLen) : 0)
  for (const e of entries) metaLen += fieldSize(e.len)
  const anyLen = fieldSize(bodyLen)
  const buf = Buffer.allocUnsafe(fieldSize(metaLen) + fieldSize(anyLen))
  const str = (field: number, s: string, len: number) => {
    pos = writeHead(buf, pos, field, len)
    pos += buf.write(s, pos)
  }
  let pos = writeHead(buf, 0, 2, metaLen)
  if (typeLen) str(3, p.type, typeLen)
  for (const e of entries) {
    pos = writeHead(buf, pos, 7, e.len)
    str(1, e.k, e.kl)
    str(2, e.v, e.vl)
  }
  if (ipLen) str(8, p.clientIp, ipLen)
  pos = writeHead(buf, pos, 3, anyLen)
  pos = writeHead(buf, pos, 2, bodyLen)
  if (p.json !== undefined) buf.write(p.json, pos)
  else buf.set(p.body, pos)
  return buf
}

/** Builds a payload from a type name and a JSON-able body. */
export function jsonPayload(type: string, body: unknown, clientIp = ''): Payload {
  return { type, clientIp, headers: {}, body: EMPTY, json: JSON.stringify(body) }
}

/** Parses a payload's body as a JSON object; throws on anything else. */
export function parseBody(p: Payload): Record<string, unknown> {
  const text = p.json ?? (p.body.length ? asBuffer(p.body).toString('utf8') : '')
  const v: unknown = text ? JSON.parse(text) : {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body is not a JSON object')
  return v as Record<string, unknown>
}
