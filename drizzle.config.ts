import { defineConfig } from 'drizzle-kit'

// Tables live beside their feature in *.sql.ts files; `npm run db:generate` writes migrations to drizzle/.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/**/*.sql.ts',
  out: './drizzle',
})
