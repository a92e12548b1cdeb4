import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import { LAMBDA_RUNTIME } from "../model/lambda-runtime";
import { SERVICE_PRINCIPALS, awsNames, type FunctionName } from "../model/names";
import { bundleFunction } from "./function-bundle";
import { serviceTrustPolicy } from "./service-trust-policy";

/** Props of {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** Handler folder in `functions/`. */
  readonly name: FunctionName;
  /** Lambda function name in AWS. */
  readonly functionName: string;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Environment variables of the function.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Timeout in seconds.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Memory in MB; Lambda gives CPU in proportion, and RS256 verification is CPU-bound.
   * @default 256
   */
  readonly memoryMb?: number;
  /**
   * Tags of the function and its log group.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A Lambda function from `functions/<name>`, bundled by esbuild at synth into a `TerraformAsset`,
 * with its own log group and a role that may write to that log group and nothing else.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const address = props.name;
    const tags = terraformTextMap(props.tags);

    // Created here rather than by Lambda on first invocation, so it has a retention and the role
    // needs no logs:CreateLogGroup.
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: terraformText(awsNames.lambdaLogGroup(props.functionName)),
      retentionInDays: props.logRetentionDays,
      tags,
    });
    this.logGroup.overrideLogicalId(`${address}-function`);

    const assumeRole = serviceTrustPolicy(this, "assume-role", SERVICE_PRINCIPALS.lambda, `${address}-assume-role`);
    this.role = new IamRole(this, "role", {
      name: terraformText(props.functionName),
      assumeRolePolicy: assumeRole.json,
      tags,
    });
    this.role.overrideLogicalId(address);

    const writeLogs = new DataAwsIamPolicyDocument(this, "write-logs", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
        },
      ],
    });
    writeLogs.overrideLogicalId(`${address}-write-logs`);
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "write-own-logs",
      role: this.role.id,
      policy: writeLogs.json,
    });
    rolePolicy.overrideLogicalId(`${address}-write-logs`);

    const bundle = bundleFunction(props.name);
    const asset = new TerraformAsset(this, "code", { path: bundle.directory, type: AssetType.ARCHIVE });

    this.function = new LambdaFunction(this, "function", {
      functionName: terraformText(props.functionName),
      role: this.role.arn,
      handler: "index.handler",
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      filename: asset.path,
      sourceCodeHash: Fn.filebase64sha256(asset.path),
      timeout: props.timeoutSeconds ?? 5,
      memorySize: props.memoryMb ?? 256,
      // Values may hold references (the pool id): the caller passes registry text through terraformText.
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      tags,
      dependsOn: [rolePolicy],
    });
    this.function.overrideLogicalId(address);
  }
}
