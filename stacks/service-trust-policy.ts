import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { Construct } from "constructs";

/**
 * The trust policy of a role only `service` (an AWS service principal) may assume, created in `scope`
 * as data source `id` with Terraform address `logicalId`.
 */
export function serviceTrustPolicy(
  scope: Construct,
  id: string,
  service: string,
  logicalId: string,
): DataAwsIamPolicyDocument {
  const document = new DataAwsIamPolicyDocument(scope, id, {
    statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] }],
  });
  document.overrideLogicalId(logicalId);
  return document;
}
