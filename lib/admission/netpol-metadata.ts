/**
 * `network-policy-egress-cloud-metadata` at admission: whether an egress ipBlock, its `cidr` minus its `except` list,
 * still reaches a cloud-metadata or link-local address — the TypeScript rule's verdict (lib/policy/rules/network/
 * network-policy-egress-cloud-metadata.ts, lib/semantics/netreach) in CEL, with Kubernetes' IP / CIDR library.
 *
 * ## Kubernetes version
 * `library.IP` and `library.CIDR` enter the CEL base environment with IntroducedVersion 1.30
 * (k8s.io/apiserver/pkg/cel/environment/base.go), and a new ValidatingAdmissionPolicy expression is compiled against
 * DefaultCompatibilityVersion(), one minor below the release: 1.31 is the first release that accepts the policy. Older
 * `kubeVersion`s do not get it (`--not-enforced` says why). `containsCIDR` is never called: before kubernetes/kubernetes
 * PR #130450 it answered false for a CIDR inside another one that does not start at the same address (a false "no
 * overlap" would admit a hole); containment here is `prefixLength()` plus `containsIP(<inner>.ip())`, correct in every
 * release.
 *
 * ## Exact set arithmetic without 128-bit integers
 * Two CIDR blocks are nested or disjoint. For each metadata target T (CLOUD_METADATA_RANGES, their NAT64 spellings in
 * 64:ff9b::/96 and their IPv4-mapped spellings in ::ffff:0:0/96) the overlap X of T with the ipBlock's cidr C is T (C
 * contains T), C (T contains C) or nothing. X is fully excepted iff one except contains X, or the excepts strictly
 * inside X — after dropping each one contained in another except (of two equal ones, the later index) — have sizes
 * that add up to |X| (they are then disjoint, so equal sums mean equal sets). Sizes are counted relative to X: an except
 * d bits longer than X is 2^-d of it, d in 1..128 (fe80::/10 to a /128: 118). The sum is kept exactly in three int64
 * buckets (d <= 42: units of 2^-42; 43..84: 2^-84; 85..128: 2^-128; each term at most 2^43, at most MAX_EXCEPTS terms)
 * and compared with 1 carrying from the lowest bucket up; no double is involved, nothing overflows.
 *
 * ## IPv4-mapped spellings
 * Kubernetes' `cidr()` rejects an IPv4-mapped address (`::ffff:169.254.0.0/112`, `::ffff:0:0/96`), which NetworkPolicy
 * validation (ParseCIDRSloppy) accepts and the rule reads as IPv4. Such a string (first field zeros or `::`) is read through an alias: its
 * first field replaced by `1` (1::ffff:0:0/96 stands for ::ffff:0:0/96, bit for bit), tagged so that it is only ever
 * compared with other mapped values. A plain except that contains all of ::ffff:0:0/96 (::/0, ::/80, ::fffe:0:0/95 ...)
 * covers every mapped target.
 *
 * ## What is denied although the rule passes it (fail-closed, documented)
 * - the NAT64 local-use prefix 64:ff9b:1::/48, where every /96 carries an IPv4 address: a cidr containing the whole
 *   prefix must except all of it, and a cidr inside it spanning more than one /96 must be excepted entirely; a cidr
 *   inside one /96 is judged exactly;
 * - an ipBlock whose cidr cannot be parsed by Kubernetes' library although the rule reads it (no such spelling is known;
 *   the alias covers the IPv4-mapped ones); an except the library cannot parse is ignored, as the rule ignores invalid ones;
 * - more than MAX_EXCEPTS except entries in all the policy's egress ipBlocks together (the cost budget), and an object so
 *   large that its evaluation runs out of the API server's runtime cost budget (an error: failurePolicy Fail denies).
 */
/** First Kubernetes minor release whose ValidatingAdmissionPolicy accepts the IP / CIDR library in new expressions. */
export const NETPOL_METADATA_MIN_KUBE_MINOR = 31;

