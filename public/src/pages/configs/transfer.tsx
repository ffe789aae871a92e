import { InboxOutlined } from '@ant-design/icons'
import { Alert, App, Form, Modal, Select, Upload, type UploadFile } from 'antd'
import { useState } from 'react'
import { postJson, postMultipart } from '../../api'
import { useT } from '../../i18n'
import { useNamespace } from '../../namespace'
import { errorText } from '../../ui/errors'
import type { ConfigRow, RestResult, TransferResult } from './types'

const messages = {
  en: {
    importTitle: 'Import configs', cloneTitle: 'Clone {n} config(s)', policy: 'On conflict', abort: 'Abort', skip: 'Skip', overwrite: 'Overwrite',
    file: 'Zip file (Nacos export format)', drop: 'Click or drop a .zip here', target: 'Target namespace', pickFile: 'Choose a zip file first',
    done: '{succ} written, {skip} skipped', failed: 'Failed: {list}', unrecognized: '{n} unrecognized file(s): {list}', into: 'Into namespace: {ns}',
  },
  zh: {
    importTitle: '导入配置', cloneTitle: '克隆 {n} 个配置', policy: '相同配置', abort: '终止导入', skip: '跳过', overwrite: '覆盖',
    file: 'Zip 文件（Nacos 导出格式）', drop: '点击或拖入 .zip 文件', target: '目标命名空间', pickFile: '请先选择 zip 文件',
    done: '成功 {succ} 个，跳过 {skip} 个', failed: '失败：{list}', unrecognized: '{n} 个无法识别的文件：{list}', into: '导入到命名空间：{ns}',
  },
}

type Policy = 'ABORT' | 'SKIP' | 'OVERWRITE'

function PolicySelect({ value, onChange }: { value?: Policy; onChange?(v: Policy): void }) {
  const t = useT(messages)
  return <Select id="transfer-policy" value={value} onChange={onChange} options={[{ value: 'ABORT', label: t('abort') }, { value: 'SKIP', label: t('skip') }, { value: 'OVERWRITE', label: t('overwrite') }]} />
}

/** Shows what import or clone did; refusals (code ≠ 200) are errors. */
function useReport() {
  const t = useT(messages)
  const { message, modal } = App.useApp()
  return (r: RestResult<TransferResult>) => {
    if (r.code !== 200) throw new Error(r.message)
    const d = r.data ?? {}
    const lines = [t('done', { succ: d.succCount ?? 0, skip: d.skipCount ?? 0 })]
    if (d.failData?.length) lines.push(t('failed', { list: d.failData.map((f) => `${f.group}/${f.dataId}`).join(', ') }))
    if (d.unrecognizedCount) lines.push(t('unrecognized', { n: d.unrecognizedCount, list: (d.unrecognizedData ?? []).map((u) => u.itemName).join(', ') }))
    if (lines.length === 1) message.success(lines[0])
    else modal.warning({ title: r.message, content: lines.map((l) => <div key={l}>{l}</div>) })
  }
}

/** Imports a Nacos-format zip into the current namespace with a conflict policy. */
export function ImportModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const t = useT(messages)
  const { namespace, namespaces } = useNamespace()
  const { message } = App.useApp()
  const report = useReport()
  const [policy, setPolicy] = useState<Policy>('ABORT')
  const [files, setFiles] = useState<UploadFile[]>([])
  const [busy, setBusy] = useState(false)
  const ok = async () => {
    const f = files[0]?.originFileObj
    if (!f) return message.warning(t('pickFile'))
    setBusy(true)
    try {
      const form = new FormData()
      form.append('file', f, f.name)
      report(await postMultipart<RestResult<TransferResult>>('v1/cs/configs', { import: true, namespace, policy }, form))
      setFiles([])
      onDone()
      onClose()
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  const nsName = namespaces.find((n) => n.id === namespace)?.name ?? (namespace || 'public')
  return (
    <Modal open={open} title={t('importTitle')} onOk={ok} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <Alert type="info" showIcon title={t('into', { ns: nsName })} style={{ marginBottom: 16 }} />
      <Form layout="vertical">
        <Form.Item label={t('policy')}>
          <PolicySelect value={policy} onChange={setPolicy} />
        </Form.Item>
        <Form.Item label={t('file')}>
          <Upload.Dragger id="import-file" accept=".zip" maxCount={1} fileList={files} beforeUpload={() => false} onChange={(i) => setFiles(i.fileList.slice(-1))}>
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p>{t('drop')}</p>
          </Upload.Dragger>
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** Clones the chosen configs into another namespace with a conflict policy. */
export function CloneModal({ rows, onClose, onDone }: { rows: ConfigRow[] | null; onClose(): void; onDone(): void }) {
  const t = useT(messages)
  const { namespace, namespaces } = useNamespace()
  const { message } = App.useApp()
  const report = useReport()
  const [target, setTarget] = useState<string>()
  const [policy, setPolicy] = useState<Policy>('ABORT')
  const [busy, setBusy] = useState(false)
  const ok = async () => {
    if (!rows || target === undefined) return
    setBusy(true)
    try {
      const body = rows.map((r) => ({ cfgId: r.id, dataId: r.dataId, group: r.group }))
      report(await postJson<RestResult<TransferResult>>('v1/cs/configs', { clone: true, tenant: target, policy }, body))
      onDone()
      onClose()
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal open={!!rows} title={t('cloneTitle', { n: rows?.length ?? 0 })} onOk={ok} onCancel={onClose} confirmLoading={busy} okButtonProps={{ disabled: target === undefined }} destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label={t('target')}>
          <Select id="clone-target" value={target} onChange={setTarget} options={namespaces.filter((n) => n.id !== namespace).map((n) => ({ value: n.id, label: n.id ? `${n.name} (${n.id})` : n.name }))} />
        </Form.Item>
        <Form.Item label={t('policy')}>
          <PolicySelect value={policy} onChange={setPolicy} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
