import { Decimal } from 'decimal.js';
import type { Distance, Policy, PositionSpec } from '../domain/types.ts';
import { makeIssue, type ConfigIssue } from './ConfigError.ts';
import type { RefusalParams } from './issues.ts';
import { formatPath } from './strictObject.ts';

/** One side-dependent refusal, its path relative to the policy. */
export interface PolicyRefusal {
  readonly path: readonly PropertyKey[];
  readonly params: RefusalParams & { readonly value: string };
}

/**
 * Returns the problems of a policy that only show against a position: an initial stop that is
 * not on the protective side of the entry (long: below it, at a price > 0; short: above it), and
 * for a long, percent distances of 100 or more (the stop would be at or below zero). Paths start
 * with `prefix` (e.g. ["policy"]); an empty list means the pair is usable.
 */
export function checkPolicyForPosition(
  policy: Policy,
  position: PositionSpec,
  prefix: readonly PropertyKey[] = ['policy'],
): ConfigIssue[] {
  return policyRefusals(policy, position).map((r) =>
    makeIssue(
      formatPath([...prefix, ...r.path]),
      r.params.value,
      r.params.problem,
      r.params.allowed,
    ),
  );
}

/** Returns the side-dependent refusals of {@link checkPolicyForPosition}, paths relative to the policy. */
export function policyRefusals(policy: Policy, position: PositionSpec): PolicyRefusal[] {
  const issues: PolicyRefusal[] = [];
  const refusal = (
    path: PropertyKey[],
    value: string,
    problem: string,
    allowed: string,
  ): PolicyRefusal => ({
    path,
    params: { value, problem, allowed },
  });
  const entry = new Decimal(position.entryPrice);
  const stop = policy.initialStop;
  const isLong = position.side === 'long';

  if ('percent' in stop && isLong && !new Decimal(stop.percent).lt(100)) {
    issues.push(
      refusal(
        ['initialStop', 'percent'],
        stop.percent,
        "is not in (0, 100) (a long's stop would be at or below zero)",
        'in (0, 100) for a long',
      ),
    );
  }
  if ('price' in stop) {
    const price = new Decimal(stop.price);
    if (isLong && !price.lt(entry)) {
      issues.push(
        refusal(
          ['initialStop', 'price'],
          stop.price,
          `is not below the entry price ${position.entryPrice} (a long's initial stop must be in (0, entry))`,
          `in (0, ${position.entryPrice})`,
        ),
      );
    }
    if (!isLong && !price.gt(entry)) {
      issues.push(
        refusal(
          ['initialStop', 'price'],
          stop.price,
          `is not above the entry price ${position.entryPrice} (a short's initial stop must be above entry)`,
          `> ${position.entryPrice}`,
        ),
      );
    }
  }

  if (isLong && policy.trailing !== undefined) {
    const check = (distance: Distance, keys: PropertyKey[]): void => {
      if ('percent' in distance && !new Decimal(distance.percent).lt(100)) {
        issues.push(
          refusal(
            [...keys, 'percent'],
            distance.percent,
            "is not in (0, 100) (a long's stop would be at or below zero)",
            'in (0, 100) for a long',
          ),
        );
      }
    };
    check(policy.trailing, ['trailing']);
    policy.trailing.tiers?.forEach((tier, i) => check(tier, ['trailing', 'tiers', i]));
  }
  return issues;
}
