import { checkPods, containersOf, isUnresolved } from '../../manifest';
import { RuleViolation } from '../../types';

/** A parsed container image reference. */
export interface ImageRef {
  /** Registry host (docker.io for bare names). */
  readonly registry: string;
  /** Repository path without registry. */
  readonly repository: string;
  /** Tag, if any. */
  readonly tag?: string;
  /** Digest (`sha256:...`), if any. */
  readonly digest?: string;
  /** Fully qualified `registry/repository`. */
  readonly name: string;
}

/** Parse an image reference the way container runtimes do (docker.io/library default). */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
  }
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository, tag, digest, name: `${registry}/${repository}` };
}

export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/**
 * Check the image of every container of a pod-carrying object: `problem` returns a message when the image is bad.
 * Unresolved tokens are reported as unevaluable.
 */
export function checkImages(obj: any, problem: (image: unknown, container: string) => string | undefined): RuleViolation[] {
  return checkPods(obj, pod => {
    const out: RuleViolation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      const path = `${c.path}.image`;
      if (isUnresolved(image)) {
        out.push({ path, message: `container "${c.name}" image is an unresolved token.`, unevaluable: true });
        continue;
      }
      // a container without image in a fragment (Argo templateDefaults, Tekton stepTemplate-less sidecar...) is filled by the controller
      if (pod.shape === 'fragment' && image === undefined) continue;
      const message = problem(image, c.name);
      if (message) out.push({ path, message });
    }
    return out;
  });
}
