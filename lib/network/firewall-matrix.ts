import * as fs from 'fs';
import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { getPath } from '../kube/manifest';
import { Catalogue } from '../policy/catalogue';
import { evaluate, objectRefOf } from '../policy/engine';
import { HardeningError } from '../policy/errors';
import { Guard } from '../policy/guard';
import { DEFAULT_PROFILE } from '../policy/profile';
import { MATRIX_KIND } from '../policy/rules/network/matrix-util';
import { Outcome } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
import { ANYWHERE_DESCRIPTION, ipBlockSet, isAnywhere } from '../semantics/netreach';
import { Flow, FlowPort, FlowProtocol, Zone, ZoneKind } from './model';

const k8s = kplus.k8s;

/** Rules that judge a matrix (the same rules `cdk8s-hardened check` applies to a rendered matrix document). */
const MATRIX_RULES = ['firewall-zone-invalid', 'firewall-flow-conflict', 'firewall-port-range', 'firewall-sensitive-port-exposed', 'firewall-etcd-access'];

/**
 * Rules that judge the matrix again as its security groups see it, pod zones replaced by their hosts zone: a pod flow
 * opens its port on the hosts' group, so e.g. two narrow ranges reaching a sensitive port on two pod zones reach it on
 * the same nodes, and a pod zone named "etcd" is still only nodes to the etcd group.
 */
const SECURITY_GROUP_RULES = ['firewall-sensitive-port-exposed', 'firewall-etcd-access'];

/** The hosts zone pods run on when `MatrixSecurityGroupsOptions.podHostsZone` is not given (the preset's worker nodes). */
const DEFAULT_POD_HOSTS_ZONE = 'nodes';

/** Options of the security groups rendered from a FirewallMatrix. */
export interface MatrixSecurityGroupsOptions {
  /**
   * The hosts zone whose machines run the pods of the matrix's pod zones (the worker nodes). Pod traffic that leaves the
   * cluster's pod network passes those hosts' network interfaces and so their security group: with the AWS VPC CNI pods
   * use the nodes' ENIs; with an overlay CNI traffic to addresses outside the pod network is SNATed to the node. Each flow
   * between a pod zone and a hosts or CIDR zone is therefore also rendered as rules on this zone's group: egress for flows
   * out of pods (e.g. to a database range), ingress for flows into pods (e.g. from a load balancer or the control plane),
   * and the matching rule on the other hosts zone's group. Flows between two pod zones stay NetworkPolicy-only (see
   * `FirewallMatrix.renderSecurityGroups`).
   * @default - the `nodes` zone (the control-plane preset's worker nodes) if the matrix has one; if it has none and a flow
   *   joins a pod zone to a hosts or CIDR zone, rendering throws
   */
  readonly podHostsZone?: string;
}

/** Options of the Kubernetes control-plane preset. */
export interface ControlPlanePresetOptions {
  /**
   * Admins' CIDR allowed to reach the API server (6443). Refused when it is "anywhere" (0.0.0.0/0, ::/0, a half, an
   * IPv4-mapped range, more than 2^24 public IPv4 addresses): rule firewall-sensitive-port-exposed.
   */
  readonly adminCidr: string;
  /**
   * Run etcd on its own hosts (zone `etcd`) instead of stacked on the control plane.
   * @default false — stacked etcd: etcd ports open only within the control-plane zone
   */
  readonly externalEtcd?: boolean;
  /**
   * Add a `load-balancer` hosts zone in front of the API server and kube-proxy health checks (10256) on nodes.
   * @default false
   */
  readonly loadBalancer?: boolean;
  /**
   * Open the NodePort range 30000-32767 on nodes from the load balancer (or, without one, from the admins' CIDR).
   * @default false — NodePorts expose every node; only when asked
   */
  readonly nodePorts?: boolean;
  /** CIDR of the control-plane hosts, for pod flows to the API server. @default - none */
  readonly controlPlaneCidr?: string;
  /**
   * CIDR of the node hosts, used when a pod-level flow targets or leaves the `nodes` zone (NetworkPolicy ipBlock).
   * @default - none: pod flows to or from the nodes zone are refused (no range to admit)
   */
  readonly nodesCidr?: string;
}

