/**
 * A monthly AWS Budgets cost budget with e-mail notifications at 80 % of the actual spend and
 * at 100 % of the forecast (AWS::Budgets::Budget). A cost budget watches the whole account's
 * cost (docs/operations/cost.md says how to narrow it to one stage by a cost-allocation tag).
 */
import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';

/** Notification thresholds, percent of the budget. */
export const BUDGET_ACTUAL_PERCENT = 80;
export const BUDGET_FORECAST_PERCENT = 100;

export interface CostBudgetProps {
  /** Budget name (unique per account): the stage name and `-monthly`. */
  readonly budgetName: string;
  /** Limit in US dollars per month: a positive number. */
  readonly monthlyLimitUsd: number;
  /**
   * Who is e-mailed. Without one the budget still shows in the console, but notifies nobody.
   * @default none
   */
  readonly email?: string;
}

export class CostBudget extends Construct {
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    if (!Number.isFinite(props.monthlyLimitUsd) || props.monthlyLimitUsd <= 0) {
      throw new RangeError(
        `monthlyLimitUsd is ${props.monthlyLimitUsd} (expected a positive number of US dollars)`,
      );
    }
    const notify = (
      address: string,
      notificationType: 'ACTUAL' | 'FORECASTED',
      threshold: number,
    ): budgets.CfnBudget.NotificationWithSubscribersProperty => ({
      notification: {
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
      },
      subscribers: [{ subscriptionType: 'EMAIL', address }],
    });
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: props.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyLimitUsd, unit: 'USD' },
      },
      ...(props.email === undefined
        ? {}
        : {
            notificationsWithSubscribers: [
              notify(props.email, 'ACTUAL', BUDGET_ACTUAL_PERCENT),
              notify(props.email, 'FORECASTED', BUDGET_FORECAST_PERCENT),
            ],
          }),
    });
  }
}
