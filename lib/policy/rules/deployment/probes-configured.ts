import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const PROBES = ['readinessProbe', 'livenessProbe'];

export const probesConfigured: IRule = {
  id: 'probes-configured',
  title: 'Long-running containers have readiness and liveness probes',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'Without a readiness probe, traffic reaches pods that cannot serve it; without a liveness probe, a hung ' +
    'process is never restarted. Both turn a partial failure into an outage.',
  remediation: 'Add readinessProbe and livenessProbe to every container (HardenedDeployment adds TCP probes on the port by default).',
  references: ['Kubernetes docs: Configure Liveness, Readiness and Startup Probes', 'Polaris: readinessProbeMissing / livenessProbeMissing'],
  peers: ['kube-linter:no-liveness-probe', 'kube-linter:no-readiness-probe', 'polaris:livenessProbeMissing', 'polaris:readinessProbeMissing',
    'gatekeeper:general/requiredprobes', 'kyverno:best-practices/require-probes'],
  threats: ['D2-fragile-availability'],
  admission: {
    notGenerated: 'judged per kind and batch shape at synth time; a pod created by a controller repeats the template, so enforcing it on Pods ' +
      'would block probe-less Jobs of operators',
  },
  check(obj) {
    // pods that run to completion (Job, CronJob, ScaledJob, training jobs, PodTemplate is not run) need no probes
    return checkPods(obj, pod => {
      if (pod.batch || obj?.kind === 'PodTemplate') return [];
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.field !== 'containers') continue;
        for (const probe of PROBES) {
          if (!c.container?.[probe]) out.push({ path: `${c.path}.${probe}`, message: `container "${c.container?.name}" has no ${probe}.` });
        }
      }
      return out;
    }, { podsOnly: true });
  },
};
