/**
 * The id `terraform import` (and an `import` block) takes for each resource a client owns, built from
 * the attributes its old state recorded, as the AWS provider documents them.
 */
import type { ClientResourceType } from "../../model/client-resources";

type Attributes = Readonly<Record<string, unknown>>;

const IMPORT_IDS: Readonly<Record<ClientResourceType, ((attributes: Attributes) => unknown) | undefined>> = {
  aws_cognito_user_pool_client: (a) => a.user_pool_id && a.id && `${a.user_pool_id}/${a.id}`,
  aws_api_gateway_api_key: (a) => a.id,
  aws_api_gateway_usage_plan_key: (a) => a.usage_plan_id && a.key_id && `${a.usage_plan_id}/${a.key_id}`,
  aws_secretsmanager_secret: (a) => a.arn,
  aws_kms_key: (a) => a.key_id ?? a.id,
  aws_kms_alias: (a) => a.name,
  aws_secretsmanager_secret_policy: (a) => a.secret_arn,
  // Written again in the new stack (see WRITTEN_AGAIN_ON_MOVE), never imported.
  aws_secretsmanager_secret_version: undefined,
};

/** The import id of a resource of `type`, or undefined when it is not imported or the state lacks it. */
export function importIdOf(type: ClientResourceType, attributes: Attributes): string | undefined {
  const id = IMPORT_IDS[type]?.(attributes);
  return typeof id === "string" && id !== "" ? id : undefined;
}
