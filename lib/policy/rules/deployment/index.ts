import { IRule } from '../../types';

/** Workload design rules (availability, probes, network policy coverage). One import per rule file. */
export const DEPLOYMENT_RULES: IRule[] = [];
