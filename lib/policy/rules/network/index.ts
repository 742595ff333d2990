import { IRule } from '../../types';
import { firewallEtcdAccess } from './firewall-etcd-access';
import { firewallFlowConflict } from './firewall-flow-conflict';
import { firewallPortRange } from './firewall-port-range';
import { firewallSensitivePortExposed } from './firewall-sensitive-port-exposed';
import { firewallZoneInvalid } from './firewall-zone-invalid';
import { networkPolicyAllowAllEgress } from './network-policy-allow-all-egress';
import { networkPolicyAllowAllIngress } from './network-policy-allow-all-ingress';
import { networkPolicyEgressCloudMetadata } from './network-policy-egress-cloud-metadata';
import { networkPolicyIpblockAny } from './network-policy-ipblock-any';

/** NetworkPolicy and firewall-matrix rules. One import per rule file. */
export const NETWORK_RULES: IRule[] = [
  networkPolicyAllowAllIngress,
  networkPolicyAllowAllEgress,
  networkPolicyIpblockAny,
  firewallSensitivePortExposed,
  firewallEtcdAccess,
  firewallPortRange,
  firewallFlowConflict,
  firewallZoneInvalid,
  networkPolicyEgressCloudMetadata,
];
