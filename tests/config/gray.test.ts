// Gray versions: beta by client IP, tag by label or explicit tag, stop beta, removing a tag version.
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { publishConfig } from '../../src/config/publish'
import { getConfig } from '../../src/config/query'
import { removeConfig, stopBeta } from '../../src/config/remove'
import { call, memoryApp, memoryCenter, tableCounts } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const actor = { srcUser: '', srcIp: '127.0.0.1' }
const CFG = '/nacos/v1/cs/configs'
const key = { dataId: 'gray.properties', group: 'G' }

describe('beta gray (verbs)', () => {
  test('clients whose IP is in betaIps read the beta version; others read the formal one', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal', type: 'properties' })
    await publishConfig(cc, { ...key, content: 'beta', betaIps: '10.0.0.2, 10.0.0.3' })
    const beta = getConfig(cc, key, { clientIp: '10.0.0.3' })
    expect([beta.content, beta.md5, beta.beta, beta.type]).toEqual(['beta', md5hex('beta'), true, 'properties'])
    const other = getConfig(cc, key, { clientIp: '10.0.0.4' })
    expect([other.content, other.md5, other.beta]).toEqual(['formal', md5hex('formal'), false])
  })

  test('a beta publish leaves the formal config untouched', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'beta', betaIps: '10.0.0.2' })
    expect(cc.cache.formal({ ...key, namespace: 'public' })?.content).toBe('formal')
    expect(tableCounts(storage)).toMatchObject({ config: 1, gray: 1 })
  })

  test('beta wins over a matching tag version', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'tagged', tag: 'blue' })
    await publishConfig(cc, { ...key, content: 'beta', betaIps: '10.0.0.2' })
    expect(getConfig(cc, key, { clientIp: '10.0.0.2', tag: 'blue' }).content).toBe('beta')
    expect(getConfig(cc, key, { clientIp: '10.0.0.9', tag: 'blue' }).content).toBe('tagged')
  })

  test('stop beta deletes the beta version so beta clients read the formal one again', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'beta', betaIps: '10.0.0.2' })
    expect(await stopBeta(cc, key, actor)).toBe(true)
    expect(getConfig(cc, key, { clientIp: '10.0.0.2' }).content).toBe('formal')
    expect(await stopBeta(cc, key, actor)).toBe(false)
  })
})

describe('tag gray (verbs)', () => {
  test('an explicit tag reads only that tag version, and a tag without a version is notFound (no fallback)', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'blue', tag: 'blue' })
    const v = getConfig(cc, { ...key, tag: 'blue' }, {})
    expect([v.content, v.md5, v.tag, v.beta]).toEqual(['blue', md5hex('blue'), 'blue', false])
    expect(() => getConfig(cc, { ...key, tag: 'green' }, {})).toThrow('config data not exist')
    expect(getConfig(cc, key, {}).content).toBe('formal')
  })

  test('an explicit tag does not fall back to a beta version either', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'beta', betaIps: '10.0.0.2' })
    expect(() => getConfig(cc, { ...key, tag: 'blue' }, { clientIp: '10.0.0.2' })).toThrow('config data not exist')
  })

  test('removing with tag "x" or "tag_x" deletes that tag version and keeps the formal one', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'x', tag: 'x' })
    await publishConfig(cc, { ...key, content: 'y', tag: 'y' })
    await removeConfig(cc, { ...key, tag: 'x' }, actor)
    await removeConfig(cc, { ...key, tag: 'tag_y' }, actor)
    expect(tableCounts(storage)).toMatchObject({ config: 1, gray: 0 })
    expect(() => getConfig(cc, { ...key, tag: 'x' }, {})).toThrow('config data not exist')
    expect(() => getConfig(cc, { ...key, tag: 'y' }, {})).toThrow('config data not exist')
    expect(getConfig(cc, key, {}).content).toBe('formal')
  })

  test('removing the formal config keeps its gray versions', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'formal' })
    await publishConfig(cc, { ...key, content: 'blue', tag: 'blue' })
    await removeConfig(cc, key, actor)
    expect(tableCounts(storage)).toMatchObject({ config: 0, gray: 1 })
    expect(getConfig(cc, { ...key, tag: 'blue' }, {}).content).toBe('blue')
    expect(() => getConfig(cc, key, {})).toThrow('config data not exist')
  })
})

