import { IConstruct } from 'constructs';
import { App } from 'cdk8s';
import { readKubeYaml } from '../policy/kube-yaml';
import { buildThreatModel, ThreatModelData, ThreatModelOptions } from './model';
import { renderMarkdown } from './render';

/**
 * A STRIDE threat model of synthesized manifests: the assets found (workloads, namespaces, Secrets and who reads them,
 * permissions, Services, the cluster), a data-flow diagram with trust boundaries, and for each threat of the catalogue
 * (THREATS) and each asset it targets: mitigated (by which rules and objects), waived (rule, owner, reason, expiry),
 * not covered (the open findings and the next step), or outside this app (the cluster operator's part).
 *
 * ```ts
 * fs.writeFileSync('threat-model.md', ThreatModel.of(app).toMarkdown());
 * ```
 */
export class ThreatModel {
  /**
   * The threat model of an App: its charts are synthesized in memory (`app.synthYaml()`, so a guarded App must pass its
   * guard first) and read back as kubectl reads them.
   */
  public static of(app: IConstruct, options: ThreatModelOptions = {}): ThreatModel {
    const yaml = (app as App).synthYaml();
    return ThreatModel.fromObjects(readKubeYaml(yaml).filter(d => d !== null), options);
  }

  /** The threat model of Kubernetes objects (as `kubectl apply` would get them; lists are expanded). */
  public static fromObjects(objects: any[], options: ThreatModelOptions = {}): ThreatModel {
    return new ThreatModel(buildThreatModel(objects, options));
  }

  /** The model: assets, flows, threats and their assessments. */
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

  /** The report as JSON. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.data));
  }
}
