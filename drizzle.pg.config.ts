import { defineConfig } from 'drizzle-kit'

// PostgreSQL twins of the tables (*.pg.ts); `npm run db:generate` writes their migrations to drizzle/pg/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/*.pg.ts',
  out: './drizzle/pg',
})
