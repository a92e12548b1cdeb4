/**
 * The AWS regions an environment may name, as AWS listed them on 2026-12-01 (commercial and
 * GovCloud; the China regions have no Cognito user pools). A region that opened after that date goes
 * in the registry's `additionalRegions` until this list learns it, so a typo such as `eu-fake-9`
 * still fails synth instead of an apply.
 */
export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

/** The shape of a region code (`eu-west-1`, `us-gov-east-1`): what `additionalRegions` entries must have. */
export const REGION_CODE = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;
