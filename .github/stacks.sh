#!/usr/bin/env bash
# The stacks a synth wrote, for the workflows' job matrices, read from cdktf's manifest.json. Prints
# `name=value` lines for "$GITHUB_OUTPUT"; problems as `::error` lines on stderr, exit 1.
#
#   stacks.sh <synth folder>                      all=<JSON list of every stack>
#   stacks.sh <synth folder> "dev staging prod"   also, per environment in that deploy order,
#                                                 <env>-platform=["<env>"] and <env>-shards=[…]; and
#                                                 refuses an environment the order does not deploy, or a
#                                                 stack without a Terraform Cloud workspace
#
# Plain bash and jq: tested by __tests__/workflow-stacks.test.ts.
set -euo pipefail

outdir=$1
order=${2-}
manifest="$outdir/manifest.json"
[ -f "$manifest" ] || { echo "::error title=No synth::$manifest is missing: run npm run synth first" >&2; exit 1; }

# Shards sort by number (dev-clients-10 after dev-clients-9), after the platform stacks.
stacks=$(jq -c '[.stacks | keys[]] | sort_by([test("-clients-[0-9]+$"), (capture("-clients-(?<n>[0-9]+)$").n // "0" | tonumber), .])' "$manifest")
echo "all=$stacks"
[ -n "$order" ] || exit 0

status=0
environments=$(jq -r '.[] | select(test("-clients-[0-9]+$") | not)' <<< "$stacks" | sort | tr '\n' ' ')
ordered=$(tr ' ' '\n' <<< "$order" | grep -v '^$' | sort | tr '\n' ' ')
if [ "$environments" != "$ordered" ]; then
  echo "::error title=Environments and deploy order differ::the registry has ${environments% }, deploy.yml deploys ${ordered% }: add the deploy job of a new environment (and its GitHub environment), or remove the one of a removed environment" >&2
  status=1
fi
for stack in $(jq -r '.[]' <<< "$stacks"); do
  if ! jq -e '.terraform.cloud' "$outdir/stacks/$stack/cdk.tf.json" > /dev/null 2>&1; then
    echo "::error title=No Terraform Cloud workspace for $stack::its state would be written to a throw-away runner: set the TF_CLOUD_ORGANIZATION variable (repository or environment) or terraformCloud in config/platform/environments.ts" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] || exit 1
for environment in $order; do
  echo "${environment}-platform=[\"${environment}\"]"
  echo "${environment}-shards=$(jq -c --arg env "$environment" '[.[] | select(startswith($env + "-clients-"))]' <<< "$stacks")"
done
