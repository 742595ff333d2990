// Wrongly typed props must stay type errors in a consumer project (no skipLibCheck): each wrong line below is
// marked as an expected error, so tsc fails if one of them ever type-checks (e.g. because a type silently became `any`).
// cdk8s-plus-33 project without aws-cdk-lib (the project of `cdk8s init typescript-app`).
import { App } from 'cdk8s';
import { HardenedChart, HardenedDeployment } from 'cdk8s-hardened';
import * as kplus from 'cdk8s-plus-33';

const chart = new HardenedChart(new App(), 'wrong', { namespace: 'wrong' });
const base = { image: `registry.example.com/a@sha256:${'a'.repeat(64)}`, port: 8080 };
// @ts-expect-error a Secret name is not a Secret
new HardenedDeployment(chart, 'a', { ...base, secretMounts: [{ path: '/etc/db', secret: 'not-a-secret' }] });
// @ts-expect-error a string is not an EnvValue
new HardenedDeployment(chart, 'b', { ...base, env: { LOG_LEVEL: 'info' } });
// @ts-expect-error a ConfigMap name is not a ConfigMap
new HardenedDeployment(chart, 'c', { ...base, configMapMounts: [{ path: '/etc/cfg', configMap: 'cfg' }] });
// @ts-expect-error the port is a number
new HardenedDeployment(chart, 'd', { ...base, port: '8080' });
new HardenedDeployment(chart, 'e', { ...base, env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') } });
