/**
 * The examples' output, byte for byte: every Kubernetes manifest and CloudFormation template the examples synthesize is
 * hashed (SHA-256) and compared with test/golden/examples.sha256.json. A refactor must leave this file unchanged; a
 * change of behaviour shows up here as a changed hash, and is accepted explicitly by regenerating the file:
 *   UPDATE_GOLDEN=1 npx jest test/examples-output.test.ts
 * The one value that depends on the day (the admission policies' `generated-on` date) is normalized before hashing.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';

const GOLDEN = path.join(__dirname, 'golden', 'examples.sha256.json');
const EXAMPLES = path.join(__dirname, '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.example.ts')).sort();

const normalize = (text: string) => text.replace(/(hardened\.cdk8s\.io\/generated-on: )"\d{4}-\d{2}-\d{2}"/g, '$1"<today>"');
const sha = (text: string) => createHash('sha256').update(normalize(text)).digest('hex');

/** Every file the example writes: its manifests (as `cdk8s synth` writes them) and its CloudFormation templates. */
function outputOf(file: string): { [name: string]: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-'));
  try {
    const k8s = new App({ outdir: path.join(outdir, 'dist') });
    const aws = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(EXAMPLES, file)).build(k8s, aws);
    k8s.synth();
    aws.synth();
    const out: { [name: string]: string } = {};
    for (const dir of ['dist', 'cdk.out']) {
      if (!fs.existsSync(path.join(outdir, dir))) continue;
      for (const f of fs.readdirSync(path.join(outdir, dir)).sort()) {
        if (dir === 'cdk.out' && !f.endsWith('.template.json')) continue;
        if (!fs.statSync(path.join(outdir, dir, f)).isFile()) continue;
        out[`${dir}/${f}`] = sha(fs.readFileSync(path.join(outdir, dir, f), 'utf-8'));
      }
    }
    return out;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('the examples synthesize byte for byte what test/golden/examples.sha256.json records', () => {
  const actual: { [example: string]: { [name: string]: string } } = {};
  for (const file of examples) actual[file] = outputOf(file);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, JSON.stringify(actual, null, 2) + '\n');
  expect(actual).toEqual(JSON.parse(fs.readFileSync(GOLDEN, 'utf-8')));
});
