import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const containerEnvDuplicate: IRule = {
  id: 'container-env-duplicate',
  title: 'Containers set each environment variable once',
  stride: [Stride.TAMPERING, Stride.REPUDIATION],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'When a container lists the same env name twice, the kubelet keeps the LAST value while reviewers, diffs ' +
    'and many tools read the first: a later entry can silently replace a reviewed setting (a URL, a feature flag, a ' +
    'TLS switch). Names are compared exactly, as the kubelet does; every container kind is judged.',
  remediation: 'Keep one entry per name.',
  references: ['kube-linter duplicate-env-var', 'Kubernetes API: EnvVar (the API server accepts duplicate names; the last one wins)'],
  peers: ['kube-linter:duplicate-env-var'],
  threats: ['T3-manifest-and-etcd-tampering'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        const env = c.container.env;
        if (!Array.isArray(env) || env.length < 2) continue; // nothing to repeat
        const first = new Map<string, number>();
        for (let i = 0; i < env.length; i++) {
          const e = env[i];
          if (typeof e?.name !== 'string') continue;
          const j = first.get(e.name);
          if (j === undefined) first.set(e.name, i);
          else out.push({ path: `${c.path}.env[${i}].name`, message: `container "${c.name}" sets env var ${JSON.stringify(e.name)} again (first at env[${j}]); the kubelet uses this later value.` });
        }
      }
      return out;
    });
  },
};
