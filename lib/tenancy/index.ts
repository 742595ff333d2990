export * from './isolated-namespace';
