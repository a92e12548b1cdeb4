/**
 * The CI workflows: actionlint 1.7.7 finds nothing in them (and does find the mistakes of a broken
 * one), and their YAML keeps the rules of docs/ci.md: actions pinned to commit SHAs of the current
 * majors, a read-only token by default, Terraform Cloud tokens only in the Terraform steps of jobs that
 * run no project code, prod applied from the saved plan shown before its approval, one concurrency
 * group per environment, and nightly refreshing plans that report to one issue.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  environmentOf,
  lintWorkflow,
  needsOf,
  parseWorkflow,
  readWorkflow,
  secretLeaks,
  secretUses,
  unpinnedUses,
  WORKFLOW_DIR,
  writePermissions,
  type Job,
  type Step,
  type Workflow,
} from "./support/workflow-lint";

const WORKFLOW_FILES = ["deploy-environment.yml", "deploy-stacks.yml", "deploy.yml", "drift.yml", "pull-request.yml"];
const workflows = Object.fromEntries(WORKFLOW_FILES.map((file) => [file, parseWorkflow(readWorkflow(file))]));
const deploy = workflows["deploy.yml"];
const deployEnvironment = workflows["deploy-environment.yml"];
const deployStacks = workflows["deploy-stacks.yml"];
const pullRequest = workflows["pull-request.yml"];
const drift = workflows["drift.yml"];

/** The `run:` scripts of a job, in order. */
const runsOf = (job: Job) => (job.steps ?? []).flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));

/** The step of a job with this name. */
const stepNamed = (job: Job, name: string): Step => {
  const step = (job.steps ?? []).find((s) => s.name === name);
  if (step === undefined) throw new Error(`no step named "${name}"`);
  return step;
};

/** The actions a job's steps use, without their pins. */
const actionsOf = (job: Job) => (job.steps ?? []).flatMap((s) => (s.uses ? [s.uses.split("@")[0]] : []));

describe("actionlint", () => {
  test("the workflow folder holds exactly the workflows these tests know", () => {
    expect(readdirSync(WORKFLOW_DIR).sort()).toEqual(WORKFLOW_FILES);
  });

  test.each(WORKFLOW_FILES)("finds nothing in %s", async (file) => {
    expect(await lintWorkflow(readWorkflow(file), file)).toEqual([]);
  });

  test("knows the vars context, and reports a missing job in needs, an unknown job key and an unknown context", async () => {
    // GIVEN a workflow with three mistakes, and a `vars` context (which actionlint 1.6.22 did not know)
    const broken = [
      "name: broken",
      "on:",
      "  push:",
      "    branches: [main]",
      "permissions:",
      "  contents: read",
      "jobs:",
      "  deploy:",
      "    runs-on: ubuntu-latest",
      "    needs: tests",
      "    enviroment: prod",
      "    steps:",
      '      - run: echo "${{ vars.TF_CLOUD_ORGANIZATION }}"',
      '      - run: echo "${{ varz.TF_CLOUD_ORGANIZATION }}"',
      "",
    ].join("\n");
    // WHEN it is linted
    const results = await lintWorkflow(broken, "broken.yml");
    // THEN exactly the three mistakes are reported, each on its line, and nothing about `vars`
    expect(results.map(({ line, column, kind }) => [line, column, kind])).toEqual([
      [8, 3, "job-needs"],
      [11, 5, "syntax-check"],
      [14, 24, "expression"],
    ]);
    expect(results[0].message).toBe('job "deploy" needs job "tests" which does not exist in this workflow');
    expect(results[1].message).toMatch(/^unexpected key "enviroment" for "job" section\. expected one of /);
    expect(results[2].message).toMatch(/^undefined variable "varz"\. available variables are .*"vars"/);
  });

  test("reports untrusted pull-request text expanded inside a script", async () => {
    const injectable = [
      "on: pull_request",
      "jobs:",
      "  greet:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      '      - run: echo "${{ github.event.pull_request.title }}"',
      "",
    ].join("\n");
    const results = await lintWorkflow(injectable, "injectable.yml");
    expect(results.map((r) => [r.line, r.kind])).toEqual([[6, "expression"]]);
    expect(results[0].message).toContain('"github.event.pull_request.title" is potentially untrusted');
  });
});

