import { IRule } from '../../types';
import { allowPrivilegeEscalation } from './allow-privilege-escalation';
import { apparmorProfile } from './apparmor-profile';
import { capabilitiesBaseline } from './capabilities-baseline';
import { capabilitiesRestricted } from './capabilities-restricted';
import { hostNamespaces } from './host-namespaces';
import { hostPathVolumes } from './host-path-volumes';
import { hostPorts } from './host-ports';
import { hostProcess } from './host-process';
import { privilegedContainer } from './privileged-container';
import { probeHost } from './probe-host';
import { procMount } from './proc-mount';
import { procMountRestricted } from './proc-mount-restricted';
import { runAsNonRoot } from './run-as-non-root';
import { runAsUserRoot } from './run-as-user-root';
import { seccompBaseline } from './seccomp-baseline';
import { seccompRestricted } from './seccomp-restricted';
import { selinuxOptions } from './selinux-options';
import { sysctlsUnsafe } from './sysctls-unsafe';
import { volumeTypes } from './volume-types';

/**
 * Pod Security Standards v1.28 … v1.36 controls (baseline, then restricted), in catalogue order. One import per rule file.
 * Each judges by the effective version (PolicySettings.podSecurityVersion); see versions.ts.
 */
export const POD_SECURITY_RULES: IRule[] = [
  // baseline
  hostProcess,
  hostNamespaces,
  privilegedContainer,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  apparmorProfile,
  selinuxOptions,
  procMount,
  seccompBaseline,
  sysctlsUnsafe,
  probeHost,
  // restricted
  volumeTypes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUserRoot,
  seccompRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];
