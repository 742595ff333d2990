import { IRule, Severity, Stride } from '../../types';

export const serviceAccountTokenSecret: IRule = {
  id: 'service-account-token-secret',
  title: 'No legacy long-lived ServiceAccount token Secrets',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Secret'],
  description: 'A Secret of type `kubernetes.io/service-account-token` makes the token controller mint a token for the ' +
    'named ServiceAccount that never expires and is not bound to a pod: whoever can read the Secret (or a backup, or a ' +
    'log of it) acts as the ServiceAccount until the Secret is deleted. Kubernetes stopped creating them automatically in ' +
    'v1.24; one written in a manifest is still honoured. The type is matched exactly, as the API server does.',
  remediation: 'Use short-lived bound tokens: the projected `serviceAccountToken` volume in pods, or the TokenRequest API ' +
    '(`kubectl create token`) for clients outside the cluster.',
  references: ['Kubernetes docs: Service account token Secrets (legacy); KEP-2799 (reduction of Secret-based ServiceAccount tokens)',
    'CIS Kubernetes Benchmark 5.1.6: Ensure that Service Account Tokens are only mounted where necessary'],
  peers: [],
  threats: ['S1-stolen-service-account-token'],
  check(obj) {
    return obj?.type === 'kubernetes.io/service-account-token'
      ? [{ path: 'type', message: `Secret is a legacy token for ServiceAccount ${JSON.stringify(obj?.metadata?.annotations?.['kubernetes.io/service-account.name'])}.` }]
      : [];
  },
};
