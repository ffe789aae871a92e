import { expect, test } from 'bun:test'
import { parseBool, readParams } from '../../src/shared/http'

const params = (qs: string, body?: string) => readParams(new Request(`http://x/p?${qs}`, body ? { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}), body)

test('query parameters: exact names, first value wins, + and %-escapes decoded, blank and bare keys', () => {
  const p = params('xdataId=no&dataId=a%2Bb+c&dataId=second&group=&flag&tenant=%E4%B8%AD')
  expect(p.get('dataId')).toBe('a+b c')
  expect(p.get('group')).toBe('')
  expect(p.get('flag')).toBe('')
  expect(p.get('tenant')).toBe('中')
  expect(p.get('data')).toBeUndefined()
  expect(p.get('xdataId')).toBe('no')
})

test('a malformed escape is kept as sent instead of failing the request', () => {
  expect(params('dataId=100%').get('dataId')).toBe('100%')
})

test('the query string wins over the form body; the body fills in the rest', () => {
  const p = params('dataId=q', 'dataId=f&group=g')
  expect(p.get('dataId')).toBe('q')
  expect(p.get('group')).toBe('g')
})

test('booleans read as Nacos ConvertUtils.toBoolean does', () => {
  for (const t of ['true', 'True', 'TRUE', 'yes', 'on', 'y', 't', '1']) expect(parseBool(t, false)).toBe(true)
  for (const f of ['false', 'False', 'no', 'off', 'n', 'f', '0']) expect(parseBool(f, true)).toBe(false)
  expect(parseBool('', true)).toBe(true)
  expect(parseBool('maybe', false)).toBe(false)
  expect(parseBool(undefined)).toBeUndefined()
})
