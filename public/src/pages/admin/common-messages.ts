/** Words every admin page uses; pages spread these into their own `messages` (see i18n.tsx's useT). */
export const common = {
  en: {
    total: '{total} in all',
    actions: 'Actions',
    search: 'Search',
    reset: 'Reset',
    refresh: 'Refresh',
    create: 'Create',
    edit: 'Edit',
    delete: 'Delete',
    save: 'Save',
    cancel: 'Cancel',
    ok: 'OK',
    yes: 'Yes',
    no: 'No',
    saved: 'Saved',
    deleted: 'Deleted',
    confirmDelete: 'Delete {what}?',
    required: 'Required',
    namespace: 'Namespace',
  },
  zh: {
    total: '共 {total} 条',
    actions: '操作',
    search: '查询',
    reset: '重置',
    refresh: '刷新',
    create: '创建',
    edit: '编辑',
    delete: '删除',
    save: '保存',
    cancel: '取消',
    ok: '确定',
    yes: '是',
    no: '否',
    saved: '已保存',
    deleted: '已删除',
    confirmDelete: '确定删除 {what} 吗？',
    required: '必填',
    namespace: '命名空间',
  },
}

/** Merges a page's own strings with the common ones (the page's win). */
export function withCommon<M extends Record<string, string>>(m: { en: M; zh: M }): { en: M & typeof common.en; zh: M & typeof common.en } {
  return { en: { ...common.en, ...m.en }, zh: { ...common.zh, ...m.zh } }
}
