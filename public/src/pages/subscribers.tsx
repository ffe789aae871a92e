import { Button, Card, Form, Input, Space, Table, Typography } from 'antd'
import { useEffect } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { api } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { withCommon } from './admin/common-messages'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Subscribers', serviceName: 'Service name', groupName: 'Group', address: 'Address', agent: 'Client', app: 'Application', clusters: 'Clusters',
    hint: 'Name a service to see who subscribes to it', back: 'Back to services', allClusters: 'all',
  },
  zh: {
    title: '订阅者列表', serviceName: '服务名', groupName: '分组', address: '地址', agent: '客户端版本', app: '应用名', clusters: '集群',
    hint: '输入服务名查看订阅者', back: '返回服务列表', allClusters: '全部',
  },
})

/** A row of `GET v1/ns/service/subscribers`. */
interface SubscriberRow {
  addrStr: string
  agent: string
  app: string
  ip: string
  port: number
  cluster?: string
}

/** Who subscribes to a service: the service comes from the address (`?group=&name=`) or the search form. */
export default function SubscribersPage() {
  const t = useT(messages)
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const { namespace } = useNamespace()
  const name = params.get('name') ?? ''
  const group = params.get('group') ?? ''
  // The address's namespace wins when it came from a service page; otherwise the header's.
  const ns = params.get('namespace') ?? namespace
  const [form] = Form.useForm()
  useEffect(() => form.setFieldsValue({ name, group }), [name, group])

  const paged = usePaged<SubscriberRow>(async (pageNo, pageSize) => {
    if (!name) return { rows: [], total: 0 }
    const r = await api.get<{ count: number; subscribers: SubscriberRow[] }>('v1/ns/service/subscribers', { namespaceId: ns, serviceName: name, groupName: group || undefined, pageNo, pageSize })
    return { rows: r.subscribers ?? [], total: r.count ?? 0 }
  }, [ns, name, group])

  const search = (v: { name?: string; group?: string }) => {
    const next = new URLSearchParams()
    if (params.get('namespace') !== null) next.set('namespace', ns)
    if (v.group?.trim()) next.set('group', v.group.trim())
    if (v.name?.trim()) next.set('name', v.name.trim())
    setParams(next)
    paged.reload()
  }

  return (
    <Card title={t('title')} extra={<Button onClick={() => navigate('/services')}>{t('back')}</Button>}>
      <Form form={form} name="subscriberFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={search}>
        <Form.Item name="name" label={t('serviceName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="group" label={t('groupName')}>
          <Input allowClear placeholder="DEFAULT_GROUP" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t('search')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {!name && <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>}
      <Table<SubscriberRow>
        rowKey={(r) => `${r.addrStr}|${r.agent}|${r.cluster ?? ''}`}
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="middle"
        columns={[
          { title: t('address'), dataIndex: 'addrStr' },
          { title: t('agent'), dataIndex: 'agent' },
          { title: t('app'), dataIndex: 'app' },
          { title: t('clusters'), dataIndex: 'cluster', render: (v: string | undefined) => v || t('allClusters') },
        ]}
      />
    </Card>
  )
}