/**
 * The cluster's communication matrix as code: zones and flows (from, to, port, purpose), validated against the catalogue's
 * firewall rules as it is built, and rendered to AWS security groups, Kubernetes NetworkPolicies and a Markdown/Mermaid
 * document. Everything not listed is denied.
 */
export class FirewallMatrix {
  /**
   * The Kubernetes control-plane preset (kubernetes.io "Ports and Protocols"): zones `control-plane`, `nodes`, `admins`
   * (+ `etcd`, `load-balancer` when asked) and their flows, plus nodes -> nodes 10250 for in-cluster kubelet clients
   * (metrics-server). Extend it with `addZone` and `allow`: the preset models no CNI (add its overlay, e.g. VXLAN UDP
   * 4789, between every pair of hosts zones, control plane included, so the control plane reaches pod IPs) and no
   * egress outside the cluster (image registries, VPC endpoints: add them explicitly).
   */
  public static kubernetesControlPlane(name: string, options: ControlPlanePresetOptions): FirewallMatrix {
    const m = new FirewallMatrix(name);
    // The admins reach the API server (and, when asked, NodePorts): an address set that is "anywhere" (the evaluator
    // of every NetworkPolicy and matrix decision: 0.0.0.0/0, ::/0, halves, IPv4-mapped, > 2^24 public addresses) is
    // refused here by name, before any flow is written.
    const adminSet = ipBlockSet(options.adminCidr);
    if (adminSet && isAnywhere(adminSet)) {
      throw new HardeningError({
        path: `FirewallMatrix(${name})`, field: 'options.adminCidr', value: options.adminCidr, ruleId: 'firewall-sensitive-port-exposed',
        message: `reaches ${ANYWHERE_DESCRIPTION}: the administrators' zone would open the API server (6443) to the internet.`,
        fix: "use the administrators' VPN or bastion range (e.g. '192.0.2.0/24').",
      });
    }
    m.addZone(Zone.hosts('control-plane', { description: 'Kubernetes control plane (kube-apiserver, controller-manager, scheduler)', cidr: options.controlPlaneCidr }));
    m.addZone(Zone.hosts('nodes', { description: 'Worker nodes (kubelet, kube-proxy, pods)', cidr: options.nodesCidr }));
    m.addZone(Zone.cidr('admins', options.adminCidr, 'Administrators (VPN / bastion range)'));
    const etcd = options.externalEtcd ? 'etcd' : 'control-plane';
    if (options.externalEtcd) m.addZone(Zone.hosts('etcd', { description: 'External etcd cluster' }));
    m.allow('admins', 'control-plane', FlowPort.tcp(6443), 'kubectl and API clients to kube-apiserver');
    m.allow('nodes', 'control-plane', FlowPort.tcp(6443), 'kubelets and pods to kube-apiserver');
    m.allow('control-plane', 'control-plane', FlowPort.tcp(6443), 'control-plane components to kube-apiserver');
    m.allow('control-plane', etcd, FlowPort.tcpRange(2379, 2380), options.externalEtcd ? 'kube-apiserver to etcd (client API)' : 'kube-apiserver and etcd peers (client and peer API)');
    if (options.externalEtcd) m.allow('etcd', 'etcd', FlowPort.tcp(2380), 'etcd peer replication');
    m.allow('control-plane', 'nodes', FlowPort.tcp(10250), 'kube-apiserver to kubelet API (logs, exec, metrics)');
    m.allow('nodes', 'nodes', FlowPort.tcp(10250), 'metrics-server and other in-cluster clients to kubelet API on every node');
    m.allow('control-plane', 'control-plane', FlowPort.tcp(10250), 'kubelet API on control-plane hosts');
    m.allow('control-plane', 'control-plane', FlowPort.tcp(10257), 'kube-controller-manager (self: health and metrics)');
    m.allow('control-plane', 'control-plane', FlowPort.tcp(10259), 'kube-scheduler (self: health and metrics)');
    if (options.loadBalancer) {
      m.addZone(Zone.hosts('load-balancer', { description: 'API and service load balancer' }));
      m.allow('load-balancer', 'control-plane', FlowPort.tcp(6443), 'load balancer to kube-apiserver');
      m.allow('load-balancer', 'nodes', FlowPort.tcp(10256), 'load balancer health checks to kube-proxy');
    }
    if (options.nodePorts) {
      m.allow(options.loadBalancer ? 'load-balancer' : 'admins', 'nodes', FlowPort.tcpRange(30000, 32767), 'NodePort Services');
    }
    return m;
  }

