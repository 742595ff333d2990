import { IRule } from '../../types';
import { credentialLiteral } from './credential-literal';
import { encryptionConfigProviderOrder } from './encryption-config-provider-order';
import { secretEnvReference } from './secret-env-reference';
import { secretLiteralData } from './secret-literal-data';
import { serviceAccountTokenSecret } from './service-account-token-secret';

/** Rules of this area, in catalogue order. Add one import per rule file. */
export const SECRETS_RULES: IRule[] = [
  encryptionConfigProviderOrder,
  secretLiteralData,
  secretEnvReference,
  credentialLiteral,
  serviceAccountTokenSecret,
];
