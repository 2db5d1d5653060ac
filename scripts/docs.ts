// `npm run docs`: writes docs/commands.md from the command table `wg` parses with (scripts/command-reference.ts).
import { writeFileSync } from 'node:fs';
import { commandReference } from './command-reference';

writeFileSync(new URL('../docs/commands.md', import.meta.url), await commandReference());
console.log('wrote docs/commands.md');