  /** Creates an empty matrix; add zones and flows, then render it. @param name name of the matrix (documents, resource names) */
  constructor(public readonly name: string) {
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(name)) {
      throw new HardeningError({ path: `FirewallMatrix(${name})`, field: 'name', value: name, ruleId: 'firewall-flow-conflict', message: 'is not a DNS-1123 label.', fix: 'use e.g. "cluster".' });
    }
    Object.defineProperty(this, 'name', { value: name, writable: false, configurable: false, enumerable: true });
    STATE.set(this, { name, zones: [], flows: [] });
  }

  /** Zones, in declaration order (a copy; each zone is frozen). */
  public get zones(): Zone[] { return [...stateOf(this).zones]; }

  /** Flows, in declaration order (a copy; each flow and its port are frozen). */
  public get flows(): Flow[] { return [...stateOf(this).flows]; }

  /**
   * Declare a zone (checked by `firewall-zone-invalid`: valid CIDR, DNS-1123 namespace, label keys and values). Pods
   * zones of one namespace must agree on `manageNamespace`.
   */
  public addZone(zone: Zone): FirewallMatrix {
    const state = stateOf(this);
    const snapshot = Zone._snapshot(zone);
    const i = state.zones.length;
    state.zones.push(snapshot);
    validate(state, `zones[${i}] (${snapshot.name})`, `spec.zones[${i}]`, () => state.zones.pop());
    return this;
  }

  /**
   * Allow `from` to open connections to `to` on `port`, for `purpose`. A flow between two pods zones needs at least one
   * zone whose namespace the matrix manages (otherwise no policy would be written for it).
   */
  public allow(from: string, to: string, port: FlowPort, purpose: string): FirewallMatrix {
    const state = stateOf(this);
    const snapshot = FlowPort._snapshot(port);
    const i = state.flows.length;
    const field = `flows[${i}] (${from} -> ${to} ${FlowPort.prototype.toString.call(snapshot)})`;
    state.flows.push(Object.freeze({ from, to, port: snapshot, purpose }));
    validate(state, field, `spec.flows[${i}]`, () => state.flows.pop());
    return this;
  }

  /** The matrix as a document the catalogue evaluates (kind FirewallMatrix): a fresh copy of the validated state. */
  public toManifest(): any {
    return manifestOf(stateOf(this));
  }

  /**
   * One AWS security group per hosts zone (allowAllOutbound false), with a described ingress rule on the destination and
   * an egress rule on the source per flow. CIDR zones become peers. Pod zones stand for the hosts zone their pods run on
   * (`options.podHostsZone`, default `nodes`): a flow between a pod zone and a hosts or CIDR zone is rendered on that
   * zone's group too (pod traffic passes the nodes' interfaces), besides its NetworkPolicies. Flows between two pod zones
   * are NetworkPolicy-only: both ends are the same nodes group, and pod-to-pod traffic between nodes is the CNI's (an
   * overlay: add its port between the hosts zones; the VPC CNI without an overlay: add nodes -> nodes flows for the
   * pods' ports). Flows that map to the same rule (same group, peer, protocol and ports) share one rule whose description
   * joins their purposes with "; ".
   */
  public renderSecurityGroups(scope: Construct, id: string, vpc: ec2.IVpc, options: MatrixSecurityGroupsOptions = {}): MatrixSecurityGroups {
    return new MatrixSecurityGroups(scope, id, this, vpc, options);
  }

  /**
   * NetworkPolicies for the pod zones: a default deny (Ingress + Egress) and DNS egress per namespace the matrix owns
   * (the namespaces of its pod zones, except zones declared with `manageNamespace: false`), then for each flow touching
   * an owned pod zone an ingress policy in the destination's namespace and/or an egress policy in the source's, named
   * `<matrix>-flow-<n>-ingress|egress` where `n` is the flow's number in the document's flow table (1-based). Nothing is
   * written elsewhere: the side of a flow in a namespace the matrix does not manage is left to that namespace's owner.
   * The chart is put under the synth-time guard (`Guard.of(chart)`): the policies, and everything else in the chart, are
   * judged by the catalogue at synth (e.g. an ipBlock reaching "anywhere" from a CIDR zone fails `network-policy-ipblock-any`).
   */
  public renderNetworkPolicies(chart: Chart, id: string): Construct {
    Guard.of(chart);
    const scope = new Construct(chart, id);
    const owned = [...new Set(stateOf(this).zones.filter(z => isOwnedPods(z)).map(z => z.namespace!))];
    for (const ns of owned) {
      new k8s.KubeNetworkPolicy(scope, `${ns}-default-deny`, {
        metadata: { name: `${stateOf(this).name}-default-deny`, namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new k8s.KubeNetworkPolicy(scope, `${ns}-dns`, {
        metadata: { name: `${stateOf(this).name}-allow-dns`, namespace: ns },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
          }],
        },
      });
    }
    stateOf(this).flows.forEach((f, i) => {
      const from = zoneIn(stateOf(this), f.from);
      const to = zoneIn(stateOf(this), f.to);
      // The flow's number in the document's flow table (1-based), so `<matrix>-flow-12-*` is row #12 of `<matrix>.md`.
      const n = flowNumber(i);
      const ports = [{
        protocol: f.port.protocol, port: k8s.IntOrString.fromNumber(f.port.fromPort), ...(f.port.toPort !== f.port.fromPort ? { endPort: f.port.toPort } : {}),
      }];
      if (isOwnedPods(to)) {
        new k8s.KubeNetworkPolicy(scope, `flow-${n}-ingress`, {
          metadata: { name: `${stateOf(this).name}-flow-${n}-ingress`, namespace: to.namespace, annotations: { 'hardened.cdk8s.io/purpose': f.purpose } },
          spec: { podSelector: { matchLabels: to.labels }, policyTypes: ['Ingress'], ingress: [{ from: [this.peer(from, to.namespace!, i)], ports }] },
        });
      }
      if (isOwnedPods(from)) {
        new k8s.KubeNetworkPolicy(scope, `flow-${n}-egress`, {
          metadata: { name: `${stateOf(this).name}-flow-${n}-egress`, namespace: from.namespace, annotations: { 'hardened.cdk8s.io/purpose': f.purpose } },
          spec: { podSelector: { matchLabels: from.labels }, policyTypes: ['Egress'], egress: [{ to: [this.peer(to, from.namespace!, i)], ports }] },
        });
      }
    });
    return scope;
  }

  /** The matrix as a Markdown table. */
  public toMarkdownTable(): string {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return [
      '| # | from | to | protocol | port(s) | purpose |',
      '|---|---|---|---|---|---|',
      ...stateOf(this).flows.map((f, i) => `| ${flowNumber(i)} | ${esc(f.from)} | ${esc(f.to)} | ${f.port.protocol} | ${f.port.fromPort === f.port.toPort ? f.port.fromPort : `${f.port.fromPort}-${f.port.toPort}`} | ${esc(f.purpose)} |`),
    ].join('\n');
  }

  /** The matrix as a Mermaid flowchart (renders on GitHub). */
  public toMermaid(): string {
    const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
    const label = (z: Zone) => `${z.name}${z.cidrBlock ? `<br/>${z.cidrBlock}` : ''}${z.namespace ? `<br/>ns ${z.namespace}` : ''}`;
    const shape = (z: Zone) => z.kind === ZoneKind.CIDR ? `${id(z.name)}(["${label(z)}"])` : z.kind === ZoneKind.PODS ? `${id(z.name)}[["${label(z)}"]]` : `${id(z.name)}["${label(z)}"]`;
    return [
      'flowchart LR',
      ...stateOf(this).zones.map(z => `  ${shape(z)}`),
      ...stateOf(this).flows.map(f => `  ${id(f.from)} -->|"${f.port.toString()}"| ${id(f.to)}`),
    ].join('\n');
  }

  /** The whole document: zones, flow table and diagram. */
  public toMarkdown(): string {
    return [
      `# Communication matrix: ${stateOf(this).name}`,
      '',
      'Generated by cdk8s-hardened from the FirewallMatrix definition. Every flow not listed here is denied.',
      '',
      '## Zones',
      '',
      '| zone | kind | description |',
      '|---|---|---|',
      ...stateOf(this).zones.map(z => `| ${z.name} | ${z.kind} | ${z.description}${z.cidrBlock ? ` (${z.cidrBlock})` : ''} |`),
      '',
      '## Flows',
      '',
      this.toMarkdownTable(),
      '',
      '## Diagram',
      '',
      '```mermaid',
      this.toMermaid(),
      '```',
      '',
    ].join('\n');
  }

  /** Write `<name>.md` into a directory (e.g. the cdk8s app's outdir) and return its path. */
  public writeDocument(outdir: string): string {
    fs.mkdirSync(outdir, { recursive: true });
    const file = path.join(outdir, `${stateOf(this).name}.md`);
    fs.writeFileSync(file, this.toMarkdown());
    return file;
  }

  private peer(z: Zone, policyNamespace: string, i: number): any {
    if (z.kind === ZoneKind.PODS) {
      const podSelector = { matchLabels: z.labels };
      return z.namespace === policyNamespace ? { podSelector } : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': z.namespace } }, podSelector };
    }
    if (!z.cidrBlock) {
      throw new HardeningError({
        path: `FirewallMatrix(${stateOf(this).name})`, field: `flows[${i}]`, value: z.name, ruleId: 'firewall-flow-conflict',
        message: `pod flow #${flowNumber(i)} to or from hosts zone "${z.name}" needs the zone's CIDR.`, fix: `declare Zone.hosts('${z.name}', { cidr: '...' }).`,
      });
    }
    return { ipBlock: { cidr: z.cidrBlock } };
  }
}

