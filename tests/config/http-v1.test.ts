// The 1.x config OpenAPI (/nacos/v1/cs/configs): GET headers, error shapes, parameter sources, CAS.
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { call, memoryApp, tableCounts } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const CFG = '/nacos/v1/cs/configs'
const key = { dataId: 'svc.yaml', group: 'DEFAULT_GROUP' }

describe('GET', () => {
  test('answers the raw content with Content-MD5, Config-Type, Last-Modified and no-cache headers', async () => {
    const { app } = await memoryApp()
    const before = Date.now()
    await call(app, 'POST', CFG, { ...key, content: 'port: 80', type: 'yaml' })
    const r = await call(app, 'GET', CFG, key)
    expect([r.status, r.text]).toEqual([200, 'port: 80'])
    expect(r.headers.get('Content-MD5')).toBe(md5hex('port: 80'))
    expect(r.headers.get('Config-Type')).toBe('yaml')
    expect(r.headers.get('Content-Type')).toBe('text/plain;charset=UTF-8')
    expect(r.headers.get('Pragma')).toBe('no-cache')
    expect(r.headers.get('Cache-Control')).toContain('no-cache')
    expect(new Date(r.headers.get('Last-Modified')!).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(r.headers.get('isBeta')).toBeNull()
    expect(r.headers.get('Encrypted-Data-Key')).toBeNull()
  })

  test('Content-Type follows the config type', async () => {
    const { app } = await memoryApp()
    const want: Record<string, string> = {
      json: 'application/json;charset=UTF-8', xml: 'application/xml;charset=UTF-8', html: 'text/html;charset=UTF-8',
      properties: 'text/plain;charset=UTF-8', text: 'text/plain;charset=UTF-8', yaml: 'text/plain;charset=UTF-8',
    }
    for (const [type, ct] of Object.entries(want)) {
      await call(app, 'POST', CFG, { dataId: `f.${type}`, group: 'G', content: '{}', type })
      const r = await call(app, 'GET', CFG, { dataId: `f.${type}`, group: 'G' })
      expect([type, r.headers.get('Content-Type'), r.headers.get('Config-Type')]).toEqual([type, ct, type])
    }
  })

  test('a missing config is 404 with the body "config data not exist"', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', CFG, { dataId: 'nope', group: 'G' })
    expect(r.status).toBe(404)
    expect(r.text.replace(/\n$/, '')).toBe('config data not exist')
  })

  test('the Encrypted-Data-Key header is sent when the config has one', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', CFG, { dataId: 'cipher-aes-x', group: 'G', content: 'enc', encryptedDataKey: 'k123' })
    expect((await call(app, 'GET', CFG, { dataId: 'cipher-aes-x', group: 'G' })).headers.get('Encrypted-Data-Key')).toBe('k123')
  })

  test('tenant "", "public" and no tenant read the same config', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', CFG, { ...key, tenant: 'public', content: 'shared' })
    for (const tenant of ['', 'public']) expect((await call(app, 'GET', CFG, { ...key, tenant })).text).toBe('shared')
    expect((await call(app, 'GET', CFG, key)).text).toBe('shared')
  })

  test('show=all answers the ConfigInfo JSON', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', CFG, { ...key, content: 'x', appName: 'shop', desc: 'about', config_tags: 'a,b', type: 'yaml' })
    const r = await call(app, 'GET', CFG, { ...key, show: 'all' })
    expect(r.json()).toMatchObject({ dataId: key.dataId, group: key.group, tenant: '', content: 'x', md5: md5hex('x'), appName: 'shop', desc: 'about', configTags: 'a,b', type: 'yaml' })
  })
})

