import { IRule } from '../../types';
import { apiserverAuditLogging } from './apiserver-audit-logging';
import { auditPolicyCatchAll } from './audit-policy-catch-all';
import { auditPolicySecretBodies } from './audit-policy-secret-bodies';

/** Audit rules. One import per rule file. */
export const AUDIT_RULES: IRule[] = [auditPolicySecretBodies, auditPolicyCatchAll, apiserverAuditLogging];