/** Most `except` entries over all egress ipBlocks of one NetworkPolicy that the policy judges (beyond: denied). */
export const MAX_EXCEPTS = 32;

/** Why the rule is not generated for an older Kubernetes version (`--not-enforced`). */
export function netpolMetadataVersionReason(kubeVersion: string): string {
  return `generated for Kubernetes 1.${NETPOL_METADATA_MIN_KUBE_MINOR}+ (--kube-version, the profile's kubeVersion; this run: ${kubeVersion}): ` +
    'it needs Kubernetes\' IP/CIDR CEL library (cidr(), isCIDR(), containsIP()), which ValidatingAdmissionPolicy accepts in new expressions ' +
    `from 1.${NETPOL_METADATA_MIN_KUBE_MINOR} (base environment: introduced in 1.30, new expressions compiled against the release before)`;
}

/** The metadata targets in plain (non-mapped) space: the ranges, and their NAT64 (64:ff9b::/96) spellings. */
const PLAIN_TARGETS = ['169.254.0.0/16', '100.100.100.200/32', 'fe80::/10', 'fd00:ec2::254/128', 'fd00:ec2::23/128', '64:ff9b::a9fe:0/112', '64:ff9b::6464:64c8/128'];
/** The IPv4-mapped spellings (::ffff:169.254.0.0/112, ::ffff:100.100.100.200/128) as aliases: first field 1. */
const MAPPED_TARGETS = ['1::ffff:a9fe:0/112', '1::ffff:6464:64c8/128'];
/** The NAT64 local-use prefix (RFC 8215): each /96 in it carries an IPv4 address. */
const LOCAL_NAT64 = '64:ff9b:1::/48';
/** The alias of the mapped region ::ffff:0:0/96. (A plain block contains all of that region iff it contains ::fffe:0:0/95.) */
const MAPPED_REGION_ALIAS = '1::ffff:0:0/96';
/** A plain CIDR marking a value as mapped ([alias, MARK]); never compared. */
const MARK = "cidr('0.0.0.0/0')";

const POW = `[${Array.from({ length: 45 }, (_, k) => (1n << BigInt(k)).toString()).join(', ')}]`;
const P42 = (1n << 42n).toString();
const P44 = (1n << 44n).toString();

/** `inner` is inside `outer` (CIDR values; another family never is). */
const within = (inner: string, outer: string) => `(${outer}.prefixLength() <= ${inner}.prefixLength() && ${outer}.containsIP(${inner}.ip()))`;

/** No leading zero in the prefix length (NetworkPolicy validation's sloppy parser accepts `/016`; the rule does not). */
const bitsOk = (s: string) => `(${s}.endsWith('/0') || !${s}.substring(${s}.lastIndexOf('/') + 1).startsWith('0'))`;

/**
 * A CIDR string as the rule reads it: `[]` when it is not a valid CIDR for the rule (Kubernetes' library rejects it, a
 * prefix length with a leading zero, host bits set), `[c]` for a plain CIDR, `[alias, MARK]` for an IPv4-mapped one.
 */
function parsed(s: string): string {
  const plainOk = `isCIDR(${s}) && ${bitsOk(s)} && string(cidr(${s}).masked()) == string(cidr(${s}))`;
  const aliasOk = (a: string) => `isCIDR(${a}) && ${bitsOk(a)} && string(cidr(${a}).masked()) == string(cidr(${a})) && ` +
    `cidr(${a}).prefixLength() >= 96 && cidr('${MAPPED_REGION_ALIAS}').containsIP(cidr(${a}).ip())`;
  // `1` + the rest after the first field; and, for `::...` where `::` stands for one field, `1:` + the rest (either one
  // is invalid, outside the alias region or the same alias otherwise)
  const aliases = `['1' + ${s}.substring(${s}.indexOf(':')), '1' + ${s}.substring(1)]`;
  const mapped = `[${aliases}.filter(a, ${aliasOk('a')})].map(l, size(l) > 0 ? [cidr(l[0]), ${MARK}] : [])[0]`;
  const zerosFirst = ['::', '0:', '00:', '000:', '0000:'].map(z => `${s}.startsWith('${z}')`).join(' || ');
  return `(type(${s}) != string ? [] : ${plainOk} ? [cidr(${s})] : (${zerosFirst}) ? ${mapped} : [])`;
}

