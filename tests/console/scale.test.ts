// 10,000 configs through the console: imported in one zip from the browser, then listed, searched and paged on the
// server — the browser only ever holds one page of rows.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { browserTestsRun, startConsole, type ConsoleSession } from './support'

const N = 10_000
const pad = (i: number) => String(i).padStart(5, '0')

describe.skipIf(!browserTestsRun)('console: 10,000 configs', () => {
  let c: ConsoleSession
  let dir: string
  beforeAll(async () => {
    c = await startConsole()
    dir = mkdtempSync(join(tmpdir(), 'bnacos-scale-'))
    const files: Record<string, Uint8Array> = {}
    for (let i = 0; i < N; i++) files[`G${i % 10}/cfg-${pad(i)}.properties`] = new TextEncoder().encode(`index=${i}\n`)
    writeFileSync(join(dir, 'many.zip'), zipSync(files, { level: 1 }))
  }, 30_000)
  afterAll(async () => {
    await c?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const rows = () => c.page.locator('#config-table tbody tr.ant-table-row')

  test('a 10,000-config zip imports from the browser and the list pages on the server', async () => {
    const p = c.page
    await p.locator('#config-import').click()
    await p.locator('.ant-modal input[type=file]').setInputFiles(join(dir, 'many.zip'))
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-message').getByText(`${N} written, 0 skipped`).waitFor({ timeout: 30_000 })
    await p.locator('.ant-pagination-total-text').getByText(`${N} in all`).waitFor()
    expect(await rows().count()).toBe(20)

    // Jump to the last page: still one page of rows, fetched from the server.
    await p.locator('.ant-pagination-options-quick-jumper input').fill('500')
    await p.locator('.ant-pagination-options-quick-jumper input').press('Enter')
    await p.locator('.ant-pagination-item-active').getByText('500').waitFor()
    await rows().nth(19).waitFor()
    expect(await rows().count()).toBe(20)

    // Fuzzy: a plain fragment matches anywhere; exact needs the whole name (and group).
    await p.locator('#config-search-dataId').fill('cfg-0042')
    await p.locator('#config-search').click()
    await p.locator('.ant-pagination-total-text').getByText('10 in all').waitFor()
    expect(await rows().count()).toBe(10)

    // Batch delete: select the page, delete the selection (by ids), and the server's total drops by ten.
    await p.locator('#config-table thead .ant-checkbox-input').check()
    await p.locator('#config-delete-selected').click()
    await p.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-pagination-total-text').waitFor({ state: 'detached' })
    const left = await c.api('/nacos/v1/cs/configs?search=blur&dataId=*&pageNo=1&pageSize=1')
    expect(((await left.json()) as { totalCount: number }).totalCount).toBe(N - 10)

    await p.locator('#config-search-mode').getByText('Exact').click()
    await p.locator('#config-search-dataId').fill('cfg-00421.properties')
    await p.locator('#config-search-group').fill('G1')
    await p.locator('#config-search').click()
    await p.locator('#config-table .ant-empty').waitFor()
    await p.locator('#config-search-dataId').fill('cfg-00431.properties')
    await p.locator('#config-search-group').fill('G1')
    await p.locator('#config-search').click()
    await p.locator('.ant-pagination-total-text').getByText('1 in all').waitFor()
    await expect(rows().first().textContent()).resolves.toContain('cfg-00431.properties')

    await p.goto(`${c.baseUrl}#/namespaces`)
    await p.locator('#namespace-table tr', { hasText: 'public' }).locator('td', { hasText: String(N - 10) }).waitFor()
  }, 60_000)
})
