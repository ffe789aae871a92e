import { App, Form, Input, InputNumber, Modal, Switch } from 'antd'
import { useEffect } from 'react'
import { api } from '../../api'
import { useT } from '../../i18n'
import { errorText } from '../../ui/errors'
import { withCommon } from '../admin/common-messages'
import { formatMetadata, parseMetadataText } from '../admin/metadata'

const messages = withCommon({
  en: { title: 'Edit instance {addr}', weight: 'Weight', enabled: 'Enabled', metadata: 'Metadata (JSON or key=value lines)', weightHelp: 'Between 0 and 10000; 0 takes no traffic' },
  zh: { title: '编辑实例 {addr}', weight: '权重', enabled: '上线', metadata: '元数据（JSON 或每行 key=value）', weightHelp: '0 到 10000；0 不接收流量' },
})

/** An instance as `GET v1/ns/catalog/instances` lists it. */
export interface InstanceRow {
  instanceId: string
  ip: string
  port: number
  weight: number
  healthy: boolean
  enabled: boolean
  ephemeral: boolean
  clusterName: string
  metadata: Record<string, string>
}

/** Where an instance lives: what `PUT v1/ns/instance` needs besides the change. */
export interface ServiceRef {
  namespace: string
  group: string
  name: string
}

/** The form data `PUT v1/ns/instance` takes for one instance. */
export function instanceForm(svc: ServiceRef, i: InstanceRow, change: { weight?: number; enabled?: boolean; metadata?: Record<string, string> }) {
  return {
    namespaceId: svc.namespace, groupName: svc.group, serviceName: svc.name, clusterName: i.clusterName, ip: i.ip, port: i.port, ephemeral: i.ephemeral,
    weight: change.weight ?? i.weight, enabled: change.enabled ?? i.enabled, metadata: JSON.stringify(change.metadata ?? i.metadata),
  }
}

/** The modal that edits an instance's weight, enabled flag and metadata (`PUT v1/ns/instance`). */
export function InstanceEditModal({ svc, instance, onClose }: { svc: ServiceRef; instance: InstanceRow | undefined; onClose(saved: boolean): void }) {
  const t = useT(messages)
  const { message } = App.useApp()
  const [form] = Form.useForm()
  useEffect(() => {
    if (instance) form.setFieldsValue({ weight: instance.weight, enabled: instance.enabled, metadata: formatMetadata(instance.metadata) })
  }, [instance])

  const save = async () => {
    if (!instance) return
    const v = await form.validateFields()
    try {
      await api.put('v1/ns/instance', instanceForm(svc, instance, { weight: v.weight, enabled: v.enabled, metadata: parseMetadataText(v.metadata ?? '') }))
      message.success(t('saved'))
      onClose(true)
    } catch (e) {
      message.error(errorText(e))
    }
  }

  return (
    <Modal title={t('title', { addr: instance ? `${instance.ip}:${instance.port}` : '' })} open={!!instance} onOk={save} onCancel={() => onClose(false)} okText={t('save')} cancelText={t('cancel')} forceRender>
      <Form form={form} name="editInstance" layout="vertical">
        <Form.Item name="weight" label={t('weight')} extra={t('weightHelp')} rules={[{ required: true, message: t('required') }]}>
          <InputNumber min={0} max={10000} step={1} style={{ width: '100%' }} data-testid="instance-weight" />
        </Form.Item>
        <Form.Item name="enabled" label={t('enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="metadata" label={t('metadata')}>
          <Input.TextArea rows={6} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
