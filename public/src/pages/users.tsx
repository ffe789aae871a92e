import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd'
import { useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { useSession } from '../session'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Users', username: 'Username', password: 'Password', confirm: 'Repeat password', createUser: 'Create user', resetPassword: 'Change password',
    newPassword: 'New password', mismatch: 'The passwords differ', searchPlaceholder: 'Part of a username', created: 'User {name} created', changed: 'Password changed',
    you: 'you',
  },
  zh: {
    title: '用户列表', username: '用户名', password: '密码', confirm: '确认密码', createUser: '创建用户', resetPassword: '修改密码',
    newPassword: '新密码', mismatch: '两次输入的密码不一致', searchPlaceholder: '用户名的一部分', created: '用户 {name} 已创建', changed: '密码已修改',
    you: '当前用户',
  },
})

const confirmRule = (t: (k: 'mismatch') => string, field: string) => ({ getFieldValue }: { getFieldValue(n: string): unknown }) => ({
  validator: (_: unknown, v: unknown) => (!v || v === getFieldValue(field) ? Promise.resolve() : Promise.reject(new Error(t('mismatch')))),
})

/** Users: search, create, change a password, delete. */
export default function UsersPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const { username: me } = useSession()
  const [search, setSearch] = useState('')
  const [creating, setCreating] = useState(false)
  const [resetting, setResetting] = useState<string>()
  const [createForm] = Form.useForm()
  const [resetForm] = Form.useForm()
  const paged = usePaged<{ username: string }>(async (pageNo, pageSize) => {
    // `search=blur` with `*name*` is how Nacos's console asks for a fuzzy match; bnacos reads the fragment either way.
    const r = await api.get<{ totalCount: number; pageItems: { username: string }[] }>('v1/auth/users', { search: search ? 'blur' : 'accurate', username: search ? `*${search}*` : undefined, pageNo, pageSize })
    return { rows: r.pageItems ?? [], total: r.totalCount ?? 0 }
  }, [search])

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn()
      message.success(ok)
      paged.reload()
      return true
    } catch (e) {
      message.error(errorText(e))
      return false
    }
  }

  const create = async () => {
    const v = await createForm.validateFields()
    if (await run(() => api.post('v1/auth/users', { username: v.username.trim(), password: v.password }), t('created', { name: v.username.trim() }))) {
      setCreating(false)
      createForm.resetFields()
    }
  }
  const reset = async () => {
    const v = await resetForm.validateFields()
    if (await run(() => api.put('v1/auth/users', { username: resetting, newPassword: v.newPassword }), t('changed'))) {
      setResetting(undefined)
      resetForm.resetFields()
    }
  }

  return (
    <Card title={t('title')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('createUser')}</Button>}>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('searchPlaceholder')} onSearch={(v) => setSearch(v.trim())} enterButton={t('search')} style={{ width: 320 }} />
      </Space>
      <Table<{ username: string }>
        rowKey="username"
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="middle"
        columns={[
          { title: t('username'), dataIndex: 'username', render: (u: string) => (u === me ? <>{u} <Typography.Text type="secondary">({t('you')})</Typography.Text></> : u) },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space>
                <Typography.Link onClick={() => setResetting(r.username)}>{t('resetPassword')}</Typography.Link>
                {r.username !== me && (
                  <Popconfirm title={t('confirmDelete', { what: r.username })} onConfirm={() => run(() => api.del('v1/auth/users', { username: r.username }), t('deleted'))} okText={t('ok')} cancelText={t('cancel')}>
                    <Typography.Link type="danger">{t('delete')}</Typography.Link>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal title={t('createUser')} open={creating} onOk={create} onCancel={() => setCreating(false)} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form form={createForm} name="createUser" layout="vertical">
          <Form.Item name="username" label={t('username')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label={t('confirm')} dependencies={['password']} rules={[{ required: true, message: t('required') }, confirmRule(t, 'password')]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title={`${t('resetPassword')}: ${resetting ?? ''}`} open={!!resetting} onOk={reset} onCancel={() => setResetting(undefined)} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form form={resetForm} name="resetPassword" layout="vertical">
          <Form.Item name="newPassword" label={t('newPassword')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label={t('confirm')} dependencies={['newPassword']} rules={[{ required: true, message: t('required') }, confirmRule(t, 'newPassword')]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
