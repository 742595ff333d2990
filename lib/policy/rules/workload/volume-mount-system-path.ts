import { checkPods, containersOf } from '../../../kube/manifest';
import { systemDirOf } from '../../mount-paths';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Volume types the kubelet always mounts read-only with content from the API (their files are the object's data). */
const API_CONTENT = ['secret', 'configMap', 'projected', 'downwardAPI'];

export const volumeMountSystemPath: IRule = {
  id: 'volume-mount-system-path',
  title: 'No writable or shared volume over system directories or the token directory',
  stride: [Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A volume mounted over `/etc`, `/bin`, `/sbin`, `/lib`, `/lib64`, `/usr` (or `/usr/bin`, `/usr/lib`, ' +
    '`/usr/local/bin` …), `/boot`, or an ancestor of one, replaces what the image ships: an emptyDir made writable ' +
    'there lets whoever runs in the container replace binaries, libraries or configuration (the read-only root ' +
    'filesystem no longer holds), and a PersistentVolumeClaim there — read-only included — runs whatever else writes ' +
    'that claim. Anything below the binary and library directories counts; below `/etc` an application directory ' +
    '(`/etc/app`) is the application\'s own. The token directory `/var/run/secrets` (and `/run/secrets`, the same ' +
    'directory where /var/run links to /run) is judged the same way: a volume there hands in-cluster clients a token ' +
    'the volume holds. Secret, ConfigMap, projected and downward API volumes (read-only, content from the API) and ' +
    'hostPath volumes (judged by host-path-volumes) are not judged here.',
  remediation: 'Mount writable volumes at a directory of the application (e.g. /var/lib/app, /tmp) and configuration ' +
    'read-only from a Secret or ConfigMap; never a claim over system directories.',
  references: ['NSA/CISA Kubernetes Hardening Guidance: immutable container file systems', 'issue #30 (escape classes)'],
  peers: [],
  threats: ['T2-runtime-filesystem-tampering'],
  admission: { notGenerated: 'expressible in CEL, but admission judges Pods after mutating webhooks: sidecar injectors add writable emptyDir ' +
    'volumes under the token directory (Istio\'s istio-proxy mounts workload-socket, credential-socket and workload-certs under ' +
    '/var/run/secrets), so Deny would refuse every injected pod; judged at synth time (templates, before injection) and by `check` only' },
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      // The volumes by name, indexed on the first mount over a system directory (most pods have none).
      let volumes: Map<string, any> | undefined;
      const volumeNamed = (name: unknown) => {
        if (volumes === undefined) {
          volumes = new Map<string, any>();
          for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) if (typeof v?.name === 'string' && !volumes.has(v.name)) volumes.set(v.name, v);
        }
        return volumes.get(name as string);
      };
      for (const c of containersOf(pod)) {
        const mounts: any[] = Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : [];
        mounts.forEach((m, i) => {
          const path = typeof m?.mountPath === 'string' ? m.mountPath.replace(/\/+$/, '') || '/' : undefined;
          const dir = systemDirOf(path);
          if (!dir) return;
          const v = volumeNamed(m?.name);
          if (v && (API_CONTENT.some(k => v[k] !== undefined) || v.hostPath !== undefined)) return;
          const claim = v?.persistentVolumeClaim;
          const writable = m?.readOnly !== true && claim?.readOnly !== true;
          if (!claim && !writable) return; // a read-only emptyDir or similar: empty, replaces nothing with foreign content
          const what = claim ? `${writable ? 'writable' : 'read-only'} claim ${JSON.stringify(claim.claimName)}` : `writable volume ${JSON.stringify(m?.name)}`;
          out.push({ path: `${c.path}.volumeMounts[${i}].mountPath`, message: `container "${c.name}" mounts ${what} at ${JSON.stringify(m.mountPath)}, over ${dir}.` });
        });
      }
      return out;
    });
  },
};
