/** `BundledFunction` alone in a bare stack: a handler of `functions/`, bundled, with its own log group and role. */
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LAMBDA_RUNTIME } from "../../model/lambda-runtime";
import { BundledFunction } from "../../stacks/bundled-function";
import { addresses, dataAddresses, ref, synthConstruct } from "../support/synth";

describe("BundledFunction", () => {
  // GIVEN the whoami handler with an environment variable and tags WHEN bundled into a bare stack
  const { json, tf } = synthConstruct(
    (stack) =>
      new BundledFunction(stack, "whoami", {
        name: "whoami",
        functionName: "m2m-dev-whoami",
        logRetentionDays: 30,
        environment: { STAGE: "v1" },
        tags: { "m2m:environment": "dev" },
      }),
  );
  const fn = tf.resource.aws_lambda_function.whoami;

  test("THEN it holds the function, its log group, its role and the role's one policy", () => {
    expect(addresses(tf)).toEqual([
      "aws_cloudwatch_log_group.whoami-function",
      "aws_iam_role.whoami",
      "aws_iam_role_policy.whoami-write-logs",
      "aws_lambda_function.whoami",
    ]);
    expect(dataAddresses(tf)).toEqual([
      "data.aws_iam_policy_document.whoami-assume-role",
      "data.aws_iam_policy_document.whoami-write-logs",
    ]);
  });

  test("THEN the function runs on the chosen runtime on arm64, from a zip whose hash Terraform checks", () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "m2m-dev-whoami",
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      environment: { variables: { STAGE: "v1" } },
      role: ref("aws_iam_role.whoami", "arn"),
    });
    expect(fn.filename).toMatch(/^assets\/whoami_code_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
  });

  test("THEN the function waits for its log permission, and its role may write to its own log group only", () => {
    expect(fn.depends_on).toEqual(["aws_iam_role_policy.whoami-write-logs"]);
    expect(tf.resource.aws_cloudwatch_log_group["whoami-function"]).toEqual({
      name: "/aws/lambda/m2m-dev-whoami",
      retention_in_days: 30,
      tags: { "m2m:environment": "dev" },
    });
    expect(tf.data!.aws_iam_policy_document["whoami-write-logs"].statement).toEqual([
      {
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${ref("aws_cloudwatch_log_group.whoami-function", "arn")}:*`],
      },
    ]);
    expect(tf.data!.aws_iam_policy_document["whoami-assume-role"].statement[0].principals).toEqual([
      { type: "Service", identifiers: ["lambda.amazonaws.com"] },
    ]);
  });
});
