import { App, Button, Card, Popconfirm, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { ApiError, api } from '../../api'
import { useT } from '../../i18n'
import { useSession } from '../../session'
import { errorText } from '../../ui/errors'
import { SyncView } from './sync-view'

const messages = {
  en: {
    title: 'Replication on this node', help: 'This node’s figures as it reports them (GET /nacos/v1/core/cluster/sync): change-log position, repairs, last runs, replicated clients.',
    resync: 'Resync', confirmResync: 'Compare every config with the database and pull every peer’s instances now?', resyncDone: 'Resync finished',
    lastResync: 'Last resync ({time})', field: 'Field', value: 'Value', never: 'never', empty: 'None',
  },
  zh: {
    title: '本节点的同步状态', help: '本节点报告的数据（GET /nacos/v1/core/cluster/sync）：变更日志位置、修复次数、最近运行时间、复制的客户端。',
    resync: '重新同步', confirmResync: '立即将所有配置与数据库比对，并从每个节点拉取实例？', resyncDone: '重新同步完成',
    lastResync: '最近一次重新同步（{time}）', field: '字段', value: '值', never: '从未', empty: '无',
  },
}

type Obj = Record<string, unknown>

/**
 * This node's replication figures and, for admins, the resync button. Only a clustered node has them: standalone
 * answers 404, and the panel then shows nothing at all.
 */
export function SyncPanel({ tick }: { tick: number }) {
  const t = useT(messages)
  const { message } = App.useApp()
  const { isAdmin } = useSession()
  const [state, setState] = useState<Obj | null>(null)
  const [resynced, setResynced] = useState<{ at: number; data: Obj } | null>(null)
  const [busy, setBusy] = useState(false)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    let live = true
    api.get<{ data?: Obj }>('v1/core/cluster/sync').then(
      (r) => live && setState(r && typeof r.data === 'object' && r.data ? r.data : null),
      (e) => {
        if (!live) return
        setState(null)
        if (!(e instanceof ApiError && e.status === 404)) message.error(errorText(e))
      },
    )
    return () => {
      live = false
    }
  }, [tick, reload])

  const resync = async () => {
    setBusy(true)
    try {
      const r = await api.post<{ data?: Obj }>('v1/core/cluster/resync')
      setResynced({ at: Date.now(), data: r?.data ?? {} })
      message.success(t('resyncDone'))
      setReload((x) => x + 1)
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  if (!state) return null
  const text = { field: t('field'), value: t('value'), never: t('never'), empty: t('empty') }
  return (
    <Card
      id="cluster-sync"
      title={t('title')}
      style={{ marginTop: 16 }}
      extra={isAdmin && (
        <Popconfirm title={t('confirmResync')} onConfirm={resync}>
          <Button id="cluster-resync" loading={busy}>{t('resync')}</Button>
        </Popconfirm>
      )}
    >
      <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
      {resynced && (
        <div id="cluster-resync-result" style={{ marginBottom: 16 }}>
          <SyncView data={{ [t('lastResync', { time: new Date(resynced.at).toLocaleTimeString() })]: resynced.data }} text={text} />
        </div>
      )}
      <SyncView data={state} text={text} />
    </Card>
  )
}
