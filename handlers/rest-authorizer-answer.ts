/**
 * What a REST API Lambda authorizer returns to API Gateway, for both of ours (the read-token
 * authorizer of the query API and the ingest-key authorizer of POST /events): an IAM policy for
 * the caller, string context for the integration's templates, and — where the API's key source
 * is AUTHORIZER — the API key whose usage plan applies.
 */
export interface RestAuthorizerAnswer {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: readonly {
      readonly Action: 'execute-api:Invoke';
      readonly Effect: 'Allow' | 'Deny';
      readonly Resource: string;
    }[];
  };
  readonly context?: Readonly<Record<string, string>>;
  readonly usageIdentifierKey?: string;
}
