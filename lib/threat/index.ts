export * from './threats';
export * from './model';
export * from './threat-model';
export * from './techniques';
export * from './rule-links';
export * from './risk';
export * from './dfd';
export * from './report-schema';
