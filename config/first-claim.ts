/**
 * The uniqueness checks of the validator (one Cognito domain per region, one Terraform Cloud
 * workspace per environment, one API Gateway account manager per account and region, one Terraform
 * name per path, one parameter name per position) all keep the entry that claimed a value first, so
 * that the entry that comes second can be told whose it is.
 */

/**
 * Records `claim` for `key` unless `key` is claimed already; returns the earlier claim, or `undefined`
 * when this one is the first.
 */
export function firstClaim<C>(claims: Map<string, C>, key: string, claim: C): C | undefined {
  const earlier = claims.get(key);
  if (earlier === undefined) claims.set(key, claim);
  return earlier;
}