describe('POST and DELETE', () => {
  test('POST answers plain "true"; DELETE answers "true" and removes it', async () => {
    const { app } = await memoryApp()
    const p = await call(app, 'POST', CFG, { ...key, content: 'x' })
    expect([p.status, p.text, p.headers.get('Content-Type')]).toEqual([200, 'true', 'text/plain;charset=UTF-8'])
    const d = await call(app, 'DELETE', CFG, key)
    expect([d.status, d.text]).toEqual([200, 'true'])
    expect((await call(app, 'GET', CFG, key)).status).toBe(404)
  })

  test('parameters are read from the query string on POST and from a form body on DELETE', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'POST', CFG, { ...key, content: 'q' }, { as: 'query' })).text).toBe('true')
    expect((await call(app, 'GET', CFG, key)).text).toBe('q')
    expect((await call(app, 'DELETE', CFG, key, { as: 'form' })).text).toBe('true')
    expect((await call(app, 'GET', CFG, key)).status).toBe(404)
  })

  test('a form body is decoded as UTF-8 even when the client claims GBK', async () => {
    const { app } = await memoryApp()
    const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=GBK' }
    await call(app, 'POST', CFG, { ...key, content: '名字=值' }, { headers })
    const r = await call(app, 'GET', CFG, key)
    expect([r.text, r.headers.get('Content-MD5')]).toEqual(['名字=值', md5hex('名字=值')])
  })

  test('DELETE of an absent config still answers "true"', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'DELETE', CFG, { dataId: 'ghost', group: 'G' })).text).toBe('true')
  })
})

describe('casMd5 header', () => {
  test('inserts when absent and updates when the md5 matches', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'POST', CFG, { ...key, content: 'v1' }, { headers: { casMd5: 'deadbeef' } })).text).toBe('true')
    expect((await call(app, 'POST', CFG, { ...key, content: 'v2' }, { headers: { casMd5: md5hex('v1') } })).text).toBe('true')
    expect((await call(app, 'GET', CFG, key)).text).toBe('v2')
  })

  test('a stale md5 is refused with HTTP 500 and the Nacos message, storing nothing', async () => {
    const { app, storage } = await memoryApp()
    await call(app, 'POST', CFG, { ...key, content: 'v1' })
    const before = tableCounts(storage)
    const r = await call(app, 'POST', CFG, { ...key, content: 'v2' }, { headers: { casMd5: md5hex('v0') } })
    expect(r.text).toContain('Cas publish fail, server md5 may have changed.')
    expect(tableCounts(storage)).toEqual(before)
    expect((await call(app, 'GET', CFG, key)).text).toBe('v1')
    expect(r.status).toBe(500)
  })
})

describe('validation errors: 400 with a plain-text message, nothing stored', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['missing dataId', { group: 'G', content: 'x' }, 'dataId'],
    ['blank dataId', { dataId: ' ', group: 'G', content: 'x' }, 'dataId'],
    ['invalid dataId', { dataId: 'a/b', group: 'G', content: 'x' }, 'dataId'],
    ['blank group', { dataId: 'd', group: '', content: 'x' }, 'group'],
    ['invalid group', { dataId: 'd', group: 'a b', content: 'x' }, 'group'],
    ['missing content', { dataId: 'd', group: 'G' }, 'content'],
    ['content over the limit', { dataId: 'd', group: 'G', content: 'x'.repeat(1025) }, 'content'],
    ['unknown type', { dataId: 'd', group: 'G', content: 'x', type: 'binary' }, 'type'],
    ['invalid tenant', { dataId: 'd', group: 'G', content: 'x', tenant: '../etc' }, 'tenant'],
    ['tenant over 128 characters', { dataId: 'd', group: 'G', content: 'x', tenant: 't'.repeat(129) }, 'tenant'],
  ]
  for (const [name, params, param] of cases) {
    test(`${name}`, async () => {
      const { app, storage } = await memoryApp({ configMaxContentBytes: 1024 })
      await call(app, 'POST', CFG, { dataId: 'keep', group: 'G', content: 'k' })
      const before = tableCounts(storage)
      const r = await call(app, 'POST', CFG, params)
      expect(r.status).toBe(400)
      expect(r.headers.get('Content-Type')).toStartWith('text/plain')
      expect(r.text).toContain(param)
      expect(() => JSON.parse(r.text)).toThrow()
      expect(tableCounts(storage)).toEqual(before)
    })
  }

  test('GET and DELETE with an invalid dataId are 400 too', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'GET', CFG, { dataId: 'a b', group: 'G' })).status).toBe(400)
    expect((await call(app, 'DELETE', CFG, { dataId: '', group: 'G' })).status).toBe(400)
  })

  test('an unknown API path is a plain-text 404', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', '/nacos/v1/cs/nothing-here')
    expect(r.status).toBe(404)
    expect(r.headers.get('Content-Type')).toStartWith('text/plain')
  })
})
