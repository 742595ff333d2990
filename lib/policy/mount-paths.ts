/** Mount paths that replace what the image ships (shared by the construct checks and the volume-mount-system-path rule). */

/**
 * System directories: a writable volume (an emptyDir, a claim) mounted over one, or over an ancestor, replaces the
 * image's configuration, binaries or libraries (with a shared claim, by whatever else writes the claim) and defeats the
 * read-only root filesystem; and the token directory (under either spelling), where a volume would hand in-cluster
 * clients a token it holds. Below /etc an application directory (e.g. /etc/app) is the application's own; below the
 * binary and library directories nothing is.
 */
export const SYSTEM_DIRS = ['/etc', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/local/bin', '/boot', '/var/run/secrets', '/run/secrets'];
const SYSTEM_TREES = ['/bin', '/sbin', '/lib', '/lib64', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64', '/usr/libexec', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/var/run/secrets', '/run/secrets'];
/** The system directory a mount at `p` replaces: `p` is it, an ancestor of it (not /var, /run, /var/run), or below a binary, library or token tree. */
export function systemDirOf(p: unknown): string | undefined {
  if (typeof p !== 'string') return undefined;
  const tree = SYSTEM_TREES.find(d => p.startsWith(`${d}/`));
  if (tree) return tree;
  return SYSTEM_DIRS.find(d => p === d || (d.startsWith(`${p}/`) && p !== '/var' && p !== '/run' && p !== '/var/run'));
}
