import { App, Form, Input, InputNumber, Modal } from 'antd'
import { useEffect } from 'react'
import { api } from '../../api'
import { useT } from '../../i18n'
import { errorText } from '../../ui/errors'
import { withCommon } from '../admin/common-messages'
import { formatMetadata, parseMetadataText } from '../admin/metadata'
import type { ServiceRef } from './instance-edit'

const messages = withCommon({
  en: { title: 'Edit service {name}', protectThreshold: 'Protect threshold', thresholdHelp: 'Between 0 and 1: when the healthy share falls to it, clients get every instance', metadata: 'Metadata (JSON or key=value lines)' },
  zh: { title: '编辑服务 {name}', protectThreshold: '保护阈值', thresholdHelp: '0 到 1：健康实例占比降到该值时，客户端拿到全部实例', metadata: '元数据（JSON 或每行 key=value）' },
})

/** The service settings the detail page shows and edits. */
export interface ServiceSettings {
  protectThreshold: number
  metadata: Record<string, string>
  selector?: { type: string; expression?: string }
}

/** The modal that edits a service's protect threshold and metadata (`PUT v1/ns/service`). */
export function ServiceEditModal({ svc, settings, open, onClose }: { svc: ServiceRef; settings: ServiceSettings | undefined; open: boolean; onClose(saved: boolean): void }) {
  const t = useT(messages)
  const { message } = App.useApp()
  const [form] = Form.useForm()
  useEffect(() => {
    if (open && settings) form.setFieldsValue({ protectThreshold: settings.protectThreshold, metadata: formatMetadata(settings.metadata) })
  }, [open, settings])

  const save = async () => {
    const v = await form.validateFields()
    try {
      await api.put('v1/ns/service', {
        namespaceId: svc.namespace, groupName: svc.group, serviceName: svc.name, protectThreshold: v.protectThreshold ?? 0,
        metadata: JSON.stringify(parseMetadataText(v.metadata ?? '')), selector: settings?.selector ? JSON.stringify(settings.selector) : undefined,
      })
      message.success(t('saved'))
      onClose(true)
    } catch (e) {
      message.error(errorText(e))
    }
  }

  return (
    <Modal title={t('title', { name: svc.name })} open={open} onOk={save} onCancel={() => onClose(false)} okText={t('save')} cancelText={t('cancel')} forceRender>
      <Form form={form} name="editService" layout="vertical">
        <Form.Item name="protectThreshold" label={t('protectThreshold')} extra={t('thresholdHelp')} rules={[{ required: true, message: t('required') }]}>
          <InputNumber min={0} max={1} step={0.1} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="metadata" label={t('metadata')}>
          <Input.TextArea rows={6} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
