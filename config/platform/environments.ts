/**
 * Where the API runs: one environment per AWS account and region, each with its own user pool, API and
 * Terraform state. Owned by the platform team.
 */
import { defineEnvironments } from "../define-platform";

export const environments = defineEnvironments({
  dev: {
    region: "eu-west-1",
    stageName: "v1",
    protected: false,
    cognitoDomainPrefix: "example-m2m-dev",
  },
  staging: {
    region: "eu-west-1",
    stageName: "v1",
    protected: false,
    cognitoDomainPrefix: "example-m2m-staging",
  },
  prod: {
    region: "eu-west-1",
    stageName: "v1",
    protected: true,
    cognitoDomainPrefix: "example-m2m-prod",
    logRetentionDays: 400,
  },
});
