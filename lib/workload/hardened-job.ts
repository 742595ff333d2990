import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';
import { buildPodTemplate, checkInt, PodTemplate } from './pod-template';
import { HardenedWorkload } from './workload-base';
import { HardenedWorkloadProps } from './workload-props';

const k8s = kplus.k8s;

/** Props of a HardenedJob (and the job part of a HardenedCronJob). */
export interface HardenedJobProps extends HardenedWorkloadProps {
  /**
   * Port the container listens on (TCP), e.g. for metrics. Ports below 1024 need `bindPrivilegedPort`.
   * @default - none: a batch pod accepts no connections (the NetworkPolicy denies all ingress)
   */
  readonly port?: number;
  /**
   * Emit a ClusterIP Service for the port.
   * @default false — nothing is exposed unless asked
   */
  readonly service?: boolean;
  /**
   * Retries before the Job is marked failed (0-100).
   * @default 3 — a crashing job does not hammer its dependencies six times (the Kubernetes default)
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the Job may run, retries included, before its pods are killed.
   * @default 3600 — a hung or hijacked job (e.g. a crypto miner) cannot run forever
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job (and its pods and logs) is kept before it is deleted.
   * @default 86400 — a day to inspect logs, then finished pods stop accumulating in etcd
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Successful pods needed (1-10000).
   * @default 1
   */
  readonly completions?: number;
  /**
   * Pods run at once (1-10000).
   * @default 1 — bounded, so one Job cannot claim the cluster's capacity
   */
  readonly parallelism?: number;
}

/** What a CronJob does when a run is due while the previous one still runs. */
export enum ConcurrencyPolicy {
  /** Skip the new run (no pile-up of slow or stuck runs). */
  FORBID = 'Forbid',
  /** Cancel the running one and start the new one. */
  REPLACE = 'Replace',
  /** Run both (runs can pile up and exhaust the namespace quota). */
  ALLOW = 'Allow',
}

/** Props of a HardenedCronJob. */
export interface HardenedCronJobProps extends HardenedJobProps {
  /** Cron schedule: five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly. */
  readonly schedule: string;
  /**
   * Concurrency policy.
   * @default ConcurrencyPolicy.FORBID — a slow or stuck run is never joined by a second one
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Time zone of the schedule (an IANA name).
   * @default 'Etc/UTC' — explicit, not the kube-controller-manager's local time
   */
  readonly timeZone?: string;
  /**
   * Seconds after the scheduled time a missed run may still start.
   * @default 300 — a run missed by more than 5 minutes is skipped rather than started late
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Finished successful Jobs kept (0-100).
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Finished failed Jobs kept (0-100).
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
}

const POLICIES = Object.values(ConcurrencyPolicy) as string[];
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS: [number, number, string[]][] = [[0, 59, []], [0, 23, []], [1, 31, []], [1, 12, MONTHS], [0, 7, DAYS]];

/** True for a schedule the CronJob controller (robfig/cron standard parser) accepts, without a TZ= prefix. */
function isCronSchedule(schedule: unknown): boolean {
  if (typeof schedule !== 'string') return false;
  const s = schedule.trim();
  if (MACROS.includes(s)) return true;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((f, i) => {
    const [min, max, names] = FIELDS[i];
    const value = (v: string): number | undefined => {
      const n = names.indexOf(v.toUpperCase());
      if (n >= 0) return n + (i === 3 ? 1 : 0);
      if (!/^\d{1,2}$/.test(v)) return undefined;
      const x = Number(v);
      return x >= min && x <= max ? x : undefined;
    };
    return f.split(',').every(part => {
      const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(part);
      if (!m) return false;
      if (m[2] !== undefined && Number(m[2]) < 1) return false;
      if (m[1] === '*' || (m[1] === '?' && (i === 2 || i === 4))) return true;
      const range = m[1].split('-');
      if (range.length > 2) return false;
      const lo = value(range[0]);
      const hi = range.length === 2 ? value(range[1]) : lo;
      return lo !== undefined && hi !== undefined && lo <= hi;
    });
  });
}

/** The validated Job spec of a batch workload. */
function jobSpec(scope: HardenedWorkload, props: HardenedJobProps, template: PodTemplate): any {
  const int = (field: keyof HardenedJobProps, dflt: number, min: number, max: number) =>
    checkInt(scope, props[field] ?? dflt, `props.${field}`, 'pod-spec-valid', min, max, `omit it for the default (${dflt}).`);
  return {
    backoffLimit: int('backoffLimit', 3, 0, 100),
    activeDeadlineSeconds: int('activeDeadlineSeconds', 3600, 1, 2147483647),
    ttlSecondsAfterFinished: int('ttlSecondsAfterFinished', 86400, 0, 2147483647),
    completions: int('completions', 1, 1, 10000),
    parallelism: int('parallelism', 1, 1, 10000),
    template: template.render(scope.serviceAccountName),
  };
}

/** The pod template and optional Service of a batch workload. */
function batchParts(scope: HardenedWorkload, props: HardenedJobProps, port: number | undefined): { template: PodTemplate; wantsService: boolean } {
  if (props.service !== undefined && typeof props.service !== 'boolean') {
    fail(scope, 'service-exposure', 'props.service', props.service, 'must be true or false.', 'omit it (no Service) or pass true with a port.');
  }
  if (props.service && port === undefined) {
    fail(scope, 'service-exposure', 'props.service', props.service, 'needs a port: a Service without a port exposes nothing.', 'set props.port, or omit props.service.');
  }
  const template = buildPodTemplate(scope, props, {
    name: scope.name, namespace: scope.namespace, port, selectorLabels: scope.selectorLabels, labels: (scope as any)._labels(),
    batch: true, topologySpread: false, restartPolicy: 'Never', profile: (scope as any)._profile,
  });
  return { template, wantsService: props.service === true };
}

function clusterIpService(scope: HardenedWorkload, port: number): ApiObject {
  return new k8s.KubeService(scope, 'Service', {
    metadata: (scope as any)._metadata(),
    spec: {
      type: 'ClusterIP',
      selector: scope.selectorLabels,
      ports: [{ name: 'app', port, targetPort: k8s.IntOrString.fromString('app'), protocol: 'TCP' }],
    },
  });
}

/**
 * A Job that passes the Pod Security Standards restricted profile and the whole catalogue with nothing but an image:
 * pods never restart in place (restartPolicy Never, retries counted by backoffLimit), a deadline bounds the run, the
 * finished Job is cleaned up, and it emits its own ServiceAccount and NetworkPolicy (no ingress, egress to DNS and
 * named peers only). No Service unless asked.
 */
export class HardenedJob extends HardenedWorkload {
  /** The container port, if any. @default - none */
  public readonly port?: number;
  /** The Job. */
  public readonly job: ApiObject;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The ClusterIP Service, when `service: true`. @default - none */
  public readonly service?: ApiObject;

