import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { errorText } from '../ui/errors'
import { withCommon } from './admin/common-messages'
import { SyncPanel } from './cluster/sync-panel'

const messages = withCommon({
  en: {
    title: 'Cluster nodes', address: 'Node', state: 'State', version: 'Version', lastRefresh: 'Last refreshed', failures: 'Failed calls', extendInfo: 'Details',
    keyword: 'Address contains', standalone: 'One node: the server runs standalone.',
  },
  zh: {
    title: '集群节点', address: '节点地址', state: '节点状态', version: '版本', lastRefresh: '最近刷新', failures: '失败次数', extendInfo: '节点元数据',
    keyword: '地址包含', standalone: '单节点：服务器以单机模式运行。',
  },
})

/** A cluster member as Nacos's `GET /v1/core/cluster/nodes` shapes it. */
interface Member {
  ip: string
  port: number
  address: string
  state: string
  extendInfo?: Record<string, unknown>
  failAccessCnt?: number
  abilities?: unknown
}

const stateColor: Record<string, string> = { UP: 'green', DOWN: 'red', SUSPICIOUS: 'orange', STARTING: 'blue', ISOLATION: 'purple' }

/** The cluster's members and their state (one member when standalone), then this node's replication figures. */
export default function ClusterPage() {
  const t = useT(messages)
  const { message } = App.useApp()
  const [keyword, setKeyword] = useState('')
  const [nodes, setNodes] = useState<Member[]>([])
  const [loading, setLoading] = useState(false)
  const [tick, setTick] = useState(0)

  useEffect(() => {
    let live = true
    setLoading(true)
    // Members are few (a cluster is a handful of servers), so the list comes whole; Nacos does not page it either.
    api.get<{ code?: number; data?: Member[] } | Member[]>('v1/core/cluster/nodes', { keyword: keyword || undefined }).then(
      (r) => live && setNodes(Array.isArray(r) ? r : (r.data ?? [])),
      (e) => live && (setNodes([]), message.error(errorText(e))),
    ).finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [keyword, tick])

  const shown = nodes.filter((n) => !keyword || n.address.includes(keyword))
  const time = (v: unknown) => (typeof v === 'number' && v > 0 ? new Date(v).toLocaleString() : '—')
  return (
    <>
      <Card title={t('title')} extra={<Button onClick={() => setTick((x) => x + 1)}>{t('refresh')}</Button>}>
        <Space style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('keyword')} onSearch={(v) => setKeyword(v.trim())} enterButton={t('search')} style={{ width: 320 }} />
        </Space>
        {!loading && nodes.length === 1 && !keyword && <Typography.Paragraph type="secondary">{t('standalone')}</Typography.Paragraph>}
        <Table<Member>
          rowKey="address"
          dataSource={shown}
          loading={loading}
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (m) => <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify({ extendInfo: m.extendInfo, abilities: m.abilities }, null, 2)}</pre> }}
          columns={[
            { title: t('address'), dataIndex: 'address' },
            { title: t('state'), dataIndex: 'state', render: (s: string) => <Tag color={stateColor[s] ?? 'default'}>{s}</Tag> },
            { title: t('version'), key: 'version', render: (_: unknown, m) => String(m.extendInfo?.version ?? '—') },
            { title: t('lastRefresh'), key: 'lastRefresh', render: (_: unknown, m) => time(m.extendInfo?.lastRefreshTime) },
            { title: t('failures'), dataIndex: 'failAccessCnt', render: (v?: number) => v ?? 0 },
          ]}
        />
      </Card>
      <SyncPanel tick={tick} />
    </>
  )
}
