import * as fs from 'fs';
import * as path from 'path';
import { peersMarkdown } from './peers-doc';

const out = path.join(__dirname, '..', 'docs', 'peers.md');
fs.writeFileSync(out, peersMarkdown());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
