/**
 * The app with the protection switches off (the small profile: `-c waf=false -c backup=false
 * -c reservedConcurrency=false`) on a development stage, synthesized once: cdk-nag still finds
 * nothing unacknowledged (the API's missing web ACL is acknowledged with the switch as its
 * reason), and what was switched off is really absent — while what is always on (aliases,
 * canaries, PITR, the failures lifecycle) stays.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app';
import { nagFindings } from './constructs/test-support/nag-report';
import { prebuiltCode } from './constructs/test-support/prebuilt-code';

const outdir = mkdtempSync(join(tmpdir(), 'small-profile-in-stack-'));
const { app, stack } = buildApp(
  new App({
    outdir,
    context: {
      stage: 'liveinsight-dev',
      waf: 'false',
      backup: 'false',
      reservedConcurrency: 'false',
      failuresRetentionDays: '7',
    },
  }),
  // Prebuilt code: nothing here is about the bundles (liveinsight-stack.test.ts checks those).
  prebuiltCode(__dirname),
);
let synthError: unknown;
try {
  app.synth();
} catch (error) {
  synthError = error;
}
const template = Template.fromJSON(
  JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as Record<
    string,
    unknown
  >,
);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the app with the protection switches off (development stage)', () => {
  it('synthesizes with cdk-nag applied and nothing unacknowledged', () => {
    expect(synthError).toBeUndefined();
    expect(nagFindings(outdir)).toEqual([]);
  });

  it('has no web ACL, no backup plan and no reserved concurrency', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    template.allResourcesProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
    expect(stack.terminationProtection).toBe(false);
  });

  it('keeps the aliases, canaries, PITR and the failures lifecycle (as configured)', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 6);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 6);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] },
    });
  });
});
