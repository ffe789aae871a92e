import { expect, test } from 'bun:test'
import { decodePayload, encodePayload, jsonPayload, parseBody } from '../../src/transport/grpc/payload'

test('a payload survives encode and decode, including UTF-8 and long bodies', () => {
  const body = { content: 'é中'.repeat(70_000), n: 1 }
  const p = { ...jsonPayload('ConfigPublishRequest', body, '10.0.0.1'), headers: { accessToken: 'tok', 'Client-AppName': 'app' } }
  const back = decodePayload(encodePayload(p))
  expect(back.type).toBe('ConfigPublishRequest')
  expect(back.clientIp).toBe('10.0.0.1')
  expect(back.headers).toEqual({ accessToken: 'tok', 'Client-AppName': 'app' })
  expect(parseBody(back)).toEqual(body)
})

test('the bytes are the proto3 encoding of Payload{metadata=2{type=3, headers=7, clientIp=8}, body=3{value=2}}', () => {
  const bytes = encodePayload({ ...jsonPayload('T', {}), headers: { k: 'v' }, clientIp: 'ip' })
  // 0x12 = field 2 (metadata), length-delimited; inside: 0x1a 'T', 0x3a {0x0a 'k' 0x12 'v'}, 0x42 'ip'; then 0x1a {0x12 '{}'}
  expect([...bytes]).toEqual([0x12, 0x0f, 0x1a, 0x01, 0x54, 0x3a, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76, 0x42, 0x02, 0x69, 0x70, 0x1a, 0x04, 0x12, 0x02, 0x7b, 0x7d])
})

test('unknown fields and an Any type_url are skipped', () => {
  // metadata{type 'X'}, an unknown varint field 9 = 5, body{type_url 'u', value '{}'}
  const bytes = Buffer.from([0x12, 0x03, 0x1a, 0x01, 0x58, 0x48, 0x05, 0x1a, 0x07, 0x0a, 0x01, 0x75, 0x12, 0x02, 0x7b, 0x7d])
  const p = decodePayload(bytes)
  expect(p.type).toBe('X')
  expect(parseBody(p)).toEqual({})
})

test('truncated or malformed bytes throw', () => {
  expect(() => decodePayload(Buffer.from([0x12, 0xff, 0xff, 0x01]))).toThrow()
  expect(() => decodePayload(Buffer.from([0x12, 0x05, 0x1a]))).toThrow()
})
