export * from './threats';
export * from './model';
export * from './threat-model';
