import { POD_KINDS, podSpecOf } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const probesConfigured: IRule = {
  id: 'probes-configured',
  title: 'Long-running containers have readiness and liveness probes',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: POD_KINDS.filter(k => k !== 'Job' && k !== 'CronJob'),
  description: 'Without a readiness probe, traffic reaches pods that cannot serve it; without a liveness probe, a hung ' +
    'process is never restarted. Both turn a partial failure into an outage.',
  remediation: 'Add readinessProbe and livenessProbe to every container (HardenedDeployment adds TCP probes on the port by default).',
  references: ['Kubernetes docs: Configure Liveness, Readiness and Startup Probes', 'Polaris: readinessProbeMissing / livenessProbeMissing'],
  check(obj) {
    const pod = podSpecOf(obj);
    if (!pod || !Array.isArray(pod.spec.containers)) return [];
    const out: RuleViolation[] = [];
    pod.spec.containers.forEach((c: any, i: number) => {
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (!c?.[probe]) out.push({ path: `${pod.path}.containers[${i}].${probe}`, message: `container "${c?.name}" has no ${probe}.` });
      }
    });
    return out;
  },
};