describe("pinned actions", () => {
  /** The current major of every action the workflows use: each runs on Node 24. */
  const CURRENT_MAJORS: Record<string, string> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "actions/setup-python": "v7",
    "actions/download-artifact": "v8",
    "actions/upload-artifact": "v7",
    "actions/github-script": "v8",
    "hashicorp/setup-terraform": "v4",
  };
  const usesLines = WORKFLOW_FILES.flatMap((file) =>
    readWorkflow(file)
      .split("\n")
      .map((line, index) => ({ file, line: index + 1, text: line.trim() }))
      .filter(({ text }) => /^(- )?uses:/.test(text)),
  );
  const actionLines = usesLines.filter(({ text }) => !text.includes("./.github/workflows/"));

  test.each(WORKFLOW_FILES)("%s pins every action to a full commit SHA", (file) => {
    expect(unpinnedUses(workflows[file])).toEqual([]);
  });

  test("every action line is `owner/name@<40 hex> # vX.Y.Z`, on the action's current major", () => {
    const wrong = actionLines.filter(({ text }) => {
      const match = /^(?:- )?uses: ([\w.-]+\/[\w.-]+)@[0-9a-f]{40} # (v\d+)\.\d+\.\d+$/.exec(text);
      return match === null || CURRENT_MAJORS[match[1]] !== match[2];
    });
    expect(wrong).toEqual([]);
    expect(new Set(actionLines.map(({ text }) => /uses: ([^@]+)@/.exec(text)?.[1]))).toEqual(
      new Set(Object.keys(CURRENT_MAJORS)),
    );
  });

  test("one action is pinned to one commit everywhere", () => {
    const pins = new Map<string, Set<string>>();
    for (const { text } of actionLines) {
      const [action, pin] = text.replace(/^(- )?uses: /, "").split("@");
      pins.set(action, (pins.get(action) ?? new Set()).add(pin));
    }
    expect([...pins].filter(([, commits]) => commits.size > 1)).toEqual([]);
  });

  test("the rule catches a moving tag, a branch and an exact tag", () => {
    const careless = parseWorkflow(
      [
        "on: push",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: hashicorp/setup-terraform@main",
        "      - uses: actions/setup-node@v4.4.0",
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97",
        "",
      ].join("\n"),
    );
    expect(unpinnedUses(careless)).toEqual([
      "deploy.steps[0]: actions/checkout@v4",
      "deploy.steps[1]: hashicorp/setup-terraform@main",
      "deploy.steps[2]: actions/setup-node@v4.4.0",
    ]);
  });

  test("Dependabot keeps the actions and the npm dependencies current, weekly", () => {
    const config = parseWorkflow(readFileSync(join(WORKFLOW_DIR, "..", "dependabot.yml"), "utf8")) as unknown as {
      version: number;
      updates: { "package-ecosystem": string; directory: string; schedule: { interval: string } }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory, u.schedule.interval])).toEqual([
      ["github-actions", "/", "weekly"],
      ["npm", "/", "weekly"],
    ]);
  });
});

