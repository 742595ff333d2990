import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedChart } from '../lib';

/** A guarded chart holding plain cdk8s-plus objects: the guard checks them like library constructs. */
export function build(app: App, _aws: cdk.App): void {
  const chart = new HardenedChart(app, 'guarded-config', { namespace: 'shop' });
  new kplus.ConfigMap(chart, 'settings', { data: { LOG_LEVEL: 'info' } });
}
