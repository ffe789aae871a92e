import { App, Button, Card, Space, Table, Tag, Typography } from 'antd'
import { useState, type ReactNode } from 'react'
import { api } from '../../api'
import { useT } from '../../i18n'
import { errorText } from '../../ui/errors'
import { withCommon } from '../admin/common-messages'
import { MetadataTags } from '../admin/metadata'
import { usePaged } from '../admin/use-paged'
import { InstanceEditModal, instanceForm, type InstanceRow, type ServiceRef } from './instance-edit'

const messages = withCommon({
  en: {
    cluster: 'Cluster {name}', ip: 'IP', port: 'Port', ephemeral: 'Ephemeral', weight: 'Weight', healthy: 'Healthy', metadata: 'Metadata',
    enable: 'Enable', disable: 'Disable', online: 'Online', offline: 'Offline', healthyYes: 'Healthy', healthyNo: 'Unhealthy',
  },
  zh: {
    cluster: '集群 {name}', ip: 'IP', port: '端口', ephemeral: '临时实例', weight: '权重', healthy: '健康状态', metadata: '元数据',
    enable: '上线', disable: '下线', online: '已上线', offline: '已下线', healthyYes: '健康', healthyNo: '不健康',
  },
})

/** One cluster of a service: its instances, a page at a time, each editable. */
export function ClusterInstances({ svc, cluster, refreshKey, extra }: { svc: ServiceRef; cluster: string; refreshKey: number; extra?: ReactNode }) {
  const t = useT(messages)
  const { message } = App.useApp()
  const [editing, setEditing] = useState<InstanceRow>()
  const paged = usePaged<InstanceRow>(async (pageNo, pageSize) => {
    const r = await api.get<{ count: number; list: InstanceRow[] }>('v1/ns/catalog/instances', {
      namespaceId: svc.namespace, groupName: svc.group, serviceName: svc.name, clusterName: cluster, pageNo, pageSize,
    })
    return { rows: r.list ?? [], total: r.count ?? 0 }
  }, [svc, cluster, refreshKey])

  const toggle = async (i: InstanceRow) => {
    try {
      await api.put('v1/ns/instance', instanceForm(svc, i, { enabled: !i.enabled }))
      message.success(t('saved'))
      paged.reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }

  return (
    <Card type="inner" title={t('cluster', { name: cluster })} extra={extra} style={{ marginTop: 16 }} data-testid={`cluster-${cluster}`}>
      <Table<InstanceRow>
        rowKey={(r) => `${r.ip}:${r.port}`}
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="small"
        columns={[
          { title: t('ip'), dataIndex: 'ip' },
          { title: t('port'), dataIndex: 'port' },
          { title: t('ephemeral'), dataIndex: 'ephemeral', render: (v: boolean) => String(v) },
          { title: t('weight'), dataIndex: 'weight' },
          { title: t('healthy'), dataIndex: 'healthy', render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{v ? t('healthyYes') : t('healthyNo')}</Tag> },
          { title: t('metadata'), dataIndex: 'metadata', render: (m: Record<string, string>) => <MetadataTags value={m} /> },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space>
                <Typography.Link onClick={() => setEditing(r)}>{t('edit')}</Typography.Link>
                <Button size="small" danger={r.enabled} onClick={() => toggle(r)}>
                  {r.enabled ? t('disable') : t('enable')}
                </Button>
                {!r.enabled && <Tag>{t('offline')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      <InstanceEditModal
        svc={svc}
        instance={editing}
        onClose={(saved) => {
          setEditing(undefined)
          if (saved) paged.reload()
        }}
      />
    </Card>
  )
}