describe("permissions and secrets", () => {
  test.each(WORKFLOW_FILES)("%s gives the token read access to contents and nothing else by default", (file) => {
    expect(workflows[file].permissions).toEqual({ contents: "read" });
  });

  test("only the pull-request comment job and the drift report job write, each to one thing", () => {
    expect(
      WORKFLOW_FILES.flatMap((file) => writePermissions(workflows[file]).map((grant) => `${file} ${grant}`)),
    ).toEqual(["drift.yml report.issues: write", "pull-request.yml comment.pull-requests: write"]);
  });

  test.each(WORKFLOW_FILES)(
    "%s writes no secret into a script and only tests secret variables for emptiness",
    (file) => {
      expect(secretLeaks(workflows[file])).toEqual([]);
    },
  );

  test("a Terraform Cloud token is in the environment of exactly the Terraform steps, and of one emptiness check", () => {
    const uses = WORKFLOW_FILES.flatMap((file) => secretUses(workflows[file]).map((use) => `${file} ${use}`));
    expect(uses).toEqual([
      "deploy-stacks.yml plan / terraform init: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "deploy-stacks.yml plan / terraform plan, saved: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "deploy-stacks.yml plan / terraform show, the saved plan as JSON: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "deploy-stacks.yml apply / terraform init: TF_TOKEN_app_terraform_io=TF_API_TOKEN",
      "deploy-stacks.yml apply / terraform apply of the saved plan: TF_TOKEN_app_terraform_io=TF_API_TOKEN",
      "deploy-stacks.yml apply / The stack's outputs in the job summary: TF_TOKEN_app_terraform_io=TF_API_TOKEN",
      "drift.yml plan / terraform init: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "drift.yml plan / terraform plan, refreshing: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "pull-request.yml plan / Look for a plan token: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "pull-request.yml plan / terraform init: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
      "pull-request.yml plan / terraform plan -refresh=false: TF_TOKEN_app_terraform_io=TF_PLAN_TOKEN",
    ]);
    // Each of those steps runs Terraform (or only tests the token for emptiness), and nothing else of ours.
    const otherSteps = WORKFLOW_FILES.flatMap((file) =>
      Object.entries(workflows[file].jobs).flatMap(([jobId, job]) =>
        (job.steps ?? [])
          .filter((step) => Object.values(step.env ?? {}).some((value) => value.includes("secrets.")))
          .filter((step) => {
            const script = step.run ?? "";
            const runsTerraform = /^\s*(if ! )?terraform (init|plan|show|apply|output) /m.test(script);
            const testsEmptiness = step.name === "Look for a plan token";
            return !(runsTerraform || testsEmptiness) || /\b(npm|npx|node|tsx|bash|sh|python)\b/.test(script);
          })
          .map((step) => `${file} ${jobId} / ${step.name}`),
      ),
    );
    expect(otherSteps).toEqual([]);
  });

  test("no job that holds a token installs or runs project code: no checkout, no Node, no npm", () => {
    for (const file of WORKFLOW_FILES) {
      for (const [jobId, job] of Object.entries(workflows[file].jobs)) {
        if (!secretUses({ ...workflows[file], jobs: { [jobId]: job } }).length) continue;
        const where = `${file} ${jobId}`;
        expect({
          where,
          actions: actionsOf(job).filter((a) => a === "actions/checkout" || a === "actions/setup-node"),
        }).toEqual({
          where,
          actions: [],
        });
        expect({ where, runs: runsOf(job).filter((run) => /\b(npm|npx|node|tsx)\b/.test(run)) }).toEqual({
          where,
          runs: [],
        });
      }
    }
  });

  test("the rules catch a job-level token, a token beside npm ci, an echoed secret and a write grant", () => {
    // GIVEN a workflow that breaks each rule once
    const careless = parseWorkflow(
      [
        "on: push",
        "permissions: write-all",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    permissions:",
        "      id-token: write",
        "      contents: read",
        "    env:",
        "      TF_TOKEN_app_terraform_io: ${{ secrets.TF_API_TOKEN }}",
        "    steps:",
        "      - run: npm ci",
        "      - run: |",
        '          if [ -z "${TF_TOKEN_app_terraform_io}" ]; then exit 1; fi',
        '          echo "token is $TF_TOKEN_app_terraform_io"',
        '          curl -H "Authorization: Bearer ${{ secrets.TF_API_TOKEN }}" https://app.terraform.io',
        "",
      ].join("\n"),
    );
    // THEN each check names what broke it
    expect(writePermissions(careless)).toEqual(["*: write-all", "deploy.id-token: write"]);
    expect(secretUses(careless)).toEqual([
      "deploy (job env): TF_TOKEN_app_terraform_io=TF_API_TOKEN",
      "deploy / steps[1]: <in the script>=TF_API_TOKEN",
    ]);
    expect(secretLeaks(careless)).toEqual([
      'deploy.steps[1]: echo "token is $TF_TOKEN_app_terraform_io"',
      'deploy.steps[1]: curl -H "Authorization: Bearer ${{ secrets.TF_API_TOKEN }}" https://app.terraform.io',
    ]);
  });
});

