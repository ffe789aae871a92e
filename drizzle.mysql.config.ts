import { defineConfig } from 'drizzle-kit'

// MySQL/MariaDB twins of the tables (*.mysql.ts); `npm run db:generate` writes their migrations to drizzle/mysql/.
export default defineConfig({
  dialect: 'mysql',
  schema: './src/**/*.mysql.ts',
  out: './drizzle/mysql',
})
