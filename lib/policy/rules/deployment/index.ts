import { IRule } from '../../types';
import { containerPortsValid } from './container-ports-valid';
import { probesConfigured } from './probes-configured';
import { replicasMinimum } from './replicas-minimum';
import { workloadNetworkPolicy } from './workload-network-policy';

/** Workload design rules (availability, probes, ports, network policy coverage). One import per rule file. */
export const DEPLOYMENT_RULES: IRule[] = [replicasMinimum, probesConfigured, containerPortsValid, workloadNetworkPolicy];