describe("the deploy workflow", () => {
  const jobs = deploy.jobs;
  const order = String(deploy.env?.DEPLOY_ORDER).split(" ");
  const callers = Object.entries(jobs).filter(([, job]) => job.uses !== undefined);

  test("runs on pushes to main and by hand, and deploys only from main", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    expect(jobs.test.if).toBe("github.ref == 'refs/heads/main'");
    // Every other job needs the test job, directly or through the jobs before it.
    const reachesTest = (id: string): boolean => id === "test" || needsOf(jobs[id]).some(reachesTest);
    expect(Object.keys(jobs).filter((id) => !reachesTest(id))).toEqual([]);
  });

  test("has no workflow-wide concurrency: each environment has its own group and never cancels a deploy", () => {
    expect(deploy.concurrency).toBeUndefined();
    expect(callers.map(([id, job]) => [id, job.concurrency])).toEqual(
      order.map((environment) => [environment, { group: `deploy-${environment}`, "cancel-in-progress": false }]),
    );
  });

  test("synthesizes once, without a token, and hands the stacks on as an artifact", () => {
    expect(runsOf(jobs.synth).slice(0, 2)).toEqual(["npm ci", "npm run synth"]);
    expect(runsOf(jobs.synth)[2]).toBe(
      'bash .github/stacks.sh cdktf.out "$DEPLOY_ORDER" >> "$GITHUB_OUTPUT"\ncp .github/plan-summary.jq cdktf.out/',
    );
    expect(jobs.synth.env).toEqual({
      TF_CLOUD_ORGANIZATION: "${{ vars.TF_CLOUD_ORGANIZATION }}",
      TF_CLOUD_PROJECT: "${{ vars.TF_CLOUD_PROJECT }}",
      TF_CLOUD_HOSTNAME: "${{ vars.TF_CLOUD_HOSTNAME }}",
      TFC_WORKSPACE_PREFIX: "${{ vars.TFC_WORKSPACE_PREFIX }}",
    });
    expect(Object.keys(jobs.synth.outputs ?? {})).toEqual(order.flatMap((e) => [`${e}-platform`, `${e}-shards`]));
    expect(stepNamed(jobs.synth, "Upload the synthesized stacks").with).toMatchObject({
      name: "synthesized",
      path: "cdktf.out",
    });
  });

  test("deploys the environments in DEPLOY_ORDER, each after the one before, through the reusable workflow", () => {
    expect(order).toEqual(["dev", "staging", "prod"]);
    expect(callers.map(([id]) => id)).toEqual(order);
    expect(callers.map(([, job]) => needsOf(job))).toEqual([["synth"], ...order.slice(0, -1).map((e) => ["synth", e])]);
    for (const [environment, job] of callers) {
      expect(job.uses).toBe("./.github/workflows/deploy-environment.yml");
      expect(job.with).toEqual({
        environment,
        platform: `\${{ needs.synth.outputs.${environment}-platform }}`,
        shards: `\${{ needs.synth.outputs.${environment}-shards }}`,
        artifact: "synthesized",
      });
      expect(job.secrets).toBe("inherit");
    }
  });

  test("an environment applies its platform stack first, then its client shards when it has any", () => {
    expect(deployEnvironment.on.workflow_call.inputs).toMatchObject({
      environment: { type: "string", required: true },
      platform: { type: "string", required: true },
      shards: { type: "string", required: true },
    });
    const { platform, shards } = deployEnvironment.jobs;
    expect(Object.keys(deployEnvironment.jobs)).toEqual(["platform", "shards"]);
    expect([platform.uses, platform.with?.stacks, needsOf(platform)]).toEqual([
      "./.github/workflows/deploy-stacks.yml",
      "${{ inputs.platform }}",
      [],
    ]);
    expect([shards.uses, shards.with?.stacks, needsOf(shards), shards.if]).toEqual([
      "./.github/workflows/deploy-stacks.yml",
      "${{ inputs.shards }}",
      ["platform"],
      "inputs.shards != '[]'",
    ]);
  });
});

