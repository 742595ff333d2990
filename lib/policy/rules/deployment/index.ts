import { IRule } from '../../types';
import { containerPortsValid } from './container-ports-valid';
import { podSpecValid } from './pod-spec-valid';
import { probesConfigured } from './probes-configured';
import { replicasMinimum } from './replicas-minimum';
import { tolerationAnyTaint } from './toleration-any-taint';
import { workloadNetworkPolicy } from './workload-network-policy';
import { containerEnvDuplicate } from './container-env-duplicate';
import { probePortExposed } from './probe-port-exposed';
import { jobTtlAfterFinished } from './job-ttl-after-finished';
import { workloadSelectorMatch } from './workload-selector-match';
import { workloadDisruptionBudget } from './workload-disruption-budget';
import { pdbAllowsDisruption } from './pdb-allows-disruption';
import { hpaTargetValid } from './hpa-target-valid';
import { serviceSelectsPods } from './service-selects-pods';
import { ingressBackendExists } from './ingress-backend-exists';
import { networkPolicySelectsPods } from './network-policy-selects-pods';
import { profileMaximums } from './profile-maximums';

/** Workload design rules (availability, probes, ports, valid pod specs, node placement, network policy coverage). One import per rule file. */
export const DEPLOYMENT_RULES: IRule[] = [replicasMinimum, probesConfigured, containerPortsValid, podSpecValid, tolerationAnyTaint, workloadNetworkPolicy,
  containerEnvDuplicate,
  probePortExposed,
  jobTtlAfterFinished,
  workloadSelectorMatch,
  workloadDisruptionBudget,
  pdbAllowsDisruption,
  hpaTargetValid,
  serviceSelectsPods,
  ingressBackendExists,
  networkPolicySelectsPods,
  profileMaximums,
];