/** X (a CIDR value) of space `space` (1 plain, 2 mapped) is covered by the excepts P (indices I, maximal ones MX; W: powers of two). */
function covered(x: string, space: 1 | 2): string {
  const same = (i: string) => `size(P[${i}]) == ${space}`;
  const contains = `I.exists(i, ${same('i')} && ${within(x, 'P[i][0]')})`;
  const coversMapped = space === 2 ? ' || I.exists(i, size(P[i]) == 1 && P[i][0].prefixLength() <= 95 && P[i][0].containsIP(ip(\'::fffe:0:0\')))' : '';
  const depths = `MX.filter(i, ${same('i')} && P[i][0].prefixLength() > ${x}.prefixLength() && ${x}.containsIP(P[i][0].ip()))` +
    `.map(i, P[i][0].prefixLength() - ${x}.prefixLength())`;
  const bucket = (cond: string, top: number) => `D.filter(d, ${cond}).map(d, W[${top} - d]).sum()`;
  const sums = `[${bucket('d <= 42', 42)}, ${bucket('d > 42 && d <= 84', 84)}, ${bucket('d > 84', 128)}]`;
  const exact = `S[2] % ${P44} == 0 && (S[1] + S[2] / ${P44}) % ${P42} == 0 && S[0] + (S[1] + S[2] / ${P44}) / ${P42} == ${P42}`;
  return `(${contains}${coversMapped} || [${depths}].all(D, [${sums}].all(S, ${exact})))`;
}

/** The overlap of every target in `targets` (a CEL list literal of CIDRs) with c is covered. */
const allCovered = (targets: string, space: 1 | 2) =>
  `${targets}.all(t, !(${within('t', 'c')} || ${within('c', 't')}) || [${within('t', 'c')} ? t : c].all(x, ${covered('x', space)}))`;

/**
 * The ipBlock `b` (a map) does not reach a metadata address: its cidr is valid for the rule, and every overlap of the
 * cidr with a target is fully excepted. Denied (false) beyond `max` excepts (MAX_EXCEPTS; tests judge longer lists).
 */
