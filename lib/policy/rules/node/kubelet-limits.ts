import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, onKubelet } from './kubelet-util';

/** Go duration text to seconds (`4h0m0s`, `5m`, `300s`, `1.5h`); undefined when not a Go duration. */
export function goDurationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (v === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: { [u: string]: number } = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0; let m: RegExpExecArray | null; let end = 0;
  const body = v.startsWith('-') || v.startsWith('+') ? v.slice(1) : v;
  while ((m = re.exec(body)) !== null) { total += Number(m[1]) * unit[m[2]]; end = re.lastIndex; }
  if (end !== body.length || body.length === 0) return undefined;
  return v.startsWith('-') ? -total : total;
}

export const kubeletLimits: IRule = {
  id: 'kubelet-limits',
  title: 'The kubelet bounds pod PIDs, event rates and idle streaming connections',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'podPidsLimit: the default -1 lets one pod fork-bomb the whole node (every other pod and the kubelet ' +
    'itself); it must be a positive number. eventRecordQPS: 0 removes the limit on the events the kubelet sends (a ' +
    'crash-looping pod floods the API server); default 50. eventBurst: the default 100 applies when 0 or missing. ' +
    'streamingConnectionIdleTimeout: 0 keeps idle exec/attach/port-forward streams open for ever; default 4h.',
  remediation: 'Set podPidsLimit (e.g. 4096), keep eventRecordQPS between 1 and a level your API server absorbs (default 50), ' +
    'and set streamingConnectionIdleTimeout to a non-zero duration (e.g. 5m).',
  references: [`${CIS} 4.2.13 (limit on pod PIDs)`, `${CIS} 4.2.8 (eventRecordQPS)`, `${CIS} 4.2.5 (streaming-connection-idle-timeout not 0)`,
    'Seed: resource exhaustion / denial of service'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const out: RuleViolation[] = [];
    const pids = kubeletValue(obj, 'podPidsLimit');
    if (typeof pids.value !== 'number' || !Number.isInteger(pids.value) || pids.value <= 0) {
      out.push({ path: 'podPidsLimit', message: `podPidsLimit is ${pids.explicit ? JSON.stringify(pids.value) : 'not set (default -1)'}: one pod may exhaust the node's PIDs.` });
    }
    const qps = kubeletValue(obj, 'eventRecordQPS');
    if (typeof qps.value !== 'number' || qps.value <= 0) {
      out.push({ path: 'eventRecordQPS', message: `eventRecordQPS is ${JSON.stringify(qps.value)}: ${qps.value === 0 ? 'event creation is unlimited' : 'not a positive number'}.` });
    }
    const idle = kubeletValue(obj, 'streamingConnectionIdleTimeout');
    const secs = goDurationSeconds(idle.value);
    if (secs === undefined || secs <= 0) {
      out.push({ path: 'streamingConnectionIdleTimeout', message: `streamingConnectionIdleTimeout is ${JSON.stringify(idle.value)}: ${secs === 0 ? 'idle streams never time out' : 'not a positive Go duration'}.` });
    }
    return out;
  }),
};
