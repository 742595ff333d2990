/**
 * Differential check against Pod Security admission's own corpus: runs the catalogue's Pod Security rules on
 * kubernetes/pod-security-admission test/testdata/<level>/<version>/{pass,fail}/*.yaml for every version the
 * catalogue implements and prints each disagreement and the totals. The corpus is not vendored; pass a checkout:
 *
 *   ts-node --transpile-only scripts/psa-parity.ts <pod-security-admission>/test/testdata
 *
 * Exit 1 when any verdict differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkObjects } from '../lib/cli/check';
import { parseSource } from '../lib/cli/input';
import { PSS_VERSIONS } from '../lib/kube/pss-versions';
import { PssLevel } from '../lib/policy/types';

const root = process.argv[2];
if (!root || !fs.existsSync(root)) {
  process.stderr.write('usage: psa-parity.ts <pod-security-admission>/test/testdata\n');
  process.exit(2);
}
let total = 0;
const diffs: string[] = [];
for (const level of [PssLevel.BASELINE, PssLevel.RESTRICTED]) {
  for (const version of PSS_VERSIONS.filter(v => v !== 'latest')) {
    for (const expected of ['pass', 'fail']) {
      const dir = path.join(root, level, version, expected);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.yaml')).sort()) {
        const file = path.join(dir, f);
        const objects = parseSource(file, fs.readFileSync(file));
        const r = checkObjects(objects, { level, podSecurityVersion: version, requireDigest: false });
        const got = r.blockingCount > 0 ? 'fail' : 'pass';
        total++;
        if (got !== expected) {
          const why = r.findings.filter(x => x.blocking).map(x => `${x.finding.ruleId} ${x.finding.path}`).join('; ');
          diffs.push(`${level}/${version}/${expected}/${f}: PSA ${expected}, catalogue ${got}${why ? ` (${why})` : ''}`);
        }
      }
    }
  }
}
for (const d of diffs) process.stdout.write(`${d}\n`);
process.stdout.write(`${total - diffs.length}/${total} verdicts agree with pod-security-admission (${PSS_VERSIONS.filter(v => v !== 'latest').join(', ')}).\n`);
process.exit(diffs.length ? 1 : 0);
