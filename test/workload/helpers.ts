import { App } from 'cdk8s';
import { HardenedChart, HardenedDeploymentProps, WorkloadResources } from '../../lib';

export const DIGEST = 'sha256:' + 'a'.repeat(64);
export const IMAGE = `registry.example.com/shop/api@${DIGEST}`;
export const RESOURCES: WorkloadResources = { cpuRequest: '100m', memoryRequest: '128Mi' };
export const MINIMAL: HardenedDeploymentProps = { image: IMAGE, port: 8080, resources: RESOURCES };

export function newChart(namespace = 'shop'): HardenedChart {
  return new HardenedChart(new App(), 'test', { namespace });
}

export function byKind(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}

export function one(objects: any[], kind: string): any {
  const found = byKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0];
}
