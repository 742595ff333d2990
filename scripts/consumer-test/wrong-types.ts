// Wrongly typed props must stay type errors in a consumer project (no skipLibCheck): each wrong line below is
// marked as an expected error, so tsc fails if one of them ever type-checks (e.g. because a type silently became `any`).
// cdk8s-plus-28 project with aws-cdk-lib; k8s-only/wrong-types.ts is the same for cdk8s-plus-33 without aws-cdk-lib.
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { HardenedChart, HardenedDeployment, SecretsEncryptionKey } from 'cdk8s-hardened';
import * as kplus from 'cdk8s-plus-28';

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
// @ts-expect-error aws-cdk-lib types hold when aws-cdk-lib is installed: pendingWindow is a Duration
new SecretsEncryptionKey(new cdk.Stack(), 'key', { pendingWindow: 7 });
