import * as path from 'path';
import { isUnresolved } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/**
 * Node paths a `local` PersistentVolume must not expose (nor sit inside, nor contain): the node's configuration,
 * credentials, runtime sockets and state, kernel interfaces and users' homes.
 */
export const SYSTEM_PATHS = [
  '/', '/etc', '/root', '/home', '/boot', '/dev', '/proc', '/sys', '/run', '/var/run', '/usr', '/bin', '/sbin', '/lib',
  '/lib64', '/opt/cni', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/docker', '/var/lib/crio', '/var/lib/etcd',
  '/var/lib/cni', '/var/log', '/etc/kubernetes',
];

/** True when a (normalized, absolute) path is a system path, inside one, or contains one (`/var` contains `/var/lib/kubelet`). */
export function touchesSystemPath(p: string): string | undefined {
  for (const s of SYSTEM_PATHS) {
    if (p === s) return s;
    if (s === '/') continue; // every path is inside `/`: only `/` itself
    if (p.startsWith(`${s}/`) || s.startsWith(p === '/' ? '/' : `${p}/`)) return s;
  }
  return undefined;
}

export const persistentVolumeHostPath: IRule = {
  id: 'persistent-volume-host-path',
  title: 'PersistentVolumes do not expose the node file system (hostPath, local on system paths)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['PersistentVolume'],
  description: 'A PersistentVolume is cluster-scoped: whoever binds it (any PersistentVolumeClaim that matches it, in any ' +
    'namespace, unless claimRef pins one) mounts its storage. A `hostPath` PersistentVolume gives that pod the node\'s file ' +
    'system exactly like a hostPath volume, which the Pod Security Standards forbid at baseline, and it passes the pod-level ' +
    'check because the pod only names a claim. Every `hostPath` fails. A `local` PersistentVolume is the supported way to ' +
    'use node disks, so `local.path` fails only when it is, lies inside, or contains a system path (' + SYSTEM_PATHS.join(', ') +
    '), after normalizing `..` and repeated slashes; a relative path fails too.',
  remediation: 'Use a CSI driver or a dedicated disk mounted outside system directories (e.g. /mnt/disks/<name>) as a `local` ' +
    'PersistentVolume with nodeAffinity and a claimRef; never hostPath outside single-node test clusters.',
  references: ['Pod Security Standards v1.28 baseline: HostPath Volumes (same exposure through a PersistentVolume)',
    'Kubernetes docs: Persistent Volumes (hostPath: single node testing only; local volumes)', 'kube-linter: sensitive-host-mounts'],
  peers: [],
  threats: ['T2-runtime-filesystem-tampering'],
  check(obj) {
    const spec = obj?.spec ?? {};
    const out: RuleViolation[] = [];
    if (spec.hostPath !== undefined) {
      const p = spec.hostPath?.path;
      out.push(isUnresolved(p)
        ? { path: 'spec.hostPath.path', message: 'hostPath path is an unresolved token.', unevaluable: true }
        : { path: 'spec.hostPath', message: `PersistentVolume "${obj.metadata?.name}" exposes node path ${JSON.stringify(p)} to whoever binds it.` });
    }
    if (spec.local !== undefined) {
      const p = spec.local?.path;
      if (isUnresolved(p)) {
        out.push({ path: 'spec.local.path', message: 'local path is an unresolved token.', unevaluable: true });
      } else if (typeof p !== 'string' || !p.startsWith('/')) {
        out.push({ path: 'spec.local.path', message: `local path ${JSON.stringify(p)} is not an absolute path.` });
      } else {
        const normalized = path.posix.normalize(p).replace(/(.)\/+$/, '$1');
        const hit = touchesSystemPath(normalized);
        if (hit) out.push({ path: 'spec.local.path', message: `local path ${JSON.stringify(p)} ${normalized === hit ? 'is' : 'touches'} system path ${hit}.` });
      }
    }
    return out;
  },
};
