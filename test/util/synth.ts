import { App, Chart } from 'cdk8s';

/** Synthesize a chart the way `cdk8s synth` does: validations (the guard) run first. */
export function synth(chart: Chart): any[] {
  return App._synthChart(chart);
}

/** The error message synthesis of the chart fails with (fails the test if it synthesizes). */
export function synthError(chart: Chart): string {
  try {
    App._synthChart(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synthesis to fail, but it succeeded');
}

/** A date N days from today, YYYY-MM-DD (UTC). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
