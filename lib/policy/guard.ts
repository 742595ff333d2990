import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Catalogue } from './catalogue';
import { blocking, evaluate, EvaluatedObject, formatFinding, isWaivable, objectRefOf } from './engine';
import { EnforcementMode, HardeningProfile } from './profile';
import { Finding, Outcome, Severity } from './types';
import { todayUtc } from './waiver-record';

const GUARD_ID = 'HardeningGuard';
const GUARD_SYMBOL = Symbol.for('cdk8s-hardened.Guard');

/**
 * The synth-time guard of a chart. Validates the final JSON of every ApiObject in the chart
 * (cdk8s-plus objects, L1 Kube* objects, raw ApiObjects, Include'd YAML, after JSON patches)
 * against the catalogue plus the profile's custom rules. In enforce mode, any error finding
 * without a valid waiver fails `app.synth()` / `cdk8s synth` with every finding listed.
 *
 * Library constructs attach it automatically; `Guard.of(chart)` attaches it to any chart.
 */
export class Guard extends Construct {
  /** The guard of the chart that holds `scope`, created on first use. */
  public static of(scope: IConstruct): Guard {
    const chart = Chart.of(scope);
    const existing = chart.node.tryFindChild(GUARD_ID);
    if (existing && (existing as any)[GUARD_SYMBOL]) return existing as Guard;
    return new Guard(chart);
  }

  /** The chart this guard checks. */
  public readonly chart: Chart;
  private cloudFormationTokens = false;

  private constructor(chart: Chart) {
    super(chart, GUARD_ID);
    Object.defineProperty(this, GUARD_SYMBOL, { value: true });
    this.chart = chart;
    chart.node.addValidation({ validate: () => this.validateChart() });
  }

  /**
   * Declare that this chart is deployed by CloudFormation (e.g. `cluster.addCdk8sChart(chart)` or
   * `cluster.addManifest(...)` of an EKS cluster), which resolves AWS CDK tokens at deploy time: the
   * `unresolved-token` rule no longer applies to it. Every other rule still does. Never use it for charts written
   * to YAML by `cdk8s synth`.
   */
  public allowCloudFormationTokens(): void {
    this.cloudFormationTokens = true;
  }

  /** Whether `allowCloudFormationTokens()` was called: the chart is deployed by CloudFormation, which resolves tokens. */
  public get cloudFormationTokensAllowed(): boolean {
    return this.cloudFormationTokens;
  }

  /**
   * Evaluate the chart now. Returns every non-pass finding (fail and unevaluable, waived ones
   * carrying their waiver).
   */
  public findings(): Finding[] {
    const profile = HardeningProfile.resolve(this.chart);
    const items: EvaluatedObject[] = [];
    for (const c of this.chart.node.findAll()) {
      if (!ApiObject.isApiObject(c) || Chart.of(c) !== this.chart) continue;
      const obj = c.toJson();
      items.push({ object: obj, ref: objectRefOf(obj, { constructPath: c.node.path }) });
    }
    const known = [...Catalogue.all(), ...profile.customRules];
    return evaluate(items, {
      rules: known.filter(r => !(this.cloudFormationTokens && r.id === 'unresolved-token')),
      knownRules: known,
      settings: HardeningProfile.settingsOf(this.chart),
      today: todayUtc(),
    });
  }

  private validateChart(): string[] {
    const profile = HardeningProfile.resolve(this.chart);
    const findings = this.findings();
    const errors = blocking(findings);
    const warnings = findings.filter(f => !errors.includes(f) && !f.waiver &&
      (f.outcome === Outcome.UNEVALUABLE || (f.outcome === Outcome.FAIL && f.severity !== Severity.INFO)));
    if (warnings.length > 0 && process.env.CDK8S_HARDENED_QUIET !== '1') {
      process.stderr.write(`cdk8s-hardened: ${warnings.length} warning(s) in chart ${this.chart.node.path}:\n` +
        warnings.map(f => `  - ${formatFinding(f)}\n`).join(''));
    }
    if (errors.length === 0) return [];
    const report = (list: Finding[]) => `cdk8s-hardened: ${list.length} finding(s) block synthesis of chart ${this.chart.node.path}:\n` +
      list.map(f => `  - ${formatFinding(f)}`).join('\n') +
      '\n  To accept a risk explicitly: Waiver.apply(apiObject, { ruleId, reason, owner, expires }).';
    if (profile.mode === EnforcementMode.AUDIT) {
      // Audit mode relaxes the security rules only. Rules that cannot be waived (unresolved tokens: broken output;
      // expired, unused or invalid waivers: a broken exception process) still block.
      const unwaivable = new Set([...Catalogue.all(), ...profile.customRules].filter(r => !isWaivable(r)).map(r => r.id));
      const hard = errors.filter(f => unwaivable.has(f.ruleId));
      if (process.env.CDK8S_HARDENED_QUIET !== '1') process.stderr.write(`[audit mode] ${report(errors)}\n`);
      return hard.length > 0 ? [report(hard)] : [];
    }
    return [report(errors)];
  }
}

/**
 * A Chart whose every object is checked by the hardening guard, even when it holds no library construct.
 */
export class HardenedChart extends Chart {
  /** Creates the chart and attaches the synth-time Guard to it. */
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    Guard.of(this);
  }
}
