/** A decoded Nacos Payload: metadata and the raw JSON body bytes. */
export interface Payload {
  type: string
  clientIp: string
  headers: Record<string, string>
  body: Uint8Array
}

const enc = new TextEncoder()
const dec = new TextDecoder()

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

/** Walks the fields of one message, calling `on(field, wireType, start, end)` for length-delimited ones. */
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

/** Decodes protobuf bytes into a Payload (unknown fields are skipped, as protobuf requires). */
export function decodePayload(buf: Uint8Array): Payload {
  const p: Payload = { type: '', clientIp: '', headers: {}, body: new Uint8Array(0) }
  fields(buf, 0, buf.length, (f, a, b) => {
    if (f === 2) {
      fields(buf, a, b, (mf, ma, mb) => {
        if (mf === 3) p.type = dec.decode(buf.subarray(ma, mb))
        else if (mf === 8) p.clientIp = dec.decode(buf.subarray(ma, mb))
        else if (mf === 7) {
          let k = ''
          let v = ''
          fields(buf, ma, mb, (ef, ea, eb) => {
            if (ef === 1) k = dec.decode(buf.subarray(ea, eb))
            else if (ef === 2) v = dec.decode(buf.subarray(ea, eb))
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

class Writer {
  private chunks: Uint8Array[] = []
  private size = 0
  varint(n: number) {
    const out: number[] = []
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80)
      n = Math.floor(n / 0x80)
    }
    out.push(n)
    this.push(Uint8Array.from(out))
  }
  bytes(field: number, data: Uint8Array) {
    this.varint(field * 8 + 2)
    this.varint(data.length)
    this.push(data)
  }
  push(b: Uint8Array) {
    this.chunks.push(b)
    this.size += b.length
  }
  /** A Buffer, not a plain Uint8Array: grpc-js frames messages with Buffer#copy. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.size)
    let o = 0
    for (const c of this.chunks) {
      out.set(c, o)
      o += c.length
    }
    return out
  }
}

/** Encodes a Payload; empty strings are omitted as proto3 does. */
export function encodePayload(p: Payload): Buffer {
  const meta = new Writer()
  if (p.type) meta.bytes(3, enc.encode(p.type))
  for (const [k, v] of Object.entries(p.headers)) {
    const e = new Writer()
    e.bytes(1, enc.encode(k))
    e.bytes(2, enc.encode(v))
    meta.bytes(7, e.finish())
  }
  if (p.clientIp) meta.bytes(8, enc.encode(p.clientIp))
  const any = new Writer()
  any.bytes(2, p.body)
  const w = new Writer()
  w.bytes(2, meta.finish())
  w.bytes(3, any.finish())
  return w.finish()
}

/** Builds a payload from a type name and a JSON-able body. */
export function jsonPayload(type: string, body: unknown, clientIp = ''): Payload {
  return { type, clientIp, headers: {}, body: enc.encode(JSON.stringify(body)) }
}

/** Parses a payload's body as a JSON object; throws on anything else. */
export function parseBody(p: Payload): Record<string, unknown> {
  const v: unknown = p.body.length ? JSON.parse(dec.decode(p.body)) : {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body is not a JSON object')
  return v as Record<string, unknown>
}