describe("a stage of a deploy: plan, show, gate, apply the saved plan", () => {
  const { plan, changing, apply } = deployStacks.jobs;

  test("plans each stack and saves the plan, failing only on an error", () => {
    expect(plan.strategy?.matrix?.stack).toBe("${{ fromJSON(inputs.stacks) }}");
    expect(stepNamed(plan, "terraform plan, saved").run?.trim().split("\n")).toEqual([
      "status=0",
      "terraform plan -input=false -no-color -detailed-exitcode -out=tfplan || status=$?",
      'if [ "$status" -eq 1 ]; then exit 1; fi',
      'if [ "$status" -eq 2 ]; then echo "changes=true"; else echo "changes=false"; fi >> "$GITHUB_OUTPUT"',
    ]);
  });

  test("writes the saved plan to the job summary with the repository's jq filter, before any gate", () => {
    expect(stepNamed(plan, "terraform show, the saved plan as JSON").run?.trim()).toBe(
      "terraform show -json tfplan > plan.json",
    );
    expect(stepNamed(plan, "The plan in the job summary").run).toContain(
      'jq -r --arg stack "$STACK" -f ../../plan-summary.jq plan.json >> "$GITHUB_STEP_SUMMARY"',
    );
    expect(environmentOf(plan)).toBeUndefined();
    expect(environmentOf(changing)).toBeUndefined();
  });

  test("applies exactly the saved plan, in the GitHub environment, after every plan of the stage", () => {
    expect(needsOf(apply)).toEqual(["changing"]);
    expect(needsOf(changing)).toEqual(["plan"]);
    expect(apply.if).toBe("needs.changing.outputs.stacks != '[]'");
    expect(environmentOf(apply)).toBe("${{ inputs.environment }}");
    expect(apply.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.changing.outputs.stacks) }}");
    const download = (apply.steps ?? []).filter((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download.map((s) => s.with)).toEqual([
      { name: "${{ inputs.artifact }}", path: "synthesized" },
      { name: "plan-${{ matrix.stack }}", path: "synthesized/stacks/${{ matrix.stack }}" },
    ]);
    const applyScript = stepNamed(apply, "terraform apply of the saved plan").run ?? "";
    expect(applyScript.split("\n")[0]).toBe("if ! terraform apply -input=false -no-color tfplan; then");
    // Nothing in the apply job plans again, or applies anything but the saved plan.
    expect(
      runsOf(apply).filter((run) => /terraform (plan|apply(?! -input=false -no-color tfplan;))/.test(run)),
    ).toEqual([]);
    expect(runsOf(apply).join("\n")).not.toContain("-auto-approve");
  });

  test("only the apply job runs in a GitHub environment, in every workflow", () => {
    const gated = WORKFLOW_FILES.flatMap((file) =>
      Object.entries(workflows[file].jobs).flatMap(([id, job]) => (environmentOf(job) ? [`${file} ${id}`] : [])),
    );
    expect(gated).toEqual(["deploy-stacks.yml apply"]);
  });

  test("uploads the saved plan with its lock file, and applies only the stacks whose plan changes something", () => {
    expect(stepNamed(plan, "The plan in the job summary").run).toContain(
      "mv tfplan .terraform.lock.hcl ../../../saved-plan/",
    );
    const upload = (plan.steps ?? []).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({
      name: "plan-${{ matrix.stack }}",
      path: "saved-plan",
      "include-hidden-files": true,
    });
    expect(changing.outputs).toEqual({ stacks: "${{ steps.collect.outputs.stacks }}" });
  });
});

