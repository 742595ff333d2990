import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isRecord } from '../kube/k8s-syntax';
import { Catalogue } from '../policy/catalogue';
import { fail } from '../policy/construct-check';
import { ruleApplies, withoutNulls } from '../policy/engine';
import { HardeningProfile } from '../policy/profile';
import { RuleContext } from '../policy/types';
import { Waiver } from '../policy/waiver';
import { daysUntil, MIN_WAIVER_REASON, pathCovered, todayUtc, waiverProblems } from '../policy/waiver-record';
import { NODE_COMPONENT_PORTS } from './node-ports';
import { buildPodTemplate, checkPort, ExtraMount, isMountPath, list } from './pod-template';
import { HardenedWorkload } from './workload-base';
import { HardenedWorkloadProps } from './workload-props';

const k8s = kplus.k8s;

/**
 * The waiver a host-access opt-in carries: why the node agent needs it, who owns the exception, until when. The
 * HardenedDaemonSet applies it with `Waiver.apply` to exactly the findings the opt-in causes, at its field path.
 */
export interface HostAccessWaiver {
  /** Why the exception is acceptable; at least 20 characters. */
  readonly reason: string;
  /** Team or person accountable for the exception. */
  readonly owner: string;
  /** Last day the waiver is valid, `YYYY-MM-DD` (UTC). Expired waivers fail synthesis. */
  readonly expires: string;
}

/** Kind of a host path. */
export enum HostPathType {
  /** An existing directory. */
  DIRECTORY = 'Directory',
  /** An existing file. */
  FILE = 'File',
}

/** A host directory or file mounted read-only into the node agent (e.g. `/var/log` for a log shipper). */
export interface HostPathMount {
  /** Absolute path on the node. The node's root, /etc, /root, /home, /boot, /dev, runtime sockets and kubelet or container runtime state are refused. */
  readonly hostPath: string;
  /** Absolute mount path in the container. */
  readonly mountPath: string;
  /**
   * Kind of the host path; the kubelet refuses to start the pod if it does not exist as that kind (never creates it).
   * @default HostPathType.DIRECTORY
   */
  readonly type?: HostPathType;
  /** The waiver recording this exception (host-path-volumes, volume-types). */
  readonly waiver: HostAccessWaiver;
}

/** The container port, also bound on the node's IP. */
export interface HostPortAccess {
  /** Port on the node (1024-65535: a node port below 1024 is refused). */
  readonly hostPort: number;
  /** The waiver recording this exception (host-ports). */
  readonly waiver: HostAccessWaiver;
}

/** Linux capabilities a node agent may be granted, one by one. SYS_ADMIN, SYS_MODULE, SYS_RAWIO and ALL do not exist here. */
export enum NodeCapability {
  /** Network configuration (e.g. a CNI or a traffic shaper). */
  NET_ADMIN = 'NET_ADMIN',
  /** Raw sockets (e.g. ping, packet capture). */
  NET_RAW = 'NET_RAW',
  /** Read files regardless of permissions (e.g. a file-integrity agent). */
  DAC_READ_SEARCH = 'DAC_READ_SEARCH',
  /** Trace other processes (e.g. a profiler). */
  SYS_PTRACE = 'SYS_PTRACE',
  /** Raise resource limits. */
  SYS_RESOURCE = 'SYS_RESOURCE',
  /** Load eBPF programs (Linux 5.8+). */
  BPF = 'BPF',
  /** Performance monitoring (Linux 5.8+). */
  PERFMON = 'PERFMON',
}

/** One capability with the waiver that records it. */
export interface CapabilityGrant {
  /** The capability. */
  readonly capability: NodeCapability;
  /** The waiver recording this exception (capabilities-restricted, capabilities-baseline). */
  readonly waiver: HostAccessWaiver;
}

