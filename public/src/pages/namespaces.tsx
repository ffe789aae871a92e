import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { errorText } from '../ui/errors'

const messages = {
  en: {
    title: 'Namespaces', create: 'Create namespace', edit: 'Edit', delete: 'Delete', name: 'Name', id: 'ID', desc: 'Description', configs: 'Configs',
    actions: 'Actions', idHelp: 'Optional: generated when blank', required: 'Required', saved: 'Saved', deleted: 'Deleted', confirmDelete: 'Delete namespace {name}?',
    public: 'default', editTitle: 'Edit namespace {name}',
  },
  zh: {
    title: '命名空间', create: '新建命名空间', edit: '编辑', delete: '删除', name: '名称', id: '命名空间 ID', desc: '描述', configs: '配置数',
    actions: '操作', idHelp: '可选：留空则自动生成', required: '必填', saved: '已保存', deleted: '已删除', confirmDelete: '确定删除命名空间 {name}？',
    public: '默认', editTitle: '编辑命名空间 {name}',
  },
}

/** One namespace as /v1/console/namespaces lists it. */
interface NamespaceRow {
  namespace: string
  namespaceShowName: string
  namespaceDesc?: string
  configCount: number
  type: number
}

/** Namespaces with config counts: create, edit, delete (the server refuses to delete one that still holds things). */
export default function NamespacesPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const { reload: reloadShell } = useNamespace()
  const [rows, setRows] = useState<NamespaceRow[]>([])
  const [loading, setLoading] = useState(false)
  const [editing, setEditing] = useState<NamespaceRow | 'new' | null>(null)
  const [form] = Form.useForm<{ id?: string; name: string; desc?: string }>()
  const load = useCallback(() => {
    setLoading(true)
    api
      .get<{ data: NamespaceRow[] }>('v1/console/namespaces')
      .then((r) => setRows(r.data ?? []))
      .catch((e) => message.error(errorText(e)))
      .finally(() => setLoading(false))
  }, [message])
  useEffect(load, [load])
  const changed = () => {
    load()
    reloadShell()
  }
  const save = async () => {
    const v = await form.validateFields()
    try {
      if (editing === 'new') await api.post('v1/console/namespaces', { customNamespaceId: v.id?.trim() || undefined, namespaceName: v.name, namespaceDesc: v.desc ?? '' })
      else if (editing) await api.put('v1/console/namespaces', { namespace: editing.namespace, namespaceShowName: v.name, namespaceDesc: v.desc ?? '' })
      message.success(t('saved'))
      setEditing(null)
      changed()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const remove = async (r: NamespaceRow) => {
    try {
      await api.del('v1/console/namespaces', { namespaceId: r.namespace })
      message.success(t('deleted'))
      changed()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const open = (r: NamespaceRow | 'new') => {
    form.setFieldsValue(r === 'new' ? { id: '', name: '', desc: '' } : { id: r.namespace, name: r.namespaceShowName, desc: r.namespaceDesc ?? '' })
    setEditing(r)
  }
  return (
    <div>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('title')}</Typography.Title>
        <Button id="namespace-create" type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('create')}</Button>
      </Space>
      <Table<NamespaceRow>
        id="namespace-table"
        rowKey={(r) => r.namespace || 'public'}
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('name'), dataIndex: 'namespaceShowName', render: (v: string, r) => <Space>{v}{r.type === 0 && <Tag>{t('public')}</Tag>}</Space> },
          { title: t('id'), dataIndex: 'namespace', render: (v: string) => <Typography.Text copyable={!!v}>{v || 'public'}</Typography.Text> },
          { title: t('desc'), dataIndex: 'namespaceDesc' },
          { title: t('configs'), dataIndex: 'configCount', width: 100 },
          {
            title: t('actions'), key: 'a', width: 160,
            render: (_, r) => r.type === 0 ? null : (
              <Space>
                <Typography.Link onClick={() => open(r)}>{t('edit')}</Typography.Link>
                <Popconfirm title={t('confirmDelete', { name: r.namespaceShowName })} onConfirm={() => remove(r)}>
                  <Typography.Link type="danger">{t('delete')}</Typography.Link>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!editing} title={editing === 'new' ? t('create') : editing ? t('editTitle', { name: editing.namespaceShowName }) : ''} onOk={save} onCancel={() => setEditing(null)} forceRender>
        <Form form={form} layout="vertical">
          <Form.Item name="id" label={t('id')} extra={editing === 'new' ? t('idHelp') : undefined}>
            <Input id="namespace-id" disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input id="namespace-name" />
          </Form.Item>
          <Form.Item name="desc" label={t('desc')}>
            <Input.TextArea id="namespace-desc" rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  )
}
