import { IRule } from '../../types';
import { containerPortsValid } from './container-ports-valid';
import { podSpecValid } from './pod-spec-valid';
import { probesConfigured } from './probes-configured';
import { replicasMinimum } from './replicas-minimum';
import { tolerationAnyTaint } from './toleration-any-taint';
import { workloadNetworkPolicy } from './workload-network-policy';

/** Workload design rules (availability, probes, ports, valid pod specs, node placement, network policy coverage). One import per rule file. */
export const DEPLOYMENT_RULES: IRule[] = [replicasMinimum, probesConfigured, containerPortsValid, podSpecValid, tolerationAnyTaint, workloadNetworkPolicy];
