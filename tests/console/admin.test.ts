// The console's services, access-control and audit pages in real Chromium against a real server: an instance
// registered over the HTTP API shows up with its metadata, its weight is changed in the UI, a user, a role and a
// permission are created in the UI, and the audit log lists those writes.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { browserTestsRun, startConsole, type ConsoleSession } from './support'

const SERVICE = 'console-admin-svc'
const IP = '10.77.0.1'
const PORT = '8080'

let c: ConsoleSession
let beats: ReturnType<typeof setInterval> | undefined
let udp: { port: number; close(): void } | undefined

/** The API's JSON answer, failing the test on a non-2xx. */
async function apiJson(path: string): Promise<any> {
  const r = await c.api(path)
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  return r.json()
}

/** Polls `fn` until it returns true (the UI saves asynchronously). */
async function eventually(fn: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await Bun.sleep(100)
  }
}

describe.skipIf(!browserTestsRun)('console admin pages', () => {
  beforeAll(async () => {
    c = await startConsole()
    const reg = await c.api('/nacos/v1/ns/instance', {
      form: { serviceName: SERVICE, ip: IP, port: PORT, clusterName: 'DEFAULT', metadata: JSON.stringify({ version: '1.2.3', zone: 'east' }) },
    })
    expect(await reg.text()).toBe('ok')
    // An ephemeral HTTP instance lives on beats, as an SDK's would.
    // A 1.x-style subscriber: polling the instance list with a UDP port registers it for pushes.
    const socket = await Bun.udpSocket({ hostname: '127.0.0.1' })
    udp = socket
    expect((await c.api(`/nacos/v1/ns/instance/list?serviceName=${SERVICE}&udpPort=${socket.port}`)).status).toBe(200)
    beats = setInterval(() => void c.api(`/nacos/v1/ns/instance/beat?serviceName=${SERVICE}&ip=${IP}&port=${PORT}`, { method: 'PUT' }).catch(() => {}), 3000)
  }, 30_000)

  afterAll(async () => {
    clearInterval(beats)
    udp?.close()
    await c?.close()
  }, 20_000)

  test('the services list shows the registered service with its counts, and searching narrows it', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/services`)
    const row = page.locator('tr', { hasText: SERVICE })
    await row.waitFor()
    expect(await row.locator('td').allInnerTexts()).toEqual(expect.arrayContaining([SERVICE, 'DEFAULT_GROUP', '1']))
    await page.locator('#serviceFilter_name').fill('no-such-service')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.locator('.ant-empty-description').waitFor()
    await page.locator('#serviceFilter_name').fill('admin-svc')
    await page.getByRole('button', { name: 'Search' }).click()
    await row.waitFor()
  }, 20_000)

  test('the detail page shows the instance with its metadata; a weight edit in the UI reaches the API', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/services`)
    await page.locator('tr', { hasText: SERVICE }).getByText(SERVICE, { exact: true }).click()
    await page.getByText('Service details').waitFor()
    const instance = page.locator('tr', { hasText: IP })
    await instance.getByText('version=1.2.3').waitFor()
    await instance.getByText('zone=east').waitFor()

    await instance.getByText('Edit', { exact: true }).click()
    const dialog = page.getByRole('dialog', { name: /Edit instance/ })
    await dialog.waitFor()
    await page.locator('#editInstance_weight').fill('3')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved').first().waitFor()
    await eventually(async () => (await apiJson(`/nacos/v1/ns/instance?serviceName=${SERVICE}&ip=${IP}&port=${PORT}`)).weight === 3)
    const detail = await apiJson(`/nacos/v1/ns/instance?serviceName=${SERVICE}&ip=${IP}&port=${PORT}`)
    expect(detail.metadata).toEqual({ version: '1.2.3', zone: 'east' })
    // The table shows the new weight once it reloads.
    await instance.locator('td', { hasText: /^3$/ }).waitFor()
  }, 20_000)

  test('the subscribers page lists who subscribes to the service', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/services/detail?namespace=&group=DEFAULT_GROUP&name=${SERVICE}`)
    await page.getByRole('button', { name: 'Subscribers' }).click()
    await page.locator('tr', { hasText: `127.0.0.1:${udp!.port}` }).waitFor()
    expect(await page.locator('#subscriberFilter_name').inputValue()).toBe(SERVICE)
  }, 20_000)

  test('a service\'s protect threshold and metadata are edited from its detail page', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/services/detail?namespace=&group=DEFAULT_GROUP&name=${SERVICE}`)
    await page.getByRole('button', { name: 'Edit service' }).click()
    await page.locator('#editService_protectThreshold').fill('0.4')
    await page.locator('#editService_metadata').fill('owner=payments')
    await page.getByRole('dialog', { name: /Edit service/ }).getByRole('button', { name: 'Save' }).click()
    await page.getByTestId('service-settings').getByText('owner=payments').waitFor()
    const svc = await apiJson(`/nacos/v1/ns/service?serviceName=${SERVICE}`)
    expect(svc).toMatchObject({ protectThreshold: 0.4, metadata: { owner: 'payments' } })
  }, 20_000)

  test('a user is created, a role bound to it and a permission granted to the role, all in the UI', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/users`)
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.locator('#createUser_username').fill('alice')
    await page.locator('#createUser_password').fill('alice-pw-1')
    await page.locator('#createUser_confirm').fill('alice-pw-1')
    await page.getByRole('dialog', { name: 'Create user' }).getByRole('button', { name: 'Save' }).click()
    await page.getByText('User alice created').waitFor()
    await page.locator('tr', { hasText: 'alice' }).waitFor()
    expect((await apiJson('/nacos/v1/auth/users?pageNo=1&pageSize=100')).pageItems.map((u: { username: string }) => u.username)).toContain('alice')

    // The server's refusal reaches the operator as its own words.
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.locator('#createUser_username').fill('alice')
    await page.locator('#createUser_password').fill('another-pw-2')
    await page.locator('#createUser_confirm').fill('another-pw-2')
    await page.getByRole('dialog', { name: 'Create user' }).getByRole('button', { name: 'Save' }).click()
    await page.getByText("user 'alice' already exist!").waitFor()
    await page.getByRole('dialog', { name: 'Create user' }).getByRole('button', { name: 'Cancel' }).click()

    await page.goto(`${baseUrl}#/roles`)
    await page.getByRole('button', { name: 'Bind a role' }).click()
    await page.locator('#bindRole_role').fill('ROLE_DEV')
    await page.locator('#bindRole_username').fill('alice')
    // The user suggestions open over the dialog's buttons: leave the field first, as an operator would.
    await page.locator('#bindRole_role').click()
    await page.getByRole('option', { name: 'alice' }).waitFor({ state: 'hidden' })
    await page.getByRole('dialog', { name: 'Bind a role' }).getByRole('button', { name: 'Save' }).click()
    await page.getByText('Role ROLE_DEV given to alice').waitFor()
    expect((await apiJson('/nacos/v1/auth/roles?username=alice')).pageItems).toEqual([{ role: 'ROLE_DEV', username: 'alice' }])

    await page.goto(`${baseUrl}#/permissions`)
    await page.getByRole('button', { name: 'Add permission' }).click()
    await page.locator('#addPermission_role').fill('ROLE_DEV')
    await page.locator('#addPermission_resource').fill('public:DEFAULT_GROUP:naming/*')
    await page.locator('#addPermission_action').click()
    await page.locator('.ant-select-item-option', { hasText: 'read and write (rw)' }).click()
    await page.getByRole('dialog', { name: 'Add permission' }).getByRole('button', { name: 'Save' }).click()
    await page.getByText('Permission added').waitFor()
    await page.locator('tr', { hasText: 'public:DEFAULT_GROUP:naming/*' }).waitFor()
    expect((await apiJson('/nacos/v1/auth/permissions?role=ROLE_DEV')).pageItems).toEqual([{ role: 'ROLE_DEV', resource: 'public:DEFAULT_GROUP:naming/*', action: 'rw' }])
  }, 20_000)

  test('the audit log lists those writes by the admin and filters by action', async () => {
    const { page, baseUrl, admin } = c
    await page.goto(`${baseUrl}#/audit`)
    for (const action of ['instance.update', 'service.update', 'user.create', 'role.add', 'permission.grant']) await page.locator('td', { hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }).first().waitFor()
    const grantRow = page.locator('tr', { hasText: 'permission.grant' })
    expect(await grantRow.innerText()).toContain(admin.username)
    await page.locator('#auditFilter_action').click()
    await page.locator('.ant-select-item-option', { hasText: 'user.create' }).click()
    await page.getByRole('button', { name: 'Search' }).click()
    await eventually(async () => (await page.locator('tbody tr.ant-table-row').count()) === 1)
    expect(await page.locator('tbody tr.ant-table-row').innerText()).toContain('alice')
  }, 20_000)

  test('the cluster page lists this server as the one node, UP', async () => {
    const { page, baseUrl } = c
    await page.goto(`${baseUrl}#/cluster`)
    const row = page.locator('.ant-card', { hasText: 'Cluster nodes' }).locator('tbody tr.ant-table-row')
    await row.first().waitFor()
    expect(await row.count()).toBe(1)
    expect(await row.innerText()).toContain('UP')
  }, 20_000)
})