/** Props of a HardenedDaemonSet. */
export interface HardenedDaemonSetProps extends HardenedWorkloadProps {
  /**
   * Port the container listens on (TCP), e.g. metrics. Without a port, readiness and liveness must be given.
   * @default - none
   */
  readonly port?: number;
  /**
   * Read-only host paths, each with its waiver.
   * @default - none: no host filesystem access
   */
  readonly hostPathMounts?: HostPathMount[];
  /**
   * Bind the container port on the node's IP too, with its waiver. Needs `port`.
   * @default - none: the pod is reached through the pod network only
   */
  readonly hostPort?: HostPortAccess;
  /**
   * Added Linux capabilities, each with its waiver. The container runs as non-root with no_new_privs, so the runtime
   * grants an added capability only to an entrypoint binary that carries it as a file capability (setcap).
   * @default - none: all capabilities dropped
   */
  readonly capabilities?: CapabilityGrant[];
  /**
   * Pods replaced at once during a rolling update (1-100).
   * @default 1 — one node at a time loses its agent
   */
  readonly maxUnavailable?: number;
}

/** Host paths a node agent never gets, nor any ancestor of them: node credentials, runtime sockets and state. */
const SENSITIVE = ['/etc', '/root', '/home', '/boot', '/dev', '/run', '/var/run', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/docker',
  '/var/lib/cri-o', '/var/lib/etcd', '/etc/kubernetes', '/usr', '/bin', '/sbin', '/lib', '/opt/cni', '/var/lib/cni',
  // Other distributions' credentials, runtime state and images (k3s/RKE2, MicroK8s, k0s, CRI-O, Podman/Buildah, kube-up)
  '/var/lib/rancher', '/var/snap/microk8s', '/var/lib/k0s', '/var/lib/crio', '/var/lib/containers', '/srv/kubernetes', '/lib64'];
/** The host's process view: with SYS_PTRACE an agent passes the ptrace access checks of /proc/<pid>/root and environ. */
const PROCESS_VIEWS = ['/proc'];
const PROCESS_CAPABILITIES = ['SYS_PTRACE'];
const CAPABILITIES = Object.values(NodeCapability) as string[];
const HOST_PATH_TYPES = Object.values(HostPathType) as string[];

/**
 * A DaemonSet for node agents that passes the Pod Security Standards restricted profile and the whole catalogue with
 * nothing but an image (and probes or a port). Every host access — a read-only hostPath, a host port, a capability —
 * is a typed, narrow opt-in that carries its own waiver, applied with `Waiver.apply` to exactly the findings it causes.
 * Emits its own ServiceAccount and NetworkPolicy; no PodDisruptionBudget (node drains do not evict DaemonSet pods).
 */
export class HardenedDaemonSet extends HardenedWorkload {
  /** The container port, if any. @default - none */
  public readonly port?: number;
  /** The DaemonSet. */
  public readonly daemonSet: ApiObject;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;

