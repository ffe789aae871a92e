// The config pages in real Chromium: login, validation refusing bad YAML, publish, edit, history + diff, rollback,
// export and import, and namespaces (delete refused while not empty).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { unzipSync } from 'fflate'
import { browserTestsRun, startConsole, type ConsoleSession } from './support'

const hasChromium = browserTestsRun
const dataId = 'order-service.yaml'
const q = `dataId=${dataId}&group=DEFAULT_GROUP`

describe.skipIf(!hasChromium)('console: configs', () => {
  let c: ConsoleSession
  beforeAll(async () => {
    c = await startConsole()
  }, 30_000)
  afterAll(async () => {
    await c?.close()
  })

  const content = async () => {
    const r = await c.api(`/nacos/v1/cs/configs?${q}`)
    return r.status === 200 ? await r.text() : null
  }
  const token = async () => {
    const r = await fetch(`${c.baseUrl}v1/auth/login`, { method: 'POST', body: new URLSearchParams(c.admin) })
    return ((await r.json()) as { accessToken: string }).accessToken
  }
  const md5 = async () => ((await (await c.api(`/nacos/v1/cs/configs?${q}&show=all`)).json()) as { md5: string }).md5
  const editor = () => c.page.locator('.config-editor .cm-content')
  /** Types over the editor's text like a user, then waits until the editor shows exactly that text; a fill that
   *  lands while CodeMirror redraws (after a format switch) is done again, as a user would. */
  const setEditor = async (text: string) => {
    let shown = ''
    for (let attempt = 0; attempt < 3; attempt++) {
      await editor().fill(text)
      for (const until = Date.now() + 2_000; Date.now() < until; await Bun.sleep(50)) {
        shown = (await editor().locator('.cm-line').allTextContents()).join('\n')
        if (shown === text) return
      }
    }
    expect(shown).toBe(text)
  }
  const confirm = () => c.page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click()
  const row = (text: string) => c.page.locator('#config-table tr', { hasText: text })

  test('a YAML config with an error is refused, fixed, published and edited', async () => {
    const p = c.page
    await p.locator('#config-create').click()
    await p.locator('#config-dataId').fill(dataId)
    await p.locator('#config-type').getByText('YAML', { exact: true }).click()
    await setEditor('server:\n  port: 8080\n name: broken\n')
    await p.locator('#config-publish').click()
    await expect(p.locator('#config-validation').textContent()).resolves.toContain('line 3')
    // The editor marks the same line as the user types (CodeMirror lint).
    await p.locator('.config-editor .cm-lint-marker-error').waitFor()
    expect(await content()).toBeNull()

    await setEditor('server:\n  port: 8080\n')
    await expect(p.locator('#config-validation').count()).resolves.toBe(0)
    await p.locator('#config-publish').click()
    await row(dataId).waitFor()
    expect(await content()).toBe('server:\n  port: 8080\n')

    await row(dataId).getByText('Edit', { exact: true }).click()
    await p.locator('.config-editor .cm-line', { hasText: 'port: 8080' }).waitFor()
    await expect(p.locator('#config-dataId').isDisabled()).resolves.toBe(true)
    await setEditor('server:\n  port: 9090\n')
    await p.locator('#config-compare').click()
    await p.locator('#diff-view .cm-merge-a .cm-line', { hasText: 'port: 8080' }).waitFor()
    await p.locator('#diff-view .cm-merge-b .cm-line', { hasText: 'port: 9090' }).waitFor()
    await p.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click()
    await p.locator('#diff-view').waitFor({ state: 'detached' })
    await p.locator('#config-publish').click()
    await row(dataId).waitFor()
    expect(await content()).toBe('server:\n  port: 9090\n')
    const meta = (await (await c.api(`/nacos/v1/cs/configs?${q}&show=all`)).json()) as { type: string }
    expect(meta.type).toBe('yaml')
  }, 40_000)

  test('json, xml, toml and properties content is checked against its format before publishing', async () => {
    const p = c.page
    const bad: [string, string, string][] = [
      ['JSON', '{\n  "a": 1,\n  "b": \n}', 'line 4'],
      ['XML', '<a>\n  <b>\n</a>', 'line 3'],
      ['TOML', 'a = 1\nb = \n', 'line 2'],
      ['PROPERTIES', 'a=1\njust-a-word-without-value\n', 'line 2'],
    ]
    for (const [type, text, where] of bad) {
      await p.goto(`${c.baseUrl}#/configs/edit?namespace=`)
      await p.locator('#config-dataId').fill(`bad.${type.toLowerCase()}`)
      await p.locator('#config-type').getByText(type, { exact: true }).click()
      await setEditor(text)
      await p.locator('#config-publish').click()
      await expect(p.locator('#config-validation').textContent()).resolves.toContain(where)
      const r = await c.api(`/nacos/v1/cs/configs?dataId=bad.${type.toLowerCase()}&group=DEFAULT_GROUP`)
      expect(r.status).toBe(404)
    }
    await p.goto(`${c.baseUrl}#/configs`)
  }, 30_000)

  test('history lists versions, diffs one against the current, and rolls back by publishing it anew', async () => {
    const p = c.page
    await p.goto(`${c.baseUrl}#/configs`)
    await row(dataId).getByText('History', { exact: true }).click()
    const versions = p.locator('#history-table tbody tr.ant-table-row')
    await versions.nth(1).waitFor()
    expect(await versions.count()).toBe(2)
    const created = versions.filter({ hasText: 'Created' })
    await created.getByText('Compare with current').click()
    const diff = p.locator('#diff-view')
    await diff.locator('.cm-merge-a .cm-line', { hasText: 'port: 8080' }).waitFor()
    await diff.locator('.cm-merge-b .cm-line', { hasText: 'port: 9090' }).waitFor()
    expect(await diff.locator('.cm-changedLine').count()).toBeGreaterThan(0)
    await p.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click()
    await diff.waitFor({ state: 'detached' })

    await created.getByText('Roll back').click()
    await confirm()
    await versions.nth(2).waitFor()
    expect(await content()).toBe('server:\n  port: 8080\n')
    expect(await versions.count()).toBe(3)
    // The rollback is a new "Updated" version on top; nothing was deleted.
    await expect(versions.first().textContent()).resolves.toContain('Updated')
  }, 30_000)

  test('beta publish to listed IPs and stop; the listeners page shows a long-polling client and its md5', async () => {
    const p = c.page
    await p.goto(`${c.baseUrl}#/configs/edit?${q}&namespace=`)
    await p.locator('.config-editor .cm-line', { hasText: 'port: 8080' }).waitFor()
    await p.locator('#beta-state').getByText('No beta running').waitFor()
    await setEditor('server:\n  port: 7070\n')
    await p.locator('#beta-ips').fill('10.1.1.1, 10.1.1.2')
    await p.locator('#beta-publish').click()
    await p.locator('#beta-state').getByText('A beta is running for 10.1.1.1,10.1.1.2').waitFor()
    const beta = (await (await c.api(`/nacos/v1/cs/configs?${q}&beta=true`)).json()) as { data: { betaIps: string; content: string } }
    expect(beta.data).toMatchObject({ betaIps: '10.1.1.1,10.1.1.2', content: 'server:\n  port: 7070\n' })
    expect(await content()).toBe('server:\n  port: 8080\n')
    await p.locator('#beta-stop').click()
    await confirm()
    await p.locator('#beta-state').getByText('No beta running').waitFor()
    expect(((await (await c.api(`/nacos/v1/cs/configs?${q}&beta=true`)).json()) as { data?: unknown }).data).toBeUndefined()

    // A 1.x client long-polls holding the current md5, so the server holds the request: the listeners page lists it.
    const stop = new AbortController()
    const held = fetch(`${c.baseUrl}v1/cs/configs/listener`, {
      method: 'POST', signal: stop.signal, headers: { 'Long-Pulling-Timeout': '30000', accessToken: await token() },
      body: new URLSearchParams({ 'Listening-Configs': `${dataId}\u0002DEFAULT_GROUP\u0002${await md5()}\u0001` }),
    }).catch(() => null)
    try {
      await p.goto(`${c.baseUrl}#/configs/listeners?${q}&namespace=`)
      const line = p.locator('#listener-table tbody tr.ant-table-row', { hasText: '127.0.0.1' })
      await line.waitFor()
      await expect(line.textContent()).resolves.toContain(await md5())
      await line.getByText('up to date').waitFor()
    } finally {
      stop.abort()
      await held
    }
  }, 30_000)

  test('export downloads a Nacos zip that import brings back', async () => {
    const p = c.page
    await p.goto(`${c.baseUrl}#/configs`)
    await row(dataId).waitFor()
    const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('#config-export').click()])
    const path = await dl.path()
    const files = unzipSync(new Uint8Array(readFileSync(path)))
    // exportV2: Nacos 2.x's zip, whose metadata file (.metadata.yml) also carries each config's type.
    expect(Object.keys(files)).toContain('.metadata.yml')
    expect(new TextDecoder().decode(files['.metadata.yml'])).toContain('type: yaml')
    const entry = Object.keys(files).find((n) => n.endsWith(dataId))!
    expect(new TextDecoder().decode(files[entry])).toBe('server:\n  port: 8080\n')

    await row(dataId).getByText('More').hover()
    await c.page.locator('.ant-dropdown-menu-item', { hasText: 'Delete' }).click()
    await c.page.locator('.ant-modal-confirm').getByRole('button', { name: 'OK' }).click()
    await row(dataId).waitFor({ state: 'detached' })
    expect(await content()).toBeNull()

    await p.locator('#config-import').click()
    await p.locator('.ant-modal input[type=file]').setInputFiles(path)
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-message').getByText('1 written, 0 skipped').waitFor()
    await row(dataId).waitFor()
    expect(await content()).toBe('server:\n  port: 8080\n')

    // Again with the "skip" policy: the existing config is kept as it is.
    await c.api('/nacos/v1/cs/configs', { form: { dataId, group: 'DEFAULT_GROUP', content: 'server:\n  port: 6060\n', type: 'yaml' } })
    await p.locator('#config-import').click()
    await p.locator('#transfer-policy').click()
    await p.locator('.ant-select-item-option', { hasText: 'Skip' }).click()
    await p.locator('.ant-modal input[type=file]').setInputFiles(path)
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-message').getByText('0 written, 1 skipped').waitFor()
    expect(await content()).toBe('server:\n  port: 6060\n')
    await c.api('/nacos/v1/cs/configs', { form: { dataId, group: 'DEFAULT_GROUP', content: 'server:\n  port: 8080\n', type: 'yaml' } })
  }, 30_000)

  test('rolling back the version of a deleted config recreates it', async () => {
    const p = c.page
    const del = await c.api(`/nacos/v1/cs/configs?${q}`, { method: 'DELETE' })
    expect(await del.text()).toBe('true')
    expect(await content()).toBeNull()
    await p.goto(`${c.baseUrl}#/configs/history?${q}&namespace=`)
    const top = p.locator('#history-table tbody tr.ant-table-row').first()
    await top.getByText('Deleted').waitFor()
    await top.getByText('Roll back').click()
    await confirm()
    await p.locator('.ant-message-success').getByText(/Rolled back: version \d+ is now current/).waitFor()
    expect(await content()).toBe('server:\n  port: 8080\n')
  }, 20_000)

  test('namespaces: create one, clone a config into it, and deleting it is refused while it is not empty', async () => {
    const p = c.page
    await p.goto(`${c.baseUrl}#/namespaces`)
    await p.locator('#namespace-create').click()
    await p.locator('#namespace-id').fill('team-a')
    await p.locator('#namespace-name').fill('Team A')
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    const nsRow = p.locator('#namespace-table tr', { hasText: 'team-a' })
    await nsRow.waitFor()
    await expect(nsRow.locator('td').nth(3).textContent()).resolves.toBe('0')

    await p.goto(`${c.baseUrl}#/configs`)
    await row(dataId).locator('.ant-checkbox-input').check()
    await p.locator('#config-clone').click()
    await p.locator('#clone-target').click()
    await p.locator('.ant-select-item-option', { hasText: 'team-a' }).click()
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-message').getByText('1 written, 0 skipped').last().waitFor()
    const cloned = await c.api(`/nacos/v1/cs/configs?${q}&tenant=team-a`)
    expect(await cloned.text()).toBe('server:\n  port: 8080\n')

    await p.goto(`${c.baseUrl}#/namespaces`)
    await expect(nsRow.locator('td').nth(3).textContent()).resolves.toBe('1')
    await nsRow.getByText('Delete').click()
    await confirm()
    const err = p.locator('.ant-message-error')
    await err.waitFor()
    await expect(err.textContent()).resolves.toContain('namespace team-a is not empty')
    await expect(nsRow.count()).resolves.toBe(1)

    // The header's selector offers the new namespace and the config list follows it.
    await c.api('/nacos/v1/cs/configs', { form: { dataId: 'only-in-team-a.properties', group: 'DEFAULT_GROUP', tenant: 'team-a', content: 'a=1', type: 'properties' } })
    await p.goto(`${c.baseUrl}#/configs`)
    await p.locator('#namespace-select').click()
    await p.locator('.ant-select-item-option', { hasText: 'team-a' }).click()
    await row('only-in-team-a.properties').waitFor()
    await row(dataId).waitFor()
  }, 30_000)
})
