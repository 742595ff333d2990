import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { invalidProp } from '../secrets/private/errors';

/** Props of an {@link EksThreatDetection}. */
export interface EksThreatDetectionProps {
  /**
   * Turn off EKS audit-log monitoring (GuardDuty reads the clusters' Kubernetes audit logs through an independent
   * stream: it keeps working when the cluster's own control-plane logging is turned off). Say why; kept in the metadata.
   * @default - none: EKS audit-log monitoring is on
   */
  readonly auditLogMonitoringDisabledReason?: string;
  /**
   * Turn off EKS runtime monitoring (the GuardDuty security agent on the nodes: process, file and network events of
   * containers). Say why; kept in the metadata.
   * @default - none: runtime monitoring is on, with GuardDuty managing the agent add-on on every EKS cluster
   */
  readonly runtimeMonitoringDisabledReason?: string;
  /**
   * How often updated findings are exported to EventBridge.
   * @default 'FIFTEEN_MINUTES' — the shortest period: an intrusion is reported within a quarter of an hour
   */
  readonly findingPublishingFrequency?: string;
}

/**
 * GuardDuty threat detection for EKS in this account and region (EKS Blueprints and the AWS EKS best practices guide):
 * a GuardDuty detector with EKS audit-log monitoring and EKS runtime monitoring (agent add-on managed by GuardDuty).
 * An account has one detector per region: deploy this once per account and region (not when GuardDuty is managed by
 * an organization's delegated administrator, which enables the same features centrally).
 */
export class EksThreatDetection extends Construct {
  /** The GuardDuty detector. */
  public readonly detector: guardduty.CfnDetector;

  /** Creates the detector with the features given in props. */
  constructor(scope: Construct, id: string, props: EksThreatDetectionProps = {}) {
    super(scope, id);
    const reason = (field: string, v: string | undefined): boolean => {
      if (v === undefined) return false;
      if (typeof v !== 'string' || v.trim() === '') throw invalidProp(this, field, v, 'must say why the protection is off.', 'e.g. "organization delegated admin enables it (SEC-3)".');
      this.node.addMetadata(`cdk8s-hardened:${field.replace('props.', '')}`, v);
      return true;
    };
    const auditOff = reason('props.auditLogMonitoringDisabledReason', props.auditLogMonitoringDisabledReason);
    const runtimeOff = reason('props.runtimeMonitoringDisabledReason', props.runtimeMonitoringDisabledReason);
    const frequency = props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES';
    if (!['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'].includes(frequency)) {
      throw invalidProp(this, 'props.findingPublishingFrequency', frequency, 'is not a GuardDuty publishing frequency.', 'use FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS.');
    }
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: frequency,
      features: [
        { name: 'EKS_AUDIT_LOGS', status: auditOff ? 'DISABLED' : 'ENABLED' },
        {
          name: 'RUNTIME_MONITORING',
          status: runtimeOff ? 'DISABLED' : 'ENABLED',
          additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: runtimeOff ? 'DISABLED' : 'ENABLED' }],
        },
      ],
    });
  }
}
