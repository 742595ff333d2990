import { IRule } from '../../types';
import { imageSignatureRequired } from './image-signature-required';

/** Supply-chain rules. One import per rule file. */
export const SUPPLY_CHAIN_RULES: IRule[] = [
  imageSignatureRequired,
];