describe('gray over HTTP v1', () => {
  async function seeded() {
    const { app, storage } = await memoryApp()
    expect((await call(app, 'POST', CFG, { ...key, content: 'formal' })).text).toBe('true')
    expect((await call(app, 'POST', CFG, { ...key, content: 'beta' }, { headers: { betaIps: '10.0.0.2,10.0.0.3' } })).text).toBe('true')
    expect((await call(app, 'POST', CFG, { ...key, content: 'blue', tag: 'blue' })).text).toBe('true')
    return { app, storage }
  }

  test('GET from a beta IP (X-Forwarded-For) answers the beta version with isBeta and its md5', async () => {
    const { app } = await seeded()
    const r = await call(app, 'GET', CFG, key, { headers: { 'X-Forwarded-For': '10.0.0.3, 172.16.0.1' } })
    expect([r.status, r.text, r.headers.get('isBeta'), r.headers.get('Content-MD5')]).toEqual([200, 'beta', 'true', md5hex('beta')])
    const other = await call(app, 'GET', CFG, key, { headers: { 'X-Forwarded-For': '10.0.0.9' } })
    expect([other.text, other.headers.get('isBeta'), other.headers.get('Content-MD5')]).toEqual(['formal', null, md5hex('formal')])
  })

  test('GET with tag answers the tag version with a tag header; an unknown tag is 404', async () => {
    const { app } = await seeded()
    const r = await call(app, 'GET', CFG, { ...key, tag: 'blue' })
    expect([r.status, r.text, r.headers.get('tag'), r.headers.get('Content-MD5')]).toEqual([200, 'blue', 'blue', md5hex('blue')])
    const none = await call(app, 'GET', CFG, { ...key, tag: 'green' })
    expect([none.status, none.text.replace(/\n$/, '')]).toEqual([404, 'config data not exist'])
  })

  test('GET with a Vipserver-Tag header picks the matching tag version', async () => {
    const { app } = await seeded()
    expect((await call(app, 'GET', CFG, key, { headers: { 'Vipserver-Tag': 'blue' } })).text).toBe('blue')
  })

  test('GET ?beta=true shows the beta version and DELETE ?beta=true stops it', async () => {
    const { app } = await seeded()
    const q = await call(app, 'GET', CFG, { ...key, beta: 'true' })
    expect(q.json()).toMatchObject({ code: 200, data: { dataId: key.dataId, group: 'G', content: 'beta', md5: md5hex('beta'), betaIps: '10.0.0.2,10.0.0.3', tenant: '' } })
    const stop = await call(app, 'DELETE', CFG, { ...key, beta: 'true' })
    expect(stop.json()).toEqual({ code: 200, message: 'stop beta ok', data: true })
    expect((await call(app, 'GET', CFG, key, { headers: { 'X-Forwarded-For': '10.0.0.2' } })).text).toBe('formal')
    expect((await call(app, 'GET', CFG, { ...key, beta: 'true' })).json().data ?? null).toBeNull()
  })

  test('DELETE with tag blue removes only the tag version', async () => {
    const { app, storage } = await seeded()
    expect((await call(app, 'DELETE', CFG, { ...key, tag: 'blue' })).text).toBe('true')
    expect((await call(app, 'GET', CFG, { ...key, tag: 'blue' })).status).toBe(404)
    expect((await call(app, 'GET', CFG, key)).text).toBe('formal')
    expect(tableCounts(storage)).toMatchObject({ config: 1, gray: 1 })
  })

  test('a beta version without a formal config is 404 for other clients', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', CFG, { ...key, content: 'beta' }, { headers: { betaIps: '10.0.0.2' } })
    expect((await call(app, 'GET', CFG, key, { headers: { 'X-Forwarded-For': '10.0.0.9' } })).status).toBe(404)
    expect((await call(app, 'GET', CFG, key, { headers: { 'X-Forwarded-For': '10.0.0.2' } })).text).toBe('beta')
  })
})
