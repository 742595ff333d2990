import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { field, goBool, isKubeadm, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, isAuditPatch } from './kubeadm-util';
import { CIS } from './kubelet-util';

/** Paths anonymous requests may reach when an AuthenticationConfiguration limits them: health checks and kubeadm discovery. */
export const ANONYMOUS_ALLOWED_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz', '/api/v1/namespaces/kube-public/configmaps/cluster-info'];

function authnConfigs(objects: readonly any[]): any[] {
  return objects.filter(o => o?.kind === 'AuthenticationConfiguration' && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('apiserver.config.k8s.io/'));
}

export const kubeadmApiserverAnonymousAuth: IRule = {
  id: 'kubeadm-apiserver-anonymous-auth',
  title: 'kube-apiserver refuses anonymous requests, except health checks',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'kube-apiserver treats requests without credentials as system:anonymous unless --anonymous-auth=false (its ' +
    'default is true and kubeadm does not change it): every RBAC mistake that names system:unauthenticated or ' +
    'system:anonymous is then open to anyone who reaches port 6443. Passes with anonymous-auth false (Go booleans: ' +
    '`false`, `0`, `f`, `F`, `FALSE`, `False`; the last occurrence in extraArgs wins), or with --authentication-config ' +
    'naming an AuthenticationConfiguration (apiserver.config.k8s.io, in the evaluated set) whose anonymous section is ' +
    `disabled or limited by conditions to ${ANONYMOUS_ALLOWED_PATHS.join(', ')} (Kubernetes 1.32+; kubeadm's liveness ` +
    'and readiness probes call /livez and /readyz without credentials, so a plain anonymous-auth=false restarts the API ' +
    'server in a loop on kubeadm clusters). With --authentication-config and no such object in the set, unevaluable.',
  remediation: 'Kubernetes 1.32+: pass --authentication-config with an AuthenticationConfiguration `anonymous: {enabled: true, ' +
    'conditions: [{path: /livez}, {path: /readyz}, {path: /healthz}]}` (HardenedKubeadmConfig writes both). Older versions: ' +
    'anonymous-auth=false plus probes patched to use credentials, or a waiver.',
  references: [`${CIS} 1.2.1 (anonymous-auth false)`, 'Kubernetes docs: Authenticating (anonymous authenticator configuration)', 'Seed: harden kubelet and control plane'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check(obj, ctx) {
    if (!isKubeadm(obj, 'ClusterConfiguration') || isAuditPatch(obj)) return [];
    const flags = componentFlags(obj, 'apiServer');
    const out: RuleViolation[] = [];
    const anon = flags.scalar('anonymous-auth');
    const config = flags.scalar('authentication-config');
    if (config.explicit && config.value) {
      if (anon.explicit) return [{ path: anon.path, message: 'anonymous-auth and authentication-config are both set: kube-apiserver refuses to start when the AuthenticationConfiguration configures anonymous.' }];
      const docs = authnConfigs(ctx.objects);
      if (docs.length === 0) return [{ path: config.path, message: `authentication-config ${config.value} is not in the evaluated set: cannot tell whether anonymous requests are limited.`, unevaluable: true }];
      for (const d of docs) {
        const a = field(d, 'anonymous');
        if (a === undefined) { out.push({ path: config.path, message: 'the AuthenticationConfiguration has no anonymous section: --anonymous-auth keeps its default (true), every path.' }); continue; }
        if (a.enabled === false) continue;
        const conds = Array.isArray(a.conditions) ? a.conditions : [];
        if (conds.length === 0) { out.push({ path: config.path, message: 'the AuthenticationConfiguration enables anonymous requests on every path (no conditions).' }); continue; }
        const extra = conds.map((c: any) => c?.path).filter((p: unknown) => !ANONYMOUS_ALLOWED_PATHS.includes(String(p)));
        if (extra.length > 0) out.push({ path: config.path, message: `the AuthenticationConfiguration lets anonymous requests reach ${extra.map(String).join(', ')}.` });
      }
      return out;
    }
    const v = goBool(anon.value);
    if (v === false) return [];
    if (v === undefined) return [{ path: anon.path, message: `anonymous-auth is ${JSON.stringify(anon.value)}: not a Go boolean, kube-apiserver refuses to start.` }];
    return [{ path: anon.path, message: anon.explicit ? `anonymous-auth is ${JSON.stringify(anon.value)}: requests without credentials are served as system:anonymous.` : 'anonymous-auth is not set (kube-apiserver default true): requests without credentials are served as system:anonymous.' }];
  },
};