/**
 * The security groups of a FirewallMatrix, one per hosts zone. Pod zones are rendered on the group of the hosts zone
 * their pods run on (`MatrixSecurityGroupsOptions.podHostsZone`).
 */
export class MatrixSecurityGroups extends Construct {
  private readonly groups = new Map<string, ec2.SecurityGroup>();

  /** Renders one security group per host zone of the matrix in the VPC, with the rules its flows need. */
  constructor(scope: Construct, id: string, matrix: FirewallMatrix, vpc: ec2.IVpc, options: MatrixSecurityGroupsOptions = {}) {
    super(scope, id);
    // Rendered only from the validated state (never from overridable getters of the matrix object).
    const st = stateOf(matrix);
    const podHosts = podHostsZone(st, options);
    /** What a zone is to a security group: a group (hosts, or pods through their hosts) or an address range. */
    const endpoint = (z: Zone, i: number): { group?: string; cidr?: string } => {
      if (z.kind === ZoneKind.HOSTS) return { group: z.name };
      if (z.kind === ZoneKind.CIDR) return { cidr: z.cidrBlock! };
      if (podHosts === undefined) {
        const f = st.flows[i];
        throw new HardeningError({
          path: `FirewallMatrix(${st.name})`, field: `flows[${i}]`, value: `${f.from} -> ${f.to} ${f.port.toString()}`, ruleId: 'firewall-flow-conflict',
          message: `flow #${flowNumber(i)} joins pod zone "${z.name}" to a hosts or CIDR zone: pod traffic passes the security group of the hosts ` +
            `the pods run on, podHostsZone is not set and the matrix has no hosts zone "${DEFAULT_POD_HOSTS_ZONE}" to default to.`,
          fix: `name the hosts zone the pods run on: renderSecurityGroups(scope, id, vpc, { podHostsZone: '<hosts zone>' }), or declare Zone.hosts('${DEFAULT_POD_HOSTS_ZONE}').`,
        });
      }
      return { group: podHosts };
    };

    // The flows as the groups see them: pod zones replaced by their hosts zone; pod-to-pod flows stay NetworkPolicy-only.
    const sgFlows: { i: number; flow: Flow; from: { group?: string; cidr?: string }; to: { group?: string; cidr?: string } }[] = [];
    st.flows.forEach((f, i) => {
      const [from, to] = [zoneIn(st, f.from), zoneIn(st, f.to)];
      if (from.kind === ZoneKind.PODS && to.kind === ZoneKind.PODS) return;
      sgFlows.push({ i, flow: f, from: endpoint(from, i), to: endpoint(to, i) });
    });
    if (podHosts !== undefined) checkAsSecurityGroups(st, podHosts, sgFlows);

    for (const z of st.zones.filter(x => x.kind === ZoneKind.HOSTS)) {
      this.groups.set(z.name, new ec2.SecurityGroup(this, z.name, {
        vpc,
        allowAllOutbound: false,
        description: `${st.name}: ${z.description}`.slice(0, 255),
      }));
    }

    // One rule per (group, direction, peer, protocol, ports): AWS refuses duplicate rules and the CDK silently drops a
    // second one, so flows that land on the same rule share it and its description names each purpose.
    const rules = new Map<string, { group: string; ingress: boolean; peer: { group?: string; cidr?: string }; port: FlowPort; purposes: string[] }>();
    const add = (group: string, ingress: boolean, peer: { group?: string; cidr?: string }, port: FlowPort, purpose: string) => {
      const key = JSON.stringify([group, ingress, peer.group ?? null, peer.cidr?.toLowerCase() ?? null, port.protocol, port.fromPort, port.toPort]);
      const rule = rules.get(key);
      if (!rule) rules.set(key, { group, ingress, peer, port, purposes: [purpose] });
      else if (!rule.purposes.includes(purpose)) rule.purposes.push(purpose);
    };
    for (const { flow, from, to } of sgFlows) {
      if (to.group) add(to.group, true, from, flow.port, flow.purpose);
      if (from.group) add(from.group, false, to, flow.port, flow.purpose);
    }
    for (const r of rules.values()) {
      const sg = this.groups.get(r.group)!;
      const peer = r.peer.group ? this.groups.get(r.peer.group)! : cidrPeer(r.peer.cidr!);
      const description = r.purposes.join('; ').slice(0, 255);
      if (r.ingress) sg.addIngressRule(peer, toEc2Port(r.port), description);
      else sg.addEgressRule(peer, toEc2Port(r.port), description);
    }
  }

