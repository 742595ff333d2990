import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { field, goBool, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

const CERT_FLAGS = ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file'];
const URL_FLAGS = ['listen-client-urls', 'advertise-client-urls', 'listen-peer-urls', 'initial-advertise-peer-urls'];
const APISERVER_ETCD_FLAGS = ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'];

function plainUrls(v: string | undefined): string[] {
  return (v ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0 && !/^https:\/\//i.test(s) && !/^unixs:\/\//i.test(s));
}

export const kubeadmEtcdTls: IRule = {
  id: 'kubeadm-etcd-tls',
  title: 'etcd speaks TLS with client-certificate authentication to clients and peers',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'etcd holds every Secret of the cluster. kubeadm\'s local etcd runs with TLS and --client-cert-auth / ' +
    '--peer-client-cert-auth true; etcd.local.extraArgs can undo each of them (client-cert-auth "false", auto-tls "true" ' +
    'with self-signed certificates nobody verifies, an empty cert-file, an http:// listen URL), and apiServer.extraArgs can ' +
    'blank etcd-cafile / etcd-certfile / etcd-keyfile or point etcd-servers at http://. An external etcd needs https ' +
    'endpoints and caFile, certFile and keyFile.',
  remediation: 'Leave kubeadm\'s etcd TLS flags alone (or set them to certificate paths and "true"); for external etcd give ' +
    'https endpoints with caFile, certFile and keyFile; use a CA for etcd that signs nothing else.',
  references: [`${CIS} 2.1-2.6 (etcd cert-file/key-file, client-cert-auth, auto-tls, peer certificates, peer-client-cert-auth, peer-auto-tls)`,
    `${CIS} 1.2.23 and 1.2.26 (etcd-certfile/keyfile, etcd-cafile)`, 'Seed: TLS between components'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering', 'E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const out: RuleViolation[] = [];
    const external = field(obj, 'etcd.external');
    if (external !== undefined) {
      const eps: unknown[] = Array.isArray(external.endpoints) ? external.endpoints : [];
      eps.forEach((e, i) => { if (!/^https:\/\//i.test(String(e))) out.push({ path: `etcd.external.endpoints[${i}]`, message: `etcd endpoint ${JSON.stringify(e)} is not https.` }); });
      for (const k of ['caFile', 'certFile', 'keyFile']) {
        if (typeof external[k] !== 'string' || external[k] === '') out.push({ path: `etcd.external.${k}`, message: `etcd.external.${k} is not set: the API server cannot ${k === 'caFile' ? 'verify etcd' : 'authenticate to etcd'}.` });
      }
    } else {
      const flags = componentFlags(obj, 'etcd.local');
      for (const f of ['client-cert-auth', 'peer-client-cert-auth']) {
        const v = flags.scalar(f);
        if (goBool(v.value) !== true) out.push({ path: v.path, message: `etcd ${f} is ${JSON.stringify(v.value)}: ${f.startsWith('peer') ? 'peers' : 'clients'} connect without a certificate.` });
      }
      for (const f of ['auto-tls', 'peer-auto-tls']) {
        const v = flags.scalar(f);
        if (goBool(v.value) !== false) out.push({ path: v.path, message: `etcd ${f} is ${JSON.stringify(v.value)}: self-signed certificates nobody verifies.` });
      }
      for (const f of CERT_FLAGS) {
        const v = flags.scalar(f);
        if (!v.value) out.push({ path: v.path, message: `etcd ${f} is empty: ${f.startsWith('peer') ? 'peer' : 'client'} traffic is not ${f.includes('ca') ? 'verified' : 'encrypted'}.` });
      }
      for (const f of URL_FLAGS) {
        const v = flags.scalar(f);
        const plain = plainUrls(v.value);
        if (plain.length > 0) out.push({ path: v.path, message: `etcd ${f} includes plaintext ${plain.join(', ')}.` });
      }
    }
    const api = componentFlags(obj, 'apiServer');
    for (const f of APISERVER_ETCD_FLAGS) {
      const v = api.scalar(f);
      if (v.explicit && !v.value) out.push({ path: v.path, message: `kube-apiserver ${f} is empty: the API server does not ${f === 'etcd-cafile' ? 'verify etcd' : 'authenticate to etcd'}.` });
    }
    const servers = api.scalar('etcd-servers');
    const plain = plainUrls(servers.value);
    if (servers.explicit && plain.length > 0) out.push({ path: servers.path, message: `kube-apiserver etcd-servers includes plaintext ${plain.join(', ')}.` });
    return out;
  }),
};
