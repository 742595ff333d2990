export * from './isolated-namespace';
export * from './api-fairness';
