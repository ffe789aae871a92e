import { App, AutoComplete, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Permissions', role: 'Role', resource: 'Resource', action: 'Action', addPermission: 'Add permission', roleFilter: 'Role',
    resourceHelp: 'namespace:group:type/name, * matches anything; picking a namespace fills in namespace:*:*', granted: 'Permission added',
    r: 'read only (r)', w: 'write only (w)', rw: 'read and write (rw)', confirmRevoke: 'Take {action} on {resource} from {role}?', revoke: 'Revoke',
  },
  zh: {
    title: '权限管理', role: '角色名', resource: '资源', action: '动作', addPermission: '添加权限', roleFilter: '角色名',
    resourceHelp: '命名空间:分组:类型/名称，* 匹配任意；选择命名空间会填入 命名空间:*:*', granted: '权限已添加',
    r: '只读 (r)', w: '只写 (w)', rw: '读写 (rw)', confirmRevoke: '确定收回 {role} 对 {resource} 的 {action} 权限吗？', revoke: '删除',
  },
})

interface PermissionRow {
  role: string
  resource: string
  action: string
}

/** Grants of roles on resources (`namespace:group:type/name` patterns) with r, w or rw. */
export default function PermissionsPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const { namespaces } = useNamespace()
  const [role, setRole] = useState('')
  const [adding, setAdding] = useState(false)
  const [roleOptions, setRoleOptions] = useState<{ value: string }[]>([])
  const [form] = Form.useForm()
  const paged = usePaged<PermissionRow>(async (pageNo, pageSize) => {
    const r = await api.get<{ totalCount: number; pageItems: PermissionRow[] }>('v1/auth/permissions', { role: role || undefined, pageNo, pageSize })
    return { rows: r.pageItems ?? [], total: r.totalCount ?? 0 }
  }, [role])

  // Suggests roles that exist (roles live in the user/role bindings); a small page, filtered by what was typed.
  const suggestRoles = async (text: string) => {
    try {
      const r = await api.get<{ pageItems: { role: string }[] }>('v1/auth/roles', { role: text || undefined, pageNo: 1, pageSize: 50 })
      setRoleOptions([...new Set((r.pageItems ?? []).map((x) => x.role))].map((value) => ({ value })))
    } catch {
      setRoleOptions([])
    }
  }

  const add = async () => {
    const v = await form.validateFields()
    try {
      await api.post('v1/auth/permissions', { role: v.role.trim(), resource: v.resource.trim(), action: v.action })
      message.success(t('granted'))
      setAdding(false)
      form.resetFields()
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const revoke = async (p: PermissionRow) => {
    try {
      await api.del('v1/auth/permissions', { role: p.role, resource: p.resource, action: p.action })
      message.success(t('deleted'))
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }

  const actionLabel = (a: string) => (a === 'r' || a === 'w' || a === 'rw' ? t(a) : a)
  return (
    <Card title={t('title')} extra={<Button type="primary" onClick={() => (setAdding(true), suggestRoles(''))}>{t('addPermission')}</Button>}>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('roleFilter')} onSearch={(v) => setRole(v.trim())} enterButton={t('search')} style={{ width: 320 }} />
      </Space>
      <Table<PermissionRow>
        rowKey={(r) => `${r.role}|${r.resource}|${r.action}`}
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="middle"
        columns={[
          { title: t('role'), dataIndex: 'role' },
          { title: t('resource'), dataIndex: 'resource', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('action'), dataIndex: 'action', render: (v: string) => <Tag color={v === 'r' ? 'blue' : 'volcano'}>{actionLabel(v)}</Tag> },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Popconfirm title={t('confirmRevoke', { role: r.role, resource: r.resource, action: r.action })} onConfirm={() => revoke(r)} okText={t('ok')} cancelText={t('cancel')}>
                <Typography.Link type="danger">{t('revoke')}</Typography.Link>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal title={t('addPermission')} open={adding} onOk={add} onCancel={() => setAdding(false)} okText={t('save')} cancelText={t('cancel')} forceRender>
        <Form form={form} name="addPermission" layout="vertical" initialValues={{ action: 'r', resource: 'public:*:*' }}>
          <Form.Item name="role" label={t('role')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <AutoComplete options={roleOptions} onSearch={suggestRoles} />
          </Form.Item>
          <Form.Item label={t('namespace')}>
            <Select
              defaultValue="public"
              options={[{ value: 'public', label: 'public' }, ...namespaces.filter((n) => n.id && n.id !== 'public').map((n) => ({ value: n.id, label: `${n.name} (${n.id})` }))]}
              onChange={(ns: string) => form.setFieldValue('resource', `${ns}:*:*`)}
            />
          </Form.Item>
          <Form.Item name="resource" label={t('resource')} extra={t('resourceHelp')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Form.Item name="action" label={t('action')} rules={[{ required: true, message: t('required') }]}>
            <Select options={(['r', 'w', 'rw'] as const).map((a) => ({ value: a, label: t(a) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
