import * as fs from 'fs';
import * as path from 'path';
import { rulesMarkdown } from './rules-doc';

const out = path.join(__dirname, '..', 'docs', 'rules.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, rulesMarkdown());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
