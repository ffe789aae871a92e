import { App, Button, Card, Descriptions, Empty, Result, Space, Spin } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { api } from '../api'
import { useT } from '../i18n'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { MetadataTags } from './admin/metadata'
import type { ServiceRef } from './services/instance-edit'
import { ClusterInstances } from './services/instances-table'
import { ServiceEditModal, type ServiceSettings } from './services/service-edit'

const messages = withCommon({
  en: {
    title: 'Service details', back: 'Back to services', name: 'Service name', group: 'Group', protectThreshold: 'Protect threshold', metadata: 'Metadata',
    selector: 'Selector', editService: 'Edit service', subscribers: 'Subscribers', noClusters: 'No instances registered', missing: 'No service was named in the address',
    healthChecker: 'Health check: {type}',
  },
  zh: {
    title: '服务详情', back: '返回服务列表', name: '服务名', group: '分组', protectThreshold: '保护阈值', metadata: '元数据',
    selector: '选择器', editService: '编辑服务', subscribers: '订阅者', noClusters: '暂无实例', missing: '地址中没有指定服务',
    healthChecker: '健康检查：{type}',
  },
})

/** `GET v1/ns/catalog/service`: the service's settings and its clusters. */
interface ServiceDetail {
  service: ServiceSettings & { name: string; groupName: string; namespaceId?: string }
  clusters: { name: string; healthChecker?: { type: string }; metadata: Record<string, string> }[]
}

/** One service: its settings (editable) and, per cluster, its instances (weight, enabled, metadata editable). */
export default function ServiceDetailPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const svc: ServiceRef = useMemo(() => ({ namespace: params.get('namespace') ?? '', group: params.get('group') || 'DEFAULT_GROUP', name: params.get('name') ?? '' }), [params])
  const [detail, setDetail] = useState<ServiceDetail>()
  const [error, setError] = useState<string>()
  const [editing, setEditing] = useState(false)
  const [tick, setTick] = useState(0)

  useEffect(() => {
    if (!svc.name) return
    let live = true
    api.get<ServiceDetail>('v1/ns/catalog/service', { namespaceId: svc.namespace, groupName: svc.group, serviceName: svc.name }).then(
      (d) => live && (setDetail(d), setError(undefined)),
      (e) => {
        if (!live) return
        setError(errorText(e))
        message.error(errorText(e))
      },
    )
    return () => {
      live = false
    }
  }, [svc, tick])

  const back = <Button onClick={() => navigate('/services')}>{t('back')}</Button>
  if (!svc.name) return <Result status="warning" title={t('missing')} extra={back} />
  if (error && !detail) return <Result status="error" title={error} extra={back} />
  if (!detail) return <Spin />
  const s = detail.service
  const query = new URLSearchParams({ namespace: svc.namespace, group: svc.group, name: svc.name }).toString()
  return (
    <Card
      title={t('title')}
      extra={
        <Space>
          {back}
          <Button onClick={() => navigate(`/services/subscribers?${query}`)}>{t('subscribers')}</Button>
          <Button type="primary" onClick={() => setEditing(true)}>{t('editService')}</Button>
        </Space>
      }
    >
      <Descriptions bordered size="small" column={1} data-testid="service-settings">
        <Descriptions.Item label={t('name')}>{s.name}</Descriptions.Item>
        <Descriptions.Item label={t('group')}>{s.groupName}</Descriptions.Item>
        <Descriptions.Item label={t('protectThreshold')}>{s.protectThreshold}</Descriptions.Item>
        <Descriptions.Item label={t('metadata')}><MetadataTags value={s.metadata} /></Descriptions.Item>
        <Descriptions.Item label={t('selector')}>{s.selector ? `${s.selector.type}${s.selector.expression ? `: ${s.selector.expression}` : ''}` : 'none'}</Descriptions.Item>
      </Descriptions>
      {detail.clusters.length === 0 ? (
        <Empty style={{ marginTop: 24 }} description={t('noClusters')} />
      ) : (
        detail.clusters.map((c) => (
          <ClusterInstances key={c.name} svc={svc} cluster={c.name} refreshKey={tick} extra={c.healthChecker ? t('healthChecker', { type: c.healthChecker.type }) : undefined} />
        ))
      )}
      <ServiceEditModal
        svc={svc}
        settings={s}
        open={editing}
        onClose={(saved) => {
          setEditing(false)
          if (saved) setTick((x) => x + 1)
        }}
      />
    </Card>
  )
}