  /** Validates the props and the host-access opt-ins (each with its waiver) and creates the DaemonSet and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    super(scope, id, props, 'image', false, (props as any)?.port);
    this.port = this._listenPort;
    this._exposeCreatesService = true;
    const metadata = this._metadata();
    const optIns: { prefix: string; waiver: HostAccessWaiver; field: string }[] = [];
    const containerPath = 'spec.template.spec.containers[0]';

    const extraMounts: ExtraMount[] = [];
    list(this, props.hostPathMounts, 'props.hostPathMounts', 'host-path-volumes').forEach((m, i) => {
      const field = `props.hostPathMounts[${i}]`;
      if (!isRecord(m)) fail(this, 'host-path-volumes', field, m, 'must be an object { hostPath, mountPath, waiver }.', 'pass e.g. { hostPath: "/var/log", mountPath: "/host/var/log", waiver }.');
      const hostPath = m.hostPath;
      if (!isMountPath(hostPath)) {
        fail(this, 'host-path-volumes', `${field}.hostPath`, hostPath, 'must be an absolute, normalized path other than "/".', 'name the one directory the agent reads, e.g. /var/log.');
      }
      const bad = SENSITIVE.find(s => hostPath === s || hostPath.startsWith(`${s}/`) || s.startsWith(`${hostPath}/`));
      if (bad || /\.sock$/.test(hostPath)) {
        fail(this, 'host-path-volumes', `${field}.hostPath`, hostPath,
          `reaches ${bad ?? 'a socket'}: node credentials, container runtime sockets and state give control of the node even read-only.`,
          'mount only the directory the agent needs to read, e.g. /var/log or /proc.');
      }
      const type = m.type ?? HostPathType.DIRECTORY;
      if (!HOST_PATH_TYPES.includes(type)) fail(this, 'host-path-volumes', `${field}.type`, type, `is not one of ${HOST_PATH_TYPES.join(', ')}.`, 'omit it for HostPathType.DIRECTORY.');
      this.checkWaiver(m.waiver, `${field}.waiver`, 'host-path-volumes');
      const name = `host-${i}`;
      extraMounts.push({ volume: { name, hostPath: { path: hostPath, type } }, mount: { name, mountPath: m.mountPath, readOnly: true }, field: `${field}.mountPath` });
      optIns.push({ prefix: `spec.template.spec.volumes[?name=${name}]`, waiver: m.waiver, field });
    });

    let hostPort: number | undefined;
    if (props.hostPort !== undefined) {
      const h = props.hostPort;
      if (!isRecord(h)) fail(this, 'host-ports', 'props.hostPort', h, 'must be an object { hostPort, waiver }.', 'pass e.g. { hostPort: 9100, waiver }.');
      if (this.port === undefined) fail(this, 'host-ports', 'props.hostPort', h.hostPort, 'needs props.port: the host port forwards to the container port.', 'set props.port.');
      hostPort = checkPort(this, h.hostPort as number, 'props.hostPort.hostPort', false);
      const component = NODE_COMPONENT_PORTS[hostPort];
      if (component) {
        fail(this, 'host-ports', 'props.hostPort.hostPort', hostPort, `is the port of ${component} on every node: the agent would take its place (or keep it from starting); no waiver covers it.`,
          'use a port no node component listens on, e.g. 9100.');
      }
      this.checkWaiver(h.waiver, 'props.hostPort.waiver', 'host-ports');
      optIns.push({ prefix: `${containerPath}.ports[0].hostPort`, waiver: h.waiver as HostAccessWaiver, field: 'props.hostPort' });
    }

    const added: string[] = [];
    list(this, props.capabilities, 'props.capabilities', 'capabilities-restricted').forEach((g, i) => {
      const field = `props.capabilities[${i}]`;
      if (!isRecord(g)) fail(this, 'capabilities-restricted', field, g, 'must be an object { capability, waiver }.', 'pass e.g. { capability: NodeCapability.NET_RAW, waiver }.');
      if (!CAPABILITIES.includes(g.capability as string) || added.includes(g.capability as string)) {
        fail(this, 'capabilities-restricted', `${field}.capability`, g.capability, `is not one of ${CAPABILITIES.join(', ')} (each once); broader capabilities such as SYS_ADMIN amount to root on the node.`,
          'grant the one narrow capability the agent needs, or none.');
      }
      this.checkWaiver(g.waiver, `${field}.waiver`, 'capabilities-restricted');
      added.push(g.capability as string);
    });
    // Read-only /proc is harmless to a non-root agent without SYS_PTRACE (the kernel's ptrace access check keeps it out of
    // other processes' /proc/<pid>/root and environ); with it, /proc/1/root is the node's whole filesystem.
    const ptrace = added.find(c => PROCESS_CAPABILITIES.includes(c));
    (props.hostPathMounts ?? []).forEach((m, i) => {
      const view = PROCESS_VIEWS.find(v => m.hostPath === v || m.hostPath.startsWith(`${v}/`));
      if (ptrace && view) {
        fail(this, 'host-path-volumes', `props.hostPathMounts[${i}].hostPath`, m.hostPath,
          `with capability ${ptrace} reaches every process of the node (${view}/1/root is the node's filesystem, ${view}/<pid>/environ other pods' secrets).`,
          `drop ${ptrace}, or read what the agent needs from another source.`);
      }
    });
    const addOffset = props.bindPrivilegedPort ? 1 : 0;
    const grants = (props.capabilities ?? []) as CapabilityGrant[];
    grants.forEach((g, i) => optIns.push({ prefix: `${containerPath}.securityContext.capabilities.add[${i + addOffset}]`, waiver: g.waiver, field: `props.capabilities[${i}]` }));

    const maxUnavailable = props.maxUnavailable ?? 1;
    if (typeof maxUnavailable !== 'number' || !Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > 100) {
      fail(this, 'pod-spec-valid', 'props.maxUnavailable', maxUnavailable, 'must be an integer between 1 and 100.', 'omit it for the default (1).');
    }

    const template = buildPodTemplate(this, props, {
      name: this.name, namespace: this.namespace, port: this.port, selectorLabels: this.selectorLabels, labels: this._labels(),
      batch: false, topologySpread: false, hostPort, addCapabilities: added, extraMounts, profile: this._profile,
    });

    this.serviceAccount = this._createServiceAccount();
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata,
      spec: {
        revisionHistoryLimit: 5,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable) } },
        selector: { matchLabels: this.selectorLabels },
        template: template.render(this.serviceAccountName),
      },
    });
    this.applyWaivers(optIns);
    this.networkPolicy = this._createNetworkPolicy(props);
    this._createApiAccess(template.apiAccess);
  }

  private checkWaiver(w: unknown, field: string, ruleId: string): void {
    const problems = isRecord(w) ? waiverProblems({ ruleId, reason: w.reason, owner: w.owner, expires: w.expires }) : ['must be an object { reason, owner, expires }'];
    if (problems.length > 0) {
      fail(this, 'waiver-invalid', field, w, `a host access needs a waiver: ${problems.join('; ')}.`,
        `pass { reason (at least ${MIN_WAIVER_REASON} characters), owner, expires: "YYYY-MM-DD" }.`);
    }
    const days = daysUntil((w as HostAccessWaiver).expires, todayUtc());
    const max = this._profile.maxWaiverDays;
    if (days < 0 || days > max) {
      fail(this, 'waiver-invalid', `${field}.expires`, (w as HostAccessWaiver).expires,
        days < 0 ? 'has passed: an expired waiver fails synthesis.' : `is ${days} days ahead; the profile allows at most ${max}.`,
        `set an expiry within ${max} days and review the exception then.`);
    }
  }

  /**
   * Each opt-in's waiver, applied with Waiver.apply to every rule that finds something at the opt-in's field path —
   * judged now by the catalogue with the profile's settings, so a waiver never goes unused and never covers more.
   */
  private applyWaivers(optIns: { prefix: string; waiver: HostAccessWaiver; field: string }[]): void {
    if (optIns.length === 0) return;
    const obj = withoutNulls(this.daemonSet.toJson());
    const volumes: any[] = obj.spec.template.spec.volumes ?? [];
    const resolved = optIns.map(o => {
      const m = /^spec\.template\.spec\.volumes\[\?name=(.+)\]$/.exec(o.prefix);
      return m ? { ...o, prefix: `spec.template.spec.volumes[${volumes.findIndex(v => v.name === m[1])}]` } : o;
    });
    const context: RuleContext = { settings: HardeningProfile.settingsOf(this), objects: [obj], rules: Catalogue.all(), today: todayUtc() };
    const applied = new Set<string>();
    for (const rule of Catalogue.all()) {
      if (!ruleApplies(rule, obj)) continue;
      for (const v of rule.check(obj, context)) {
        if (v.unevaluable) continue;
        const optIn = resolved.find(o => pathCovered(v.path, o.prefix));
        if (!optIn || applied.has(`${rule.id} ${optIn.prefix}`)) continue;
        applied.add(`${rule.id} ${optIn.prefix}`);
        const w = optIn.waiver;
        Waiver.apply(this.daemonSet, { ruleId: rule.id, path: optIn.prefix, reason: w.reason, owner: w.owner, expires: w.expires });
      }
    }
  }
}