describe("the pull-request workflow", () => {
  const jobs = pullRequest.jobs;

  test("runs on pull requests to main; a newer push cancels the older run", () => {
    expect(pullRequest.on).toEqual({ pull_request: { branches: ["main"] } });
    expect(pullRequest.concurrency).toEqual({
      group: "pull-request-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });

  test("installs with npm ci, then runs the tests and checks CODEOWNERS", () => {
    expect(runsOf(jobs.test)).toEqual([
      "python -m pip install --disable-pip-version-check 'moto[server]==5.2.1'",
      "npm ci",
      "npm test",
      "npm run --silent codeowners -- --check",
    ]);
    expect(pullRequest.env?.NODE_VERSION).toBe("22");
  });

  test("writes the change summary against the base branch with its full history, and posts it as one comment", () => {
    expect((jobs.changes.steps ?? []).find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).toBe(
      0,
    );
    const summary = (jobs.changes.steps ?? []).find((s) => s.id === "summary");
    expect(summary?.run).toContain('npm run --silent changes -- --base "origin/${BASE_REF}" > changes.md');
    expect(needsOf(jobs.comment)).toEqual(["changes"]);
    expect(actionsOf(jobs.comment)).toEqual(["actions/download-artifact", "actions/github-script"]);
  });

  test("plans every synthesized stack without refreshing, and says so in the job summary", () => {
    expect(needsOf(jobs.plan)).toEqual(["synth"]);
    expect(jobs.plan.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.synth.outputs.stacks) }}");
    expect(runsOf(jobs.synth)).toEqual([
      "npm ci",
      "npm run synth",
      'bash .github/stacks.sh cdktf.out >> "$GITHUB_OUTPUT"',
    ]);
    expect(stepNamed(jobs.plan, "terraform plan -refresh=false").run?.trim()).toBe(
      "terraform plan -refresh=false -input=false -no-color 2>&1 | tee plan.log",
    );
    expect(stepNamed(jobs.plan, "The plan in the job summary").run).toContain(
      'echo "### Plan of \\`${STACK}\\` (without refresh: against the last applied state)"',
    );
  });
});

describe("the drift workflow", () => {
  const jobs = drift.jobs;

  test("runs nightly and by hand, on main only, one run at a time", () => {
    expect(drift.on).toEqual({ schedule: [{ cron: "17 4 * * *" }], workflow_dispatch: null });
    expect(jobs.synth.if).toBe("github.ref == 'refs/heads/main'");
    expect(drift.concurrency).toEqual({ group: "drift", "cancel-in-progress": true });
  });

  test("plans every stack with refresh and keeps the exit status: 0 no changes, 2 drift", () => {
    expect(jobs.plan.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.synth.outputs.stacks) }}");
    expect(stepNamed(jobs.plan, "terraform plan, refreshing").run?.trim().split("\n")).toEqual([
      "status=0",
      "terraform plan -input=false -no-color -detailed-exitcode > plan.log 2>&1 || status=$?",
      "cat plan.log",
      'echo "$status" > status',
    ]);
  });

  test("plans only stacks with a Terraform Cloud workspace, and reports the others as not planned", () => {
    const guarded = (jobs.plan.steps ?? []).filter((s) => s.if === "steps.cloud.outputs.present == 'true'");
    expect(guarded.map((s) => s.name ?? s.uses?.split("@")[0])).toEqual([
      "hashicorp/setup-terraform",
      "terraform init",
      "terraform plan, refreshing",
      "The finding, for the report",
    ]);
    expect(stepNamed(jobs.plan, "Look for a Terraform Cloud workspace").run).toContain(
      'echo "no-workspace" > finding/status',
    );
  });

  test("reports to one issue labelled drift: opened, updated while drift lasts, closed when every plan is empty", () => {
    expect(needsOf(jobs.report)).toEqual(["plan"]);
    expect(jobs.report.if).toBe("${{ !cancelled() }}");
    expect(actionsOf(jobs.report)).toEqual(["actions/download-artifact", "actions/github-script"]);
    const script = String(stepNamed(jobs.report, "One issue for all drift").with?.script);
    expect(script).toContain('const label = "drift";');
    for (const call of ["issues.listForRepo", "issues.create", "issues.update", "issues.createComment"]) {
      expect(script).toContain(`github.rest.${call}`);
    }
  });
});

describe("workflow rule helpers on a well-formed workflow", () => {
  test("a reusable-workflow caller has no steps, so no secret use is reported for it", () => {
    const workflow: Workflow = parseWorkflow(
      [
        "on: push",
        "jobs:",
        "  dev:",
        "    uses: ./.github/workflows/deploy-environment.yml",
        "    secrets: inherit",
        "",
      ].join("\n"),
    );
    expect(secretUses(workflow)).toEqual([]);
    expect(unpinnedUses(workflow)).toEqual([]);
  });
});
