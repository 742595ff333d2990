import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, MAX_INPUT_BYTES } from './input';

/** Files that make a directory a kustomization (kustomize's own list, konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

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
  const r = spawnSync(kubectl, ['kustomize', dir], { maxBuffer: MAX_INPUT_BYTES + 1, encoding: 'buffer' });
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
