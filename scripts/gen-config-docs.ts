// Writes docs/configuration.md from the settings catalog; tests/settings-docs.test.ts keeps it in step.
import { writeFileSync } from 'node:fs'
import { configurationDoc } from '../src/settings/doc'

writeFileSync('docs/configuration.md', configurationDoc())
console.log('docs/configuration.md written')
