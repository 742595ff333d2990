/**
 * The CLI's `--kube-version` option (one meaning everywhere: lib/kube/kube-version.ts).
 */
import { Command, Option } from 'commander';
import { DEFAULT_KUBE_VERSION, kubeMinor, KUBE_VERSIONS_TEXT, parseKubeVersion, pssVersionFor } from '../kube/kube-version';
import { isServed, unservedReason } from '../kube/served-kinds';
import { InputError } from './input';

/** `--kube-version <version>`: validated (`1.28` … `1.36`, `latest`) and canonical (`1.<minor>`), default the newest. */
export function kubeVersionOption(): Option {
  return new Option('--kube-version <version>', `Kubernetes version the manifests are for: ${KUBE_VERSIONS_TEXT}; ` +
    'decides the served apiVersions/kinds and, unless --pss-version is given, the Pod Security Standards version')
    .default(DEFAULT_KUBE_VERSION)
    .argParser((v: string) => {
      try {
        return parseKubeVersion(v, '--kube-version');
      } catch (e) {
        throw new InputError('--kube-version', undefined, (e as Error).message.replace(/^--kube-version: /, ''));
      }
    });
}

/**
 * Give `admission-policies` the same option (when its own definition does not have it yet): unless set on their own,
 * `--pss-version` follows it, and `--api-version` is the ValidatingAdmissionPolicy version the release serves (v1 from
 * 1.30, v1beta1 for 1.28/1.29); an explicit `--api-version` the release does not serve is refused with the reason.
 */
export function followKubeVersion(cmd: Command | undefined): void {
  if (!cmd) return;
  if (!cmd.options.some(o => o.long === '--kube-version')) cmd.addOption(kubeVersionOption());
  cmd.hook('preAction', c => {
    const kube = (c.getOptionValue('kubeVersion') as string | undefined) ?? DEFAULT_KUBE_VERSION;
    const minor = kubeMinor(kube)!;
    if (c.getOptionValue('pssVersion') === undefined) c.setOptionValueWithSource('pssVersion', pssVersionFor(kube), 'implied');
    const api = c.getOptionValue('apiVersion') as string | undefined;
    if (api === undefined) return;
    const served = (v: string) => isServed(`admissionregistration.k8s.io/${v}`, 'ValidatingAdmissionPolicy', minor);
    if (served(api)) return;
    if (c.getOptionValueSource('apiVersion') === 'default') {
      const other = ['v1', 'v1beta1'].find(served);
      if (other) {
        c.setOptionValueWithSource('apiVersion', other, 'implied');
        return;
      }
    }
    throw new InputError('--api-version', undefined,
      `${unservedReason(`admissionregistration.k8s.io/${api}`, 'ValidatingAdmissionPolicy', kube)} (--kube-version ${kube})`);
  });
}