  /** The security group of a hosts zone. */
  public securityGroup(zone: string): ec2.ISecurityGroup {
    const sg = this.groups.get(zone);
    if (!sg) throw new Error(`no security group for zone "${zone}" (only hosts zones have one)`);
    return sg;
  }
}

/** The hosts zone pods run on: the option (which must name a hosts zone), else `nodes` if it is a hosts zone, else none. */
function podHostsZone(st: MatrixState, options: MatrixSecurityGroupsOptions): string | undefined {
  const name = options.podHostsZone ?? DEFAULT_POD_HOSTS_ZONE;
  const zone = st.zones.find(z => z.name === name);
  if (zone?.kind === ZoneKind.HOSTS) return name;
  if (options.podHostsZone === undefined) return undefined;
  throw new HardeningError({
    path: `FirewallMatrix(${st.name})`, field: 'podHostsZone', value: name, ruleId: 'firewall-zone-invalid',
    message: zone ? `zone "${name}" is a ${zone.kind} zone, not the hosts zone pods run on.` : `no zone "${name}" in the matrix.`,
    fix: `pass podHostsZone naming the hosts zone whose machines run the pods (e.g. Zone.hosts('${DEFAULT_POD_HOSTS_ZONE}')).`,
  });
}

/**
 * Judge the flows as rendered on the security groups (pod zones replaced by `podHosts`) with SECURITY_GROUP_RULES, and
 * throw on a violation, naming the matrix flow.
 */
