import { memo } from '../../../kube/cache';
import { checkPods, containersOf, isUnresolved } from '../../../kube/manifest';
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

/*
 * Image reference grammar, as github.com/distribution/reference (used by Docker and containerd) defines it:
 * `[domain[:port]/]path-component(/path-component)*[:tag][@digest]`. The first component is a registry host when it
 * holds `.` or `:`, is `localhost`, or has an upper-case letter (splitDockerDomain); otherwise the registry is docker.io,
 * and a one-component docker.io path gets `library/`. `index.docker.io` is the legacy name of docker.io.
 */
const DOMAIN_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const ANY_DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** A parsed container image reference. */
export interface ImageRef {
  /** Registry host (docker.io for bare names), as written, with its port if any. */
  readonly registry: string;
  /** Repository path without registry. */
  readonly repository: string;
  /** Tag, if any. */
  readonly tag?: string;
  /** Digest (`sha256:...`), if any. */
  readonly digest?: string;
  /** Fully qualified `registry/repository`. */
  readonly name: string;
  /** Whether the reference follows the grammar container runtimes accept (no surrounding spaces, lower-case path...). */
  readonly valid: boolean;
}

const PARSED = memo.byString<ImageRef>(10_000);

/** Parse an image reference the way container runtimes do (docker.io/library default). Cached: images repeat. */
export function parseImage(image: string): ImageRef {
  return PARSED.getOrCompute(image, i => Object.freeze(parseImageUncached(i)));
}

function parseImageUncached(image: string): ImageRef {
  let rest = image.trim();
  let valid = rest === image && rest.length > 0;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!ANY_DIGEST_RE.test(digest)) valid = false;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) valid = false;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    const host = parts.shift()!;
    if (!DOMAIN_RE.test(host)) valid = false;
    registry = host;
  }
  if (!parts.every(p => PATH_COMPONENT_RE.test(p))) valid = false;
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository, tag, digest, name: `${registry}/${repository}`, valid };
}

/**
 * Whether an image is covered by an allowed-registry entry. An entry is a registry host (`registry.example.com`,
 * `localhost:5000`), a registry path (`registry.example.com/team`) or a repository (`docker.io/library/ubuntu`,
 * `<account>.dkr.ecr.<region>.amazonaws.com/postgres`), normalised like an image (`ubuntu` is docker.io/library/ubuntu,
 * `bitnami/redis` is docker.io/bitnami/redis; a host matches only as written: `index.docker.io` and `Docker.IO` are not docker.io here, fail
 * closed, like the admission policy). It matches the
 * image whose registry is the entry's registry (port included) and whose repository is the entry's path or lies under
 * it on whole path segments: `docker.io/library/ubuntu` covers `ubuntu:22.04` and `ubuntu@sha256:…`, never
 * `ubuntu-evil` nor `registry.example.com.evil.io`. An entry with a tag or digest covers only that tag or digest.
 * A malformed image reference matches no entry.
 */
export function imageAllowedBy(image: string, entry: string): boolean {
  const img = parseImage(image);
  if (!img.valid) return false;
  const trimmed = entry.trim();
  const e = trimmed.replace(/\/+$/, '');
  if (e === '') return false;
  const parts = e.split('/');
  const first = parts[0];
  // One component is a host when it looks like one (`registry.example.com`, `localhost:5000`, `[::1]:5000`) or ends
  // with `/` (`myregistry:5000/`); otherwise it is an image name (`ubuntu`, `ubuntu:22.04`).
  const hostOnly = parts.length === 1 && DOMAIN_RE.test(first)
    && (trimmed !== e || /[.[]/.test(first.replace(/:[0-9]+$/, '')) || /^localhost(:[0-9]+)?$/.test(first));
  let registry: string;
  let path: string;
  let tag: string | undefined;
  let digest: string | undefined;
  if (hostOnly) {
    registry = first;
    path = '';
  } else {
    const ref = parseImage(e);
    if (!ref.valid) return false;
    registry = ref.registry;
    path = ref.repository;
    tag = ref.tag;
    digest = ref.digest;
    // `docker.io/bitnami` names the bitnami namespace as an entry (as an image it is docker.io/library/bitnami): both.
    if (registry === 'docker.io' && parts.length === 2 && /[.:]/.test(first) && tag === undefined && digest === undefined
      && img.registry === registry && (img.repository + '/').startsWith(`${path.slice('library/'.length)}/`)) return true;
  }
  if (img.registry !== registry) return false;
  if (path !== '' && img.repository !== path && !img.repository.startsWith(`${path}/`)) return false;
  if (tag !== undefined && (img.repository !== path || img.tag !== tag)) return false;
  if (digest !== undefined && (img.repository !== path || img.digest !== digest)) return false;
  return true;
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
      if (isUnresolved(image)) {
        out.push({ path: `${c.path}.image`, message: `container "${c.name}" image is an unresolved token.`, unevaluable: true });
        continue;
      }
      // a container without image in a fragment (Argo templateDefaults, Tekton stepTemplate-less sidecar...) is filled by the controller
      if (pod.shape === 'fragment' && image === undefined) continue;
      const message = problem(image, c.name);
      if (message) out.push({ path: `${c.path}.image`, message });
    }
    return out;
  });
}
