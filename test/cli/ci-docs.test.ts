/**
 * The CI examples of docs/guides/cli.md run: their `cdk8s-hardened` command lines are executed (in-process) on a
 * repository with a baseline and one new privileged Pod, and what they write is checked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { parse } from 'yaml';
import { cli, goodPod, privilegedPod, REPO } from './helpers';

expect.extend({ toBeValidSarifLog });

const DOC = fs.readFileSync(path.join(REPO, 'docs', 'guides', 'cli.md'), 'utf8');
const CI = DOC.slice(DOC.indexOf('### CI\n'), DOC.indexOf('\n### ', DOC.indexOf('### CI\n') + 1));
const BLOCKS = [...CI.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => parse(m[1]));

/** The `cdk8s-hardened` invocations of a shell line (`a && npx cdk8s-hardened check ...`), as argv. */
function invocations(line: string): string[][] {
  return line.split('&&').map(s => s.trim()).filter(s => s.startsWith('npx cdk8s-hardened ')).map(s => s.split(/\s+/).slice(2));
}

/** A repository whose baseline was written as the docs say, then a new privileged Pod. */
async function repository(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-ci-docs-'));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'ci'));
  fs.writeFileSync(path.join(dir, 'dist', 'app.k8s.yaml'), privilegedPod('legacy') + '---\n' + goodPod('web'));
  const adopt = /`(npx cdk8s-hardened check [^`]*--write-baseline [^`]*)`/.exec(DOC)![1];
  const [argv] = invocations(adopt);
  expect((await cli(argv, '', dir)).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'dist', 'new.k8s.yaml'), privilegedPod('intruder'));
  return dir;
}

describe('docs/guides/cli.md CI examples', () => {
  test('README\'s CI section shows the same two examples (so the runs below cover it too)', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## CI\n'), readme.indexOf('\n## ', readme.indexOf('## CI\n') + 1));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => parse(m[1]));
    expect(blocks).toHaveLength(2);
    expect(blocks).toEqual(BLOCKS);
    expect(section).toContain('--write-baseline');
  });

  test('two examples: a GitHub Actions workflow and a GitLab CI job', () => {
    expect(BLOCKS).toHaveLength(2);
    expect(BLOCKS[0].jobs.check.steps.length).toBeGreaterThan(0);
    expect(BLOCKS[1]['cdk8s-hardened'].script.length).toBeGreaterThan(0);
  });

  test('GitHub Actions: annotations for the new Pod only, SARIF uploaded from the file the check writes', async () => {
    const wf = BLOCKS[0];
    expect(wf.permissions['security-events']).toBe('write');
    const steps: any[] = wf.jobs.check.steps;
    const commands = steps.filter(s => s.run).flatMap(s => invocations(s.run));
    expect(commands.length).toBe(2);
    const dir = await repository();
    const [annotate, sarif] = commands;
    const a = await cli(annotate, '', dir);
    expect(a.code).toBe(1);
    const errors = a.out.split('\n').filter(l => l.startsWith('::error '));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every(l => l.includes('file=dist/new.k8s.yaml,') && l.includes('::Pod shop/intruder at '))).toBe(true);
    expect(a.out).toMatch(/::error file=dist\/new\.k8s\.yaml,line=\d+,col=\d+,title=privileged-container%3A /);
    const s = await cli(sarif, '', dir);
    expect(s.code).toBe(1);
    const upload = steps.find(x => String(x.uses).startsWith('github/codeql-action/upload-sarif@'));
    const out = sarif[sarif.indexOf('-o') + 1];
    expect(upload.with.sarif_file).toBe(out);
    const log = JSON.parse(fs.readFileSync(path.join(dir, out), 'utf8'));
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results;
    expect(results.filter((r: any) => r.baselineState === 'new' && r.level === 'error').every((r: any) => r.message.text.startsWith('Pod/shop/intruder'))).toBe(true);
    expect(results.some((r: any) => r.baselineState === 'unchanged' && r.message.text.startsWith('Pod/shop/legacy'))).toBe(true);
    expect(results.every((r: any) => r.partialFingerprints['cdk8sHardened/v1'])).toBe(true);
  });

  test('GitLab CI: Code Quality and JUnit reports of the new findings, at the paths the job declares', async () => {
    const job = BLOCKS[1]['cdk8s-hardened'];
    const commands = (job.script as string[]).flatMap(invocations);
    expect(commands.length).toBe(2);
    const dir = await repository();
    for (const argv of commands) expect((await cli(argv, '', dir)).code).toBe(1);
    const cq = JSON.parse(fs.readFileSync(path.join(dir, job.artifacts.reports.codequality), 'utf8'));
    expect(cq.length).toBeGreaterThan(0);
    expect(cq.every((i: any) => i.location.path === 'dist/new.k8s.yaml' || i.severity !== 'blocker')).toBe(true);
    expect(cq.some((i: any) => i.check_name === 'privileged-container' && i.severity === 'blocker')).toBe(true);
    expect(cq.some((i: any) => i.description.includes('Pod shop/legacy'))).toBe(false); // baselined: left out
    const junit = fs.readFileSync(path.join(dir, job.artifacts.reports.junit), 'utf8');
    expect(junit).toMatch(/<testcase classname="dist\/new\.k8s\.yaml" name="Pod shop\/intruder">\s*<failure /);
    expect(junit).not.toMatch(/name="Pod shop\/legacy">\s*<failure /);
  });
});
