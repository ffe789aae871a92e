// SQL migrations are imported as text so `bun build --compile` embeds them.
declare module '*.sql' {
  const sql: string
  export default sql
}
