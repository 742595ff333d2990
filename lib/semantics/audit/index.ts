export * from './policy';
export * from './evaluate';
export * from './universe';
export * from './properties';
