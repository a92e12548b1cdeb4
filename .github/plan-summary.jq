# What a reviewer reads before approving a deploy: one stack's saved plan (`terraform show -json`)
# as Markdown for the job summary. Replacements and destroys come first, because a replaced or
# destroyed app client is a new client id and secret for a partner (docs/when-a-plan-replaces.md).
#
#   terraform show -json tfplan | jq -r --arg stack dev -f plan-summary.jq >> "$GITHUB_STEP_SUMMARY"
#
# Pure jq, no project code: it runs in the jobs that hold the Terraform Cloud token. Tested by
# __tests__/plan-summary.test.ts.

def action:
  .change.actions
  | if . == ["delete", "create"] or . == ["create", "delete"] then "replace"
    elif . == ["no-op"] or . == ["read"] then "none"
    else .[0] end;

def listed($title; $addresses):
  if ($addresses | length) == 0 then empty
  else
    "", $title,
    ($addresses[0:20][] | "- `\(.)`"),
    (if ($addresses | length) > 20 then "- … and \(($addresses | length) - 20) more" else empty end)
  end;

[.resource_changes[]? | select(.mode == "managed")] as $changes
| ($changes | map(select(action == "replace")) | map(.address)) as $replaced
| ($changes | map(select(action == "delete")) | map(.address)) as $destroyed
| ($changes | map(select(action == "create")) | map(.address)) as $created
| ($changes | map(select(action == "update")) | map(.address)) as $updated
| ($changes | map(select(action == "forget")) | map(.address)) as $forgotten
| ($changes | map(select(.change.importing != null)) | map(.address)) as $imported
| "### Plan of `\($stack)`",
  "",
  (if ([$replaced, $destroyed, $created, $updated, $forgotten, $imported] | map(length) | add) == 0
   then "No changes."
   else "\($created | length) to add, \($updated | length) to change, \($replaced | length) to replace, \($destroyed | length) to destroy, \($imported | length) to import, \($forgotten | length) to forget."
   end),
  listed("⚠️ **Replaced** (a new resource takes the place of the old one: new ids):"; $replaced),
  listed("⚠️ **Destroyed**:"; $destroyed),
  listed("**Imported** into this state:"; $imported),
  listed("**Forgotten** by this state, kept in AWS:"; $forgotten),
  listed("Changed in place:"; $updated),
  listed("Created:"; $created)
