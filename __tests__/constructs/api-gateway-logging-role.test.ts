/** `ApiGatewayLoggingRole` alone in a bare stack: the account-wide CloudWatch role of API Gateway. */
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { ApiGatewayLoggingRole } from "../../stacks/api-gateway-logging-role";
import { addresses, dataAddresses, ref, synthConstruct } from "../support/synth";

describe("ApiGatewayLoggingRole", () => {
  // GIVEN a role name WHEN the construct is the only thing in a stack
  const { json, tf } = synthConstruct(
    (stack) => new ApiGatewayLoggingRole(stack, "logging", { roleName: "m2m-dev-api-gateway-logging" }),
  );

  test("THEN it holds the role, its managed-policy attachment, the account setting and a trust policy, nothing else", () => {
    expect(addresses(tf)).toEqual([
      "aws_api_gateway_account.this",
      "aws_iam_role.api-gateway-logging",
      "aws_iam_role_policy_attachment.api-gateway-logging",
    ]);
    expect(dataAddresses(tf)).toEqual(["data.aws_iam_policy_document.api-gateway-logging-assume-role"]);
  });

  test("THEN only API Gateway may assume the role, which may push to CloudWatch Logs and nothing more", () => {
    expect(tf.data!.aws_iam_policy_document["api-gateway-logging-assume-role"].statement).toEqual([
      { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["apigateway.amazonaws.com"] }] },
    ]);
    expect(tf.resource.aws_iam_role["api-gateway-logging"]).toEqual({
      name: "m2m-dev-api-gateway-logging",
      assume_role_policy: ref("data.aws_iam_policy_document.api-gateway-logging-assume-role", "json"),
    });
    expect(tf.resource.aws_iam_role_policy_attachment["api-gateway-logging"]).toEqual({
      role: ref("aws_iam_role.api-gateway-logging", "name"),
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
  });

  test("THEN the account setting names the role and waits for its policy, or the first stage fails to log", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayAccount, {
      cloudwatch_role_arn: ref("aws_iam_role.api-gateway-logging", "arn"),
      depends_on: ["aws_iam_role_policy_attachment.api-gateway-logging"],
    });
  });
});
