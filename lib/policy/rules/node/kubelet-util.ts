import { IRule, RuleViolation } from '../../types';
import { isKubeletConfig } from './config-util';

/** CIS Kubernetes Benchmark version whose item numbers the node rules cite (kube-bench cfg/cis-1.9). */
export const CIS = 'CIS Kubernetes Benchmark v1.9';

/** Run a check only on kubelet.config.k8s.io KubeletConfiguration objects (other kinds of the same name: no finding). */
export function onKubelet(check: (obj: any) => RuleViolation[]): IRule['check'] {
  return obj => (isKubeletConfig(obj) ? check(obj) : []);
}

/** A KubeletConfiguration boolean field holding a non-boolean: the kubelet refuses the file (strict and lenient decoding). */
export function notBool(path: string, v: unknown): RuleViolation {
  return { path, message: `${path} is ${JSON.stringify(v)}, not a boolean: the kubelet refuses to start with this file.` };
}