export function ipBlockOk(b: string, max = MAX_EXCEPTS): string {
  const idx = `[${Array.from({ length: max }, (_, k) => k).join(', ')}]`;
  const excepts = `(has(${b}.except) && type(${b}.except) == list ? ${b}.except.map(e, ${parsed('e')}) : [])`;
  // maximal: no other except contains it (strictly larger, or equal with a lower index; j == i fails both)
  const maximal = 'I.filter(i, size(P[i]) > 0 && !I.exists(j, size(P[j]) == size(P[i]) && (P[j][0].prefixLength() < P[i][0].prefixLength() || j < i) && ' +
    `${within('P[i][0]', 'P[j][0]')}))`;
  // a cidr inside 64:ff9b:1::/48 and one /96: the metadata addresses of that /96 (built from its canonical text,
  // which ends in '::' or ':0:0'); otherwise the whole prefix is the target (fail-closed, see the module comment)
  const n96 = "string(cidr(string(c.ip()) + '/96').masked().ip())";
  const base = `(${n96}.endsWith('::') ? (size(${n96}.substring(0, size(${n96}) - 2).split(':')) >= 6 ? ${n96}.substring(0, size(${n96}) - 1) : ${n96}) : ` +
    `${n96}.substring(0, size(${n96}) - 3))`;
  const local = `(${within('c', `cidr('${LOCAL_NAT64}')`)} && c.prefixLength() >= 96 ? [${base}].map(p, [cidr(p + 'a9fe:0/112'), cidr(p + '6464:64c8/128')])[0] : ` +
    `[cidr('${LOCAL_NAT64}'), cidr('${LOCAL_NAT64}')])`;
  const plainTargets = `[${PLAIN_TARGETS.map(t => `cidr('${t}')`).join(', ')}, L[0], L[1]]`;
  const mappedTargets = `[${MAPPED_TARGETS.map(t => `cidr('${t}')`).join(', ')}]`;
  // a plain cidr containing all of ::ffff:0:0/96 reaches every mapped target
  // mapped targets: for a mapped cidr, their overlap with it; a plain cidr containing all of ::ffff:0:0/96 reaches each whole
  const mapped = `!(size(C) == 2 || (c.prefixLength() <= 95 && c.containsIP(ip('::fffe:0:0')))) || ${mappedTargets}.all(t, ` +
    `!(size(C) == 1 || ${within('t', 'c')} || ${within('c', 't')}) || [size(C) == 1 || ${within('t', 'c')} ? t : c].all(x, ${covered('x', 2)}))`;
  const judge = `(size(C) == 2 || [${local}].all(L, ${allCovered(plainTargets, 1)})) && (${mapped})`;
  return `[(has(${b}.cidr) ? ${parsed(`${b}.cidr`)} : [])].all(C, size(C) > 0 && [C[0]].all(c, [${excepts}].all(P, size(P) <= ${max} && ` +
    `[${idx}.filter(i, i < size(P))].all(I, [${maximal}].all(MX, [${POW}].all(W, ${judge}))))))`;
}

/** Egress rules take effect: policyTypes (defaulted by the API server) names Egress, or is not a list. */
export const ISOLATES_EGRESS = "!(has(object.spec) && has(object.spec.policyTypes) && type(object.spec.policyTypes) == list) || 'Egress' in object.spec.policyTypes";

/** The total number of except entries of the policy's egress ipBlocks is at most MAX_EXCEPTS. */
export const EXCEPTS_IN_BUDGET = '!(has(object.spec) && has(object.spec.egress) && type(object.spec.egress) == list) || ([0] + object.spec.egress.map(r, ' +
  'type(r) == map && has(r.to) && type(r.to) == list ? ([0] + r.to.map(p, type(p) == map && has(p.ipBlock) && type(p.ipBlock) == map && ' +
  `has(p.ipBlock.except) && type(p.ipBlock.except) == list ? size(p.ipBlock.except) : 0)).sum() : 0)).sum() <= ${MAX_EXCEPTS}`;

/** EXCEPTS_IN_BUDGET and ISOLATES_EGRESS together, in TypeScript: the policy judges `obj` rather than refusing it for its size. */
export function exceptsInBudget(obj: any): boolean {
  const spec = obj?.spec;
  const isMap = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap(spec) && Array.isArray(spec.policyTypes) && !spec.policyTypes.includes('Egress')) return true;
  if (!isMap(spec) || !Array.isArray(spec.egress)) return true;
  let n = 0;
  for (const r of spec.egress) {
    if (!isMap(r) || !Array.isArray(r.to)) continue;
    for (const p of r.to) if (isMap(p) && isMap(p.ipBlock) && Array.isArray(p.ipBlock.except)) n += p.ipBlock.except.length;
  }
  return n <= MAX_EXCEPTS;
}

/** The message of the budget validation. */
export const EXCEPTS_BUDGET_MESSAGE = `[network-policy-egress-cloud-metadata] the egress ipBlocks of this NetworkPolicy list more than ${MAX_EXCEPTS} except entries ` +
  'in total: the admission policy cannot judge that many within the API server\'s CEL cost budget and denies it (fail-closed); ' +
  '`cdk8s-hardened check` judges it exactly. Fix: merge except entries into fewer, larger blocks, or split the rules over several NetworkPolicies.';
