import { IRule } from '../../types';
import { encryptionConfigProviderOrder } from './encryption-config-provider-order';
import { secretLiteralData } from './secret-literal-data';

/** Rules of this area, in catalogue order. Add one import per rule file. */
export const SECRETS_RULES: IRule[] = [
  encryptionConfigProviderOrder,
  secretLiteralData,
];
