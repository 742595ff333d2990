import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { readKubeYaml } from '../kube/kube-yaml';
import { Catalogue } from '../policy/catalogue';
import { EvaluationGroup } from '../policy/engine';
import { HardeningProfile } from '../policy/profile';
import { BlockedSynthesis, buildThreatModel, ThreatModelData, ThreatModelOptions, ThreatStatus } from './model';
import { renderMarkdown } from './render';
import { toThreatDragon } from './threat-dragon';

/**
 * A STRIDE threat model of synthesized manifests: the assets found (workloads, namespaces, Secrets and who reads them,
 * permissions, Services, the cluster), a data-flow diagram with trust boundaries, and for each threat of the catalogue
 * (THREATS) and each asset it targets one status backed by what is in the output: mitigated (with the evidence listed),
 * waived (rule, owner, approver, expiry), not covered (the open findings or exposures and the next step), no evidence,
 * assumed (the exact assumption listed) or outside this app (the cluster operator's next step).
 *
 * ```ts
 * fs.writeFileSync('threat-model.md', ThreatModel.of(app).toMarkdown());
 * ```
 */
export class ThreatModel {
  /**
   * The threat model of an App: its charts are synthesized in memory (`app.synthYaml()`) and read back as kubectl
   * reads them, each object judged with the rules and settings of the HardeningProfiles that govern it (as the guard
   * does). When the guard refuses synthesis, the report is of the in-memory objects and carries the guard's message
   * and the blocking findings.
   */
  public static of(app: IConstruct, options: ThreatModelOptions = {}): ThreatModel {
    const root = app.node.root;
    const apiObjects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    const groups = new Map<string, EvaluationGroup>();
    const groupOfScope = (scope: IConstruct): EvaluationGroup => {
      const key = HardeningProfile.chainOf(scope).map(p => p.node.addr).join(',');
      let g = groups.get(key);
      if (!g) {
        const known = [...Catalogue.all(), ...HardeningProfile.resolve(scope).customRules];
        g = { rules: known, knownRules: known, settings: HardeningProfile.settingsOf(scope) };
        groups.set(key, g);
      }
      return g;
    };
    const bySource = new Map<string, ApiObject>();
    const keyOf = (o: any) => `${o?.apiVersion}\u0000${o?.kind}\u0000${o?.metadata?.namespace ?? ''}\u0000${o?.metadata?.name}`;
    let objects: any[];
    let blocked: BlockedSynthesis | undefined;
    try {
      objects = readKubeYaml((root as App).synthYaml()).filter(d => d !== null && d !== undefined);
    } catch (e) {
      blocked = { message: (e as Error).message };
      objects = apiObjects.map(o => o.toJson());
    }
    for (const o of apiObjects) {
      try {
        bySource.set(keyOf(o.toJson()), o);
      } catch {
        // an object that cannot render is reported by the guard's message
      }
    }
    const settings = options.settings ?? HardeningProfile.settingsOf(root);
    return new ThreatModel(buildThreatModel(objects, { ...options, settings }, {
      groupOf: options.settings ? undefined : obj => {
        const source = bySource.get(keyOf(obj));
        return source ? groupOfScope(source) : groupOfScope(root);
      },
      blocked,
    }));
  }

  /** The threat model of Kubernetes objects (as `kubectl apply` would get them; lists are expanded). */
  public static fromObjects(objects: any[], options: ThreatModelOptions = {}): ThreatModel {
    return new ThreatModel(buildThreatModel(objects, options));
  }

  /** The model: assets, boundaries, flows, threats, assessments, assumptions. */
  public readonly data: ThreatModelData;

  private constructor(data: ThreatModelData) {
    this.data = data;
  }

  /** The report as Markdown (renders on GitHub, with a Mermaid data-flow diagram). */
  public toMarkdown(): string {
    return renderMarkdown(this.data);
  }

  /**
   * The report as one self-contained HTML page (no network: CSS, script and the data-flow diagram's SVG are inlined):
   * summary, the diagram with trust boundaries as regions, each threat per asset with its evidence, assumptions and
   * accepted risks, with search and filters. Asynchronous because the diagram is laid out by Graphviz (WebAssembly).
   */
  public async toHtml(): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../report/threat-html').renderThreatHtml(this.toJson());
  }

  /** The report as JSON (schema: schemas/threat-model/report.schema.json). */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.data));
  }

  /** The model as an OWASP Threat Dragon v2 model (open it in Threat Dragon). */
  public toThreatDragon(): any {
    return toThreatDragon(this.data);
  }

  /** Assessments with a status, e.g. every `not covered` one. */
  public withStatus(status: ThreatStatus): any[] {
    return this.data.assessments.filter(a => a.status === status).map(a => JSON.parse(JSON.stringify(a)));
  }
}
