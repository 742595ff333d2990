import { IRule } from '../../types';
import { containerEnvDuplicate } from './container-env-duplicate';
import { containerPortsValid } from './container-ports-valid';
import { hpaTargetValid } from './hpa-target-valid';
import { ingressBackendExists } from './ingress-backend-exists';
import { jobTtlAfterFinished } from './job-ttl-after-finished';
import { networkPolicySelectsPods } from './network-policy-selects-pods';
import { pdbAllowsDisruption } from './pdb-allows-disruption';
import { podSpecValid } from './pod-spec-valid';
import { probePortExposed } from './probe-port-exposed';
import { probesConfigured } from './probes-configured';
import { profileMaximums } from './profile-maximums';
import { replicasMinimum } from './replicas-minimum';
import { serviceSelectsPods } from './service-selects-pods';
import { tolerationAnyTaint } from './toleration-any-taint';
import { workloadDisruptionBudget } from './workload-disruption-budget';
import { workloadNetworkPolicy } from './workload-network-policy';
import { workloadSelectorMatch } from './workload-selector-match';

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
