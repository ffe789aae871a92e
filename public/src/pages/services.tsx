import { App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { api } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { parseMetadataText } from './admin/metadata'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Services', serviceName: 'Service name', groupName: 'Group', clusterCount: 'Clusters', ipCount: 'Instances', healthyCount: 'Healthy instances',
    threshold: 'Protection triggered', detail: 'Details', subscribers: 'Subscribers', createService: 'Create service', protectThreshold: 'Protect threshold',
    metadata: 'Metadata (JSON or key=value lines)', hideEmpty: 'Hide empty services', namePlaceholder: 'Part of a service name', groupPlaceholder: 'Part of a group name',
    thresholdHelp: 'Between 0 and 1', serviceCreated: 'Service created',
  },
  zh: {
    title: '服务列表', serviceName: '服务名', groupName: '分组', clusterCount: '集群数', ipCount: '实例数', healthyCount: '健康实例数',
    threshold: '触发保护阈值', detail: '详情', subscribers: '订阅者', createService: '创建服务', protectThreshold: '保护阈值',
    metadata: '元数据（JSON 或每行 key=value）', hideEmpty: '隐藏空服务', namePlaceholder: '服务名的一部分', groupPlaceholder: '分组名的一部分',
    thresholdHelp: '0 到 1 之间', serviceCreated: '服务已创建',
  },
})

/** A row of `GET v1/ns/catalog/services` (Nacos ServiceView). */
interface ServiceRow {
  name: string
  groupName: string
  clusterCount: number
  ipCount: number
  healthyInstanceCount: number
  triggerFlag: string
}

/** The query string of a service's detail and subscribers pages. */
export function serviceQuery(namespace: string, group: string, name: string): string {
  return new URLSearchParams({ namespace, group, name }).toString()
}

/** Services of the chosen namespace, searched by name and group, with instance and healthy counts. */
export default function ServicesPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const navigate = useNavigate()
  const { namespace } = useNamespace()
  const [filters, setFilters] = useState({ name: '', group: '', hideEmpty: false })
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm()
  const paged = usePaged<ServiceRow>(async (pageNo, pageSize) => {
    const r = await api.get<{ count: number; serviceList: ServiceRow[] }>('v1/ns/catalog/services', {
      namespaceId: namespace, serviceNameParam: filters.name || undefined, groupNameParam: filters.group || undefined, hasIpCount: filters.hideEmpty || undefined, pageNo, pageSize,
    })
    return { rows: r.serviceList ?? [], total: r.count ?? 0 }
  }, [namespace, filters])

  const remove = async (row: ServiceRow) => {
    try {
      await api.del('v1/ns/service', { namespaceId: namespace, groupName: row.groupName, serviceName: row.name })
      message.success(t('deleted'))
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }

  const create = async () => {
    const v = await form.validateFields()
    try {
      const metadata = parseMetadataText(v.metadata ?? '')
      await api.post('v1/ns/service', {
        namespaceId: namespace, serviceName: v.serviceName.trim(), groupName: v.groupName?.trim() || undefined, protectThreshold: v.protectThreshold ?? 0, metadata: JSON.stringify(metadata),
      })
      message.success(t('serviceCreated'))
      setCreating(false)
      form.resetFields()
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }

  const open = (path: string, row: ServiceRow) => navigate(`${path}?${serviceQuery(namespace, row.groupName, row.name)}`)

  return (
    <Card title={t('title')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('createService')}</Button>}>
      <Form name="serviceFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v) => setFilters({ name: (v.name ?? '').trim(), group: (v.group ?? '').trim(), hideEmpty: !!v.hideEmpty })}>
        <Form.Item name="name" label={t('serviceName')}>
          <Input allowClear placeholder={t('namePlaceholder')} data-testid="service-search-name" />
        </Form.Item>
        <Form.Item name="group" label={t('groupName')}>
          <Input allowClear placeholder={t('groupPlaceholder')} />
        </Form.Item>
        <Form.Item name="hideEmpty" valuePropName="checked">
          <Checkbox>{t('hideEmpty')}</Checkbox>
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t('search')}</Button>
            <Button onClick={paged.reload}>{t('refresh')}</Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<ServiceRow>
        rowKey={(r) => `${r.groupName}@@${r.name}`}
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="middle"
        columns={[
          { title: t('serviceName'), dataIndex: 'name', render: (v: string, r) => <Typography.Link onClick={() => open('/services/detail', r)}>{v}</Typography.Link> },
          { title: t('groupName'), dataIndex: 'groupName' },
          { title: t('clusterCount'), dataIndex: 'clusterCount' },
          { title: t('ipCount'), dataIndex: 'ipCount' },
          { title: t('healthyCount'), dataIndex: 'healthyInstanceCount', render: (v: number, r) => <Typography.Text type={v < r.ipCount ? 'warning' : undefined}>{v}</Typography.Text> },
          { title: t('threshold'), dataIndex: 'triggerFlag', render: (v: string) => (v === 'true' ? <Tag color="red">{t('yes')}</Tag> : <Tag>{t('no')}</Tag>) },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space>
                <Typography.Link onClick={() => open('/services/detail', r)}>{t('detail')}</Typography.Link>
                <Typography.Link onClick={() => open('/services/subscribers', r)}>{t('subscribers')}</Typography.Link>
                <Popconfirm title={t('confirmDelete', { what: r.name })} onConfirm={() => remove(r)} okText={t('ok')} cancelText={t('cancel')}>
                  <Typography.Link type="danger">{t('delete')}</Typography.Link>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal title={t('createService')} open={creating} onOk={create} onCancel={() => setCreating(false)} okText={t('save')} cancelText={t('cancel')} destroyOnHidden>
        <Form form={form} name="createService" layout="vertical" initialValues={{ protectThreshold: 0 }}>
          <Form.Item name="serviceName" label={t('serviceName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="groupName" label={t('groupName')}>
            <Input placeholder="DEFAULT_GROUP" />
          </Form.Item>
          <Form.Item name="protectThreshold" label={t('protectThreshold')} extra={t('thresholdHelp')}>
            <InputNumber min={0} max={1} step={0.1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="metadata" label={t('metadata')}>
            <Input.TextArea rows={4} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
