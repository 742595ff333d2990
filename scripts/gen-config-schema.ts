// Writes schemas/cdk8s-hardened-config.schema.json from lib/cli/config-schema.ts (test/cli/config.test.ts checks they are equal).
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_SCHEMA } from '../lib/cli/config-schema';

fs.writeFileSync(path.join(__dirname, '..', 'schemas', 'cdk8s-hardened-config.schema.json'), JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n');
