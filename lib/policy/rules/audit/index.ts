import { IRule } from '../../types';
import { apiserverAuditLogging } from './apiserver-audit-logging';
import { auditPolicyCatchAll } from './audit-policy-catch-all';
import { auditPolicySecretBodies } from './audit-policy-secret-bodies';
import { auditPolicyValid } from './audit-policy-valid';
import { auditPolicyWritesLogged } from './audit-policy-writes-logged';

/** Audit rules. One import per rule file. */
export const AUDIT_RULES: IRule[] = [auditPolicySecretBodies, auditPolicyWritesLogged, auditPolicyCatchAll, auditPolicyValid, apiserverAuditLogging];