function checkAsSecurityGroups(st: MatrixState, podHosts: string, sgFlows: { i: number; flow: Flow }[]): void {
  const doc = manifestOf(st);
  const asHosts = (name: string) => zoneIn(st, name).kind === ZoneKind.PODS ? podHosts : name;
  const flows = sgFlows.map(({ i, flow }) => ({ ...doc.spec.flows[i], from: asHosts(flow.from), to: asHosts(flow.to) }));
  const rendered = { ...doc, spec: { ...doc.spec, flows } };
  const findings = evaluate([{ object: rendered, ref: objectRefOf(rendered) }], {
    rules: SECURITY_GROUP_RULES.map(id => Catalogue.get(id)),
    settings: { ...DEFAULT_PROFILE, allowedRegistries: [] },
    today: todayUtc(),
  }).filter(f => f.outcome === Outcome.FAIL);
  if (findings.length === 0) return;
  const f = findings[0];
  const j = Number(/^spec\.flows\[(\d+)\]/.exec(f.path)?.[1] ?? 0);
  const { i, flow } = sgFlows[j];
  throw new HardeningError({
    path: `FirewallMatrix(${st.name})`, field: `flows[${i}]`, value: `${flow.from} -> ${flow.to} ${flow.port.toString()}`, ruleId: f.ruleId,
    message: `as security group rules (pod zones are their hosts zone "${podHosts}"), flow #${flowNumber(i)}: ${f.message}`,
    fix: f.remediation,
  });
}