  /** Validates the props (HardeningError on any unsafe value) and creates the Job and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id, props, 'image', false, (props as any)?.port);
    this.port = this._listenPort;
    const { template, wantsService } = batchParts(this, props, this.port);
    const spec = jobSpec(this, props, template);
    this.serviceAccount = this._createServiceAccount();
    this.job = new k8s.KubeJob(this, 'Job', { metadata: this._metadata(), spec });
    if (wantsService) this.service = clusterIpService(this, this.port as number);
    this.networkPolicy = this._createNetworkPolicy(props);
    this._createApiAccess(template.apiAccess);
  }
}

/**
 * A CronJob whose runs are HardenedJob pods: PSS restricted and the whole catalogue with nothing but an image and a
 * schedule; concurrencyPolicy Forbid, an explicit time zone, a starting deadline and bounded history by default.
 */
export class HardenedCronJob extends HardenedWorkload {
  /** The container port, if any. @default - none */
  public readonly port?: number;
  /** The CronJob. */
  public readonly cronJob: ApiObject;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The ClusterIP Service, when `service: true`. @default - none */
  public readonly service?: ApiObject;

  /** Validates the props (HardeningError on any unsafe value) and creates the CronJob and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id, props, 'image and schedule', false, (props as any)?.port);
    this.port = this._listenPort;
    if (this.name.length > 52) {
      fail(this, 'metadata-valid', props.name ? 'props.name' : 'id', this.name, 'is longer than 52 characters; the CronJob controller appends an 11-character suffix to name its Jobs.', 'use a shorter name.');
    }
    if (!isCronSchedule(props.schedule)) {
      fail(this, 'pod-spec-valid', 'props.schedule', props.schedule, 'is not a cron schedule (five fields, or @hourly, @daily, @weekly, @monthly, @yearly; no TZ= prefix).',
        'use e.g. "0 3 * * *" and set the time zone with props.timeZone.');
    }
    const policy = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    if (!POLICIES.includes(policy)) {
      fail(this, 'pod-spec-valid', 'props.concurrencyPolicy', policy, `is not one of ${POLICIES.join(', ')}.`, 'omit it for ConcurrencyPolicy.FORBID.');
    }
    const timeZone = props.timeZone ?? 'Etc/UTC';
    if (typeof timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone) || !validTimeZone(timeZone)) {
      fail(this, 'pod-spec-valid', 'props.timeZone', timeZone, 'is not an IANA time zone name.', 'use e.g. "Etc/UTC" or "Europe/Berlin".');
    }
    const int = (field: keyof HardenedCronJobProps, dflt: number, min: number, max: number) =>
      checkInt(this, props[field] ?? dflt, `props.${field}`, 'pod-spec-valid', min, max, `omit it for the default (${dflt}).`);
    const startingDeadlineSeconds = int('startingDeadlineSeconds', 300, 10, 2147483647);
    const successfulJobsHistoryLimit = int('successfulJobsHistoryLimit', 3, 0, 100);
    const failedJobsHistoryLimit = int('failedJobsHistoryLimit', 1, 0, 100);
    const { template, wantsService } = batchParts(this, props, this.port);
    const spec = jobSpec(this, props, template);
    this.serviceAccount = this._createServiceAccount();
    this.cronJob = new k8s.KubeCronJob(this, 'CronJob', {
      metadata: this._metadata(),
      spec: {
        schedule: props.schedule.trim(),
        timeZone,
        concurrencyPolicy: policy,
        startingDeadlineSeconds,
        successfulJobsHistoryLimit,
        failedJobsHistoryLimit,
        suspend: false,
        jobTemplate: { metadata: { labels: this._labels() }, spec },
      },
    });
    if (wantsService) this.service = clusterIpService(this, this.port as number);
    this.networkPolicy = this._createNetworkPolicy(props);
    this._createApiAccess(template.apiAccess);
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
