import { Alert, App, Button, Input, Popconfirm, Space, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, request } from '../../api'
import { useT } from '../../i18n'
import { errorText } from '../../ui/errors'

const messages = {
  en: {
    title: 'Beta publish', help: 'Publish the content above only to these client IPs (comma-separated); others keep the formal version.',
    ips: 'e.g. 10.0.0.1,10.0.0.2', publishBeta: 'Publish as beta', stop: 'Stop beta', confirmStop: 'Stop the beta? Its clients go back to the formal version.',
    current: 'A beta is running for {ips}', none: 'No beta running', published: 'Beta published', stopped: 'Beta stopped', needIps: 'Enter at least one IP',
  },
  zh: {
    title: 'Beta 发布', help: '仅向这些客户端 IP（逗号分隔）发布上面的内容，其他客户端仍使用正式版本。',
    ips: '例如 10.0.0.1,10.0.0.2', publishBeta: '发布 Beta', stop: '停止 Beta', confirmStop: '停止 Beta？其客户端将回到正式版本。',
    current: '正在对 {ips} 进行 Beta 发布', none: '没有进行中的 Beta', published: 'Beta 已发布', stopped: 'Beta 已停止', needIps: '请至少填写一个 IP',
  },
}

interface Beta {
  betaIps: string
  content: string
}

/** Beta publish of a config to listed client IPs, and stopping it (header betaIps; GET/DELETE with beta=true). */
export function BetaPanel({ dataId, group, namespace, check }: { dataId: string; group: string; namespace: string; check(): Promise<{ type: string; content: string } | null> }) {
  const t = useT(messages)
  const { message } = App.useApp()
  const [beta, setBeta] = useState<Beta | null>(null)
  const [ips, setIps] = useState('')
  const [busy, setBusy] = useState(false)
  const key = { dataId, group, tenant: namespace }
  const load = useCallback(() => {
    api
      .get<{ data?: Beta }>('v1/cs/configs', { beta: true, dataId, group, tenant: namespace })
      .then((r) => {
        setBeta(r.data ?? null)
        if (r.data?.betaIps) setIps(r.data.betaIps)
      })
      .catch((e) => message.error(errorText(e)))
  }, [dataId, group, namespace, message])
  useEffect(load, [load])
  const publish = async () => {
    const list = ips.split(/[,\s]+/).filter(Boolean)
    if (!list.length) return message.warning(t('needIps'))
    const v = await check()
    if (!v) return
    setBusy(true)
    try {
      await request('POST', 'v1/cs/configs', undefined, { form: { ...key, content: v.content, type: v.type }, headers: { betaIps: list.join(',') } })
      message.success(t('published'))
      load()
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  const stop = async () => {
    try {
      await api.del('v1/cs/configs', { ...key, beta: true })
      message.success(t('stopped'))
      setBeta(null)
    } catch (e) {
      message.error(errorText(e))
    }
  }
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
      <Alert id="beta-state" type={beta ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }} title={beta ? t('current', { ips: beta.betaIps }) : t('none')} />
      <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
        <Input id="beta-ips" placeholder={t('ips')} value={ips} onChange={(e) => setIps(e.target.value)} />
        <Button id="beta-publish" loading={busy} onClick={publish}>{t('publishBeta')}</Button>
      </Space.Compact>
      {beta && (
        <Popconfirm title={t('confirmStop')} onConfirm={stop}>
          <Button id="beta-stop" danger style={{ marginLeft: 8 }}>{t('stop')}</Button>
        </Popconfirm>
      )}
    </div>
  )
}
