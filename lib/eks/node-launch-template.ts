import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Props of a {@link HardenedNodeLaunchTemplate}. */
export interface HardenedNodeLaunchTemplateProps {
  /**
   * Name of the launch template.
   * @default - generated
   */
  readonly launchTemplateName?: string;
}

/**
 * A launch template for EKS managed node groups (`cluster.addNodegroupCapacity(id, { launchTemplateSpec: { id:
 * template.launchTemplate.launchTemplateId!, version: template.launchTemplate.latestVersionNumber } })`): IMDSv2 required
 * and a PUT response hop limit of 1, so a container (one network hop away from the node) cannot reach the instance
 * metadata service and the node role's credentials; detailed monitoring on. The library creates no nodes itself (EKS
 * Auto Mode nodes are managed by AWS and already use IMDSv2 with hop limit 1): use this wherever you add node groups.
 */
export class HardenedNodeLaunchTemplate extends Construct {
  /** The launch template. */
  public readonly launchTemplate: ec2.LaunchTemplate;

  /** Creates the launch template. */
  constructor(scope: Construct, id: string, props: HardenedNodeLaunchTemplateProps = {}) {
    super(scope, id);
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateName: props.launchTemplateName,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      httpEndpoint: true,
      detailedMonitoring: true,
    });
  }
}
