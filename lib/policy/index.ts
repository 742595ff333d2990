export * from './types';
export * from './profile';
export * from './waiver';
export * from './guard';
export * from './catalogue';
export * from './signers';
