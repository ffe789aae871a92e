import { App, AutoComplete, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Roles', role: 'Role', username: 'Username', bindRole: 'Bind a role', roleFilter: 'Role', userFilter: 'Username', bound: 'Role {role} given to {user}',
    unbind: 'Unbind', confirmUnbind: 'Take role {role} from {user}?', adminRole: 'administrator',
  },
  zh: {
    title: '角色管理', role: '角色名', username: '用户名', bindRole: '绑定角色', roleFilter: '角色名', userFilter: '用户名', bound: '已将角色 {role} 绑定到 {user}',
    unbind: '解绑', confirmUnbind: '确定解除 {user} 的角色 {role} 吗？', adminRole: '管理员',
  },
})

interface RoleRow {
  role: string
  username: string
}

/** Role bindings: a role exists while some user holds it (Nacos's model); bind and unbind users. */
export default function RolesPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const [filters, setFilters] = useState({ role: '', username: '' })
  const [binding, setBinding] = useState(false)
  const [userOptions, setUserOptions] = useState<{ value: string }[]>([])
  const [form] = Form.useForm()
  const paged = usePaged<RoleRow>(async (pageNo, pageSize) => {
    const r = await api.get<{ totalCount: number; pageItems: RoleRow[] }>('v1/auth/roles', { role: filters.role || undefined, username: filters.username || undefined, pageNo, pageSize })
    return { rows: r.pageItems ?? [], total: r.totalCount ?? 0 }
  }, [filters])

  // Suggests existing users (one small page) as the operator types; any name can still be typed.
  const suggestUsers = async (text: string) => {
    try {
      const r = await api.get<{ pageItems: { username: string }[] }>('v1/auth/users', { search: 'blur', username: text ? `*${text}*` : undefined, pageNo: 1, pageSize: 10 })
      setUserOptions((r.pageItems ?? []).map((u) => ({ value: u.username })))
    } catch {
      setUserOptions([])
    }
  }

  const bind = async () => {
    const v = await form.validateFields()
    try {
      await api.post('v1/auth/roles', { role: v.role.trim(), username: v.username.trim() })
      message.success(t('bound', { role: v.role.trim(), user: v.username.trim() }))
      setBinding(false)
      form.resetFields()
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const unbind = async (r: RoleRow) => {
    try {
      await api.del('v1/auth/roles', { role: r.role, username: r.username })
      message.success(t('deleted'))
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }

  return (
    <Card title={t('title')} extra={<Button type="primary" onClick={() => (setBinding(true), suggestUsers(''))}>{t('bindRole')}</Button>}>
      <Form name="roleFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v) => setFilters({ role: (v.role ?? '').trim(), username: (v.username ?? '').trim() })}>
        <Form.Item name="role" label={t('roleFilter')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="username" label={t('userFilter')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">{t('search')}</Button>
        </Form.Item>
      </Form>
      <Table<RoleRow>
        rowKey={(r) => `${r.role}|${r.username}`}
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="middle"
        columns={[
          { title: t('role'), dataIndex: 'role', render: (v: string) => (v === 'ROLE_ADMIN' ? <Space>{v}<Tag color="gold">{t('adminRole')}</Tag></Space> : v) },
          { title: t('username'), dataIndex: 'username' },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Popconfirm title={t('confirmUnbind', { role: r.role, user: r.username })} onConfirm={() => unbind(r)} okText={t('ok')} cancelText={t('cancel')}>
                <Typography.Link type="danger">{t('unbind')}</Typography.Link>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal title={t('bindRole')} open={binding} onOk={bind} onCancel={() => setBinding(false)} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form form={form} name="bindRole" layout="vertical">
          <Form.Item name="role" label={t('role')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <AutoComplete options={userOptions} onSearch={suggestUsers} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