/** A pods zone whose namespace the matrix manages (default deny, DNS, the zone's side of each flow). */
function isOwnedPods(z: Zone): boolean {
  return z.kind === ZoneKind.PODS && z.manageNamespace;
}

/** The 1-based number of the flow at index `i`: its row in the document's flow table and its NetworkPolicies' names. */
function flowNumber(i: number): number {
  return i + 1;
}

function cidrPeer(cidr: string): ec2.IPeer {
  return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
}

function toEc2Port(p: FlowPort): ec2.Port {
  if (p.protocol === FlowProtocol.TCP) return p.fromPort === p.toPort ? ec2.Port.tcp(p.fromPort) : ec2.Port.tcpRange(p.fromPort, p.toPort);
  return p.fromPort === p.toPort ? ec2.Port.udp(p.fromPort) : ec2.Port.udpRange(p.fromPort, p.toPort);
}

/** The validated state of a matrix: only this module reads or writes it, so subclasses and getters cannot bypass validation. */
interface MatrixState {
  readonly name: string;
  readonly zones: Zone[];
  readonly flows: Flow[];
}

const STATE = new WeakMap<FirewallMatrix, MatrixState>();

function stateOf(matrix: FirewallMatrix): MatrixState {
  const st = STATE.get(matrix);
  if (!st) throw new Error('not a FirewallMatrix constructed by this library');
  return st;
}

function zoneIn(st: MatrixState, name: string): Zone {
  const z = st.zones.find(x => x.name === name);
  if (!z) throw new Error(`unknown zone ${name}`);
  return z;
}

/** The matrix document of a state (a fresh object every call). */
function manifestOf(st: MatrixState): any {
  return {
    apiVersion: 'hardened.cdk8s.io/v1alpha1',
    kind: MATRIX_KIND,
    metadata: { name: st.name },
    spec: {
      zones: st.zones.map(z => ({
        name: z.name, kind: z.kind, description: z.description,
        ...(z.cidrBlock ? { cidr: z.cidrBlock } : {}),
        ...(z.kind === ZoneKind.PODS
          ? { namespace: z.namespace, labels: isPlainObject(z.labels) ? { ...z.labels } : z.labels, ...(z.manageNamespace ? {} : { manageNamespace: false }) }
          : {}),
      })),
      flows: st.flows.map(f => ({ from: f.from, to: f.to, protocol: f.port.protocol, fromPort: f.port.fromPort, toPort: f.port.toPort, purpose: f.purpose })),
    },
  };
}

function isPlainObject(x: unknown): x is object {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Evaluate the matrix rules on the state; on a violation undo the last change and throw, naming a finding about the
 * changed item (document path `changed`) when there is one.
 */
function validate(st: MatrixState, field: string, changed: string, undo: () => void): void {
  const doc = manifestOf(st);
  const findings = evaluate([{ object: doc, ref: objectRefOf(doc) }], {
    rules: MATRIX_RULES.map(id => Catalogue.get(id)),
    settings: { ...DEFAULT_PROFILE, allowedRegistries: [] },
    today: todayUtc(),
  }).filter(f => f.outcome === Outcome.FAIL);
  if (findings.length > 0) {
    undo();
    const f = findings.find(x => x.path === changed || x.path.startsWith(`${changed}.`)) ?? findings[0];
    // field: the change and the offending document field; value: what that field holds.
    throw new HardeningError({
      path: `FirewallMatrix(${st.name})`, field: f.path ? `${field} at ${f.path}` : field, value: f.path ? getPath(doc, f.path) : undefined,
      ruleId: f.ruleId, message: f.message, fix: f.remediation,
    });
  }
}
