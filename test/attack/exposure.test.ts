/**
 * Class 6 of issue #30: exposure accepts only the library's own workloads (by identity, not by shape), and an Ingress
 * backend must be a Service of its own namespace that selects pods — never the API server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { ExposeOptions, HardenedChart, HardenedDeployment, WorkloadExposure } from '../../lib';
import { MINIMAL } from '../workload/helpers';
import { expectBlockedEverywhere, expectNotFlagged } from './layers';

const INGRESS: ExposeOptions = { hosts: ['shop.example.com'], controllerNamespace: 'ingress-nginx', ingress: { className: 'nginx', tlsSecretName: 'shop-tls' } };
const newApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'attack-expose-')) });

describe('only the library\'s own workloads can be exposed', () => {
  test('a construct with the right methods (a forged workload) is refused', () => {
    const chart = new HardenedChart(newApp(), 'c', { namespace: 'default' });
    class Forged extends Construct {
      public readonly name = 'kubernetes';
      public readonly namespace = 'default';
      public _exposureTarget() { return { serviceName: 'kubernetes', servicePort: 443, metadata: { name: 'kubernetes', namespace: 'default' } }; }
      public _admitController() { /* nothing */ }
    }
    const forged = new Forged(chart, 'forged');
    expect(() => new WorkloadExposure(forged as any, 'x', INGRESS)).toThrow(/\[c\/forged\/x\] workload=.* violates ingress-backend-exists: is not a hardened workload/s);
  });

  test('a subclass that overrides _exposureTarget still routes to its own Service', () => {
    const app = newApp();
    const chart = new HardenedChart(app, 'c', { namespace: 'default' });
    class Sneaky extends HardenedDeployment {
      public _exposureTarget(scope: Construct) {
        const t = super._exposureTarget(scope);
        return { ...t, serviceName: 'kubernetes', servicePort: 443 };
      }
    }
    const d = new Sneaky(chart, 'api', MINIMAL);
    const x = d.expose(INGRESS);
    expect(x.serviceName).toBe('api');
    const backend = (x.ingress!.toJson() as any).spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: 'api', port: { number: 8080 } });
    app.synth();
  });
});

describe('an Ingress backend that is not a pod-selecting Service of its namespace is refused everywhere', () => {
  test('the API server (the kubernetes Service of default), with no Service in the set', async () => {
    await expectBlockedEverywhere(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: api, namespace: default }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [api.example.com], secretName: api-tls }]
  rules: [{ host: api.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: kubernetes, port: { number: 443 } } } }] } }]
`, 'ingress-backend-exists', { waive: ['Ingress/api'] });
  });

  test('an HTTPRoute to the API server, from another namespace through namespace: default', async () => {
    await expectBlockedEverywhere(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: shop }
spec:
  parentRefs: [{ name: public, namespace: gateways }]
  hostnames: [api.example.com]
  rules: [{ backendRefs: [{ name: kubernetes, namespace: default, port: 443 }] }]
`, 'ingress-backend-exists', { waive: ['HTTPRoute/api'] });
  });

  test('a Service with hand-written endpoints', async () => {
    await expectBlockedEverywhere(`
apiVersion: v1
kind: Service
metadata: { name: manual, namespace: shop }
spec: { ports: [{ port: 443 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  defaultBackend: { service: { name: manual, port: { number: 443 } } }
`, 'ingress-backend-exists', { waive: ['Ingress/shop'] });
  });

  test('a Service named kubernetes in another namespace is an ordinary Service', async () => {
    await expectNotFlagged(`
apiVersion: v1
kind: Service
metadata: { name: kubernetes, namespace: shop }
spec: { selector: { app: k }, ports: [{ port: 443 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  defaultBackend: { service: { name: kubernetes, port: { number: 443 } } }
`, 'ingress-backend-exists');
  });
});
