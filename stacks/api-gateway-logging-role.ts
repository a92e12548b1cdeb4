import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { SERVICE_PRINCIPALS } from "../model/names";
import { terraformText } from "../model/terraform-text";
import { serviceTrustPolicy } from "./service-trust-policy";

/** Props of {@link ApiGatewayLoggingRole}. */
export interface ApiGatewayLoggingRoleProps {
  /** Name of the IAM role API Gateway assumes to write logs. */
  readonly roleName: string;
}

/**
 * The account-and-region setting that lets API Gateway write access logs to CloudWatch. Without it a
 * stage with access logging fails to deploy. It is one setting per account and region, so only one
 * environment per account and region should manage it (`manageApiGatewayAccount` in the config).
 */
export class ApiGatewayLoggingRole extends Construct {
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const assumeRole = serviceTrustPolicy(
      this,
      "assume-role",
      SERVICE_PRINCIPALS.apiGateway,
      "api-gateway-logging-assume-role",
    );
    const role = new IamRole(this, "role", { name: terraformText(props.roleName), assumeRolePolicy: assumeRole.json });
    role.overrideLogicalId("api-gateway-logging");
    const attachment = new IamRolePolicyAttachment(this, "push-to-cloudwatch", {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    attachment.overrideLogicalId("api-gateway-logging");
    this.account = new ApiGatewayAccount(this, "account", {
      cloudwatchRoleArn: role.arn,
      dependsOn: [attachment],
    });
    this.account.overrideLogicalId("this");
  }
}
