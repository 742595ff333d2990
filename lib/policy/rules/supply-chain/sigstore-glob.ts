import { parseImage } from '../workload/image-ref';

/**
 * Sigstore policy-controller image globs, as pkg/apis/glob/glob.go (sigstore/policy-controller @ f925c0c) reads them:
 * `*` alone means `index.docker.io/library/*`, `*\/*` means `index.docker.io/*\/*`; `.` is literal, `**` matches any
 * characters, `*` any characters but `/`; the glob must match the whole reference. The reference is
 * go-containerregistry's `name.ParseReference(image).Name()`: Docker Hub as `index.docker.io`, `library/` for official
 * images, `:latest` when no tag, `@<digest>` (tag dropped) with a digest; when that does not match and differs from the
 * image as written, the image as written is tried too.
 */
export function sigstoreGlobRegExp(glob: string): RegExp | undefined {
  let g = glob;
  if (g === '*/*') g = 'index.docker.io/*/*';
  if (g === '*') g = 'index.docker.io/library/*';
  if (!/^[a-zA-Z0-9\-_:/*.@]+$/.test(g)) return undefined;
  g = g.replace(/\./g, '\\.').replace(/\*\*/g, '#').replace(/\*/g, '[^/]*').replace(/#/g, '.*');
  return new RegExp(`^${g}$`);
}

/** go-containerregistry's fully qualified name of an image reference, or undefined when it does not parse. */
export function ggcrName(image: string): string | undefined {
  const ref = parseImage(image);
  if (!ref.valid) return undefined;
  const host = ref.registry === 'docker.io' ? 'index.docker.io' : ref.registry;
  return `${host}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? 'latest'}`}`;
}

/** Whether a policy-controller glob matches an image as the controller matches it. */
export function sigstoreGlobMatch(glob: string, image: string): boolean {
  const re = sigstoreGlobRegExp(glob);
  const name = ggcrName(image);
  if (!re || name === undefined) return false;
  return re.test(name) || (name !== image && re.test(image));
}
