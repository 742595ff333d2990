import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, MAX_INPUT_BYTES } from './input';

/** Files that make a directory a kustomization (kustomize's own list, konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A proxy that refuses every connection (the discard port of the loopback interface). */
const NO_NETWORK = 'http://127.0.0.1:9';

/**
 * The environment of `kubectl kustomize`: offline. A kustomization may name remote bases (git repositories, URLs):
 * fetching them would let the manifests under check reach the network from CI (and check something else than the
 * repository holds). Git may use local repositories only; HTTP(S) goes to a proxy that refuses. Files outside the
 * kustomization root stay refused (kustomize's default load restrictor), exec and Helm plugins stay off (their
 * defaults in kubectl).
 */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    GIT_ALLOW_PROTOCOL: 'file',
    HTTP_PROXY: NO_NETWORK, HTTPS_PROXY: NO_NETWORK, http_proxy: NO_NETWORK, https_proxy: NO_NETWORK, ALL_PROXY: NO_NETWORK,
    NO_PROXY: '', no_proxy: '',
  };
}

/** What a directory given to `check` is, when it is not plain manifests. */
export function renderedKind(dir: string): 'helm' | 'kustomize' | undefined {
  if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return 'helm';
  if (KUSTOMIZATION_FILES.some(f => fs.existsSync(path.join(dir, f)))) return 'kustomize';
  return undefined;
}

/** The message for a Helm chart directory: templates are not manifests; render them first. */
export function helmMessage(display: string): string {
  return 'is a Helm chart (Chart.yaml): its templates are not Kubernetes manifests until rendered. ' +
    `Render it and pipe it in: helm template my-release ${display} --values values.yaml | cdk8s-hardened check -`;
}

/**
 * Render a kustomization with the real kustomize built into kubectl (`kubectl kustomize DIR`, offline: no remote
 * bases are fetched unless the kustomization names them). Without kubectl: a message saying how to render it.
 */
export function renderKustomize(dir: string, display: string, kubectl = 'kubectl'): Buffer {
  const r = spawnSync(kubectl, ['kustomize', dir], { maxBuffer: MAX_INPUT_BYTES + 1, encoding: 'buffer', env: offlineEnv(process.env) });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError(display, undefined, 'is a kustomization (kustomization.yaml) and kubectl is not installed to render it. ' +
        `Render it and pipe it in: kustomize build ${display} | cdk8s-hardened check -`);
    }
    throw new InputError(display, undefined, `kubectl kustomize failed: ${r.error.message}`);
  }
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').trim().split('\n').slice(-3).join(' ');
    throw new InputError(display, undefined, `is a kustomization, and \`kubectl kustomize ${display}\` failed: ${msg}`);
  }
  return r.stdout;
}
