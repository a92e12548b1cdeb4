import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { MANAGED_BY, TAG_KEYS } from "../model/names";
import { terraformText, terraformTextMap } from "../model/terraform-text";

/**
 * The AWS provider of every stack of an environment (platform and client shards alike): its region,
 * pinned to its account when the registry names one, tagging all it creates with project, environment
 * and `managed-by`.
 */
export function addEnvironmentProvider(
  stack: TerraformStack,
  project: string,
  environmentName: string,
  environment: EnvironmentConfig,
): AwsProvider {
  return new AwsProvider(stack, "aws", {
    region: terraformText(environment.region),
    allowedAccountIds: environment.account ? [environment.account] : undefined,
    defaultTags: [
      {
        tags: terraformTextMap({
          [TAG_KEYS.project]: project,
          [TAG_KEYS.environment]: environmentName,
          [TAG_KEYS.managedBy]: MANAGED_BY,
        }),
      },
    ],
  });
}
